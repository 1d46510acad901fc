// `logs --since`: a duration back from now, or a date (the rest of `logs` runs against moto's
// CloudWatch Logs in test/deploy/logs.moto.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSince } from './logs.js';

test('--since takes durations and dates', () => {
  const now = Date.parse('2026-11-29T20:00:00Z');
  assert.equal(parseSince('10m', now), now - 600_000);
  assert.equal(parseSince('2h', now), now - 7_200_000);
  assert.equal(parseSince('2026-11-29T19:00:00Z', now), Date.parse('2026-11-29T19:00:00Z'));
  assert.equal(parseSince('soon', now), undefined);
});
