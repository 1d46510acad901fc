// Lambda's own log lines, character for character as CloudWatch shows them (tab-separated REPORT
// fields, two decimals for durations, whole milliseconds billed), for fixed inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endLine, initReportLine, reportLine, startLine, timeoutLine } from './log-lines.js';

const id = '6a1bd8a4-3a3e-4d2b-9c1e-0f6c5b1d2e3f';

test('START and END', () => {
  assert.equal(startLine(id, '$LATEST'), `START RequestId: ${id} Version: $LATEST`);
  assert.equal(startLine(id, '7'), `START RequestId: ${id} Version: 7`);
  assert.equal(endLine(id), `END RequestId: ${id}`);
});

test('REPORT on a cold start: every field, in order, with Init Duration last', () => {
  assert.equal(
    reportLine({ requestId: id, durationMs: 2.006, billedMs: 164, memorySize: 128, maxMemoryMB: 67, initDurationMs: 160.154 }),
    `REPORT RequestId: ${id}\tDuration: 2.01 ms\tBilled Duration: 164 ms\tMemory Size: 128 MB\tMax Memory Used: 67 MB\tInit Duration: 160.15 ms`,
  );
});

test('REPORT when warm has no Init Duration', () => {
  assert.equal(
    reportLine({ requestId: id, durationMs: 1000, billedMs: 1000, memorySize: 512, maxMemoryMB: 91, initDurationMs: undefined }),
    `REPORT RequestId: ${id}\tDuration: 1000.00 ms\tBilled Duration: 1000 ms\tMemory Size: 512 MB\tMax Memory Used: 91 MB`,
  );
});

test('the timeout line: an ISO timestamp, the request id, the timeout with two decimals', () => {
  const before = Date.now();
  const line = timeoutLine(id, 3);
  const m = /^(\S+) (\S+) Task timed out after 3\.00 seconds$/.exec(line);
  assert.ok(m, line);
  assert.equal(m[2], id);
  const at = Date.parse(m[1]!);
  assert.ok(at >= before - 1 && at <= Date.now() + 1, `${m[1]} is now`);
  assert.equal(new Date(at).toISOString(), m[1]);
  assert.match(timeoutLine(id, 0.5), /Task timed out after 0\.50 seconds$/);
});

test('INIT_REPORT for an init that did not finish: its duration, the phase, the status', () => {
  // As AWS's "Lambda execution environment lifecycle" page shows a suppressed init's lines.
  assert.equal(initReportLine(10_000, 'init', 'timeout'), 'INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout');
  assert.equal(initReportLine(2999.996, 'invoke', 'error'), 'INIT_REPORT Init Duration: 3000.00 ms\tPhase: invoke\tStatus: error');
});
