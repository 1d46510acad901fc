// The host's safety promises (docs/abi.md), each against a guest that would notice it broken:
// bytes that are not UTF-8 are refused wherever the guest hands text over; a trap discards the
// instance (the guest's state starts afresh) while a good call keeps it; context_get writes nothing
// past the capacity the guest gave; remaining_time_ms is the context's clock.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { WasmGuest, type ContextLike, type LogSink } from '../../src/runtime/abi-host.js';
import { contextBufferWat, countingTrapWat, invalidUtf8Wat, remainingTimeWat } from '../helpers/abi-guests.js';
import { compileWatText } from '../helpers/wat.js';

const quiet: LogSink = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const load = (wat: string, log: LogSink = quiet) => WasmGuest.load(readFileSync(compileWatText(wat)), log);

describe('guest ABI v1: what the host refuses and protects', { timeout: 60_000 }, () => {
  test('output that is not UTF-8 is a WasmOutputError, not replacement characters', async () => {
    const guest = await load(invalidUtf8Wat('output'));
    assert.throws(() => guest.handle({}, {}), (e: Error) => e.name === 'WasmOutputError' && /lambda_wasm\.output: the bytes are not valid UTF-8/.test(e.message));
  });

  test('a log line that is not UTF-8 fails the invocation, and nothing is logged', async () => {
    const lines: string[] = [];
    const log: LogSink = { ...quiet, warn: (m: string) => void lines.push(m) };
    const guest = await load(invalidUtf8Wat('log'), log);
    assert.throws(() => guest.handle({}, {}), (e: Error) => e.name === 'WasmOutputError' && /lambda_wasm\.log: the bytes are not valid UTF-8/.test(e.message));
    assert.deepEqual(lines, []);
  });

  test('a panic message that is not UTF-8 is refused too', async () => {
    const guest = await load(invalidUtf8Wat('panic'));
    assert.throws(() => guest.handle({}, {}), (e: Error) => /lambda_wasm\.panic: the bytes are not valid UTF-8/.test(e.message));
  });

  test('state persists across good calls; after a trap the next call sees a fresh instance', async () => {
    const guest = await load(countingTrapWat);
    assert.equal(guest.handle({}, {}), 1);
    assert.equal(guest.handle({}, {}), 2, 'a warm instance keeps its state');
    assert.throws(() => guest.handle({ long: 'enough to trap' }, {}), (e: Error) => e.name === 'WasmTrap');
    assert.equal(guest.handle({}, {}), 1, 'the trapped instance was discarded');
    assert.equal(guest.handle({}, {}), 2);
  });

  describe('context_get', () => {
    // The guest's buffer capacity is the event's JSON length: a string of k characters is k + 2 bytes.
    const withCapacity = (cap: number) => 'x'.repeat(cap - 2);
    const ctx = (awsRequestId: string | undefined): ContextLike => (awsRequestId === undefined ? {} : { awsRequestId });
    const dots = (n: number) => '.'.repeat(n);
    const lengthMark = (n: number) => String.fromCharCode(48 + n);

    test('a value that fits is written, and its byte length returned', async () => {
      const guest = await load(contextBufferWat);
      assert.equal(guest.handle(withCapacity(10), ctx('abcdefghij')), `abcdefghij${dots(29)}${lengthMark(10)}`);
    });

    test('a value one byte over the capacity is not written at all; the length says how much to ask for', async () => {
      const guest = await load(contextBufferWat);
      assert.equal(guest.handle(withCapacity(9), ctx('abcdefghij')), `${dots(39)}${lengthMark(10)}`);
    });

    test('the capacity counts UTF-8 bytes, not characters', async () => {
      const guest = await load(contextBufferWat);
      // Five characters, ten bytes: does not fit in nine.
      assert.equal(guest.handle(withCapacity(9), ctx('ééééé')), `${dots(39)}${lengthMark(10)}`);
      const fits = await load(contextBufferWat);
      assert.equal(fits.handle(withCapacity(10), ctx('ééééé')), `ééééé${dots(29)}${lengthMark(10)}`);
    });

    test('an absent field returns -1 and writes nothing', async () => {
      const guest = await load(contextBufferWat);
      assert.equal(guest.handle(withCapacity(30), ctx(undefined)), `${dots(39)}${lengthMark(-1)}`);
    });
  });

  test('remaining_time_ms is the context’s clock, read at each call', async () => {
    let remaining = 5000;
    const guest = await load(remainingTimeWat);
    assert.deepEqual(guest.handle({}, { getRemainingTimeInMillis: () => remaining-- }), [5000, 4999]);
    assert.deepEqual(guest.handle({}, {}), [0, 0], 'a context without a clock reads 0');
  });
});
