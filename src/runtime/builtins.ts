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
