/**
 * @module
 * Deterministic zips: entries in a fixed order, a fixed timestamp and fixed Unix permissions, so
 * the same inputs give the same bytes (and the same CodeSha256 on AWS).
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** 1980-01-01, the earliest date a zip can hold; any fixed date would do. */
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);
/** A regular file, rw-r--r--: Lambda runs as another user and must be able to read every file. */
const FILE_ATTRS = (0o100644 << 16) >>> 0;
/** rwxr-xr-x, for a custom runtime's `bootstrap`, which Lambda executes. */
const EXECUTABLE_ATTRS = (0o100755 << 16) >>> 0;

export function createZip(files: ReadonlyMap<string, Uint8Array>, options: { executable?: readonly string[] } = {}): Uint8Array {
  const entries: Zippable = {};
  for (const name of [...files.keys()].sort()) {
    const attrs = options.executable?.includes(name) === true ? EXECUTABLE_ATTRS : FILE_ATTRS;
    entries[name] = [files.get(name)!, { mtime: FIXED_MTIME, os: 3, attrs, level: 9 }];
  }
  return zipSync(entries);
}

export function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(bytes)));
}
