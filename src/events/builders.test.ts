// Header and parameter names come from viewers and functions: `__proto__` and `constructor` are
// valid names, and must be an ordinary header or parameter, never the object's prototype. Request
// ids keep CloudFront's form while drawn from a pool of random bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFunctionUrlEvent, newCloudFrontRequestId, toCloudFrontHeaders } from './index.js';

test('a header named __proto__ is an own entry of the map', () => {
  const headers = toCloudFrontHeaders([['__proto__', 'x'], ['Accept', 'a'], ['__proto__', 'y']]);
  assert.deepEqual(Object.keys(headers), ['__proto__', 'accept']);
  assert.deepEqual(JSON.parse(JSON.stringify(headers)).__proto__, [{ key: '__proto__', value: 'x' }, { key: '__proto__', value: 'y' }]);
  assert.equal(Object.getPrototypeOf(headers), Object.prototype);
});

test('query parameters named constructor or __proto__ are parameters like any other', () => {
  const event = buildFunctionUrlEvent({ querystring: 'constructor=1&__proto__=x&a=1&a=2' });
  assert.deepEqual(JSON.parse(JSON.stringify(event.queryStringParameters)), JSON.parse('{"constructor": "1", "__proto__": "x", "a": "1,2"}'));
});

test('request ids: 56 characters of base64 with _ and - for + and /, all different, across the pool of 64 they are drawn from', () => {
  const ids = Array.from({ length: 200 }, () => newCloudFrontRequestId());
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{56}$/);
  assert.equal(new Set(ids).size, ids.length);
  // Every character of the alphabet turns up in 200 ids of random bytes, the two replaced ones included.
  const seen = new Set(ids.join(''));
  assert.ok(seen.has('_') && seen.has('-') && !seen.has('+') && !seen.has('/'));
});
