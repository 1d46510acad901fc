/**
 * Node built-ins for the adapter, taken with `process.getBuiltinModule` (Node ≥ 20.16 / 22.3):
 * an ESM `import 'node:fs'` builds fs's module facade, which costs 2–3 ms of every cold start;
 * this costs a few microseconds. Older Node falls back to the import.
 */
import type * as FsModule from 'node:fs';
import type * as BufferModule from 'node:buffer';
import type * as ModuleModule from 'node:module';

type GetBuiltin = <T>(id: string) => T;
const getBuiltin = (process as unknown as { getBuiltinModule?: GetBuiltin }).getBuiltinModule;

export const fs: typeof FsModule = getBuiltin !== undefined ? getBuiltin<typeof FsModule>('fs') : await import('node:fs');
export const buffer: typeof BufferModule = getBuiltin !== undefined ? getBuiltin<typeof BufferModule>('buffer') : await import('node:buffer');

export async function nodeModule(): Promise<typeof ModuleModule> {
  return getBuiltin !== undefined ? getBuiltin<typeof ModuleModule>('module') : await import('node:module');
}

/**
 * A monotonic clock in milliseconds for the cold-start timings. Not `performance.now()`: Node
 * creates the `performance` global on first use, loading perf_hooks and ten internal modules
 * (0.8–1 ms on Node 22/24), and AWS's runtime interface client (aws-lambda-ric) never touches it,
 * so the adapter would pay that in every cold start just to time itself. `process.hrtime` is
 * already there.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
