import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePathPattern } from './path-pattern.js';

test('CloudFront path patterns: * spans slashes, ? is one character, case matters', () => {
  const images = compilePathPattern('/images/*.jpg');
  assert.ok(images('/images/a.jpg'));
  assert.ok(images('/images/deep/er/a.jpg'));
  assert.ok(!images('/images/a.JPG'));
  assert.ok(!images('/Images/a.jpg'));
  const one = compilePathPattern('/a?c');
  assert.ok(one('/abc') && !one('/ac') && !one('/abbc'));
  assert.ok(compilePathPattern('private/*')('/private/x'), 'a pattern without / is rooted');
  assert.ok(compilePathPattern('*')('/anything/at/all'));
  assert.ok(compilePathPattern('/api/v1.0/*')('/api/v1.0/x') && !compilePathPattern('/api/v1.0/*')('/api/v1x0/x'), 'dots are literal');
});
