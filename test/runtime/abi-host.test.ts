// ABI v1 conformance of the adapter's host, against hand-written guests (fixtures/wasm/*.wat).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WasmGuest, type LogSink } from '../../src/runtime/abi-host.js';
import { watBytes } from '../helpers/wat.js';

class RecordingLog implements LogSink {
  lines: Array<[string, string]> = [];
  trace = (m: string) => void this.lines.push(['trace', m]);
  debug = (m: string) => void this.lines.push(['debug', m]);
  info = (m: string) => void this.lines.push(['info', m]);
  warn = (m: string) => void this.lines.push(['warn', m]);
  error = (m: string) => void this.lines.push(['error', m]);
}

const ctx = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'fn',
  getRemainingTimeInMillis: () => 1234,
};

async function load(name: string, log: LogSink = new RecordingLog()): Promise<WasmGuest> {
  return WasmGuest.load(watBytes(name), log);
}

async function rejects(name: string, errorType: string, message: RegExp): Promise<void> {
  const guest = await load(name);
  assert.throws(() => guest.handle({ a: 1 }, ctx), (e: Error) => {
    assert.equal(e.name, errorType);
    assert.match(e.message, message);
    return true;
  });
}

describe('guest ABI v1: the host side', () => {
  test('an echo guest returns the event unchanged, including non-ASCII text', async () => {
    const guest = await load('echo');
    const event = { Records: [{ cf: { request: { uri: '/é/日本', headers: { a: [{ key: 'A', value: 'ü' }] } } } }] };
    assert.deepEqual(guest.handle(event, ctx), event);
  });

  test('a large event (1 MB) makes the guest grow its memory and still round-trips', async () => {
    const guest = await load('echo');
    const event = { body: 'x'.repeat(1024 * 1024) };
    assert.deepEqual(guest.handle(event, ctx), event);
    assert.deepEqual(guest.handle({ small: true }, ctx), { small: true });
  });

  test('status 1 becomes an Error named after the guest errorType', async () => {
    await rejects('error', 'MyError', /^it failed$/);
  });

  test('a trap is a WasmTrap, and the next invocation runs on a fresh instance', async () => {
    const guest = await load('trap');
    assert.throws(() => guest.handle({}, ctx), (e: Error) => e.name === 'WasmTrap' && /unreachable/.test(e.message));
    assert.throws(() => guest.handle({}, ctx), (e: Error) => e.name === 'WasmTrap');
  });

  test('a trap keeps the wasm frames in the stack, for the Lambda error trace', async () => {
    const guest = await load('trap');
    assert.throws(() => guest.handle({}, ctx), (e: Error) => /wasm/.test(e.stack ?? ''));
  });

  test('a panic is reported as WasmPanic with the message and location, and logged at ERROR', async () => {
    const log = new RecordingLog();
    const guest = await load('panic', log);
    assert.throws(() => guest.handle({}, ctx), (e: Error) => e.name === 'WasmPanic' && e.message === "panicked at 'boom', src/lib.rs:7:5");
    assert.deepEqual(log.lines, [['error', "panicked at 'boom', src/lib.rs:7:5"]]);
  });

  test('stack overflow is a WasmTrap, not a crash', async () => {
    await rejects('stack-overflow', 'WasmTrap', /call stack/i);
  });

  test('output that is not JSON is a WasmOutputError that quotes it', async () => {
    await rejects('garbage', 'WasmOutputError', /not JSON.*not json\{/);
  });

  test('success without output is a WasmOutputError', async () => {
    await rejects('no-output', 'WasmOutputError', /without calling lambda_wasm\.output/);
  });

  test('an undefined status is a WasmAbiError', async () => {
    await rejects('bad-status', 'WasmAbiError', /status 7/);
  });

  test('an output range outside memory is a WasmAbiError', async () => {
    await rejects('out-of-bounds', 'WasmAbiError', /outside the guest/);
  });

  test('logs go to the sink at their level', async () => {
    const log = new RecordingLog();
    const guest = await load('log', log);
    assert.deepEqual(guest.handle({}, ctx), {});
    assert.deepEqual(log.lines, [
      ['info', 'hello from wat'],
      ['warn', 'careful, wat'],
    ]);
  });

  test('the guest reads the request id through context_get, per invocation', async () => {
    const guest = await load('context');
    assert.equal(guest.handle({}, ctx), ctx.awsRequestId);
    assert.equal(guest.handle({}, { ...ctx, awsRequestId: 'second' }), 'second');
  });

  test('a wrong ABI version is refused at load with what to rebuild', async () => {
    await assert.rejects(load('wrong-version'), (e: Error) => e.name === 'WasmInitError' && /ABI v2.*speaks v1: rebuild/.test(e.message));
  });

  test('a module without the exports is refused at load, naming them', async () => {
    await assert.rejects(load('missing-export'), (e: Error) => e.name === 'WasmInitError' && /missing export\(s\) lambda_wasm_handle/.test(e.message));
  });

  test('a module with WASI imports is refused at load, naming the import', async () => {
    await assert.rejects(load('wasi-import'), (e: Error) => e.name === 'WasmInitError' && /wasi_snapshot_preview1\.fd_write/.test(e.message));
  });

  test('bytes that are not WebAssembly are refused at load', async () => {
    await assert.rejects(WasmGuest.load(new TextEncoder().encode('hello'), new RecordingLog()), (e: Error) => e.name === 'WasmInitError');
  });

  test('a guest that frees its input keeps a flat memory; one that never frees grows', async () => {
    const event = { Records: [{ cf: { request: { uri: '/x'.repeat(2000) } } }] };
    const measure = async (name: string) => {
      const guest = await load(name);
      const memory = () => (guest as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory.buffer.byteLength;
      for (let i = 0; i < 100; i++) guest.handle(event, ctx);
      const after100 = memory();
      for (let i = 0; i < 2000; i++) guest.handle(event, ctx);
      return { after100, after2100: memory() };
    };
    const echo = await measure('echo');
    assert.equal(echo.after2100, echo.after100);
    const leak = await measure('leak');
    assert.ok(leak.after2100 > leak.after100 * 2, `leaking guest grew from ${leak.after100} to ${leak.after2100}`);
  });

  test('context_get into a block that runs past the end of memory is a WasmAbiError, with nothing written', async () => {
    const guest = await load('context-past-end');
    const memory = (guest as unknown as { exports: { memory: WebAssembly.Memory } }).exports.memory;
    assert.throws(() => guest.handle({}, ctx), (e: Error) => e.name === 'WasmAbiError' && /context_get: bytes 65530\.\.65566 are outside the guest's 65536-byte memory/.test(e.message));
    assert.equal(Buffer.from(memory.buffer).subarray(65530).toString('latin1'), '\0'.repeat(6), 'no part of the value was written');
  });

  test('an export named memory that is a function is refused at load, saying so', async () => {
    await assert.rejects(load('memory-function'), (e: Error) => e.name === 'WasmInitError' && /exports memory as a function: "memory" must be a memory/.test(e.message));
  });

  test('a handler declared with an i64 result is a WasmAbiError that names the type', async () => {
    await rejects('handle-i64', 'WasmAbiError', /lambda_wasm_handle returns an i64, not the i32 of the ABI/);
  });

  test('a trap in lambda_wasm_abi_version or in the start function is a WasmInitError', async () => {
    await assert.rejects(load('version-trap'), (e: Error) => e.name === 'WasmInitError' && /lambda_wasm_abi_version trapped: RuntimeError: unreachable/.test(e.message));
    await assert.rejects(load('start-trap'), (e: Error) => e.name === 'WasmInitError' && /guest.wasm's start function failed: RuntimeError: unreachable/.test(e.message));
  });

  test('an event JSON cannot express (nested too deeply) is a WasmEventError, not a stack trace from the host', async () => {
    const guest = await load('echo');
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    assert.throws(() => guest.handle(deep, ctx), (e: Error) => e.name === 'WasmEventError' && /nested too deeply/.test(e.message));
  });
});
