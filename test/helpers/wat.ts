/**
 * Compiles the hand-written guests in fixtures/wasm/ with wabt's wat2wasm (installed by the set-up),
 * caching by content so repeated test runs do not shell out again.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export function watPath(name: string): string {
  return join(repoRoot, 'fixtures', 'wasm', `${name}.wat`);
}

/** Returns the path of the compiled `.wasm` for fixtures/wasm/<name>.wat. */
export function compileWat(name: string): string {
  const source = readFileSync(watPath(name));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(repoRoot, '.cache', 'wasm');
  const out = join(dir, `${name}-${hash}.wasm`);
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('wat2wasm', [watPath(name), '-o', out]);
  }
  return out;
}

export function watBytes(name: string): Uint8Array {
  return readFileSync(compileWat(name));
}
