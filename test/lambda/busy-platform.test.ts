// The platform under load (issue 10's load test). A busy platform is not a slow function: when the
// platform's own event loop is held up past a function's timeout (a loaded machine), an answer the
// environment already gave is the answer, and its Duration is the function's own, measured in the
// environment (before, it counted the platform's stall: a 1 s function reported 1 500 ms). Node 20's
// event loop reads I/O, the worker's answer among it, before it runs the timers that came due
// meanwhile; this test holds the loop inside a timer callback, the order most likely to break that.
// And runaway guests move out of the platform's process (isolateRunaways).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FunctionRunner, type InvocationRecord } from '../../src/lambda/index.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-busy-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Holds this thread for `ms` without giving its event loop a turn, as a long synchronous stretch does. */
function holdEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

test('an answer given while the platform was blocked past the timeout is the answer, with the function\'s own Duration', { timeout: 30_000 }, async () => {
  const codeDir = join(root, 'quick');
  mkdirSync(codeDir, { recursive: true });
  writeFileSync(join(codeDir, 'index.mjs'), 'export const handler = async (event) => ({ echoed: event.n });');
  const runner = new FunctionRunner({ name: 'quick', codeDir, memorySize: 128, timeout: 1, isolation: 'thread' }, { maxEnvironments: 1 });
  try {
    const warm = await runner.invoke({ n: 0 });
    assert.equal(warm.ok, true, JSON.stringify(warm.error));
    // The invocation is handed to the (warm) environment at once; the guest answers within
    // milliseconds (a loaded machine has 3 s to run it), while this thread is held for 3 × the 1 s
    // timeout, inside a timer callback.
    const record = await new Promise<InvocationRecord>((resolve) =>
      setTimeout(() => {
        void runner.invoke({ n: 1 }).then(resolve);
        holdEventLoop(3_000);
      }, 0),
    );
    assert.equal(record.error?.errorType, undefined, JSON.stringify(record.error));
    assert.deepEqual(record.result, { echoed: 1 });
    assert.ok(record.durationMs < 1_000, `duration ${record.durationMs} ms`);
    // The environment is kept (it did not time out) and serves the next invocation warm.
    const next = await runner.invoke({ n: 2 });
    assert.deepEqual([next.result, next.coldStart], [{ echoed: 2 }, false]);
  } finally {
    await runner.dispose();
  }
});

test('a function that really runs past its timeout is still Sandbox.Timedout', { timeout: 30_000 }, async () => {
  const codeDir = join(root, 'slow');
  mkdirSync(codeDir, { recursive: true });
  writeFileSync(join(codeDir, 'index.mjs'), 'export const handler = (event) => (event.warm ? "ok" : new Promise((resolve) => setTimeout(() => resolve("late"), 10_000)));');
  const runner = new FunctionRunner({ name: 'slow', codeDir, memorySize: 128, timeout: 1, isolation: 'thread' }, { maxEnvironments: 1 });
  try {
    assert.equal((await runner.invoke({ warm: true })).result, 'ok');
    const answer = runner.invoke({});
    holdEventLoop(3_000);
    const record = await answer;
    assert.equal(record.error?.errorType, 'Sandbox.Timedout');
    await runner.settled();
    assert.deepEqual(runner.stats(), { environments: 0, busy: 0, idle: 0, starting: 0, ending: 0 });
  } finally {
    await runner.dispose();
  }
});

// A runaway guest in a worker thread holds up the platform's own process (its address space lock,
// malloc arenas, the join of its thread): with isolateRunaways (on in the pool behind dev and the
// Invoke API), once one environment of a function has run away, its new environments are processes.
test('isolateRunaways: after a thread environment times out, the function starts its new environments as processes', { timeout: 60_000 }, async () => {
  const codeDir = join(root, 'runaway');
  mkdirSync(codeDir, { recursive: true });
  writeFileSync(join(codeDir, 'index.mjs'), 'export const handler = async (event) => { if (event.spin) for (;;); return { pid: process.pid }; };');
  const messages: string[] = [];
  const logger = { debug() {}, info: (m: string) => messages.push(m), warn() {}, error() {} };
  const spec = { name: 'runaway', codeDir, memorySize: 128, timeout: 1, isolation: 'thread' as const };
  const isolating = new FunctionRunner(spec, { maxEnvironments: 1, isolateRunaways: true, logger });
  const plain = new FunctionRunner(spec, { maxEnvironments: 1 });
  try {
    for (const r of [isolating, plain]) {
      assert.deepEqual((await r.invoke({})).result, { pid: process.pid }, 'a worker thread of this process');
      assert.equal((await r.invoke({ spin: true })).error?.errorType, 'Sandbox.Timedout');
    }
    const moved = await isolating.invoke({});
    assert.equal(moved.coldStart, true);
    assert.notEqual((moved.result as { pid: number }).pid, process.pid, 'a process of its own');
    assert.match(messages.join('\n'), /runaway: an environment ran away .*start as processes/);
    assert.deepEqual((await plain.invoke({})).result, { pid: process.pid }, 'without the option, threads it stays');
  } finally {
    await Promise.all([isolating.dispose(), plain.dispose()]);
  }
});
