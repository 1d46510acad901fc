/**
 * @module
 * Locates files of the installed lambda-wasm package (the bundled adapters), whether the code runs
 * from `lib/` or from `src/` under a TypeScript loader.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgeError } from '../errors.js';

export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new EdgeError('E_INTERNAL', 'cannot find the lambda-wasm package root');
    dir = parent;
  }
  return dir;
}

export type AdapterKind = 'abi' | 'wasm-pack';

/** The pre-bundled adapter (`npm run compile` makes it). */
export function adapterPath(kind: AdapterKind): string {
  const file = join(packageRoot(), 'lib', 'runtime', kind === 'abi' ? 'adapter.mjs' : 'adapter-wasm-pack.mjs');
  if (!existsSync(file)) {
    throw new EdgeError('E_INTERNAL', `the runtime adapter ${file} is missing`, { hint: 'run `npm run compile` in the lambda-wasm package' });
  }
  return file;
}
