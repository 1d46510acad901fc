// Bundles the request inspector's page (src/emulator/inspector/ui/: Preact + htm) with esbuild into
// lib/emulator/inspector/ui/app.js and app.css, which `dev` serves from /_lambda-wasm/inspector/.
// Nothing is fetched from a CDN: the page works offline. Its size is budgeted by
// test/inspector/bundle-size.test.ts.
import { build } from 'esbuild';

export const INSPECTOR_UI_ENTRY = 'src/emulator/inspector/ui/app.js';
export const INSPECTOR_UI_OUT = 'lib/emulator/inspector/ui';

/** Bundles the page; with `write: false` returns the files' bytes instead (the size test). */
export async function bundleInspectorUi(root, { write = true } = {}) {
  const result = await build({
    write,
    absWorkingDir: root,
    entryPoints: [INSPECTOR_UI_ENTRY],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir: INSPECTOR_UI_OUT,
    entryNames: 'app',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return Object.fromEntries((result.outputFiles ?? []).map((f) => [f.path.slice(f.path.lastIndexOf('/') + 1), f.contents]));
}
