import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createZip, readZip } from './zip.js';

test('the same files give the same zip bytes, whatever order they come in', () => {
  const a = new Map([['index.mjs', new TextEncoder().encode('export const handler = 1')], ['guest.wasm', new Uint8Array([0, 97, 115, 109])]]);
  const b = new Map([...a].reverse());
  assert.deepEqual(createZip(a), createZip(b));
  assert.deepEqual(readZip(createZip(a)), a);
});

test('entries are world-readable regular files (Lambda runs as another user)', () => {
  const zip = createZip(new Map([['index.mjs', new Uint8Array([1])]]));
  // Central directory header: signature 0x02014b50; external attributes at offset 38.
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let at = -1;
  for (let i = 0; i + 4 <= zip.length; i++) if (view.getUint32(i, true) === 0x02014b50) at = i;
  assert.ok(at >= 0);
  assert.equal((view.getUint32(at + 38, true) >>> 16) & 0o777, 0o644);
  assert.equal(view.getUint8(at + 5), 3, 'made by Unix, so the attributes are honoured');
});
