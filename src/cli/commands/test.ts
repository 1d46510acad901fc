import { defineCommand } from 'citty';
import { testFunctions } from '../../build/cargo-test.js';
import { loadConfig } from '../../config/load.js';
import { functionNames } from '../args.js';
import { ExitCode } from '../exit.js';
import { paint, stderrLogger } from '../output.js';
import { configFlag } from './shared-flags.js';

export default defineCommand({
  meta: {
    name: 'test',
    description: "Run each guest crate's cargo test natively, with the toolchain, crate registry and buildEnv that build uses",
  },
  args: {
    functions: { type: 'positional', required: false, description: 'functions to test (default: every function built from a crate)' },
    ...configFlag,
    quiet: { type: 'boolean', description: "print only the summary, and cargo's output for crates that fail" },
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    const { results, toolchain, skipped } = await testFunctions({
      config,
      functions: functionNames(args),
      logger: stderrLogger,
      onOutput: args.quiet ? undefined : (_name, chunk) => process.stderr.write(chunk),
    });
    process.stdout.write(`${paint.dim(`cargo test with ${toolchain.rustcVersion} (${toolchain.origin})`)}\n`);
    for (const r of results) {
      if (!r.ok && args.quiet) process.stderr.write(r.output);
      const mark = r.ok ? paint.green('✓') : paint.red('✗');
      process.stdout.write(`${mark} ${paint.bold(r.name)}  ${r.passed} passed${r.failed > 0 ? `, ${r.failed} failed` : ''}${r.ok || r.failed > 0 ? '' : ' (did not compile or run: see above)'}\n`);
    }
    if (skipped.length > 0) process.stdout.write(`${paint.dim(`no crate to test: ${skipped.join(', ')}`)}\n`);
    return results.every((r) => r.ok) ? ExitCode.Ok : ExitCode.Failure;
  },
});
