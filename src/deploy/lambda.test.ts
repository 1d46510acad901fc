// What `deploy` counts as a configuration change (pure, no AWS): each field Lambda holds, changed
// alone, is reported by its name — so runtime, role and handler changes are never "unchanged".
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { configurationDifferences } from './lambda.js';

const desired = {
  FunctionName: 'edge-fn',
  Runtime: 'nodejs22.x' as const,
  Role: 'arn:aws:iam::123456789012:role/lambda-wasm-edge',
  Handler: 'index.handler',
  MemorySize: 128,
  Timeout: 5,
  Description: 'lambda-wasm function edge-fn',
  Environment: { Variables: { MODE: 'prod' } },
};
/** What GetFunction reports for a function deployed with `desired`. */
const deployed = (): FunctionConfiguration => structuredClone({ ...desired, Runtime: 'nodejs22.x' });

describe('deploy: configuration differences', () => {
  test('a function as deployed has none', () => {
    assert.deepEqual(configurationDifferences(deployed(), desired), []);
  });

  const cases: Array<[string, (c: FunctionConfiguration) => void]> = [
    ['runtime', (c) => (c.Runtime = 'nodejs20.x')],
    ['role', (c) => (c.Role = 'arn:aws:iam::123456789012:role/someone-else')],
    ['handler', (c) => (c.Handler = 'other.handler')],
    ['memory', (c) => (c.MemorySize = 256)],
    ['timeout', (c) => (c.Timeout = 30)],
    ['description', (c) => (c.Description = 'old text')],
    ['environment', (c) => (c.Environment = { Variables: { MODE: 'dev' } })],
  ];
  for (const [name, change] of cases) {
    test(`a changed ${name} is reported as "${name}", and nothing else`, () => {
      const current = deployed();
      change(current);
      assert.deepEqual(configurationDifferences(current, desired), [name]);
    });
  }

  test('environment: a variable added or removed is a difference; none on either side is not', () => {
    const added = deployed();
    added.Environment = { Variables: { MODE: 'prod', EXTRA: '1' } };
    assert.deepEqual(configurationDifferences(added, desired), ['environment']);
    const removed = deployed();
    removed.Environment = { Variables: {} };
    assert.deepEqual(configurationDifferences(removed, desired), ['environment']);
    const { Environment: _none, ...withoutEnv } = desired;
    const bare = deployed();
    delete bare.Environment;
    assert.deepEqual(configurationDifferences(bare, withoutEnv), []);
  });

  test('a missing description on the deployed function equals an empty one', () => {
    const current = deployed();
    delete current.Description;
    assert.deepEqual(configurationDifferences(current, { ...desired, Description: '' }), []);
  });
});
