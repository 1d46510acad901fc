/**
 * @module
 * A baseline only this repository has (`bench --baselines`): the usual way of running Rust in
 * Node.js, a guest built with wasm-bindgen that converts the event `JsValue` with serde
 * (`bench-guests/bindgen-passthrough`). It is built by `scripts/build-bindgen-baseline.mjs` into
 * `.cache/bindgen-passthrough/` (Debian's rustc 1.63 and wasm-bindgen 0.2.83 crate, a matching
 * wasm-bindgen-cli built from crates.io — about 7 minutes on 2 cores the first time). This runs
 * that script only when asked to (`build: true`), passing its progress on, and imports the
 * package's `index.mjs`.
 */
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type BindgenHandler = (event: unknown, context: unknown) => unknown;

/** Prefix of the script's failure line (its last stderr line), which names the failed step. */
const MARKER = 'build-bindgen-baseline: ';

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** True when the package exists and is not older than the crate's sources. */
export function isBindgenBuilt(root: string): boolean {
  const out = join(root, '.cache', 'bindgen-passthrough');
  const wasm = join(out, 'pkg', 'bindgen_passthrough_bg.wasm');
  if (!existsSync(join(out, 'index.mjs')) || !existsSync(join(out, 'pkg', 'package.json')) || !existsSync(wasm)) return false;
  const crate = join(root, 'bench-guests', 'bindgen-passthrough');
  const built = mtime(wasm);
  return [join(crate, 'Cargo.toml'), join(crate, 'src', 'lib.rs')].every((source) => mtime(source) <= built);
}

function runScript(root: string, progress: (line: string) => void): Promise<{ ok: true } | { ok: false; reason: string }> {
  const script = join(root, 'scripts', 'build-bindgen-baseline.mjs');
  if (!existsSync(script)) return Promise.resolve({ ok: false, reason: `${script} is missing` });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines: string[] = [];
    let pending = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts.filter((l) => l.trim() !== '')) {
        lines.push(line);
        progress(line.trim());
      }
    });
    child.on('error', (error) => resolve({ ok: false, reason: `could not run ${script}: ${error.message}` }));
    child.on('close', (code) => {
      if (pending.trim() !== '') lines.push(pending);
      if (code === 0) return resolve({ ok: true });
      const failure = [...lines].reverse().find((line) => line.startsWith(MARKER));
      const reason = failure !== undefined
        ? failure.slice(MARKER.length)
        : `${script} exited with ${code}${lines.length > 0 ? `: ${lines.slice(-5).join(' | ')}` : ''}`;
      resolve({ ok: false, reason });
    });
  });
}

export interface BindgenOptions {
  /** Build the baseline when it is missing or stale (minutes the first time). Default false: say how instead. */
  build?: boolean;
  /** Receives the build's progress lines. */
  progress?: (line: string) => void;
}

/** The command that builds the baseline, for messages. */
export const BINDGEN_BUILD_COMMAND = 'node scripts/build-bindgen-baseline.mjs';

/** True when this package is the lambda-wasm repository (it has the baseline's crate and script). */
export function hasBindgenSources(root: string): boolean {
  return existsSync(join(root, 'bench-guests', 'bindgen-passthrough', 'Cargo.toml')) && existsSync(join(root, 'scripts', 'build-bindgen-baseline.mjs'));
}

/**
 * Loads the wasm-bindgen baseline's `handler(event, context)`; with `build`, builds it first when
 * needed (the first build compiles wasm-bindgen-cli: minutes; later loads are an import). Never
 * throws: when it is not built, cannot be built or loaded, `reason` says why and what to run.
 */
export async function loadBindgenBaseline(root: string, options: BindgenOptions = {}): Promise<{ handler: BindgenHandler } | { reason: string }> {
  if (!hasBindgenSources(root)) {
    return { reason: `it is a baseline of the lambda-wasm repository (bench-guests/bindgen-passthrough), not of an installed package (${root})` };
  }
  if (!isBindgenBuilt(root)) {
    if (options.build !== true) {
      return { reason: `it is not built; \`${BINDGEN_BUILD_COMMAND}\` builds it (the first time compiles wasm-bindgen-cli: about 7 minutes on 2 cores)` };
    }
    const built = await runScript(root, options.progress ?? (() => {}));
    if (!built.ok) return { reason: built.reason };
  }
  const index = join(root, '.cache', 'bindgen-passthrough', 'index.mjs');
  try {
    const mod = (await import(pathToFileURL(index).href)) as { handler?: unknown };
    if (typeof mod.handler !== 'function') return { reason: `${index} does not export handler(event, context)` };
    return { handler: mod.handler as BindgenHandler };
  } catch (error) {
    return { reason: `could not load ${index}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
