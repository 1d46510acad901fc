import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { test } from 'node:test';
import { IdleCollector, fullCollection, type PoolCounts } from './idle-collector.js';

function collector(counts: PoolCounts[]): { c: IdleCollector; runs: () => number } {
  let runs = 0;
  let i = 0;
  const c = new IdleCollector(() => counts[Math.min(i++, counts.length - 1)]!, () => runs++, 3_600_000);
  c.stop();
  return { c, runs: () => runs };
}

test('collects once after environments end and none is at work, not before, not again', () => {
  const { c, runs } = collector([
    { environments: 3, working: 3 }, // a burst
    { environments: 3, working: 0 }, // idle, nothing ended
    { environments: 1, working: 1 }, // two ended, one still at work
    { environments: 1, working: 0 }, // idle now
    { environments: 1, working: 0 },
    { environments: 0, working: 0 }, // the last one reaped
  ]);
  c.check();
  c.check();
  assert.equal(runs(), 0, 'nothing ended yet');
  c.check();
  assert.equal(runs(), 0, 'an environment is still at work');
  c.check();
  assert.equal(runs(), 1, 'ended and idle: one collection');
  c.check();
  assert.equal(runs(), 1, 'not again while nothing else ends');
  c.check();
  assert.equal(runs(), 2, 'another environment ended');
  assert.equal(c.collections, 2);
});

test('does nothing where no collection is available', () => {
  const c = new IdleCollector(() => ({ environments: 0, working: 0 }), undefined, 3_600_000);
  c.stop();
  assert.doesNotThrow(() => c.check());
  assert.equal(c.collections, 0);
});

test('V8 full collection without --expose-gc, and no gc global left for contexts and threads made later', async () => {
  const gc = fullCollection();
  assert.equal(typeof gc, 'function');
  gc!();
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'a new context sees no gc');
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage(typeof gc)", { eval: true });
  const seen = await new Promise((resolve) => worker.once('message', resolve));
  await worker.terminate();
  assert.equal(seen, 'undefined', 'a worker thread (a thread environment) sees no gc');
});
