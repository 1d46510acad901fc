/**
 * @module
 * Whether a function's zip is older than what it is built from, so `invoke` can say it is about to
 * run old code instead of letting an edit seem to have no effect.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FunctionConfig, ProjectConfig } from '../config/load.js';

export interface StaleZip {
  zipPath: string;
  /** Sources changed after the zip was written, relative to the project root, newest first. */
  newer: string[];
}

/** The files a function's zip is built from (guest sources, its manifest, and the config when buildEnv is compiled in). */
export function sourceFiles(config: Pick<ProjectConfig, 'file'>, fn: FunctionConfig): string[] {
  const files: string[] = [];
  const source = fn.source;
  if (source.kind === 'crate') {
    files.push(...walk(join(source.path, 'src')));
    for (const name of ['Cargo.toml', 'Cargo.lock', 'build.rs']) files.push(join(source.path, name));
  } else if (source.kind === 'wasm') {
    files.push(source.path);
  } else {
    files.push(...walk(source.path));
  }
  // buildEnv is compiled into the guest, so the config that holds it is a source too.
  if (Object.keys(fn.buildEnv).length > 0 && config.file !== undefined) files.push(config.file);
  return files.filter((f) => existsSync(f));
}

/** The sources newer than `<outDir>/<fn>.zip`, or undefined when the zip is up to date or not built at all. */
export function staleZip(config: Pick<ProjectConfig, 'file' | 'outDir' | 'root'>, fn: FunctionConfig): StaleZip | undefined {
  const zipPath = join(config.outDir, `${fn.name}.zip`);
  if (!existsSync(zipPath)) return undefined;
  const built = statSync(zipPath).mtimeMs;
  const newer = sourceFiles(config, fn)
    .map((file) => ({ file, mtime: statSync(file).mtimeMs }))
    .filter((s) => s.mtime > built)
    .sort((a, b) => b.mtime - a.mtime)
    .map((s) => relative(config.root, s.file) || s.file);
  return newer.length === 0 ? undefined : { zipPath, newer };
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) return [dir];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** For messages: where the zip is, relative to the project. */
export function projectRelative(config: Pick<ProjectConfig, 'root'>, path: string): string {
  const rel = relative(config.root, path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}
