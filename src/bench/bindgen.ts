/**
 * @module
 * The bench's third baseline (issue 5): the usual approach, a guest built with wasm-bindgen that
 * converts the event `JsValue` with serde (`bench-guests/bindgen-passthrough`). It is built by
 * `scripts/build-bindgen-baseline.mjs` into `.cache/bindgen-passthrough/` (Debian's rustc 1.63 and
 * wasm-bindgen 0.2.83 crate, a matching wasm-bindgen-cli built from crates.io); this runs that
 * script when the package is missing or older than the crate, and imports its `index.mjs`.
 */
import { execFile } from 'node:child_process';
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
function isBuilt(root: string): boolean {
  const out = join(root, '.cache', 'bindgen-passthrough');
  const wasm = join(out, 'pkg', 'bindgen_passthrough_bg.wasm');
  if (!existsSync(join(out, 'index.mjs')) || !existsSync(join(out, 'pkg', 'package.json')) || !existsSync(wasm)) return false;
  const crate = join(root, 'bench-guests', 'bindgen-passthrough');
  const built = mtime(wasm);
  return [join(crate, 'Cargo.toml'), join(crate, 'src', 'lib.rs')].every((source) => mtime(source) <= built);
}

function runScript(root: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  const script = join(root, 'scripts', 'build-bindgen-baseline.mjs');
  if (!existsSync(script)) return Promise.resolve({ ok: false, reason: `${script} is missing` });
  return new Promise((resolve) => {
    execFile(process.execPath, [script, '--quiet'], { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error === null) return resolve({ ok: true });
      const lines = stderr.split('\n').filter((line) => line.trim() !== '');
      const failure = [...lines].reverse().find((line) => line.startsWith(MARKER));
      const reason = failure !== undefined
        ? failure.slice(MARKER.length)
        : `${script} failed (${error.message.split('\n')[0]})${lines.length > 0 ? `: ${lines.slice(-5).join(' | ')}` : ''}`;
      resolve({ ok: false, reason });
    });
  });
}

/**
 * Loads the wasm-bindgen baseline's `handler(event, context)`, building it first when needed
 * (the first build compiles wasm-bindgen-cli: minutes; later loads are an import). Never throws:
 * when it cannot be built or loaded, `reason` says which step failed and why.
 */
export async function loadBindgenBaseline(root: string): Promise<{ handler: BindgenHandler } | { reason: string }> {
  if (!isBuilt(root)) {
    const built = await runScript(root);
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
