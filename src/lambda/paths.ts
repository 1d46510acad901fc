/**
 * @module
 * Where the runtime clients and the Node.js majors live.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { EdgeError } from '../errors.js';
import { packageRoot } from '../build/package-root.js';

/** The built-in runtime client, compiled (`npm run compile`); it must run on plain Node. */
export function bootstrapPath(): string {
  const file = join(packageRoot(), 'lib', 'lambda', 'bootstrap.js');
  if (!existsSync(file)) throw new EdgeError('E_INTERNAL', `${file} is missing`, { hint: 'run `npm run compile` in the lambda-wasm package' });
  return file;
}

/** The inside of a worker-thread environment, compiled. */
export function threadWorkerPath(): string {
  const file = join(packageRoot(), 'lib', 'lambda', 'thread-worker.js');
  if (!existsSync(file)) throw new EdgeError('E_INTERNAL', `${file} is missing`, { hint: 'run `npm run compile` in the lambda-wasm package' });
  return file;
}

/**
 * AWS's runtime interface client (`aws-lambda-ric`): not a dependency (it compiles native code on
 * install), so it is found where Node would resolve it from this package — the package's own
 * node_modules in a clone (`setup.mjs --test` installs it there), the user's project otherwise.
 */
export function ricEntry(): string {
  let file: string | undefined;
  try {
    const manifest = createRequire(join(packageRoot(), 'package.json')).resolve('aws-lambda-ric/package.json');
    file = join(dirname(manifest), 'bin', 'index.mjs');
  } catch {
    file = undefined;
  }
  if (file === undefined || !existsSync(file)) {
    throw new EdgeError('E_USAGE', 'AWS\'s runtime interface client is not installed', {
      hint: 'npm install -D aws-lambda-ric (it compiles native code: needs autoconf, automake, libtool, cmake, make and g++; and Node ≥ 22: pass --node 22 or 24)',
    });
  }
  return file;
}

/** Node.js 22 or 24 from the `node22`/`node24` packages (Lambda's nodejs22.x/nodejs24.x). */
export function findNodeBinary(major: 22 | 24): string | undefined {
  const file = join(packageRoot(), 'node_modules', `node${major}`, 'bin', 'node');
  return existsSync(file) ? file : undefined;
}
