// The adapter ships in every zip and counts against the 1 MB viewer-trigger limit and the cold
// start: keep it small. Bundled here exactly as `npm run compile` bundles it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ADAPTER_ENTRIES, bundleAdapter } from '../../scripts/adapter-bundle.mjs';

/** Budgets in bytes, minified: the ABI host is a few hundred lines; anything more is a regression. */
// 7 KB: the memory-size cap, init deadlines and the clock/randomness imports (issues 10 and 12) took it past 6 KB.
// 2.875 KB gzipped: random_fill reads /dev/urandom instead of loading Web Crypto at the first call (issue 14).
const BUDGET = { 'adapter.mjs': { min: 7 * 1024, gzip: 2.875 * 1024 }, 'adapter-wasm-pack.mjs': { min: 2 * 1024, gzip: 1024 } } as const;

for (const [name, entry] of Object.entries(ADAPTER_ENTRIES) as Array<[keyof typeof BUDGET, string]>) {
  test(`${name} stays within its size budget and imports only node: built-ins`, async () => {
    const { bytes, metafile } = await bundleAdapter(entry, undefined);
    assert.ok(bytes !== undefined);
    const gz = gzipSync(bytes).length;
    const inputs = Object.keys(metafile.inputs).join(', ');
    assert.ok(bytes.length <= BUDGET[name].min, `${name}: ${bytes.length} bytes minified > ${BUDGET[name].min} (inputs: ${inputs})`);
    assert.ok(gz <= BUDGET[name].gzip, `${name}: ${gz} bytes gzipped > ${BUDGET[name].gzip}`);
    const imports = Object.values(metafile.outputs).flatMap((o) => o.imports.map((i) => i.path));
    assert.ok(imports.every((p) => p.startsWith('node:')), `non-builtin imports: ${imports.join(', ')}`);
    assert.ok(Object.keys(metafile.inputs).every((p) => !p.includes('node_modules')), `npm code bundled: ${inputs}`);
  });
}
