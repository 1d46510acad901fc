// The retry policy: throttling and "update in progress" are retried with growing delays; other
// errors are not; the last error is thrown when attempts run out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isRetryable, withRetry } from './retry.js';

const awsError = (name: string, message = name, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

test('throttling errors of Lambda, IAM and CloudFront are retryable; a missing resource is not', () => {
  for (const name of ['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'RequestLimitExceeded']) assert.ok(isRetryable(awsError(name)), name);
  assert.ok(isRetryable(awsError('ResourceConflictException', 'The operation cannot be performed at this time. An update is in progress for resource: arn:…')));
  assert.ok(!isRetryable(awsError('ResourceConflictException', 'Function already exist: edge')));
  assert.ok(!isRetryable(awsError('ResourceNotFoundException')));
  assert.ok(!isRetryable(awsError('InvalidParameterValueException')));
  assert.ok(isRetryable(awsError('Whatever', 'x', 503)));
});

test('retries with exponential back-off, reports each retry, then succeeds', async () => {
  const delays: number[] = [];
  const retries: number[] = [];
  let calls = 0;
  const value = await withRetry(
    async () => {
      calls++;
      if (calls < 4) throw awsError('TooManyRequestsException', 'Rate exceeded', 429);
      return 'ok';
    },
    { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 250 },
    { sleep: async (ms) => void delays.push(ms), onRetry: ({ attempt }) => retries.push(attempt), random: () => 1 },
  );
  assert.equal(value, 'ok');
  assert.equal(calls, 4);
  assert.deepEqual(retries, [1, 2, 3]);
  assert.deepEqual(delays, [100, 200, 250]);
});

test('gives up after maxAttempts with the last error, and never retries other errors', async () => {
  let calls = 0;
  await assert.rejects(
    withRetry(async () => {
      calls++;
      throw awsError('ThrottlingException');
    }, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, { sleep: async () => {} }),
    /ThrottlingException/,
  );
  assert.equal(calls, 3);
  calls = 0;
  await assert.rejects(withRetry(async () => {
    calls++;
    throw awsError('AccessDeniedException');
  }, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, { sleep: async () => {} }));
  assert.equal(calls, 1);
});

test('retryIf adds a case for one call (a role Lambda cannot assume yet)', async () => {
  let calls = 0;
  const result = await withRetry(
    async () => {
      if (++calls === 1) throw awsError('InvalidParameterValueException', 'The role defined for the function cannot be assumed by Lambda.');
      return calls;
    },
    { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    { sleep: async () => {}, retryIf: (e) => /cannot be assumed/.test((e as Error).message) },
  );
  assert.equal(result, 2);
});
