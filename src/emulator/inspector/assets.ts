/**
 * @module
 * The inspector page's files: a small HTML shell and the UI bundle that `scripts/compile.mjs`
 * builds with esbuild from `src/emulator/inspector/ui/` into `lib/emulator/inspector/ui/` (Preact +
 * htm, no CDN: the page works offline). Read once, on the first request for the page.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root: this file is src/emulator/inspector/ (from source) or lib/emulator/inspector/. */
const root = fileURLToPath(new URL('../../../', import.meta.url));
export const UI_BUNDLE_DIR = `${root}lib/emulator/inspector/ui/`;

const TYPES: Record<string, string> = { 'app.js': 'text/javascript; charset=utf-8', 'app.css': 'text/css; charset=utf-8' };
const cache = new Map<string, Buffer>();

export function inspectorAsset(name: string): { type: string; body: Buffer } | undefined {
  const type = TYPES[name];
  if (type === undefined) return undefined;
  let body = cache.get(name);
  if (body === undefined) {
    try {
      body = readFileSync(`${UI_BUNDLE_DIR}${name}`);
    } catch {
      return { type, body: Buffer.from(name.endsWith('.js') ? 'document.body.textContent = "The inspector UI is not built: run npm run compile.";' : '') };
    }
    cache.set(name, body);
  }
  return { type, body };
}

export function inspectorPage(): Buffer {
  return Buffer.from(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lambda-wasm inspector</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css">
<script type="module" src="app.js"></script>
</head>
<body><div id="app"></div></body>
</html>
`);
}
