import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closest, editDistance } from './suggest.js';

test('edit distance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('regoin', 'region'), 1);
  assert.equal(editDistance('eventTyp', 'eventType'), 1);
  assert.equal(editDistance('abc', 'abc'), 0);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('a typo, a case slip or a shortened key finds the key meant', () => {
  const keys = ['crate', 'wasm', 'wasmPack', 'eventType', 'memorySize', 'timeout', 'includeBody', 'fixture', 'buildEnv', 'description'];
  assert.equal(closest('eventTyp', keys), 'eventType');
  assert.equal(closest('evenType', keys), 'eventType');
  assert.equal(closest('memory', keys), 'memorySize');
  assert.equal(closest('includebody', keys), 'includeBody');
  assert.equal(closest('timeuot', keys), 'timeout');
  assert.equal(closest('distributionID', ['distributionId', 'pathPattern']), 'distributionId');
});

test('no suggestion when nothing is close, or when two words are equally close', () => {
  assert.equal(closest('handler', ['crate', 'wasm', 'eventType']), undefined);
  assert.equal(closest('x', ['crate', 'wasm']), undefined);
  assert.equal(closest('viewer', ['viewer-request', 'viewer-response']), undefined);
});
