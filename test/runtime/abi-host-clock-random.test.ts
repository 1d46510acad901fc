// The optional imports added to ABI v1: `now_ms` (the host's wall clock) and `random_fill` (its
// CSPRNG), exercised by a hand-written guest; guests that do not import them are unaffected.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { WasmGuest } from '../../src/runtime/abi-host.js';
import { compileWatText, watBytes } from '../helpers/wat.js';

/** Answers every event with a JSON string: hex of (u64 little-endian `now_ms`, then 16 random bytes). */
const CLOCK_AND_DICE = `(module
  (import "lambda_wasm" "output" (func $output (param i32 i32)))
  (import "lambda_wasm" "now_ms" (func $now_ms (result f64)))
  (import "lambda_wasm" "random_fill" (func $random_fill (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "0123456789abcdef")
  (func (export "lambda_wasm_abi_version") (result i32) i32.const 1)
  (func (export "lambda_wasm_alloc") (param i32) (result i32) i32.const 4096)
  (func (export "lambda_wasm_dealloc") (param i32 i32))
  (func $hex (param $src i32) (param $n i32) (param $dst i32)
    (local $i i32) (local $b i32) (local $at i32)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $b (i32.load8_u (i32.add (local.get $src) (local.get $i))))
      (local.set $at (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 1))))
      (i32.store8 (local.get $at) (i32.load8_u (i32.shr_u (local.get $b) (i32.const 4))))
      (i32.store8 (i32.add (local.get $at) (i32.const 1)) (i32.load8_u (i32.and (local.get $b) (i32.const 15))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
  (func (export "lambda_wasm_handle") (param i32 i32) (result i32)
    (i64.store (i32.const 64) (i64.trunc_f64_u (call $now_ms)))
    (call $random_fill (i32.const 72) (i32.const 16))
    (i32.store8 (i32.const 256) (i32.const 34))
    (call $hex (i32.const 64) (i32.const 24) (i32.const 257))
    (i32.store8 (i32.const 305) (i32.const 34))
    (call $output (i32.const 256) (i32.const 50))
    i32.const 0))`;

const ctx = { awsRequestId: 'r' };
const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function read(answer: unknown): { ms: number; random: string } {
  assert.equal(typeof answer, 'string');
  const bytes = Buffer.from(answer as string, 'hex');
  return { ms: Number(bytes.readBigUInt64LE(0)), random: bytes.subarray(8).toString('hex') };
}

describe('ABI v1 optional imports: now_ms and random_fill', () => {
  test('now_ms is the wall clock and moves; random_fill gives different bytes each call', { timeout: 30_000 }, async () => {
    const guest = await WasmGuest.load(readFileSync(compileWatText(CLOCK_AND_DICE)), quiet);
    const before = Date.now();
    const first = read(guest.handle({}, ctx));
    await sleep(5);
    const second = read(guest.handle({}, ctx));
    assert.ok(first.ms >= before && first.ms <= Date.now(), `now_ms ${first.ms} is the host's Date.now()`);
    assert.ok(second.ms > first.ms, `the clock moved: ${first.ms} then ${second.ms}`);
    assert.notEqual(first.random, second.random);
    assert.notEqual(first.random, '0'.repeat(32), 'random_fill wrote the bytes');
  });

  test('a guest built before them (no such imports) still loads and runs', { timeout: 30_000 }, async () => {
    const bytes = watBytes('echo');
    const names = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => i.name);
    assert.deepEqual(names, ['output']);
    const guest = await WasmGuest.load(bytes, quiet);
    assert.deepEqual(guest.handle({ a: 1 }, ctx), { a: 1 });
  });

  test('random_fill outside guest memory is a WasmAbiError, not a host crash', { timeout: 30_000 }, async () => {
    const wat = CLOCK_AND_DICE.replace('(call $random_fill (i32.const 72) (i32.const 16))', '(call $random_fill (i32.const 65530) (i32.const 16))');
    const guest = await WasmGuest.load(readFileSync(compileWatText(wat)), quiet);
    assert.throws(() => guest.handle({}, ctx), (e: Error) => e.name === 'WasmAbiError' && /random_fill/.test(e.message));
  });
});
