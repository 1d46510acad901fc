import { defineCommand } from 'citty';
import { build } from '../../build/build.js';
import { projectRelative, staleZip } from '../../build/stale.js';
import { loadConfig, getFunction, type FunctionConfig, type ProjectConfig } from '../../config/load.js';
import type { FunctionKind } from '../../config/limits.js';
import { EdgeError } from '../../errors.js';
import { describeAssumed, formatViolation } from '../../events/index.js';
import { readEventFile } from '../../invoke/event-input.js';
import { eventForFunction, invoke, type InvokeResult } from '../../invoke/invoke.js';
import { resolveNodeArg } from '../args.js';
import { EVENT_FLAGS, eventFlagsGiven, eventFromFlags } from '../event-flags.js';
import { ExitCode } from '../exit.js';
import { paint, stderrLogger } from '../output.js';
import { escapeControl } from '../terminal-text.js';
import { configFlag } from './shared-flags.js';

export default defineCommand({
  meta: {
    name: 'invoke',
    description: 'Run one event through the built zip of a function, with Lambda log lines and CloudFront\'s verdict',
  },
  args: {
    function: { type: 'positional', required: true, description: 'the function to invoke' },
    event: { type: 'string', alias: 'e', description: 'event file (JSON), or - for standard input (default: the function\'s fixture)' },
    ...EVENT_FLAGS,
    timeout: { type: 'string', description: 'seconds (plain Lambda functions; edge tiers are fixed)' },
    ric: { type: 'boolean', description: 'run under AWS\'s runtime interface client (aws-lambda-ric) instead of the built-in one' },
    node: { type: 'string', description: 'Node.js major to run on: 22 or 24 (from the node22/node24 packages), or a path to node' },
    build: { type: 'boolean', description: 'build the function first (otherwise a zip older than its sources is run, with a warning)' },
    json: { type: 'boolean', description: 'print {result, error, violations, report} as JSON instead' },
    ...configFlag,
  },
  async run({ args, rawArgs }) {
    const config = loadConfig({ configFile: args.config });
    const fn = getFunction(config, args.function);
    const given = resolveEvent(args, rawArgs, fn.kind, fn.fixture);
    // AWS's sample events lack config.eventType and more: complete them for this trigger, and say so.
    const { event, assumed } = eventForFunction(fn, given);
    const note = describeAssumed(assumed, `${fn.name} is a ${fn.kind} trigger`);
    if (note !== undefined) process.stderr.write(`${paint.dim('note')}  ${note}\n`);
    if (args.build === true) await build({ config, functions: [fn.name], logger: stderrLogger });
    else warnIfStale(config, fn);
    const nodeBinary = resolveNodeArg(args.node);
    const timeout = args.timeout === undefined ? undefined : Number(args.timeout);
    if (timeout !== undefined && !(timeout > 0)) throw new EdgeError('E_USAGE', `--timeout must be a positive number of seconds (got ${args.timeout})`);
    const result = await invoke({
      config,
      function: fn.name,
      event,
      runtimeClient: args.ric === true ? 'ric' : 'builtin',
      ...(nodeBinary === undefined ? {} : { nodeBinary }),
      ...(timeout === undefined ? {} : { timeout }),
      onLog: args.json === true ? undefined : (line) => process.stderr.write(`${escapeControl(line)}\n`),
    });
    if (args.json === true) process.stdout.write(`${JSON.stringify(toJson(result, assumed), null, 2)}\n`);
    else render(result);
    return result.verdict === 'ok' ? ExitCode.Ok : ExitCode.Failure;
  },
});

type Args = Record<string, unknown>;

/** An edit that seems to have no effect is worse than a warning: say that the zip is older than its sources. */
function warnIfStale(config: ProjectConfig, fn: FunctionConfig): void {
  const stale = staleZip(config, fn);
  if (stale === undefined) return;
  const shown = stale.newer.slice(0, 3).join(', ') + (stale.newer.length > 3 ? ` and ${stale.newer.length - 3} more` : '');
  stderrLogger.warn(
    `${projectRelative(config, stale.zipPath)} is older than its sources (${shown} changed since it was built): this runs the old code.\n` +
      `      rebuild with \`lambda-wasm build ${fn.name}\`, or run \`lambda-wasm invoke ${fn.name} --build\``,
  );
}

function resolveEvent(args: Args, rawArgs: string[], kind: FunctionKind, fixture: string | undefined): unknown {
  const building = eventFlagsGiven(args, rawArgs);
  if (typeof args.event === 'string') {
    if (building) throw new EdgeError('E_USAGE', 'give either --event or --uri/--header/--method/--querystring/--body/--status, not both');
    return readEventFile(args.event);
  }
  if (!building) {
    if (fixture === undefined) {
      throw new EdgeError('E_USAGE', 'no event given and the function has no "fixture" in the config', {
        hint: 'pass --event <file.json> (or - for stdin), or build one with --uri /path --header name:value',
      });
    }
    return readEventFile(fixture);
  }
  return eventFromFlags(kind, args, rawArgs);
}

function toJson(r: InvokeResult, assumed: string[]): unknown {
  return {
    function: r.function.name,
    verdict: r.verdict,
    ...(assumed.length > 0 ? { assumed } : {}),
    result: r.record.result,
    error: r.record.error,
    violations: r.violations,
    report: {
      requestId: r.record.requestId,
      durationMs: r.record.durationMs,
      billedDurationMs: r.record.billedDurationMs,
      initDurationMs: r.record.initDurationMs,
      maxMemoryUsedMB: r.record.maxMemoryUsedMB,
      memorySizeMB: r.function.memorySize,
    },
    logs: r.record.logs,
  };
}

function render(r: InvokeResult): void {
  if (r.record.ok) process.stdout.write(`${JSON.stringify(r.record.result, null, 2)}\n`);
  else process.stdout.write(`${JSON.stringify(r.record.error, null, 2)}\n`);
  const kind = r.function.kind;
  switch (r.verdict) {
    case 'ok':
      process.stderr.write(`${paint.green('✓')} ${kind === 'lambda' ? 'the function succeeded' : `CloudFront would accept this ${kind} result`}\n`);
      break;
    case 'invalid-result':
      process.stderr.write(`${paint.red('✗')} CloudFront would reject this result: 502 LambdaValidationError\n`);
      for (const v of r.violations) process.stderr.write(`  ${escapeControl(formatViolation(v))}\n`);
      break;
    case 'timeout':
      process.stderr.write(`${paint.red('✗')} the function timed out after ${r.function.timeout} s${kind === 'lambda' ? '' : ': CloudFront answers 503 LambdaExecutionError'}\n`);
      break;
    case 'function-error':
      process.stderr.write(
        `${paint.red('✗')} the function failed (${r.record.error?.errorType ?? 'error'})${kind === 'lambda' ? '' : ': CloudFront answers 503 LambdaExecutionError'}\n`,
      );
      break;
  }
}
