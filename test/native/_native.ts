// Shared by test/native: projects whose functions build natively into the repo's target/ (so
// cargo's cache is shared) and a throwaway outDir; the zip's file modes; glibc of the machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuiltFunction } from '../../src/build/build.js';
import { parseConfig, type ProjectConfig } from '../../src/config/load.js';
import { repoRoot } from '../helpers/paths.js';

export const probeCrate = join(repoRoot, 'test', 'native', 'probe');

/** A project rooted at the repo (shared target/), writing to a temporary outDir; `remove()` deletes it. */
export function nativeProject(functions: Record<string, Record<string, unknown>>): { config: ProjectConfig; remove: () => void } {
  const outDir = mkdtempSync(join(tmpdir(), 'lambda-wasm-native-'));
  const config = parseConfig({ outDir, functions }, { root: repoRoot, file: undefined, env: process.env });
  return { config, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}

export async function buildAll(config: ProjectConfig): Promise<BuiltFunction[]> {
  return (await build({ config, noOptimize: true })).functions;
}

/** Unix modes of the entries of a zip, from its central directory (made by Unix: mode in the upper 16 bits). */
export function zipModes(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (eocd >= 0 && view.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const modes = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const name = Buffer.from(zip.subarray(at + 46, at + 46 + nameLength)).toString('utf8');
    modes.set(name, view.getUint32(at + 38, true) >>> 16);
    at += 46 + nameLength + extra + comment;
  }
  return modes;
}

/** This machine's glibc, e.g. [2, 36]. */
export function hostGlibc(): [number, number] {
  const out = execFileSync('ldd', ['--version'], { encoding: 'utf8' });
  const m = /(\d+)\.(\d+)\s*$/m.exec(out.split('\n')[0] ?? '');
  return m === null ? [0, 0] : [Number(m[1]), Number(m[2])];
}
