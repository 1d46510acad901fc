// B4's split of resident memory from /proc/self/smaps_rollup, and B3's phases from a runner report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phasesOf, residentSplit } from './cold.js';

// As Linux 6.x prints it for a node process (values from one run on the development machine).
const ROLLUP = `55d1c0a3e000-7ffd8a1f3000 ---p 00000000 00:00 0                          [rollup]
Rss:               49020 kB
Pss:               47466 kB
Pss_Dirty:          9604 kB
Pss_Anon:           9544 kB
Pss_File:          37922 kB
Pss_Shmem:             0 kB
Shared_Clean:       1556 kB
Shared_Dirty:          0 kB
Private_Clean:     37860 kB
Private_Dirty:      9604 kB
Referenced:        49020 kB
Anonymous:          9544 kB
LazyFree:              0 kB
AnonHugePages:         0 kB
`;

test('residentSplit: file-backed is Rss minus Anonymous, both in MB', () => {
  assert.deepEqual(residentSplit(ROLLUP), { fileBacked: (49020 - 9544) / 1024, anonymous: 9544 / 1024 });
});

test('residentSplit: a text without Rss or Anonymous gives undefined, not zeros', () => {
  assert.equal(residentSplit(ROLLUP.replace(/^Anonymous:.*$/m, '')), undefined);
  assert.equal(residentSplit(''), undefined);
  // AnonHugePages must not be read as Anonymous.
  assert.equal(residentSplit('Rss: 100 kB\nAnonHugePages: 4 kB\n'), undefined);
});

test('phasesOf: the adapter\'s parts and the rest add up to the wall time', () => {
  // Binary fractions, so that the sums are exact.
  const report = { startMs: 0, importMs: 4, firstInvokeMs: 5, consoleMs: 3, cpuMs: 30, maxRssKB: 1, init: { loadedAt: 0.75, readMs: 0.25, compileMs: 1, instantiateMs: 0.125, guestInitMs: 0.125 } };
  const p = phasesOf(40, report);
  assert.deepEqual(p, { process: 31, moduleLoad: 0.75, importRest: 1.75, firstCall: 2, console: 3, read: 0.25, compile: 1, instantiate: 0.125, guestInit: 0.125 });
  const sum = p.process + p.moduleLoad + p.read! + p.compile! + p.instantiate! + p.guestInit! + p.importRest + p.firstCall + p.console;
  assert.ok(Math.abs(sum - 40) < 1e-9, `phases add up to ${sum}`);
});
