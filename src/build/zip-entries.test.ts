// The zip's entry headers byte by byte (APPNOTE.TXT §4.3.7, §4.3.12): every entry carries the fixed
// DOS timestamp 1980-01-01 00:00 — compared with that fixed value, not with a second zip made in
// the same two-second tick — and Unix rw-r--r-- permissions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createZip } from './zip.js';

/** DOS date of 1980-01-01: (year - 1980) << 9 | month << 5 | day. Time 00:00:00 is 0. */
const DOS_DATE_1980_01_01 = (0 << 9) | (1 << 5) | 1;

function headers(zip: Uint8Array): { local: Array<{ time: number; date: number }>; central: Array<{ time: number; date: number; madeBy: number; external: number; name: string }> } {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const local = [];
  const central = [];
  for (let at = 0; at + 4 <= zip.length; at++) {
    const sig = view.getUint32(at, true);
    if (sig === 0x04034b50) local.push({ time: view.getUint16(at + 10, true), date: view.getUint16(at + 12, true) });
    if (sig === 0x02014b50) {
      const nameLength = view.getUint16(at + 28, true);
      central.push({
        madeBy: view.getUint8(at + 5),
        time: view.getUint16(at + 12, true),
        date: view.getUint16(at + 14, true),
        external: view.getUint32(at + 38, true),
        name: Buffer.from(zip.subarray(at + 46, at + 46 + nameLength)).toString('utf8'),
      });
    }
  }
  return { local, central };
}

test('every entry is stamped 1980-01-01 00:00, as a regular Unix file rw-r--r--', () => {
  // Contents without the four signature bytes, so the scan finds only real headers.
  const zip = createZip(new Map([['index.mjs', Buffer.from('export const handler = 1;')], ['guest.wasm', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])]]));
  const { local, central } = headers(zip);
  assert.equal(local.length, 2);
  assert.deepEqual(central.map((c) => c.name), ['guest.wasm', 'index.mjs']);
  for (const entry of [...local, ...central]) {
    assert.equal(entry.date, DOS_DATE_1980_01_01, `date 0x${entry.date.toString(16)}`);
    assert.equal(entry.time, 0, `time 0x${entry.time.toString(16)}`);
  }
  for (const entry of central) {
    assert.equal(entry.madeBy, 3, 'made by Unix, so the permissions are read');
    assert.equal(entry.external >>> 16, 0o100644, `mode ${(entry.external >>> 16).toString(8)}`);
  }
});
