// The example guests' sizes, beside the adapter's budget (test/runtime/adapter-bundle.test.ts):
// every byte of guest.wasm is decoded and validated at each cold start, and the zip counts against
// Lambda@Edge's 1 MB viewer limit. The budgets sit about 15–20% above today's builds (issue 14's
// target for the passthrough zip, 48 KB, is well inside), so ordinary changes pass and a
// regression — a dependency pulled in, DWARF or producer notes left in (wasm-opt skipped),
// serde_json, derived visitors, dlmalloc or the float printer back in an edge guest, the visitors
// inlined into one huge function that V8 compiles whole at the first call — fails. docs/cold-start.md has the
// figures. `npm test` builds the examples first.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { wasmSectionSizes } from '../../src/build/wasm-sections.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dist = join(root, 'dist');

/**
 * Bytes; built with the default "optimize": "speed" (opt-level 2, wasm-opt -Os with one-caller
 * inlining capped, name section kept). Today's builds: passthrough 64.7 / 27.8 KB, redirect
 * 68.1 / 29.1, security-headers 63.9 / 27.8, basic-auth 77.1 / 34.5, pi 184.7 / 90.5 (pi reads
 * its event as a `serde_json::Value` and converts it with serde_json, so it carries both readers
 * and the float printer). The crate reads and writes the CloudFront types by hand and has its own
 * allocator since issue 14's second round; before, the passthrough was 125.6 / 44.8 KB.
 */
const BUDGET: Record<string, { guest: number; zip: number }> = {
  passthrough: { guest: 77 * 1024, zip: 33 * 1024 },
  redirect: { guest: 81 * 1024, zip: 35 * 1024 },
  'security-headers': { guest: 76 * 1024, zip: 33 * 1024 },
  'basic-auth': { guest: 91 * 1024, zip: 41 * 1024 },
  pi: { guest: 224 * 1024, zip: 108 * 1024 },
};
/** Any other crate example of the config: the largest today is 93.5 KB, 41.4 KB zipped (signed-url); give it its own line when it settles. */
const DEFAULT_BUDGET = { guest: 112 * 1024, zip: 50 * 1024 };

/**
 * Functions an edge guest that neither reads nor prints floats must not link: Rust's float printer
 * (`core::fmt::float`, `flt2dec`), which serde_json's reader pulled in through its type errors;
 * serde_json's reader and writer (the crate reads events with its own reader, `event_json.rs`, and
 * writes the CloudFront results and errors with its own writer, `result_json.rs`); serde-derived
 * visitors run by that reader (`CloudFrontEvent` is read by hand, `event_json/cloudfront.rs`); and
 * dlmalloc (the crate brings its own allocator, `allocator.rs`). Names come from the name section
 * the speed build keeps, so a plain byte search finds them.
 */
const NOT_LINKED = ['flt2dec', 'serde_json..read..SliceRead', 'serde_json..ser', 'Deserializer$GT$15deserialize_map', 'dlmalloc'];
const NO_FLOATS = new Set(['passthrough', 'redirect', 'security-headers', 'basic-auth', 'geo-redirect', 'ab-test-request', 'ab-test-response', 'image-format', 'signed-url']);

/**
 * The largest function body an edge guest may have. V8 compiles a Wasm function whole on its first
 * call; when wasm-opt merged every serde visitor into `lambda_wasm_handle` (40–55 KB), the first
 * call compiled paths the event never takes and cost 6–8 ms instead of ~2. Today's largest: 4–12 KB
 * for the edge guests, 19 KB for pi.
 */
const MAX_FUNCTION_BYTES = 24 * 1024;

/** Body sizes of the code section's functions (the section is a vector of size-prefixed bodies). */
function functionBodySizes(wasm: Uint8Array): number[] {
  const leb = (at: number): [number, number] => {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = wasm[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return [value, at];
      shift += 7;
    }
  };
  let pos = 8;
  while (pos < wasm.length) {
    const id = wasm[pos]!;
    const [size, start] = leb(pos + 1);
    if (id === 10) {
      const sizes: number[] = [];
      let [count, at] = leb(start);
      for (; count > 0; count--) {
        const [body, next] = leb(at);
        sizes.push(body);
        at = next + body;
      }
      return sizes;
    }
    pos = start + size;
  }
  return [];
}

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
    if (fn.optimize !== 'size') {
      const sizes = functionBodySizes(guest);
      assert.ok(sizes.length > 10, `${name}: found ${sizes.length} function bodies, the code section did not parse`);
      const largest = Math.max(...sizes);
      assert.ok(largest <= MAX_FUNCTION_BYTES, `${name}: its largest function is ${largest} bytes > ${MAX_FUNCTION_BYTES}: V8 compiles it whole at the first call (was wasm-opt's one-caller inlining left uncapped?)`);
    }
  });
}
