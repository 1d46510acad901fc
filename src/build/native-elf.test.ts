import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareGlibc, ElfError, readElf } from './native-elf.js';

test('glibc versions order numerically, private ones last', () => {
  const sorted = ['GLIBC_2.34', 'GLIBC_PRIVATE', 'GLIBC_2.2.5', 'GLIBC_2.17', 'GLIBC_2.9', 'GLIBC_2.3.4'].sort(compareGlibc);
  assert.deepEqual(sorted, ['GLIBC_2.2.5', 'GLIBC_2.3.4', 'GLIBC_2.9', 'GLIBC_2.17', 'GLIBC_2.34', 'GLIBC_PRIVATE']);
  assert.ok(compareGlibc('GLIBC_2.36', 'GLIBC_2.34') > 0);
  assert.equal(compareGlibc('GLIBC_2.34', 'GLIBC_2.34'), 0);
});

test('what is not a 64-bit little-endian ELF is named', () => {
  assert.throws(() => readElf(new TextEncoder().encode('#!/bin/sh\n'.padEnd(64, ' '))), (e: unknown) => e instanceof ElfError && /no \\x7fELF magic/.test(e.message));
  const header = new Uint8Array(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 1, 1]);
  assert.throws(() => readElf(header), /32-bit/);
  header[4] = 2;
  header[5] = 2;
  assert.throws(() => readElf(header), /big-endian/);
});

test('a static executable: no loader, no glibc versions', () => {
  // A minimal ELF64 header (x86_64) with no program or section headers.
  const header = new Uint8Array(64);
  header.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  new DataView(header.buffer).setUint16(18, 62, true);
  assert.deepEqual(readElf(header), { architecture: 'x86_64', interpreter: undefined, glibc: [], libraries: [] });
});
