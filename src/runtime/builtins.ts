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

let urandom: number | undefined;

function openUrandom(): number {
  try {
    return fs.openSync('/dev/urandom', 'r');
  } catch {
    return -1;
  }
}

/**
 * Fills `bytes` from the kernel's CSPRNG, read from /dev/urandom with the `fs` the adapter already
 * has. Not `crypto.getRandomValues`: its first use loads Node's Web Crypto (28 modules, 2.6–6 ms
 * of the first invocation on Node 22/24), and warm it is the slower of the two (~2 µs against ~1 µs
 * for 16 bytes). Where there is no /dev/urandom (Windows), Web Crypto, 64 KiB a call (its limit).
 * The descriptor stays open for the process's life; in a worker thread (the local platform's thread
 * environments) Node closes it when the worker ends.
 */
export function fillRandom(bytes: Uint8Array): void {
  urandom ??= openUrandom();
  for (let at = 0; at < bytes.length; ) {
    if (urandom < 0) crypto.getRandomValues(bytes.subarray(at, (at += 65536)));
    else {
      const n = fs.readSync(urandom, bytes, at, bytes.length - at, null);
      if (n <= 0) throw new Error('/dev/urandom gave no bytes');
      at += n;
    }
  }
}
