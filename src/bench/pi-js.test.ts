import assert from 'node:assert/strict';
import { test } from 'node:test';
import { piDigitsJs } from './pi-js.js';

test('the JS spigot gives the digits of pi', () => {
  assert.equal(piDigitsJs(50), '31415926535897932384626433832795028841971693993751');
});
