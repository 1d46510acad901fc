// The inspector page's budget: what scripts/compile.mjs bundles (Preact + htm + the page) stays
// small, loads nothing from elsewhere (it works offline), and the page's own code never turns
// request text into HTML.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../helpers/paths.js';

/** Bytes, minified. Today about 27 KB of JavaScript (10.5 KB gzipped) and 3.7 KB of CSS. */
const BUDGET = { js: 40 * 1024, jsGzip: 14 * 1024, css: 8 * 1024 };

test('the inspector bundle fits its budget and fetches nothing from another origin', { timeout: 60_000 }, async () => {
  const { bundleInspectorUi } = (await import(join(repoRoot, 'scripts', 'inspector-bundle.mjs'))) as {
    bundleInspectorUi: (root: string, o: { write: boolean }) => Promise<Record<string, Uint8Array>>;
  };
  const files = await bundleInspectorUi(repoRoot, { write: false });
  const js = Buffer.from(files['app.js']!);
  const css = Buffer.from(files['app.css']!);
  assert.ok(js.length <= BUDGET.js, `app.js is ${js.length} bytes, over its ${BUDGET.js}`);
  assert.ok(gzipSync(js).length <= BUDGET.jsGzip, `app.js is ${gzipSync(js).length} bytes gzipped, over its ${BUDGET.jsGzip}`);
  assert.ok(css.length <= BUDGET.css, `app.css is ${css.length} bytes, over its ${BUDGET.css}`);
  // Only XML namespace names (Preact's), never a URL to load.
  const urls = [...js.toString().matchAll(/https?:\/\/[^\s"'`)]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('http://www.w3.org/'));
  assert.deepEqual(urls, []);
  assert.doesNotMatch(css.toString(), /url\(|@import/);
});

test("the page's code renders request text as text: no innerHTML, no dangerouslySetInnerHTML, no eval", () => {
  const source = readFileSync(join(repoRoot, 'src', 'emulator', 'inspector', 'ui', 'app.js'), 'utf8').replace(/^\s*\/\/.*$/gm, '');
  assert.doesNotMatch(source, /innerHTML|dangerouslySetInnerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
});
