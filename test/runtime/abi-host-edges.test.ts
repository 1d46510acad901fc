// The host side of ABI v1 (docs/abi.md) at its edges, each against a small WAT guest that would
// notice the host getting it wrong: an allocation the host cannot use, an error result without its
// strings, the optional `lambda_wasm_init`, the last bytes of guest memory, random_fill's block,
// what a refused module is told, and the cold-start timings. Written for the mutants StrykerJS found
// surviving (`npm run test:mutation -- runtime`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { WasmGuest, type LogSink } from '../../src/runtime/abi-host.js';
import { compileWatText } from '../helpers/wat.js';

const quiet: LogSink = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const load = (wat: string, log: LogSink = quiet) => WasmGuest.load(readFileSync(compileWatText(wat)), log);
const ctx = { awsRequestId: 'req-1' };

/** A WAT data string holding exactly these UTF-8 bytes. */
const bytes = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');

interface GuestParts {
  /** lambda_wasm_alloc's body (its parameter is $len). */
  alloc?: string;
  /** lambda_wasm_handle's body (parameters $ptr and $len), leaving the status on the stack. */
  handle: string;
  /** Anything else inside the module: data, globals, more exports. */
  extra?: string;
}
function guest({ alloc = 'i32.const 1024', handle, extra = '' }: GuestParts): string {
  return `(module
  (import "lambda_wasm" "output" (func $output (param i32 i32)))
  (import "lambda_wasm" "log" (func $log (param i32 i32 i32)))
  (import "lambda_wasm" "random_fill" (func $random_fill (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "lambda_wasm_abi_version") (result i32) i32.const 1)
  (func (export "lambda_wasm_alloc") (param $len i32) (result i32) ${alloc})
  (func (export "lambda_wasm_dealloc") (param i32 i32))
  (func (export "lambda_wasm_handle") (param $ptr i32) (param $len i32) (result i32) ${handle})
  ${extra})`;
}
/** Answers `text` with `status`, whatever the event. */
const answering = (text: string, status = 0): string =>
  guest({ handle: `(call $output (i32.const 2048) (i32.const ${Buffer.byteLength(text)})) i32.const ${status}`, extra: `(data (i32.const 2048) "${bytes(text)}")` });
const echo = (alloc: string): string => guest({ alloc, handle: '(call $output (local.get $ptr) (local.get $len)) i32.const 0' });

describe('guest ABI v1: the host at its edges', { timeout: 60_000 }, () => {
  test('bytes that are not WebAssembly are refused with the compiler\'s reason', async () => {
    await assert.rejects(WasmGuest.load(new Uint8Array([0, 97, 115, 109, 2, 0, 0, 0])), (e: Error) => e.name === 'WasmInitError' && /^guest\.wasm is not a valid WebAssembly module: .+/.test(e.message));
  });

  test('an allocation the host cannot use is a WasmAbiError naming the length, the pointer and the memory', async () => {
    const nowhere = await load(echo('i32.const 0'));
    assert.throws(() => nowhere.handle({}, ctx), (e: Error) => e.name === 'WasmAbiError' && e.message === 'lambda_wasm_alloc(2) returned 0, which is not a usable block in a memory of 65536 bytes');
    const pastTheEnd = await load(echo('i32.const 65535'));
    assert.throws(() => pastTheEnd.handle({}, ctx), (e: Error) => e.name === 'WasmAbiError' && /^lambda_wasm_alloc\(2\) returned 65535, which is not a usable block/.test(e.message));
    // The last bytes of memory are a usable block: the event is written there and read back.
    const atTheEnd = await load(echo('(i32.sub (i32.const 65536) (local.get $len))'));
    assert.deepEqual(atTheEnd.handle({ a: 1 }, ctx), { a: 1 });
  });

  test('an event of undefined reaches the guest as JSON null', async () => {
    const guestEcho = await load(echo('i32.const 1024'));
    assert.equal(guestEcho.handle(undefined, ctx), null);
  });

  test('status 1 needs string errorType and errorMessage; anything else is a WasmOutputError that quotes it', async () => {
    for (const text of ['null', '"oops"', '[]', '{"errorType":"E"}', '{"errorMessage":"m"}', '{"errorType":1,"errorMessage":"m"}', '{"errorType":"E","errorMessage":2}']) {
      const g = await load(answering(text, 1));
      assert.throws(
        () => g.handle({}, ctx),
        (e: Error) => e.name === 'WasmOutputError' && e.message === `the guest reported an error without string errorType/errorMessage: ${JSON.stringify(text)}`,
        text,
      );
    }
    const good = await load(answering('{"errorType":"Forbidden","errorMessage":"no entry"}', 1));
    assert.throws(() => good.handle({}, ctx), (e: Error) => e.name === 'Forbidden' && e.message === 'no entry');
  });

  test('output that is not JSON is quoted whole up to 200 characters, cut with … beyond', async () => {
    const short = await load(answering('nope'));
    assert.throws(() => short.handle({}, ctx), (e: Error) => e.name === 'WasmOutputError' && e.message.endsWith(': "nope"'));
    const exactly200 = await load(answering(`<${'x'.repeat(199)}`));
    assert.throws(() => exactly200.handle({}, ctx), (e: Error) => e.message.endsWith(`: ${JSON.stringify(`<${'x'.repeat(199)}`)}`));
    const long = await load(answering(`<${'x'.repeat(299)}`));
    assert.throws(() => long.handle({}, ctx), (e: Error) => e.name === 'WasmOutputError' && e.message.endsWith(`: ${JSON.stringify(`<${'x'.repeat(199)}`)}…`));
  });

  describe('lambda_wasm_init', () => {
    const counted = (initBody: string) =>
      guest({
        // Answers how many times init ran in this instance, as one digit.
        handle: '(i32.store8 (i32.const 3000) (i32.add (i32.const 48) (global.get $inits))) (call $output (i32.const 3000) (i32.const 1)) i32.const 0',
        extra: `(global $inits (mut i32) (i32.const 0))
  (func (export "lambda_wasm_init") (result i32) (global.set $inits (i32.add (global.get $inits) (i32.const 1))) ${initBody})`,
      });

    test('runs once, at load, before the first event', async () => {
      const g = await load(counted('i32.const 0'));
      assert.equal(g.handle({}, ctx), 1);
      assert.equal(g.handle({}, ctx), 1);
    });

    test('a status other than 0 refuses the guest at load, saying what it returned', async () => {
      await assert.rejects(load(counted('i32.const 7')), (e: Error) => e.name === 'WasmInitError' && e.message === 'lambda_wasm_init returned 7 (0 means ready)');
    });

    test('it can log, and a panic in it reaches the WasmInitError with its message', async () => {
      const lines: string[] = [];
      const log: LogSink = { ...quiet, info: (m: string) => void lines.push(m) };
      const logs = guest({
        handle: '(call $output (i32.const 102) (i32.const 2)) i32.const 0',
        extra: `(data (i32.const 100) "ok{}") (func (export "lambda_wasm_init") (result i32) (call $log (i32.const 2) (i32.const 100) (i32.const 2)) i32.const 0)`,
      });
      const g = await load(logs, log);
      assert.deepEqual(lines, ['ok']);
      assert.deepEqual(g.handle({}, ctx), {});
      const panics = logs
        .replace('(import "lambda_wasm" "random_fill" (func $random_fill (param i32 i32)))', '(import "lambda_wasm" "panic" (func $panic (param i32 i32)))')
        .replace('(call $log (i32.const 2) (i32.const 100) (i32.const 2)) i32.const 0', '(call $panic (i32.const 200) (i32.const 13)) unreachable')
        .replace('(data (i32.const 100) "ok{}")', '(data (i32.const 200) "config absent")');
      await assert.rejects(load(panics), (e: Error) => e.name === 'WasmInitError' && /^lambda_wasm_init trapped: .*config absent/.test(e.message));
    });

    test('a trap in it is a WasmInitError that says where', async () => {
      await assert.rejects(load(counted('unreachable')), (e: Error) => e.name === 'WasmInitError' && /^lambda_wasm_init trapped: RuntimeError: unreachable/.test(e.message));
    });
  });

  test('a block ending at the last byte of memory is in bounds, one byte further is not', async () => {
    const atEnd = await load(guest({ handle: '(call $output (i32.const 65534) (i32.const 2)) i32.const 0', extra: '(data (i32.const 65534) "{}")' }));
    assert.deepEqual(atEnd.handle({}, ctx), {});
    const past = await load(guest({ handle: '(call $output (i32.const 65535) (i32.const 2)) i32.const 0' }));
    assert.throws(() => past.handle({}, ctx), (e: Error) => e.name === 'WasmAbiError' && /bytes 65535\.\.65537 are outside the guest's 65536-byte memory/.test(e.message));
  });

  test('random_fill fills exactly its block, up to the last byte of memory', async () => {
    // 'A' around a 16-byte block; answers true when both neighbours are still 'A' and the block changed.
    const check = (at: number) => `
      (call $random_fill (i32.const ${at}) (i32.const 16))
      (if (result i32)
        (i32.and
          (i32.and (i32.eq (i32.load8_u (i32.const ${at - 1})) (i32.const 65)) ${at + 16 < 65536 ? `(i32.eq (i32.load8_u (i32.const ${at + 16})) (i32.const 65))` : '(i32.const 1)'})
          (i32.or (i64.ne (i64.load (i32.const ${at})) (i64.const 0x4141414141414141)) (i64.ne (i64.load (i32.const ${at + 8})) (i64.const 0x4141414141414141))))
        (then (call $output (i32.const 100) (i32.const 4)) (i32.const 0))
        (else (call $output (i32.const 104) (i32.const 5)) (i32.const 0)))`;
    const data = (at: number) => `(data (i32.const 100) "truefalse") (data (i32.const ${at - 1}) "${'A'.repeat(at + 16 < 65536 ? 18 : 17)}")`;
    const middle = await load(guest({ handle: check(4001), extra: data(4001) }));
    assert.equal(middle.handle({}, ctx), true);
    const end = await load(guest({ handle: check(65520), extra: data(65520) }));
    assert.equal(end.handle({}, ctx), true);
  });

  test('a log level beyond 5 is logged at INFO', async () => {
    const lines: string[] = [];
    const log: LogSink = { ...quiet, info: (m: string) => void lines.push(`info ${m}`), error: (m: string) => void lines.push(`error ${m}`) };
    const g = await load(
      guest({ handle: '(call $log (i32.const 9) (i32.const 100) (i32.const 2)) (call $output (i32.const 102) (i32.const 2)) i32.const 0', extra: '(data (i32.const 100) "hi{}")' }),
      log,
    );
    assert.deepEqual(g.handle({}, ctx), {});
    assert.deepEqual(lines, ['info hi']);
  });

  describe('what a refused module is told', () => {
    const base = (exports: string, imports = '') => `(module ${imports} (memory (export "memory") 1) ${exports})`;

    test('every missing export, and how to build a guest', async () => {
      await assert.rejects(
        WasmGuest.load(readFileSync(compileWatText(base('(func (export "lambda_wasm_abi_version") (result i32) i32.const 1) (func (export "lambda_wasm_dealloc") (param i32 i32))')))),
        (e: Error) =>
          e.name === 'WasmInitError' &&
          e.message === 'guest.wasm is not a lambda-wasm guest: missing export(s) lambda_wasm_alloc, lambda_wasm_handle. Build the guest with the lambda-wasm-guest crate and `lambda_wasm_guest::export_handler!(...)`.',
      );
    });

    test('a wasm-bindgen module is told to use wasm-pack and "wasmPack"', async () => {
      await assert.rejects(
        WasmGuest.load(readFileSync(compileWatText(base('(func (export "__wbindgen_malloc") (param i32 i32) (result i32) i32.const 0)')))),
        (e: Error) => /It looks like a wasm-bindgen module: build it with `wasm-pack build --target nodejs` and configure it as "wasmPack"\.$/.test(e.message),
      );
    });

    test('each export of the wrong kind', async () => {
      const wat = `(module (memory $m 1) (export "lambda_wasm_handle" (memory $m))
        (func (export "memory")) (func (export "lambda_wasm_abi_version") (result i32) i32.const 1)
        (func (export "lambda_wasm_alloc") (param i32) (result i32) i32.const 0) (func (export "lambda_wasm_dealloc") (param i32 i32)))`;
      await assert.rejects(
        WasmGuest.load(readFileSync(compileWatText(wat))),
        (e: Error) => e.message === 'guest.wasm exports memory as a function, lambda_wasm_handle as a memory: "memory" must be a memory, lambda_wasm_* functions',
      );
    });

    test('a global or a table under an ABI function\'s name is refused as the wrong kind', async () => {
      const wat = `(module (memory (export "memory") 1) (global (export "lambda_wasm_alloc") i32 (i32.const 0)) (table (export "lambda_wasm_dealloc") 1 funcref)
        (func (export "lambda_wasm_abi_version") (result i32) i32.const 1) (func (export "lambda_wasm_handle") (param i32 i32) (result i32) i32.const 0))`;
      await assert.rejects(
        WasmGuest.load(readFileSync(compileWatText(wat))),
        (e: Error) => e.name === 'WasmInitError' && e.message === 'guest.wasm exports lambda_wasm_alloc as a global, lambda_wasm_dealloc as a table: "memory" must be a memory, lambda_wasm_* functions',
      );
    });

    test('a module that misses exports is told so even when its start function traps first', async () => {
      const wat = `(module (memory (export "memory") 1) (func $boom unreachable) (start $boom) (func (export "lambda_wasm_abi_version") (result i32) i32.const 1))`;
      await assert.rejects(WasmGuest.load(readFileSync(compileWatText(wat))), (e: Error) => e.name === 'WasmInitError' && /^guest\.wasm is not a lambda-wasm guest: missing export\(s\) lambda_wasm_alloc, lambda_wasm_dealloc, lambda_wasm_handle\./.test(e.message));
    });

    test('a guest loads where WebAssembly.Memory was replaced by a subclass, as the local platform does to count memories', async () => {
      const Native = WebAssembly.Memory;
      WebAssembly.Memory = class Counted extends Native {};
      try {
        const g = await load(echo('i32.const 1024'));
        assert.deepEqual(g.handle({ b: 2 }, ctx), { b: 2 });
      } finally {
        WebAssembly.Memory = Native;
      }
    });

    test('a guest that fits is not taken apart: its exports and imports are listed only when something failed', async () => {
      const listed: string[] = [];
      const { exports, imports } = WebAssembly.Module;
      WebAssembly.Module.exports = (m) => (listed.push('exports'), exports(m));
      WebAssembly.Module.imports = (m) => (listed.push('imports'), imports(m));
      try {
        const g = await load(echo('i32.const 1024'));
        assert.deepEqual(g.handle({ a: 1 }, ctx), { a: 1 });
        assert.deepEqual(listed, [], 'listing them costs ~0.2 ms of every cold start (docs/cold-start.md)');
        await assert.rejects(WasmGuest.load(readFileSync(compileWatText(base('')))), /missing export/);
        assert.deepEqual(listed, ['exports'], 'a refused module is listed to say why');
      } finally {
        Object.assign(WebAssembly.Module, { exports, imports });
      }
    });

    const full = `(func (export "lambda_wasm_abi_version") (result i32) i32.const 1) (func (export "lambda_wasm_alloc") (param i32) (result i32) i32.const 0)
      (func (export "lambda_wasm_dealloc") (param i32 i32)) (func (export "lambda_wasm_handle") (param i32 i32) (result i32) i32.const 0)`;
    const provides =
      '(it provides lambda_wasm.output, lambda_wasm.log, lambda_wasm.context_get, lambda_wasm.remaining_time_ms, lambda_wasm.panic, lambda_wasm.now_ms, lambda_wasm.random_fill). ' +
      'Guests must target wasm32-unknown-unknown without WASI or wasm-bindgen imports.';

    test('an import ABI v1 does not have, in its own module or not a function, with the list it has', async () => {
      await assert.rejects(
        WasmGuest.load(readFileSync(compileWatText(base(full, '(import "lambda_wasm" "sleep" (func (param i32)))')))),
        (e: Error) => e.message === `guest.wasm imports lambda_wasm.sleep (function), which ABI v1 does not provide ${provides}`,
      );
      await assert.rejects(
        WasmGuest.load(readFileSync(compileWatText(base(full, '(import "lambda_wasm" "log" (global i32))')))),
        (e: Error) => e.message === `guest.wasm imports lambda_wasm.log (global), which ABI v1 does not provide ${provides}`,
      );
      await assert.rejects(
        WasmGuest.load(readFileSync(compileWatText(base(full, '(import "env" "output" (func (param i32 i32))) (import "env" "log" (func (param i32 i32 i32)))')))),
        (e: Error) => e.message === `guest.wasm imports env.output (function), env.log (function), which ABI v1 does not provide ${provides}`,
      );
    });
  });

  test('cold-start timings: each part measured, none longer than the whole load', async () => {
    const started = performance.now();
    const g = await load(echo('i32.const 1024'));
    const whole = performance.now() - started;
    const { compileMs, instantiateMs, guestInitMs } = g.timings;
    for (const [name, ms] of Object.entries({ compileMs, instantiateMs, guestInitMs })) {
      assert.ok(ms >= 0 && ms <= whole, `${name} ${ms} ms, the whole load ${whole} ms`);
    }
    assert.ok(compileMs + instantiateMs + guestInitMs <= whole, `the parts add up to at most the whole ${whole} ms`);
  });
});
