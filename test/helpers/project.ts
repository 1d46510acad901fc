// A throwaway lambda-wasm project for tests: guests given as .wasm files (hand-written WAT, or the
// repo's built examples from dist/), a config with a distribution, and its zips built by `build`.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../../src/build/build.js';
import { loadConfig, type ProjectConfig } from '../../src/config/load.js';
import { repoRoot } from './paths.js';

export interface TestFunction {
  /** A .wasm file to package (ABI v1). */
  wasm: string;
  eventType: string;
  timeout?: number;
  memorySize?: number;
}

/** A built example's guest, from the repo's dist/ (npm test builds it first). */
export const exampleWasm = (name: string) => join(repoRoot, 'dist', name, 'guest.wasm');

export async function makeProject(functions: Record<string, TestFunction>, distribution: unknown, extra: Record<string, unknown> = {}): Promise<{ dir: string; config: ProjectConfig; remove: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-project-'));
  mkdirSync(join(dir, 'guests'));
  cpSync(join(repoRoot, 'examples', 'site'), join(dir, 'site'), { recursive: true });
  const fns: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(functions)) {
    copyFileSync(f.wasm, join(dir, 'guests', `${name}.wasm`));
    fns[name] = { wasm: `guests/${name}.wasm`, eventType: f.eventType, ...(f.timeout === undefined ? {} : { timeout: f.timeout }), ...(f.memorySize === undefined ? {} : { memorySize: f.memorySize }) };
  }
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify({ functions: fns, distribution, ...extra }, null, 2));
  const config = loadConfig({ cwd: dir });
  await build({ config, noOptimize: true });
  return { dir, config, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
