// `"optimize": "speed" | "size"`: the config key, and what wasm-opt makes of a built example with
// each goal (the cargo half, opt-level 2 or "z", is measured in docs/cold-start.md; building every
// example twice would cost minutes). `npm test` builds the examples first.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { optimize } from '../../src/build/build.js';
import { getFunction, parseConfig } from '../../src/config/load.js';
import { isEdgeError } from '../../src/errors.js';
import { noopLogger } from '../../src/logger.js';
import { wasmSectionSizes } from '../../src/build/wasm-sections.js';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const ctx = { root: '/project', file: '/project/lambda-wasm.config.json', env: {} };

test('"optimize" is "speed" or "size", absent by default, and a wrong value says which are valid', () => {
  const config = parseConfig({ functions: { a: { crate: 'a', eventType: 'viewer-request', optimize: 'size' }, b: { crate: 'b', eventType: 'viewer-request' } } }, ctx);
  assert.equal(getFunction(config, 'a').optimize, 'size');
  assert.equal(getFunction(config, 'b').optimize, undefined);
  try {
    parseConfig({ functions: { a: { crate: 'a', eventType: 'viewer-request', optimize: 'fast' } } }, ctx);
    assert.fail('expected a config error');
  } catch (error) {
    assert.ok(isEdgeError(error) && error.code === 'E_CONFIG', String(error));
    assert.match(error.message, /functions\.a\.optimize: must be one of speed, size \(got "fast"\)/);
  }
});

test('wasm-opt: "speed" keeps the name section, "size" drops it and is smaller', { timeout: 120_000 }, (t) => {
  try {
    execFileSync('wasm-opt', ['--version'], { stdio: 'ignore' });
  } catch {
    t.skip('wasm-opt is not installed (scripts/setup.mjs installs binaryen)');
    return;
  }
  const guest = readFileSync(join(root, 'dist', 'passthrough', 'guest.wasm'));
  const speed = optimize('wasm-opt', guest, 'speed', noopLogger);
  const size = optimize('wasm-opt', guest, 'size', noopLogger);
  const names = (wasm: Uint8Array) => wasmSectionSizes(wasm).map((s) => s.section);
  assert.ok(names(speed).includes('custom:name'), `speed: ${names(speed).join(', ')}`);
  assert.ok(!names(size).some((s) => s.startsWith('custom:')), `size: ${names(size).join(', ')}`);
  assert.ok(size.length < speed.length, `size ${size.length} bytes is not smaller than speed ${speed.length}`);
  assert.ok(WebAssembly.validate(size));
});
