/**
 * @module
 * The `lambda-wasm` command line: flag parsing, rendering and exit codes only. Every command is a
 * thin shell over a library function; subcommands load lazily so `--help` and `invoke` never pay
 * for the AWS SDK or esbuild.
 */
import { defineCommand, runCommand, renderUsage, type ArgsDef, type CommandDef } from 'citty';
import { readFileSync } from 'node:fs';
import { isEdgeError, isUserError } from '../errors.js';
import { unknownFlags, usageError } from './args.js';
import { ExitCode } from './exit.js';
import { forStream, paint } from './output.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const main = defineCommand({
  meta: {
    name: 'lambda-wasm',
    version: pkg.version,
    description: 'Run Rust/WebAssembly as AWS Lambda@Edge triggers and Lambda functions on Node.js',
  },
  subCommands: {
    build: () => import('./commands/build.js').then((m) => m.default),
    invoke: () => import('./commands/invoke.js').then((m) => m.default),
    validate: () => import('./commands/validate.js').then((m) => m.default),
    bench: () => import('./commands/bench.js').then((m) => m.default),
    new: () => import('./commands/new.js').then((m) => m.default),
    deploy: () => import('./commands/deploy.js').then((m) => m.default),
    destroy: () => import('./commands/destroy.js').then((m) => m.default),
    prune: () => import('./commands/prune.js').then((m) => m.default),
    dev: () => import('./commands/dev.js').then((m) => m.default),
    invalidate: () => import('./commands/invalidate.js').then((m) => m.default),
    event: () => import('./commands/event.js').then((m) => m.default),
    test: () => import('./commands/test.js').then((m) => m.default),
    logs: () => import('./commands/logs.js').then((m) => m.default),
  },
});

/** Runs the CLI and returns the exit code; only `bin/lambda-wasm.js` touches `process.exit`. */
export async function run(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
    return printUsage(argv);
  }
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${pkg.version}\n`);
    return ExitCode.Ok;
  }
  let json = wantsJson(argv);
  try {
    json = wantsJson(argv, await argsOf(argv[0]));
    await refuseUnknownFlags(argv);
    // citty drops a subcommand's return value, so the subcommand is run directly to keep its exit code.
    const loader = (main.subCommands as Record<string, () => Promise<CommandDef>>)[argv[0]!]!;
    const { result } = await runCommand(await loader(), { rawArgs: argv.slice(1) });
    return typeof result === 'number' ? result : ExitCode.Ok;
  } catch (error) {
    return reportError(error, { json });
  }
}

/**
 * `--json` among the flags (not after `--`) of a command whose `--json` is a switch: failures are
 * then reported as JSON on stdout too. (`bench --json <file>` names a file instead.)
 */
function wantsJson(argv: readonly string[], def?: ArgsDef): boolean {
  if (def !== undefined && def.json?.type !== 'boolean') return false;
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--json' || a === '--json=true');
}

async function argsOf(name: string | undefined): Promise<ArgsDef | undefined> {
  const loader = name === undefined ? undefined : (main.subCommands as Record<string, () => Promise<CommandDef>>)[name];
  if (loader === undefined) return undefined;
  const cmd = await loader();
  return typeof cmd.args === 'function' ? await cmd.args() : (cmd.args ?? {});
}

async function printUsage(argv: string[]): Promise<number> {
  const name = argv.find((a) => !a.startsWith('-'));
  const subs = main.subCommands as Record<string, () => Promise<CommandDef>>;
  const loader = name === undefined ? undefined : subs[name];
  if (name !== undefined && loader === undefined) return reportError(unknownCommand(name), { json: wantsJson(argv) });
  const cmd = loader === undefined ? main : await loader();
  process.stdout.write(forStream(`${await renderUsage(cmd, loader === undefined ? undefined : main)}\n`, process.stdout));
  return ExitCode.Ok;
}

async function refuseUnknownFlags(argv: string[]): Promise<void> {
  const name = argv[0];
  const loader = name === undefined ? undefined : (main.subCommands as Record<string, () => Promise<CommandDef>>)[name];
  if (loader === undefined) {
    if (name !== undefined) throw unknownCommand(name);
    return;
  }
  const cmd = await loader();
  const args = await (typeof cmd.args === 'function' ? cmd.args() : (cmd.args ?? {}));
  const unknown = unknownFlags(argv.slice(1), args);
  if (unknown.length > 0) {
    throw usageError(`${name}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (see \`lambda-wasm ${name} --help\`)`);
  }
}

function unknownCommand(name: string): Error {
  const known = Object.keys(main.subCommands as object).join(', ');
  return usageError(`unknown command "${name}" (commands: ${known})`);
}

/** The shape of a failure under `--json`, on stdout: `{"error": {"code", "message", "hint"}}`. */
interface JsonFailure {
  code: string;
  message: string;
  hint?: string;
  details?: string[];
}

/**
 * Prints a failure and returns the exit code: 2 for a usage mistake (an unknown command or flag, a
 * missing or invalid argument: citty's errors and `E_USAGE`), 1 for anything else. Text goes to
 * stderr; with `--json` the same failure is also written to stdout as JSON.
 */
export function reportError(error: unknown, options: { json?: boolean } = {}): number {
  const { failure, exit, text } = describe(error);
  process.stderr.write(text);
  if (options.json === true) process.stdout.write(`${JSON.stringify({ error: failure }, null, 2)}\n`);
  return exit;
}

function describe(error: unknown): { failure: JsonFailure; exit: number; text: string } {
  if (isEdgeError(error)) {
    let text = `${paint.red('error')} ${error.message}\n`;
    for (const line of error.details) text += `  ${line}\n`;
    if (error.hint !== undefined) text += `${paint.dim('hint')}  ${error.hint}\n`;
    if (!isUserError(error)) text += `${error.stack ?? ''}\nThis looks like a bug in lambda-wasm; please report it with the lines above.\n`;
    const failure: JsonFailure = {
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.details.length === 0 ? {} : { details: [...error.details] }),
    };
    return { failure, exit: error.code === 'E_USAGE' ? ExitCode.Usage : ExitCode.Failure, text };
  }
  const err = error as Error;
  // citty throws CLIError for missing arguments and the like: usage mistakes, reported as ours are.
  if (err?.name === 'CLIError') return describe(usageError(err.message));
  return {
    failure: { code: 'E_INTERNAL', message: err?.message ?? String(error), hint: 'this looks like a bug in lambda-wasm; please report it' },
    exit: ExitCode.Failure,
    text: `${paint.red('error')} ${err?.stack ?? String(error)}\nThis looks like a bug in lambda-wasm; please report it with the lines above.\n`,
  };
}
