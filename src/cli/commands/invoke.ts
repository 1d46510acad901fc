import { defineCommand } from 'citty';
import { loadConfig, getFunction } from '../../config/load.js';
import { isEdgeEventType } from '../../config/limits.js';
import { EdgeError } from '../../errors.js';
import { buildEvent, buildFunctionUrlEvent, formatViolation } from '../../events/index.js';
import { readEventFile } from '../../invoke/event-input.js';
import { invoke, type InvokeResult } from '../../invoke/invoke.js';
import { repeatedFlag, resolveNodeArg } from '../args.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';
import { escapeControl } from '../terminal-text.js';

export default defineCommand({
  meta: {
    name: 'invoke',
    description: 'Run one event through the built zip of a function, with Lambda log lines and CloudFront\'s verdict',
  },
  args: {
    function: { type: 'positional', required: true, description: 'the function to invoke' },
    event: { type: 'string', alias: 'e', description: 'event file (JSON), or - for standard input (default: the function\'s fixture)' },
    uri: { type: 'string', description: 'build the event instead: request URI' },
    method: { type: 'string', description: 'build the event: HTTP method (default GET)' },
    header: { type: 'string', description: 'build the event: a header, name:value (repeatable)' },
    querystring: { type: 'string', description: 'build the event: query string without ?' },
    body: { type: 'string', description: 'build the event: request body (text)' },
    status: { type: 'string', description: 'build a response event: origin status (default 200)' },
    timeout: { type: 'string', description: 'seconds (plain Lambda functions; edge tiers are fixed)' },
    ric: { type: 'boolean', description: 'run under AWS\'s runtime interface client (aws-lambda-ric) instead of the built-in one' },
    node: { type: 'string', description: 'Node.js major to run on: 22 or 24 (from the node22/node24 packages), or a path to node' },
    json: { type: 'boolean', description: 'print {result, error, violations, report} as JSON instead' },
    config: { type: 'string', description: 'config file' },
  },
  async run({ args, rawArgs }) {
    const config = loadConfig({ configFile: args.config });
    const fn = getFunction(config, args.function);
    const event = resolveEvent(args, rawArgs, fn.kind, fn.fixture);
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
    if (args.json === true) process.stdout.write(`${JSON.stringify(toJson(result), null, 2)}\n`);
    else render(result);
    return result.verdict === 'ok' ? ExitCode.Ok : ExitCode.Failure;
  },
});

type Args = Record<string, unknown>;

function resolveEvent(args: Args, rawArgs: string[], kind: string, fixture: string | undefined): unknown {
  const headers = repeatedFlag(rawArgs, 'header').map(parseHeader);
  const building = args.uri !== undefined || headers.length > 0 || args.method !== undefined || args.querystring !== undefined || args.body !== undefined || args.status !== undefined;
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
  const common = {
    ...(typeof args.uri === 'string' ? { uri: args.uri } : {}),
    ...(typeof args.method === 'string' ? { method: args.method.toUpperCase() } : {}),
    ...(typeof args.querystring === 'string' ? { querystring: args.querystring } : {}),
    ...(typeof args.body === 'string' ? { body: args.body, includeBody: true } : {}),
    headers,
  };
  if (!isEdgeEventType(kind)) return buildFunctionUrlEvent(common);
  return buildEvent(kind, { ...common, ...(typeof args.status === 'string' ? { status: args.status } : {}) });
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new EdgeError('E_USAGE', `--header ${JSON.stringify(text)} is not name:value`, { hint: 'e.g. --header "accept: text/html"' });
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

function toJson(r: InvokeResult): unknown {
  return {
    function: r.function.name,
    verdict: r.verdict,
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
