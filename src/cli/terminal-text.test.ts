import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControl } from './terminal-text.js';

test('control characters but tab, and bidi overrides, are printed as visible escapes', () => {
  assert.equal(escapeControl('\u001b[2Jclear'), '\\x1b[2Jclear');
  assert.equal(escapeControl('a\rEND RequestId: x'), 'a\\rEND RequestId: x');
  assert.equal(escapeControl('a\nb\u0000c\u007fd\u009be'), 'a\\nb\\0c\\x7fd\\x9be');
  assert.equal(escapeControl('left \u202eright'), 'left \\u202eright');
  assert.equal(escapeControl('tab\tkept, naïve ✓ 🙂'), 'tab\tkept, naïve ✓ 🙂');
});
