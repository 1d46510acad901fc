// The guest crate's own allocator (crates/lambda-wasm-guest/src/allocator.rs) and its hand-written
// CloudFront reader and writer, in the real passthrough guest built by `npm test` into dist/:
// a 1 MB body makes the memory grow and comes back intact, big and small events interleaved
// reuse their blocks instead of growing the memory further, and a bad event is still an
// `InvalidEvent` in serde_json's words, after which the guest carries on.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { WasmGuest } from '../../src/runtime/abi-host.js';
import { repoRoot } from '../helpers/paths.js';

test('passthrough: a 1 MB body, big and small events interleaved, and bad events', { timeout: 60_000 }, async () => {
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const guest = await WasmGuest.load(readFileSync(join(repoRoot, 'dist/passthrough/guest.wasm')), silent);
  const memoryBytes = () => (guest as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory.buffer.byteLength;
  const small = JSON.parse(readFileSync(join(repoRoot, 'fixtures/events/origin-request-s3.json'), 'utf8'));
  const big = structuredClone(small);
  // Origin-request's limit: 1 MB of body, base64 in the event (1.33 MB of text), with escapes.
  const data = 'QUJD'.repeat(349_525) + '\\u00e9\n"';
  big.Records[0].cf.request.body = { inputTruncated: false, action: 'replace', encoding: 'text', data };
  const ctx = { awsRequestId: 'x' };
  const before = memoryBytes();

  assert.deepEqual(guest.handle(big, ctx), big.Records[0].cf.request);
  assert.deepEqual(guest.handle(small, ctx), small.Records[0].cf.request);
  const grown = memoryBytes();
  assert.ok(grown > before + 2 * 1024 * 1024, `memory grew from ${before} to only ${grown} bytes for a 1.4 MB event`);
  for (let i = 0; i < 20; i++) {
    assert.deepEqual(guest.handle(i % 2 === 0 ? big : small, ctx), (i % 2 === 0 ? big : small).Records[0].cf.request);
  }
  const settled = memoryBytes();
  // Each size's blocks come back to its free list: later rounds take them again.
  for (let i = 0; i < 20; i++) guest.handle(i % 3 === 0 ? big : small, ctx);
  assert.equal(memoryBytes(), settled, 'memory kept growing although every invocation frees what it took');

  const noUri = structuredClone(small);
  delete noUri.Records[0].cf.request.uri;
  assert.throws(() => guest.handle(noUri, ctx), (error: Error) => error.name === 'InvalidEvent' && /^missing field `uri` at line 1 column \d+$/.test(error.message));
  const badPort = structuredClone(small);
  badPort.Records[0].cf.request.origin = { custom: { ...structuredClone(small.Records[0].cf.request.origin.s3), port: 70000 } };
  assert.throws(() => guest.handle(badPort, ctx), (error: Error) => error.name === 'InvalidEvent');
  assert.deepEqual(guest.handle(small, ctx), small.Records[0].cf.request);
});
