// B3's floor guest: a valid module implementing ABI v1 that logs the observed lines at their
// levels and outputs the observed result, whatever the event; its alloc grows memory to fit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observed } from './cold.js';
import { floorGuestWasm } from './floor-guest.js';

interface Run {
  logs: Array<[number, string]>;
  output: string | undefined;
  status: number;
  pages: number;
}

function run(observed: Observed, event: string): Run {
  const bytes = floorGuestWasm(observed);
  assert.ok(WebAssembly.validate(bytes), 'the module validates');
  let memory!: WebAssembly.Memory;
  const read = (ptr: number, len: number) => Buffer.from(memory.buffer, ptr, len).toString('utf8');
  const seen: Run = { logs: [], output: undefined, status: -1, pages: 0 };
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    lambda_wasm: {
      log: (level: number, ptr: number, len: number) => void seen.logs.push([level, read(ptr, len)]),
      output: (ptr: number, len: number) => void (seen.output = read(ptr, len)),
    },
  });
  const e = instance.exports as { memory: WebAssembly.Memory; lambda_wasm_abi_version(): number; lambda_wasm_alloc(n: number): number; lambda_wasm_dealloc(p: number, n: number): void; lambda_wasm_handle(p: number, n: number): number };
  memory = e.memory;
  assert.equal(e.lambda_wasm_abi_version(), 1);
  const bytesOfEvent = Buffer.from(event);
  const ptr = e.lambda_wasm_alloc(bytesOfEvent.length);
  assert.ok(ptr > 0 && ptr + bytesOfEvent.length <= memory.buffer.byteLength, `alloc(${bytesOfEvent.length}) = ${ptr} in ${memory.buffer.byteLength} bytes`);
  bytesOfEvent.copy(Buffer.from(memory.buffer), ptr);
  seen.status = e.lambda_wasm_handle(ptr, bytesOfEvent.length);
  seen.pages = memory.buffer.byteLength / 65536;
  return seen;
}

test('the floor guest logs the observed lines at their ABI levels, in order, and outputs the observed result', () => {
  const observed: Observed = {
    logs: [
      { method: 'info', text: 'passthrough GET /' },
      { method: 'warn', text: 'ünïcode ✓' },
      { method: 'error', text: '' },
      { method: 'debug', text: 'd' },
      { method: 'trace', text: 't' },
    ],
    result: { status: '302', headers: { location: [{ key: 'Location', value: 'https://example.com/é' }] } },
  };
  const seen = run(observed, '{"Records":[]}');
  assert.deepEqual(seen.logs, [
    [2, 'passthrough GET /'],
    [3, 'ünïcode ✓'],
    [4, ''],
    [1, 'd'],
    [0, 't'],
  ]);
  assert.deepEqual(JSON.parse(seen.output!), observed.result);
  assert.equal(seen.status, 0);
});

test('the floor guest with no log line imports no log function, and a missing result is null', () => {
  const bytes = floorGuestWasm({ logs: [], result: undefined });
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  assert.deepEqual(imports, [{ module: 'lambda_wasm', name: 'output', kind: 'function' }]);
  const seen = run({ logs: [], result: undefined }, '{}');
  assert.equal(seen.output, 'null');
  assert.deepEqual(seen.logs, []);
});

test('the floor guest exports what ABI v1 requires and nothing else', () => {
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(floorGuestWasm({ logs: [], result: {} })));
  assert.deepEqual(exports.map((e) => `${e.kind} ${e.name}`), ['memory memory', 'function lambda_wasm_abi_version', 'function lambda_wasm_alloc', 'function lambda_wasm_dealloc', 'function lambda_wasm_handle']);
});

test('the floor guest grows its memory for a large event, and holds a result larger than a page', () => {
  const result = { body: 'x'.repeat(200_000) };
  const seen = run({ logs: [{ method: 'info', text: 'big' }], result }, JSON.stringify({ body: 'y'.repeat(3_000_000) }));
  assert.deepEqual(JSON.parse(seen.output!), result);
  assert.ok(seen.pages * 65536 >= 3_000_000 + 200_000, `${seen.pages} pages`);
});
