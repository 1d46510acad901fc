/**
 * @module
 * What citty leaves out: unknown flags are refused (a typo must not be silently ignored), and a
 * flag given several times (`--header a:1 --header b:2`) keeps every value.
 */
import { existsSync } from 'node:fs';
import type { ArgsDef } from 'citty';
import { EdgeError } from '../errors.js';
import { findNodeBinary } from '../lambda/index.js';

/**
 * A usage mistake (exit 2, CLI main's `reportError`): the one form of them in the CLI, an `E_USAGE`
 * EdgeError; by default the hint points at `--help`.
 */
export function usageError(message: string, hint = 'run `lambda-wasm --help`'): EdgeError {
  return new EdgeError('E_USAGE', message, { hint });
}

/** citty puts every positional in `args._`. */
export function functionNames(args: { _?: unknown }): string[] {
  const positional = Array.isArray(args._) ? (args._ as unknown[]) : [];
  return positional.filter((a): a is string => typeof a === 'string' && a !== '');
}

/** Every value of a repeatable flag, in order: `--name v`, `--name=v`. */
export function repeatedFlag(rawArgs: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i]!;
    if (arg === `--${name}` && i + 1 < rawArgs.length) values.push(rawArgs[++i]!);
    else if (arg.startsWith(`--${name}=`)) values.push(arg.slice(name.length + 3));
  }
  return values;
}

/** Returns the flags in `rawArgs` that the command does not define. */
export function unknownFlags(rawArgs: readonly string[], def: ArgsDef): string[] {
  const known = new Set<string>(['help', 'h', 'version', 'v']);
  for (const [name, arg] of Object.entries(def)) {
    if (arg.type === 'positional') continue;
    known.add(name);
    const camel = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    known.add(camel);
    const aliases = (arg as { alias?: string | string[] }).alias;
    for (const a of Array.isArray(aliases) ? aliases : aliases ? [aliases] : []) known.add(a);
    if (arg.type === 'boolean') known.add(`no-${name}`);
  }
  const unknown: string[] = [];
  for (const arg of rawArgs) {
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-') continue;
    const name = arg.replace(/^--?/, '').split('=')[0]!;
    if (!known.has(name)) unknown.push(arg.split('=')[0]!);
  }
  return unknown;
}

/** `--node 22|24` picks Node.js from the node22/node24 packages (Lambda's nodejs22.x/24.x); anything else is a path. */
export function resolveNodeArg(node: unknown): string | undefined {
  if (node === undefined) return undefined;
  if (node === '22' || node === '24') {
    const found = findNodeBinary(Number(node) as 22 | 24);
    if (found === undefined) throw new EdgeError('E_USAGE', `Node.js ${node} is not installed`, { hint: `npm install node${node}@npm:node@${node}` });
    return found;
  }
  const path = String(node);
  if (/^\d+$/.test(path) || !existsSync(path)) {
    throw new EdgeError('E_USAGE', `--node ${path}: give 22 or 24 (Lambda's nodejs22.x and nodejs24.x, from the node22/node24 packages) or the path of a node binary`);
  }
  return path;
}
