// The example guests' sizes, beside the adapter's budget (test/runtime/adapter-bundle.test.ts):
// every byte of guest.wasm is decoded and validated at each cold start, and the zip counts against
// Lambda@Edge's 1 MB viewer limit. The budgets sit about 30% above today's builds (docs/cold-start.md
// has the figures), so ordinary changes pass and an accidental doubling — a dependency pulled in,
// DWARF or producer notes left in (wasm-opt skipped) — fails. `npm test` builds the examples first.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { wasmSectionSizes } from '../../src/build/wasm-sections.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = join(root, 'dist');

/** Bytes; built with the default "optimize": "speed" (opt-level 2, wasm-opt -Os, name section kept). */
const BUDGET: Record<string, { guest: number; zip: number }> = {
  passthrough: { guest: 208 * 1024, zip: 84 * 1024 },
  redirect: { guest: 212 * 1024, zip: 86 * 1024 },
  'security-headers': { guest: 204 * 1024, zip: 84 * 1024 },
  'basic-auth': { guest: 214 * 1024, zip: 88 * 1024 },
  pi: { guest: 228 * 1024, zip: 108 * 1024 },
};
/** Any other crate example of the config: the largest today is about 75 KB zipped; give it its own line when it settles. */
const DEFAULT_BUDGET = { guest: 256 * 1024, zip: 112 * 1024 };

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
  });
}
