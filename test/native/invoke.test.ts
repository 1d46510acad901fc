// The native bootstrap behind the local Runtime API, as invoke and dev run it: the same answers
// and error shapes as the same handler built as Wasm, Lambda's log lines with measured numbers,
// the context from the Runtime API's headers, and the platform's enforcement (timeout, memory,
// a dying process, a missing bootstrap).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type ProjectConfig } from '../../src/config/load.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { buildFunctionUrlEvent } from '../../src/events/index.js';
import { readEventFile } from '../../src/invoke/event-input.js';
import { extractZip } from '../../src/lambda/extract.js';
import { invoke } from '../../src/invoke/invoke.js';
import { FunctionRunner } from '../../src/lambda/index.js';
import { repoRoot } from '../helpers/paths.js';
import { buildAll, nativeProject, probeCrate } from './_native.js';

const repo = loadConfig({ cwd: repoRoot });
let probes: ProjectConfig;
const cleanups: Array<() => void | Promise<void>> = [];

before(async () => {
  const project = nativeProject({
    'probe-native': { crate: probeCrate, eventType: 'lambda', target: 'native', timeout: 1, memorySize: 128 },
    'probe-wasm': { crate: probeCrate, eventType: 'lambda', timeout: 1, memorySize: 128 },
  });
  cleanups.push(project.remove);
  probes = project.config;
  await buildAll(probes);
}, { timeout: 900_000 });
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** errorType and errorMessage: the Node.js runtime adds a JavaScript `trace`, a native runtime has none. */
const shape = (e: { errorType: string; errorMessage: string } | undefined) => (e === undefined ? undefined : { errorType: e.errorType, errorMessage: e.errorMessage });
const run = (config: ProjectConfig, fn: string, event: unknown) => invoke({ config, function: fn, event });

describe('one handler, two targets: pi and pi-native agree', () => {
  const events: Array<[string, unknown]> = [
    ['the fixture', readEventFile(join(repoRoot, 'fixtures', 'events', 'pi.json'))],
    ['a Function URL event', buildFunctionUrlEvent({ uri: '/', querystring: 'digits=50' })],
    ['a Function URL without digits', buildFunctionUrlEvent({ uri: '/' })],
    ['negative digits', { digits: -1 }],
    ['digits that are not a number', { digits: 'many' }],
    ['an event that is not an object', [1, 2]],
  ];
  for (const [what, event] of events) {
    test(what, { timeout: 60_000 }, async () => {
      const [wasm, native] = [await run(repo, 'pi', event), await run(repo, 'pi-native', event)];
      assert.equal(native.record.ok, wasm.record.ok);
      assert.deepEqual(native.record.result, wasm.record.result);
      assert.deepEqual(shape(native.record.error), shape(wasm.record.error));
    });
  }

  test('Lambda\'s log lines, with the function\'s own line in Lambda\'s format and measured numbers', { timeout: 60_000 }, async () => {
    const r = await run(repo, 'pi-native', { digits: 20 });
    const logs = r.record.logs.join('\n');
    assert.match(logs, /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/m);
    assert.match(logs, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${r.record.requestId}\\tINFO\\tpi: computing 20 digits$`, 'm'));
    assert.match(logs, /^END RequestId: /m);
    assert.match(logs, /^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/m);
    assert.ok(r.record.coldStart && r.record.initDurationMs! > 0 && r.record.maxMemoryUsedMB > 0);
  });
});

describe('the native runtime client', () => {
  test('the context comes from the Runtime API headers and Lambda\'s environment, as on Wasm', { timeout: 60_000 }, async () => {
    const native = (await run(probes, 'probe-native', { op: 'context' })).record;
    const wasm = (await run(probes, 'probe-wasm', { op: 'context' })).record;
    const r = native.result as Record<string, unknown>;
    assert.equal(r.requestId, native.requestId);
    assert.equal(r.functionName, 'probe-native');
    assert.equal(r.functionVersion, '$LATEST');
    assert.equal(r.memoryLimitInMb, 128);
    assert.equal(r.logGroupName, '/aws/lambda/probe-native');
    assert.match(String(r.invokedFunctionArn), /^arn:aws:lambda:us-east-1:\d{12}:function:probe-native$/);
    assert.equal(r.hasTimeLeft, true);
    const w = wasm.result as Record<string, unknown>;
    assert.deepEqual(Object.keys(r).sort(), Object.keys(w).sort());
    assert.equal(w.memoryLimitInMb, r.memoryLimitInMb);
  });

  test('_X_AMZN_TRACE_ID is the invocation\'s Lambda-Runtime-Trace-Id', { timeout: 60_000 }, async () => {
    const r = await run(probes, 'probe-native', { op: 'trace' });
    assert.match(String((r.record.result as { traceId: unknown }).traceId), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$/);
  });

  test('a handled error has the same shape on both targets', { timeout: 60_000 }, async () => {
    const event = { op: 'fail', arg: 'Boom' };
    const [native, wasm] = [await run(probes, 'probe-native', event), await run(probes, 'probe-wasm', event)];
    assert.deepEqual(native.record.error, { errorType: 'Boom', errorMessage: 'failed on purpose' });
    assert.deepEqual(shape(native.record.error), shape(wasm.record.error));
    const invalid = await run(probes, 'probe-native', 'not an object');
    assert.equal(invalid.record.ok, true, 'a JSON string is a valid event for a Value handler');
  });

  test('multi-line log messages stay one record, levels as in Node.js', { timeout: 60_000 }, async () => {
    const r = await run(probes, 'probe-native', { op: 'log', arg: 'one\ntwo' });
    assert.ok(r.record.logs.some((l) => /\tINFO\tone\rtwo$/.test(l)), r.record.logs.join('\n'));
    assert.ok(r.record.logs.some((l) => /\tWARN\tsecond line$/.test(l)));
  });

  test('a panic is reported as the invocation\'s error, then the environment is replaced', { timeout: 60_000 }, async () => {
    const codeDir = extractZip(join(probes.outDir, 'probe-native.zip'), join(probes.outDir, 'unpacked'));
    const runner = new FunctionRunner({ name: 'probe-native', codeDir, memorySize: 128, timeout: 5 }, { maxEnvironments: 1 });
    try {
      const panicked = await runner.invoke({ op: 'panic', arg: 7 });
      assert.equal(panicked.error?.errorType, 'Panic');
      assert.match(panicked.error?.errorMessage ?? '', /^panicked at 'probe panicked: 7', src\/lib\.rs:\d+:\d+$/);
      assert.ok(panicked.logs.some((l) => /\tERROR\tpanicked at 'probe panicked: 7'/.test(l)));
      const next = await runner.invoke({ op: 'echo' });
      assert.equal(next.ok, true);
      assert.equal(next.coldStart, true, 'the environment that panicked is not reused');
      const warm = await runner.invoke({ op: 'echo' });
      assert.equal(warm.coldStart, false);
    } finally {
      await runner.dispose();
    }
  });

  test('a process that exits is Runtime.ExitError', { timeout: 60_000 }, async () => {
    const r = await run(probes, 'probe-native', { op: 'exit', arg: 7 });
    assert.equal(r.record.error?.errorType, 'Runtime.ExitError');
    assert.match(r.record.error?.errorMessage ?? '', /Runtime exited with error: exit status 7/);
  });

  test('the timeout stops it (Sandbox.Timedout) and the memory size too (Runtime.OutOfMemory)', { timeout: 60_000 }, async () => {
    const slow = await run(probes, 'probe-native', { op: 'sleep', arg: 3000 });
    assert.equal(slow.record.timedOut, true);
    assert.equal(slow.record.error?.errorType, 'Sandbox.Timedout');
    assert.ok(slow.record.logs.some((l) => /Task timed out after 1\.00 seconds/.test(l)));
    const big = await invoke({ config: probes, function: 'probe-native', event: { op: 'alloc', arg: 200 }, timeout: 10 });
    assert.equal(big.record.error?.errorType, 'Runtime.OutOfMemory');
  });

  test('a package without a runnable bootstrap is Runtime.InvalidEntrypoint', { timeout: 30_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-nobootstrap-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'bootstrap'), '#!/bin/sh\n', { mode: 0o644 });
    const runner = new FunctionRunner({ name: 'broken', codeDir: dir, memorySize: 128, timeout: 3, runtime: 'provided' });
    try {
      const r = await runner.invoke({});
      assert.equal(r.error?.errorType, 'Runtime.InvalidEntrypoint');
      assert.match(r.error?.errorMessage ?? '', /is not executable/);
    } finally {
      await runner.dispose();
    }
  });
});

describe('dev serves the native function', () => {
  let emulator: Emulator;
  let base: string;
  before(async () => {
    emulator = createEmulator({ config: { ...repo, distribution: undefined }, port: 0 });
    base = await emulator.ready;
  });
  after(async () => emulator?.close());

  test('through the Invoke API and as a Function URL, like the Wasm pi', { timeout: 60_000 }, async () => {
    for (const name of ['pi', 'pi-native']) {
      const r = await fetch(`${base}/2015-03-31/functions/${name}/invocations`, { method: 'POST', body: '{"digits": 12}' });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { digits: 12, pi: '314159265358' });
      const bad = await fetch(`${base}/2015-03-31/functions/${name}/invocations`, { method: 'POST', body: '{"digits": -3}' });
      assert.equal(bad.headers.get('x-amz-function-error'), 'Unhandled');
      assert.equal(((await bad.json()) as { errorType: string }).errorType, 'InvalidInput');
      const url = await fetch(`${base}/_lambda-url/${name}/?digits=5`);
      assert.equal(url.status, 200);
      assert.deepEqual(await url.json(), { digits: 5, pi: '31415' });
    }
  });
});
