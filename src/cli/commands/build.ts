import { defineCommand } from 'citty';
import { build, type BuiltFunction } from '../../build/build.js';
import { loadConfig } from '../../config/load.js';
import { EdgeError } from '../../errors.js';
import { ExitCode } from '../exit.js';
import { formatBytes, paint, stderrLogger } from '../output.js';
import { functionNames } from '../args.js';
import { configFlag } from './shared-flags.js';

export default defineCommand({
  meta: { name: 'build', description: 'Compile guests to wasm32, bundle the adapter and write deterministic zips to dist/' },
  args: {
    functions: { type: 'positional', required: false, description: 'functions to build (default: all in the config)' },
    ...configFlag,
    json: { type: 'boolean', description: 'print the result as JSON' },
    optimize: { type: 'boolean', default: true, description: 'run wasm-opt (--no-optimize skips it)' },
    target: { type: 'string', description: 'wasm (Node.js adapter) or native (a bootstrap for provided.al2023, plain Lambda only); default: each function\'s "target"' },
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    if (args.target !== undefined && args.target !== 'wasm' && args.target !== 'native') {
      throw new EdgeError('E_USAGE', `--target must be wasm or native (got ${JSON.stringify(args.target)})`);
    }
    const result = await build({
      ...(args.target === undefined ? {} : { target: args.target }),
      config,
      functions: functionNames(args),
      logger: stderrLogger,
      noOptimize: args.optimize === false,
      onProgress: ({ name, phase }) => {
        if (phase === 'compile' && !args.json) process.stderr.write(`${paint.dim('building')} ${name}\n`);
      },
    });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result.functions, null, 2)}\n`);
      return ExitCode.Ok;
    }
    for (const fn of result.functions) process.stdout.write(`${renderBuilt(fn, config.root)}\n`);
    return ExitCode.Ok;
  },
});

function renderBuilt(fn: BuiltFunction, root: string): string {
  const share = ((fn.zipBytes / fn.zipLimitBytes) * 100).toFixed(1);
  const rel = fn.zipPath.startsWith(root) ? fn.zipPath.slice(root.length + 1) : fn.zipPath;
  const wasm = fn.parts.find((p) => p.name === 'guest.wasm');
  const native = fn.native === undefined ? '' : `  ${paint.dim(`bootstrap ${formatBytes(fn.parts[0]?.bytes ?? 0)}, ${fn.native.architecture}, ${fn.native.glibc === undefined ? 'static' : `glibc ≤ ${fn.native.glibc}`}, linked by ${fn.native.linker}`)}`;
  return (
    `${paint.green('✓')} ${paint.bold(fn.name)} (${fn.kind}) → ${rel}  ` +
    `${formatBytes(fn.zipBytes)} of ${formatBytes(fn.zipLimitBytes)} (${share}%)` +
    (wasm === undefined ? '' : `  ${paint.dim(`guest.wasm ${formatBytes(wasm.bytes)}${fn.optimized ? ', wasm-opt' : ''}`)}`) +
    native
  );
}
