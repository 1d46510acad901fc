import { defineCommand } from 'citty';
import { build } from '../../build/build.js';
import { loadConfig, type FunctionConfig } from '../../config/load.js';
import { EdgeError } from '../../errors.js';
import { watchFunctions } from '../../dev/watch.js';
import { createEmulator, type Exchange } from '../../emulator/index.js';
import type { InvocationRecord } from '../../lambda/index.js';
import { resolveNodeArg } from '../args.js';
import { bannerLines } from '../dev-banner.js';
import { failureLines } from '../dev-failure.js';
import { ExitCode } from '../exit.js';
import { paint, stderrLogger } from '../output.js';
import { escapeControl } from '../terminal-text.js';
import { configFlag } from './shared-flags.js';

export default defineCommand({
  meta: { name: 'dev', description: 'Serve the distribution through a local CloudFront, with the Lambda Invoke API and Function URLs' },
  args: {
    port: { type: 'string', description: 'port (default 3000, or PORT; 0 for any free port)' },
    host: { type: 'string', description: 'address to listen on (default 127.0.0.1)' },
    watch: { type: 'boolean', description: 'rebuild a guest when its sources change and swap it in' },
    build: { type: 'boolean', default: true, description: 'build the functions first (--no-build serves the zips already in dist/)' },
    ric: { type: 'boolean', description: 'run functions under AWS\'s runtime interface client (Node ≥ 22)' },
    node: { type: 'string', description: 'Node.js major for the functions: 22 or 24, or a path to node' },
    quiet: { type: 'boolean', description: 'no function log lines, only the access log' },
    inspector: { type: 'boolean', default: true, description: 'record each request\'s trip for the inspector page and API (--no-inspector records nothing)' },
    'inspector-history': { type: 'string', description: 'how many requests the inspector keeps (default 200)' },
    ...configFlag,
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    const port = Number(args.port ?? process.env.PORT ?? 3000);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EdgeError('E_USAGE', `--port must be a port number (got ${args.port})`);
    if (args.build !== false) {
      process.stderr.write(`${paint.dim('building the functions…')}\n`);
      await build({ config, logger: stderrLogger });
    }
    const nodeBinary = resolveNodeArg(args.node);
    const history = args['inspector-history'] === undefined ? undefined : Number(args['inspector-history']);
    if (history !== undefined && (!Number.isInteger(history) || history < 1 || history > 100_000)) {
      throw new EdgeError('E_USAGE', `--inspector-history must be a whole number from 1 to 100000 (got ${args['inspector-history']})`);
    }
    let inspectUrl = '';
    const emulator = createEmulator({
      config,
      port,
      host: args.host ?? '127.0.0.1',
      logger: stderrLogger,
      ...(args.ric === true ? { runtimeClient: 'ric' as const } : {}),
      ...(nodeBinary === undefined ? {} : { nodeBinary }),
      inspector: args.inspector === false ? false : { ...(history === undefined ? {} : { history }) },
      onAccess: (e) => {
        const explain = failureLines(e, { paint, ...(inspectUrl === '' ? {} : { inspectUrl: `${inspectUrl}#${e.requestId}` }) });
        process.stderr.write(`${[accessLine(e), ...explain].join('\n')}\n`);
      },
      ...(args.quiet === true ? {} : { onFunctionLog: (fn: FunctionConfig, r: InvocationRecord) => printFunctionLog(fn, r) }),
    });
    const url = await emulator.ready;
    inspectUrl = emulator.inspectorUrl();
    process.stderr.write(`${bannerLines({ url, inspectorUrl: inspectUrl, distribution: emulator.distribution, hasDistribution: config.distribution !== undefined, functions: config.functions, cwd: process.cwd() }, paint).join('\n')}\n`);
    const watcher = args.watch === true ? watchFunctions({ config, functions: config.functions, reload: (n) => emulator.reload(n), logger: stderrLogger }) : undefined;
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    process.stderr.write('\nstopping…\n');
    await watcher?.close();
    await emulator.close();
    return ExitCode.Ok;
  },
});

function accessLine(e: Exchange): string {
  const status = e.status >= 500 ? paint.red(String(e.status)) : e.status >= 400 ? paint.yellow(String(e.status)) : paint.green(String(e.status));
  const triggers = e.triggers.map((t) => `${t.eventType}:${t.function}${t.outcome === 'ok' ? '' : `(${t.outcome})`}`).join(' ');
  return `${paint.dim(new Date().toISOString())} ${e.method} ${escapeControl(e.path)} ${status} ${paint.cyan(e.xCache)} ${e.durationMs.toFixed(1)} ms ${paint.dim(`[${e.behavior}]`)}${triggers === '' ? '' : ` ${triggers}`}`;
}

function printFunctionLog(fn: FunctionConfig, r: InvocationRecord): void {
  const prefix = paint.dim(`  ${fn.kind} ${fn.name} │ `);
  // Guest text: escaped, so it cannot drive the terminal (clear it, or overwrite the END line).
  for (const line of r.logs) process.stderr.write(`${prefix}${escapeControl(line)}\n`);
}
