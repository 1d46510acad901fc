import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterExports, wasmSectionSizes } from './wasm-sections.js';

// (module (memory (export "memory") 1) (global (export "__heap_base") i32 (i32.const 8))
//   (func (export "f") (result i32) i32.const 7))
const module = Uint8Array.from([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, 5, 3, 1, 0, 1, 6, 6, 1, 127, 0, 65, 8, 11, 7, 28, 3, 6, 109, 101, 109, 111, 114,
  121, 2, 0, 11, 95, 95, 104, 101, 97, 112, 95, 98, 97, 115, 101, 3, 0, 1, 102, 0, 0, 10, 6, 1, 4, 0, 65, 7, 11,
]);

test('filterExports drops the exports it is told to, and the module still works', () => {
  assert.ok(WebAssembly.validate(module));
  const filtered = filterExports(module, (name) => !name.startsWith('__'));
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(filtered)).map((e) => e.name);
  assert.deepEqual(exports, ['memory', 'f']);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(filtered));
  assert.equal((instance.exports.f as () => number)(), 7);
});

test('section sizes name each section, custom ones by name', () => {
  const names = wasmSectionSizes(module).map((s) => s.section).sort();
  assert.deepEqual(names, ['code', 'export', 'function', 'global', 'memory', 'type']);
});
