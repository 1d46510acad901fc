/**
 * @module
 * A folder in a cache that is written once and then only read (an unpacked package, its
 * memory-capped copy): filled beside its final place and renamed, so a concurrent reader (another
 * `invoke`, an environment starting) never sees half of it.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `dir` when it is complete; otherwise fills a staging folder with `fill`, marks it complete and moves it there. */
export function cacheFolder(dir: string, fill: (staging: string) => void): string {
  if (existsSync(join(dir, '.complete'))) return dir;
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  fill(staging);
  writeFileSync(join(staging, '.complete'), '');
  try {
    renameSync(staging, dir);
  } catch {
    // Another process finished it first: theirs is the same.
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}
