/**
 * @module
 * Unpacks a built zip into a cache folder keyed by its hash, so `invoke` and `dev` run exactly the
 * bytes that will be deployed, and an unchanged zip is not unpacked again.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EdgeError } from '../errors.js';
import { readZip } from '../build/zip.js';
import { cacheFolder } from './cache-folder.js';

export function extractZip(zipPath: string, cacheDir: string): string {
  if (!existsSync(zipPath)) {
    throw new EdgeError('E_NOT_BUILT', `${zipPath} does not exist`, { hint: 'run `lambda-wasm build` first' });
  }
  const bytes = readFileSync(zipPath);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  return cacheFolder(join(cacheDir, hash), (staging) => {
    for (const [name, content] of readZip(bytes)) {
      if (name.endsWith('/')) continue;
      const target = join(staging, name);
      mkdirSync(dirname(target), { recursive: true });
      // A custom runtime's bootstrap is executed; build zips it with mode 0755 (which fflate does not report).
      writeFileSync(target, content, name === 'bootstrap' ? { mode: 0o755 } : {});
    }
  });
}
