// A throw-away project for the deploy tests: a config and stand-in zips in dist/, so deploying
// needs no Rust build (AWS never runs the code here; only its bytes and hash matter).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createZip } from '../build/zip.js';
import { parseConfig, type ProjectConfig } from '../config/load.js';

export interface TestProject {
  config: ProjectConfig;
  dir: string;
  /** Rewrites a function's zip with different content (a "new build"). */
  rebuild(name: string, marker: string): void;
  /** Writes a zip of about `bytes` bytes (stored, incompressible). */
  writeZipOfSize(name: string, bytes: number): void;
  remove(): void;
}

export const DEFAULT_FUNCTIONS = {
  edge: { wasm: 'guest.wasm', eventType: 'viewer-request' },
  api: { wasm: 'guest.wasm', eventType: 'lambda', timeout: 10, memorySize: 256 },
};

export function makeProject(deploy: unknown, functions: Record<string, unknown> = DEFAULT_FUNCTIONS, cloudfront?: unknown): TestProject {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-deploy-'));
  const raw = { functions, deploy, ...(cloudfront === undefined ? {} : { cloudfront }) };
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify(raw, null, 2));
  // The deploy section is attached as given, as code that builds a config would: deploy validates
  // it when it resolves it, so a test can also hand the CLI a file with a bad section.
  const config: ProjectConfig = { ...parseConfig({ ...raw, deploy: undefined }, { root: dir, file: join(dir, 'lambda-wasm.config.json'), env: {} }), deploy: deploy as ProjectConfig['deploy'] };
  mkdirSync(config.outDir, { recursive: true });
  const write = (name: string, files: Map<string, Uint8Array>) => writeFileSync(join(config.outDir, `${name}.zip`), createZip(files));
  const rebuild = (name: string, marker: string) =>
    write(name, new Map([['index.mjs', new TextEncoder().encode(`export const handler = async (e) => e; // ${marker}\n`)]]));
  for (const name of Object.keys(functions)) rebuild(name, 'v1');
  return {
    config,
    dir,
    rebuild,
    writeZipOfSize: (name, bytes) => {
      const noise = new Uint8Array(bytes);
      for (let i = 0; i < bytes; i++) noise[i] = (i * 2654435761) >>> 24;
      writeFileSync(join(config.outDir, `${name}.zip`), noise);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
