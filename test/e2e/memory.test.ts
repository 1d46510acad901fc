// Nothing leaks across invocations. 100 000 warm invocations of the real passthrough
// guest (built by `npm test` into dist/): once warm, its linear memory must stop growing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WasmGuest } from '../../src/runtime/abi-host.js';
import { repoRoot } from '../helpers/paths.js';

test('passthrough: 100 000 warm invocations, and guest memory stops growing', async () => {
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const guest = await WasmGuest.load(readFileSync(join(repoRoot, 'dist/passthrough/guest.wasm')), silent);
  const event = JSON.parse(readFileSync(join(repoRoot, 'fixtures/events/viewer-request.json'), 'utf8'));
  const memoryBytes = () => (guest as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory.buffer.byteLength;
  const ctx = { awsRequestId: 'x' };
  for (let i = 0; i < 1000; i++) guest.handle(event, ctx);
  const warm = memoryBytes();
  const samples: number[] = [];
  for (let i = 1; i <= 100_000; i++) {
    guest.handle(event, ctx);
    if (i % 10_000 === 0) samples.push(memoryBytes());
  }
  assert.ok(samples.every((s) => s === warm), `memory grew after warm-up: ${warm} → ${samples.join(', ')}`);
  assert.deepEqual(guest.handle(event, ctx), event.Records[0].cf.request);
});
