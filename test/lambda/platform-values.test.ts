// The local Lambda platform's numbers, checked against what was measured rather than for shape:
// REPORT's Duration, Billed Duration (ceil(Duration) + ceil(Init Duration) on a cold start) and
// Max Memory Used; a timeout that fires on time (an upper bound, not only a lower one); the
// context's remaining time, non-zero and going down, as a handler and as a Wasm guest see it.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADAPTER_ENTRIES, bundleAdapter } from '../../scripts/adapter-bundle.mjs';
import { FunctionRunner, type FunctionSpec, type InvocationRecord } from '../../src/lambda/index.js';
import { remainingTimeWat } from '../helpers/abi-guests.js';
import { compileWatText } from '../helpers/wat.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-platform-values-'));
const runners: FunctionRunner[] = [];
let adapter: string;
before(async () => {
  adapter = join(root, 'adapter.mjs');
  await bundleAdapter(ADAPTER_ENTRIES['adapter.mjs'], adapter);
});
after(async () => {
  await Promise.all(runners.map((r) => r.dispose()));
  rmSync(root, { recursive: true, force: true });
});

const HANDLERS = {
  // Sleeps event.ms, or spins forever with event.spin.
  wait: `export const handler = async (event) => { if (event.spin) for (;;) {} await new Promise((r) => setTimeout(r, event.ms ?? 0)); return 'done'; };`,
  // Holds event.mb megabytes (written, so the pages are real) long enough for the sampler to see them.
  hold: `export const handler = async (event) => { const keep = []; for (let i = 0; i < event.mb; i++) keep.push(Buffer.alloc(1024 * 1024, i)); await new Promise((r) => setTimeout(r, 300)); return keep.length; };`,
  remaining: `export const handler = async (event, context) => { const a = context.getRemainingTimeInMillis(); await new Promise((r) => setTimeout(r, 50)); return [a, context.getRemainingTimeInMillis()]; };`,
};

function runner(name: keyof typeof HANDLERS, spec: Partial<FunctionSpec> = {}): FunctionRunner {
  const dir = join(root, `${name}-${runners.length}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), HANDLERS[name]);
  const r = new FunctionRunner({ name, codeDir: dir, memorySize: 128, timeout: 3, ...spec }, { maxEnvironments: 1 });
  runners.push(r);
  return r;
}

/** The REPORT line's fields, as numbers. */
function report(record: InvocationRecord): { duration: string; billed: number; memorySize: number; maxMemory: number; init: string | undefined } {
  const line = record.logs.at(-1)!;
  const m = /^REPORT RequestId: \S+\tDuration: (\d+\.\d\d) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB(?:\tInit Duration: (\d+\.\d\d) ms)?$/.exec(line);
  assert.ok(m, line);
  return { duration: m[1]!, billed: Number(m[2]), memorySize: Number(m[3]), maxMemory: Number(m[4]), init: m[5] };
}

for (const [label, isolation] of [['process', 'process'], ['worker thread', 'thread']] as const) {
  describe(`platform values: ${label} environment`, { timeout: 120_000 }, () => {
    test('REPORT prints what was measured; Billed Duration is ceil(Duration) plus ceil(Init Duration) when cold', { timeout: 30_000 }, async () => {
      const r = runner('wait', { isolation });
      const cold = await r.invoke({ ms: 30 });
      assert.equal(cold.coldStart, true);
      assert.equal(cold.timedOut, false);
      assert.ok(cold.initDurationMs! > 0, `Init Duration ${cold.initDurationMs} ms`);
      assert.ok(!cold.logs.some((l) => l.includes('Task timed out')), cold.logs.join('\n'));
      const c = report(cold);
      assert.ok(cold.durationMs >= 29, `a 30 ms sleep took ${cold.durationMs} ms`);
      assert.equal(c.duration, cold.durationMs.toFixed(2));
      assert.equal(c.init, cold.initDurationMs!.toFixed(2));
      assert.equal(cold.billedDurationMs, Math.ceil(cold.durationMs) + Math.ceil(cold.initDurationMs!));
      assert.equal(c.billed, cold.billedDurationMs);
      assert.equal(c.memorySize, 128);
      assert.equal(c.maxMemory, cold.maxMemoryUsedMB);

      const warm = await r.invoke({ ms: 30 });
      assert.equal(warm.coldStart, false);
      const w = report(warm);
      assert.equal(w.init, undefined);
      assert.equal(warm.initDurationMs, undefined, 'the record has no init when warm');
      assert.equal(warm.timedOut, false);
      assert.equal(warm.billedDurationMs, Math.ceil(warm.durationMs), 'no init billed when warm');
      assert.equal(w.billed, warm.billedDurationMs);
      assert.equal(w.duration, warm.durationMs.toFixed(2));
    });

    test('Max Memory Used is the measured peak, not the memory size', { timeout: 30_000 }, async () => {
      const r = runner('hold', { isolation, memorySize: 1024 });
      const rec = await r.invoke({ mb: 200 });
      assert.equal(rec.ok, true, JSON.stringify(rec.error));
      const { maxMemory, memorySize } = report(rec);
      assert.equal(memorySize, 1024);
      assert.equal(maxMemory, rec.maxMemoryUsedMB);
      assert.ok(maxMemory >= 200 && maxMemory < 1024, `Max Memory Used ${maxMemory} MB for 200 MB held, memory size 1024 MB`);
    });

    for (const [what, event] of [['sleeping', { ms: 60_000 }], ['spinning', { spin: true }]] as const) {
      test(`a ${what} handler is stopped at its 1 s timeout, not much later`, { timeout: 30_000 }, async () => {
        const r = runner('wait', { isolation, timeout: 1 });
        await r.invoke({ ms: 1 }); // warm: the time below is the invocation's, not a cold start's
        const started = performance.now();
        const rec = await r.invoke(event);
        const elapsed = performance.now() - started;
        assert.equal(rec.timedOut, true);
        assert.equal(rec.error?.errorType, 'Sandbox.Timedout');
        // At the timeout plus the time to stop the environment — well under twice the timeout.
        assert.ok(elapsed >= 990 && elapsed < 2_000, `a 1 s timeout took ${Math.round(elapsed)} ms`);
        // Lambda reports a timed-out invocation as lasting exactly its timeout, billed the same.
        assert.equal(rec.durationMs, 1000);
        const { duration, billed, init } = report(rec);
        assert.deepEqual({ duration, billed, init }, { duration: '1000.00', billed: 1000, init: undefined });
        const timedOut = rec.logs.findIndex((l) => / Task timed out after 1\.00 seconds$/.test(l));
        assert.ok(timedOut >= 0 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /.test(rec.logs[timedOut]!), rec.logs.join('\n'));
        assert.equal(rec.logs[timedOut + 1], `END RequestId: ${rec.requestId}`, 'the timeout line comes just before END');
      });
    }

    test('an init that never finishes: retried inside the invocation, then a timeout billed at the timeout', { timeout: 30_000 }, async () => {
      const dir = join(root, `init-forever-${isolation}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'index.mjs'), 'await new Promise((r) => setTimeout(r, 600_000));\nexport const handler = async () => "never";\n');
      const r = new FunctionRunner({ name: 'init-forever', codeDir: dir, memorySize: 128, timeout: 1, isolation }, { maxEnvironments: 1, initTimeoutMs: 500 });
      runners.push(r);
      const rec = await r.invoke({});
      assert.equal(rec.timedOut, true);
      assert.equal(rec.error?.errorType, 'Sandbox.Timedout');
      assert.equal(rec.durationMs, 1000);
      assert.equal(rec.billedDurationMs, 1000);
      assert.equal(rec.logs[0], 'INIT_REPORT Init Duration: 500.00 ms\tPhase: init\tStatus: timeout');
      assert.ok(rec.logs.includes('INIT_REPORT Init Duration: 1000.00 ms\tPhase: invoke\tStatus: timeout'), rec.logs.join('\n'));
      const { duration, billed } = report(rec);
      assert.deepEqual({ duration, billed }, { duration: '1000.00', billed: 1000 });
    });

    test('the context’s remaining time starts near the timeout and goes down', { timeout: 30_000 }, async () => {
      const rec = await runner('remaining', { isolation, timeout: 3 }).invoke({});
      const [a, b] = rec.result as [number, number];
      assert.ok(a > 2_000 && a <= 3_000, `first reading ${a} ms of a 3 s timeout`);
      assert.ok(b <= a - 40, `after a 50 ms sleep it read ${b} ms, first ${a} ms`);
    });

    test('a Wasm guest reads the same clock through remaining_time_ms', { timeout: 30_000 }, async () => {
      const dir = join(root, `wasm-remaining-${isolation}`);
      mkdirSync(dir, { recursive: true });
      copyFileSync(adapter, join(dir, 'index.mjs'));
      copyFileSync(compileWatText(remainingTimeWat), join(dir, 'guest.wasm'));
      const r = new FunctionRunner({ name: 'wasm-remaining', codeDir: dir, memorySize: 128, timeout: 3, isolation }, { maxEnvironments: 1 });
      runners.push(r);
      const rec = await r.invoke({});
      assert.equal(rec.ok, true, JSON.stringify(rec.error));
      const [a, b] = rec.result as [number, number];
      assert.ok(a > 2_000 && a <= 3_000, `first reading ${a} ms of a 3 s timeout`);
      assert.ok(b < a, `it went down: ${a} then ${b}`);
    });
  });
}
