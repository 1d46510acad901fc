// The example guests' sizes, beside the adapter's budget (test/runtime/adapter-bundle.test.ts):
// every byte of guest.wasm is decoded and validated at each cold start, and the zip counts against
// Lambda@Edge's 1 MB viewer limit. The budgets sit about 15–20% above today's builds (docs/cold-start.md
// has the figures), so ordinary changes pass and a regression — a dependency pulled in, DWARF or
// producer notes left in (wasm-opt skipped), serde_json's reader or the float printer back in an
// edge guest — fails. The passthrough zip's budget is issue 14's target, 48 KB. `npm test` builds
// the examples first.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { wasmSectionSizes } from '../../src/build/wasm-sections.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = join(root, 'dist');

/**
 * Bytes; built with the default "optimize": "speed" (opt-level 2, wasm-opt -Os, name section kept).
 * Today's builds: passthrough 107.5 / 42.9 KB, redirect 109.7 / 44.1, security-headers 103.4 / 42.2,
 * basic-auth 112.6 / 45.4, pi 189.1 / 92.1 (pi reads its event as a `serde_json::Value` and
 * converts it with serde_json, so it carries both readers and the float printer).
 */
const BUDGET: Record<string, { guest: number; zip: number }> = {
  passthrough: { guest: 128 * 1024, zip: 48 * 1024 },
  redirect: { guest: 130 * 1024, zip: 52 * 1024 },
  'security-headers': { guest: 124 * 1024, zip: 50 * 1024 },
  'basic-auth': { guest: 134 * 1024, zip: 54 * 1024 },
  pi: { guest: 224 * 1024, zip: 108 * 1024 },
};
/** Any other crate example of the config: the largest today is about 75 KB zipped; give it its own line when it settles. */
const DEFAULT_BUDGET = { guest: 256 * 1024, zip: 112 * 1024 };

/**
 * Functions an edge guest that neither reads nor prints floats must not link: Rust's float printer
 * (`core::fmt::float`, `flt2dec`), which serde_json's reader pulled in through its type errors, and
 * serde_json's reader itself (the crate reads events with its own, `event_json.rs`). Names come from
 * the name section the speed build keeps, so a plain byte search finds them.
 */
const NOT_LINKED = ['flt2dec', 'serde_json..read..SliceRead'];
const NO_FLOATS = new Set(['passthrough', 'redirect', 'security-headers', 'basic-auth']);

/** Sections a shipped guest must not carry: DWARF, producers, anything but the names kept for traps. */
const ALLOWED_CUSTOM = new Set(['name']);

const config = JSON.parse(readFileSync(join(root, 'lambda-wasm.config.json'), 'utf8')) as { functions: Record<string, { crate?: string; optimize?: string; target?: string }> };
// Wasm guests only: a native function's zip holds a `bootstrap` (its size is checked by test/native).
const crateExamples = Object.entries(config.functions).filter(([, fn]) => fn.crate !== undefined && fn.target !== 'native');

test('the size budgets name only functions of the config', () => {
  const names = new Set(crateExamples.map(([name]) => name));
  assert.deepEqual(Object.keys(BUDGET).filter((name) => !names.has(name)), []);
});

for (const [name, fn] of crateExamples) {
  const budget = BUDGET[name] ?? DEFAULT_BUDGET;
  test(`${name}: guest.wasm and the zip stay within their budgets, without debug sections`, () => {
    const guestPath = join(dist, name, 'guest.wasm');
    let guest: Uint8Array;
    try {
      guest = readFileSync(guestPath);
    } catch {
      assert.fail(`${guestPath} is missing: run \`npm test -- test/build/sizes.test.ts\`, which builds the examples first`);
    }
    const zip = statSync(join(dist, `${name}.zip`)).size;
    const sections = wasmSectionSizes(guest);
    const listing = sections.map((s) => `${s.section} ${s.bytes}`).join(', ');
    assert.ok(guest.length <= budget.guest, `${name}: guest.wasm is ${guest.length} bytes > ${budget.guest} (sections: ${listing})`);
    assert.ok(zip <= budget.zip, `${name}.zip is ${zip} bytes > ${budget.zip}`);
    const allowed = fn.optimize === 'size' ? new Set<string>() : ALLOWED_CUSTOM;
    const custom = sections.filter((s) => s.section.startsWith('custom:') && !allowed.has(s.section.slice('custom:'.length)));
    assert.deepEqual(custom.map((s) => s.section), [], `${name}: guest.wasm carries custom sections that only cost load time (${listing})`);
    if (NO_FLOATS.has(name) && fn.optimize !== 'size') {
      const names = Buffer.from(guest).toString('latin1');
      const linked = NOT_LINKED.filter((symbol) => names.includes(symbol));
      assert.deepEqual(linked, [], `${name}: guest.wasm links code an edge guest without floats should not (docs/cold-start.md): ${linked.join(', ')}`);
    }
  });
}
