// The local Lambda platform against small JavaScript handlers: results, AWS's error shapes,
// Lambda's log lines, timeouts, crashes, init failures, warm state and concurrency.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FunctionRunner, findNodeBinary, type FunctionSpec } from '../../src/lambda/index.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-platform-'));
const runners: FunctionRunner[] = [];
after(async () => {
  await Promise.all(runners.map((r) => r.dispose()));
  rmSync(root, { recursive: true, force: true });
});

const HANDLERS: Record<string, string> = {
  echo: `let calls = 0;
export const handler = async (event, context) => ({ event, calls: ++calls, requestId: context.awsRequestId, fn: context.functionName, memory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis() > 0 });`,
  logs: `export const handler = async () => { console.log('hello', { a: 1 }); console.warn('careful'); console.error('bad\\nthing'); return 'done'; };`,
  throws: `export const handler = async () => { const e = new Error('it broke'); e.name = 'MyError'; throw e; };`,
  throwsString: `export const handler = async () => { throw 'just a string'; };`,
  sleeps: `export const handler = async (event) => { await new Promise((r) => setTimeout(r, event.ms)); return 'slept'; };`,
  loops: `export const handler = async () => { for (;;) {} };`,
  exits: `export const handler = async () => { process.exit(3); };`,
  initFails: `throw new TypeError('cannot start');\nexport const handler = async () => 1;`,
  noHandler: `export const other = 1;`,
  callback: `export const handler = (event, context, callback) => { setTimeout(() => callback(null, { via: 'callback' }), 1); };`,
  rejects: `export const handler = async () => { Promise.reject(new Error('forgotten')); await new Promise((r) => setTimeout(r, 200)); return 'late'; };`,
  heapHog: `export const handler = async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(1.5)); };`,
  wasmHog: `export const handler = async () => { const m = new WebAssembly.Memory({ initial: 1 }); m.grow(2500); new Uint8Array(m.buffer).fill(1); globalThis.keep = m; return m.buffer.byteLength; };`,
  hog: `export const handler = async () => { const keep = []; for (let i = 0; i < 400; i++) keep.push(Buffer.alloc(1024 * 1024, 1)); return keep.length; };`,
};

function runner(name: keyof typeof HANDLERS, spec: Partial<FunctionSpec> = {}, maxEnvironments = 4): FunctionRunner {
  const dir = join(root, `${name}-${runners.length}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), HANDLERS[name]!);
  const r = new FunctionRunner({ name, codeDir: dir, memorySize: 128, timeout: 3, ...spec }, { maxEnvironments });
  runners.push(r);
  return r;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const clients: Array<[string, Partial<FunctionSpec>]> = [
  ['built-in client, Node ' + process.versions.node, {}],
  ['worker-thread environment', { isolation: 'thread' }],
];
for (const major of [22, 24] as const) {
  const node = findNodeBinary(major);
  if (node !== undefined) clients.push([`AWS's aws-lambda-ric, Node ${major}`, { runtimeClient: 'ric', nodeBinary: node }]);
}

for (const [label, client] of clients) {
  describe(`platform: ${label}`, { timeout: 180_000 }, () => {
    test('a result, the context, warm state, and Lambda\'s START/END/REPORT lines', async () => {
      const r = runner('echo', client);
      const first = await r.invoke({ n: 1 });
      assert.equal(first.ok, true, JSON.stringify(first.error));
      const result = first.result as { event: unknown; calls: number; requestId: string; fn: string; memory: string; remaining: boolean };
      assert.deepEqual(result, { event: { n: 1 }, calls: 1, requestId: first.requestId, fn: 'echo', memory: '128', remaining: true });
      assert.ok(first.coldStart && first.initDurationMs! > 0);
      // Init output (the RIC prints a line) comes before START, as in CloudWatch.
      assert.ok(first.logs.includes(`START RequestId: ${first.requestId} Version: $LATEST`), first.logs.join('\n'));
      assert.match(first.logs.at(-2)!, /^END RequestId: /);
      assert.match(first.logs.at(-1)!, /^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms$/);
      // A process reports its RSS; a thread its heap and external memory, which is smaller.
      assert.ok(first.maxMemoryUsedMB > (client.isolation === 'thread' ? 0 : 10) && first.maxMemoryUsedMB < 128, `${first.maxMemoryUsedMB} MB`);
      const second = await r.invoke({ n: 2 });
      assert.equal((second.result as { calls: number }).calls, 2, 'module state persists while warm');
      assert.equal(second.coldStart, false);
      assert.doesNotMatch(second.logs.at(-1)!, /Init Duration/);
    });

    test('console lines are in Lambda\'s format, with the request id', async () => {
      const rec = await runner('logs', client).invoke({});
      const body = rec.logs.slice(rec.logs.findIndex((l) => l.startsWith('START')) + 1, -2);
      assert.equal(body.length, 3, body.join('\n'));
      assert.match(body[0]!, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${rec.requestId}\\tINFO\\thello { a: 1 }$`));
      assert.match(body[1]!, /\tWARN\tcareful$/);
      assert.match(body[2]!, /\tERROR\tbad\rthing$/);
    });

    test('a thrown Error becomes {errorType, errorMessage, trace}', async () => {
      const rec = await runner('throws', client).invoke({});
      assert.equal(rec.ok, false);
      assert.equal(rec.error?.errorType, 'MyError');
      assert.equal(rec.error?.errorMessage, 'it broke');
      assert.match(rec.error?.trace?.[0] ?? '', /MyError: it broke/);
      assert.ok(rec.logs.some((l) => /\tERROR\tInvoke Error \t\{"errorType":"MyError"/.test(l)), rec.logs.join('\n'));
    });

    test('a thrown non-Error is typed by typeof, as AWS does', async () => {
      const rec = await runner('throwsString', client).invoke({});
      assert.equal(rec.error?.errorType, 'string');
      assert.equal(rec.error?.errorMessage, 'just a string');
    });

    test('a callback-style handler works', async () => {
      assert.deepEqual((await runner('callback', client).invoke({})).result, { via: 'callback' });
    });

    test('a handler that never returns is stopped at the timeout; the next invocation is cold', async () => {
      const r = runner('loops', { ...client, timeout: 1 });
      const rec = await r.invoke({});
      assert.equal(rec.timedOut, true);
      assert.equal(rec.error?.errorType, 'Sandbox.Timedout');
      assert.match(rec.error?.errorMessage ?? '', /Task timed out after 1\.00 seconds$/);
      assert.ok(rec.logs.some((l) => /Task timed out after 1\.00 seconds/.test(l)));
      assert.match(rec.logs.at(-1)!, /Duration: 1000\.00 ms/);
      const again = await r.invoke({});
      assert.equal(again.coldStart, true);
    });

    test('an unhandled promise rejection fails the invocation as Runtime.UnhandledPromiseRejection', async () => {
      const rec = await runner('rejects', client).invoke({});
      assert.equal(rec.ok, false);
      assert.equal(rec.error?.errorType, 'Runtime.UnhandledPromiseRejection');
      assert.equal(rec.error?.errorMessage, 'Error: forgotten');
      assert.match(rec.error?.trace?.[0] ?? '', /^Runtime\.UnhandledPromiseRejection: Error: forgotten$/);
    });

    test('a process that exits mid-invocation is a Runtime.ExitError', async () => {
      const rec = await runner('exits', client).invoke({});
      assert.equal(rec.error?.errorType, 'Runtime.ExitError');
      assert.match(rec.error?.errorMessage ?? '', /Runtime exited with error: exit status 3/);
    });

    test('an init failure is reported with its type, and a missing handler is Runtime.HandlerNotFound', async () => {
      const init = await runner('initFails', client).invoke({});
      assert.equal(init.ok, false);
      assert.equal(init.error?.errorType, 'TypeError');
      assert.match(init.error?.errorMessage ?? '', /cannot start/);
      const missing = await runner('noHandler', client).invoke({});
      assert.equal(missing.error?.errorType, 'Runtime.HandlerNotFound');
    });
  });
}

describe('platform: environments', { timeout: 180_000 }, () => {
  test('a second environment starts only when the first is busy; dispose leaves no process', async () => {
    const r = runner('sleeps', {}, 4);
    await r.invoke({ ms: 1 });
    await r.invoke({ ms: 1 });
    assert.equal(r.stats().environments, 1, 'sequential invocations reuse one environment');
    const both = await Promise.all([r.invoke({ ms: 300 }), r.invoke({ ms: 300 })]);
    assert.equal(r.stats().environments, 2);
    assert.deepEqual(both.map((b) => b.coldStart).sort(), [false, true]);
    const pids = r.pids();
    await r.dispose();
    await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(pids.filter(alive), []);
  });

  test('the memory size is enforced', async () => {
    const rec = await runner('hog', { memorySize: 128, timeout: 10 }).invoke({});
    assert.equal(rec.ok, false);
    assert.equal(rec.error?.errorType, 'Runtime.OutOfMemory');
    assert.match(rec.error?.errorMessage ?? '', /Runtime exited with error: signal: killed/);
  });

  test('a worker-thread environment: the memory size caps the heap, and Wasm memory written over it is Runtime.OutOfMemory and retires the environment', async () => {
    const heap = await runner('heapHog', { isolation: 'thread', memorySize: 128, timeout: 20 }).invoke({});
    assert.equal(heap.error?.errorType, 'Runtime.OutOfMemory');
    const r = runner('wasmHog', { isolation: 'thread', memorySize: 128 });
    const wasm = await r.invoke({});
    assert.equal(wasm.error?.errorType, 'Runtime.OutOfMemory');
    assert.ok(wasm.maxMemoryUsedMB >= 156, `${wasm.maxMemoryUsedMB} MB reported for a 156 MB Wasm memory`);
    assert.equal((await r.invoke({})).coldStart, true, 'the next invocation gets a fresh environment');
  });
});
