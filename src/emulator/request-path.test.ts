import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathForMatching, removeDotSegments } from './request-path.js';

test('dot segments go as RFC 3986 §5.2.4 says; empty segments stay', () => {
  assert.equal(removeDotSegments('/a/b/../c'), '/a/c');
  assert.equal(removeDotSegments('/a/./b/.'), '/a/b/');
  assert.equal(removeDotSegments('/../../x'), '/x');
  assert.equal(removeDotSegments('/a//b/../c'), '/a//c');
  assert.equal(removeDotSegments('//private/x'), '//private/x');
  assert.equal(removeDotSegments('/a/..'), '/');
});

test('the path a behavior is matched with: decoded, without dot segments, slashes kept', () => {
  assert.equal(pathForMatching('/private%2Findex.html'), '/private/index.html');
  assert.equal(pathForMatching('/docs/%2e%2e/private/x'), '/private/x');
  assert.equal(pathForMatching('//private/index.html'), '//private/index.html');
  assert.equal(pathForMatching('/bad%zz/x'), '/bad%zz/x');
});
