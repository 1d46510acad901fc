// The local CloudFront's cache rules, value by value: how long a response is kept (ttlFor) and what
// tells two requests apart (cacheKey), as AWS describes them in "Manage how long content stays in
// the cache (expiration)" and "Understand the cache key"
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/Expiration.html,
//  https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/understanding-the-cache-key.html).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cacheKey, EdgeCache, ERROR_CACHING_MIN_TTL, normalizedEncoding, ttlFor, type KeyParts } from './cache.js';
import type { CachePolicy } from './config.js';
import type { HttpResponse } from '../http-types.js';

const policy = (p: Partial<CachePolicy> = {}): CachePolicy => ({
  minTTL: 0,
  defaultTTL: 86_400,
  maxTTL: 31_536_000,
  queryStrings: 'none',
  headers: [],
  cookies: 'none',
  ...p,
});
const response = (status: number, headers: Array<[string, string]> = []): HttpResponse => ({ status, headers, body: Buffer.from('x') });
const cc = (value: string, status = 200) => response(status, [['Cache-Control', value]]);

describe('ttlFor: how long CloudFront keeps a response', () => {
  test('error responses are kept for 10 seconds, whatever the policy and Cache-Control say', () => {
    assert.equal(ERROR_CACHING_MIN_TTL, 10);
    for (const status of [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]) {
      assert.equal(ttlFor(policy(), response(status)), 10, `status ${status}`);
      assert.equal(ttlFor(policy({ minTTL: 600, defaultTTL: 3600 }), cc('max-age=3600', status)), 10, `status ${status} with max-age`);
    }
  });

  test('statuses CloudFront never caches get 0', () => {
    for (const status of [201, 202, 204, 302, 304, 307, 401, 409, 418, 429]) assert.equal(ttlFor(policy(), response(status)), 0, `status ${status}`);
  });

  test('cacheable statuses without Cache-Control or Expires use the default TTL', () => {
    for (const status of [200, 203, 206, 300, 301, 410]) assert.equal(ttlFor(policy({ defaultTTL: 777 }), response(status)), 777, `status ${status}`);
  });

  test('max-age sets the TTL; s-maxage wins over max-age, in either order', () => {
    assert.equal(ttlFor(policy(), cc('max-age=120')), 120);
    assert.equal(ttlFor(policy(), cc('public, max-age=120')), 120);
    assert.equal(ttlFor(policy(), cc('max-age=120, s-maxage=30')), 30);
    assert.equal(ttlFor(policy(), cc('s-maxage=45, max-age=120')), 45);
    assert.equal(ttlFor(policy(), cc('s-maxage=0, max-age=120')), 0);
    assert.equal(ttlFor(policy(), cc('S-MaxAge=50')), 50, 'directives are case-insensitive');
  });

  test('a quoted value or spaces around "=" are read; a longer token that ends in max-age is not max-age', () => {
    assert.equal(ttlFor(policy(), cc('max-age="90"')), 90);
    assert.equal(ttlFor(policy(), cc('public , max-age = 90')), 90);
    assert.equal(ttlFor(policy(), cc('s-maxage="15", max-age=90')), 15);
    assert.equal(ttlFor(policy({ defaultTTL: 333 }), cc('x-max-age=90')), 333);
    assert.equal(ttlFor(policy({ defaultTTL: 333 }), cc('max-age')), 333, 'max-age without a value leaves the default');
  });

  test('max-age=0 means 0, not the default', () => {
    assert.equal(ttlFor(policy({ defaultTTL: 500 }), cc('max-age=0')), 0);
  });

  test('no-store, no-cache and private keep it for the minimum TTL only (0 by default: not cached)', () => {
    for (const directive of ['no-store', 'no-cache', 'private', 'private, max-age=600', 'max-age=600, no-cache', 'public, no-store, s-maxage=600']) {
      assert.equal(ttlFor(policy(), cc(directive)), 0, directive);
      assert.equal(ttlFor(policy({ minTTL: 5 }), cc(directive)), 5, `${directive} with minTTL 5`);
    }
    // A directive name inside another token does not count.
    assert.equal(ttlFor(policy(), cc('x-no-cache-ish, max-age=60')), 60);
  });

  test('the policy bounds the origin’s TTL: at least minTTL, at most maxTTL', () => {
    assert.equal(ttlFor(policy({ maxTTL: 100 }), cc('max-age=5000')), 100);
    assert.equal(ttlFor(policy({ maxTTL: 100 }), cc('s-maxage=5000')), 100);
    assert.equal(ttlFor(policy({ defaultTTL: 86_400, maxTTL: 100 }), response(200)), 100, 'the default is capped too');
    assert.equal(ttlFor(policy({ minTTL: 60 }), cc('max-age=5')), 60);
    assert.equal(ttlFor(policy({ minTTL: 60, maxTTL: 600 }), cc('max-age=300')), 300);
  });

  test('Expires in the future gives the seconds until then; in the past, 0; unparseable, the default', () => {
    const inAnHour = new Date(Date.now() + 3600_000).toUTCString();
    const ttl = ttlFor(policy(), response(200, [['Expires', inAnHour]]));
    assert.ok(ttl >= 3590 && ttl <= 3600, `${ttl}`);
    assert.equal(ttlFor(policy(), response(200, [['Expires', 'Thu, 01 Jan 1970 00:00:00 GMT']])), 0);
    assert.equal(ttlFor(policy({ defaultTTL: 42 }), response(200, [['Expires', 'soon']])), 42);
    assert.equal(ttlFor(policy(), response(200, [['Expires', inAnHour], ['Cache-Control', 'max-age=7']])), 7, 'max-age wins over Expires');
  });
});

const parts = (p: Partial<KeyParts> = {}): KeyParts => ({ behavior: '*', method: 'GET', uri: '/a', querystring: '', headers: [], cookies: [], ...p });
const same = (pol: CachePolicy, a: Partial<KeyParts>, b: Partial<KeyParts>) => assert.equal(cacheKey(pol, parts(a)), cacheKey(pol, parts(b)));
const differ = (pol: CachePolicy, a: Partial<KeyParts>, b: Partial<KeyParts>) => assert.notEqual(cacheKey(pol, parts(a)), cacheKey(pol, parts(b)));

describe('cacheKey: what tells two requests apart', () => {
  test('HEAD shares GET’s entry; other methods do not', () => {
    same(policy(), { method: 'HEAD' }, { method: 'GET' });
    differ(policy(), { method: 'OPTIONS' }, { method: 'GET' });
  });

  test('path and behavior are always in the key', () => {
    differ(policy(), { uri: '/a' }, { uri: '/b' });
    differ(policy(), { behavior: '*' }, { behavior: '/api/*' });
  });

  test('cookies are in the key when the policy names them, or says all; never when it says none', () => {
    const a = { cookies: [['session', '1'] as [string, string]] };
    const b = { cookies: [['session', '2'] as [string, string]] };
    differ(policy({ cookies: 'all' }), a, b);
    differ(policy({ cookies: ['session'] }), a, b);
    same(policy({ cookies: ['other'] }), a, b);
    same(policy({ cookies: 'none' }), a, b);
    differ(policy({ cookies: 'all' }), a, {});
    // The order the viewer sent them in does not matter.
    same(policy({ cookies: 'all' }), { cookies: [['a', '1'], ['b', '2']] }, { cookies: [['b', '2'], ['a', '1']] });
  });

  test('query strings: none, all, or the named ones, in any order', () => {
    same(policy({ queryStrings: 'none' }), { querystring: 'a=1' }, { querystring: 'a=2' });
    differ(policy({ queryStrings: 'all' }), { querystring: 'a=1' }, { querystring: 'a=2' });
    same(policy({ queryStrings: 'all' }), { querystring: 'a=1&b=2' }, { querystring: 'b=2&a=1' });
    differ(policy({ queryStrings: ['a'] }), { querystring: 'a=1' }, { querystring: 'a=2' });
    same(policy({ queryStrings: ['a'] }), { querystring: 'a=1&b=1' }, { querystring: 'a=1&b=2' });
  });

  test('query strings: every order of the same parameters is one entry; a repeated name keeps its values in order', () => {
    const orders = ['a=1&b=2&c=3', 'a=1&c=3&b=2', 'b=2&a=1&c=3', 'b=2&c=3&a=1', 'c=3&a=1&b=2', 'c=3&b=2&a=1', 'c=3&b=2&a=1&'];
    for (const querystring of orders) same(policy({ queryStrings: 'all' }), { querystring }, { querystring: orders[0] });
    for (const querystring of orders) same(policy({ queryStrings: ['a', 'b', 'c'] }), { querystring }, { querystring: orders[0] });
    // ?id=1&id=2 and ?id=2&id=1 reach the origin as different lists; other names may move around them.
    differ(policy({ queryStrings: 'all' }), { querystring: 'id=1&id=2' }, { querystring: 'id=2&id=1' });
    same(policy({ queryStrings: 'all' }), { querystring: 'z=0&id=1&id=2' }, { querystring: 'id=1&z=0&id=2' });
    same(policy({ queryStrings: 'all' }), { querystring: 'id=1&id=2&a=0&id=3' }, { querystring: 'a=0&id=1&id=2&id=3' });
    differ(policy({ queryStrings: 'all' }), { querystring: 'a=0&id=1&id=3&id=2' }, { querystring: 'a=0&id=1&id=2&id=3' });
  });

  test('"none" and "all" are settings, not names: parameters and cookies spelled like their letters', () => {
    // A policy value of 'none' or 'all' is not a list of names (whose `includes` would match 'n', 'o', 'al'…).
    same(policy({ queryStrings: 'none' }), { querystring: 'n=1&o=1&ne=1' }, { querystring: 'n=2&o=2&ne=2' });
    differ(policy({ queryStrings: 'all' }), { querystring: 'zz=1' }, { querystring: 'zz=2' });
    same(policy({ cookies: 'none' }), { cookies: [['no', '1']] }, { cookies: [['no', '2']] });
    differ(policy({ cookies: 'all' }), { cookies: [['zz', '1']] }, { cookies: [['zz', '2']] });
  });

  test('the parts of the key cannot run into each other', () => {
    differ(policy({ queryStrings: 'all' }), { uri: '/a', querystring: 'b=1' }, { uri: '/ab=1', querystring: '' });
    differ(policy({ queryStrings: 'all' }), { querystring: 'a=1&b=2' }, { querystring: 'a=1b%3D2' });
    differ(policy({ cookies: 'all' }), { cookies: [['a', '1'], ['b', '2']] }, { cookies: [['a', '1b=2']] });
    // Two headers in the policy: one value cannot swallow the next header's name.
    const two = policy({ headers: ['x-a', 'x-b'] });
    differ(two, { headers: [['X-A', '1x-b:'], ['X-B', '']] }, { headers: [['X-A', '1'], ['X-B', 'x-b:']] });
  });

  test('headers named by the policy are in the key, others are not', () => {
    differ(policy({ headers: ['x-lang'] }), { headers: [['X-Lang', 'en']] }, { headers: [['X-Lang', 'fr']] });
    same(policy({ headers: [] }), { headers: [['X-Lang', 'en']] }, { headers: [['X-Lang', 'fr']] });
    differ(policy({ headers: ['x-lang'] }), { headers: [['X-Lang', 'en']] }, { headers: [] });
    same(policy({ headers: ['x-lang'] }), { headers: [['X-Other', '1']] }, { headers: [] });
  });

  test('Accept-Encoding is normalised to what CloudFront compresses with', () => {
    assert.equal(normalizedEncoding('gzip, deflate, br'), 'br,gzip');
    assert.equal(normalizedEncoding('GZIP'), 'gzip');
    assert.equal(normalizedEncoding('deflate'), '');
    assert.equal(normalizedEncoding(undefined), '');
    same(policy(), { headers: [['Accept-Encoding', 'gzip']] }, { headers: [['Accept-Encoding', 'gzip, deflate']] });
    differ(policy(), { headers: [['Accept-Encoding', 'gzip']] }, { headers: [['Accept-Encoding', 'br']] });
  });
});

describe('EdgeCache: freshness by age', () => {
  test('fresh while younger than its TTL; a TTL of 0 stores nothing; refresh restarts the clock', () => {
    let now = 1_000_000;
    const cache = new EdgeCache(() => now);
    cache.put('k', '/a', response(200), 10);
    cache.put('zero', '/z', response(200), 0);
    assert.equal(cache.size, 1);
    now += 9_999;
    assert.deepEqual({ fresh: cache.get('k')!.fresh, age: cache.get('k')!.age }, { fresh: true, age: 9 });
    now += 1;
    assert.deepEqual({ fresh: cache.get('k')!.fresh, age: cache.get('k')!.age }, { fresh: false, age: 10 });
    cache.refresh('k', 10);
    assert.equal(cache.get('k')!.fresh, true);
    assert.equal(cache.get('k')!.age, 0);
  });

  test('an unknown key: get finds nothing, refresh adds nothing', () => {
    const cache = new EdgeCache();
    assert.equal(cache.get('nothing'), undefined);
    cache.refresh('nothing', 60);
    assert.equal(cache.size, 0);
  });

  test('refresh keeps the object the new TTL (at least 1 s)', () => {
    let now = 0;
    const cache = new EdgeCache(() => now);
    cache.put('k', '/a', response(200), 5);
    now = 60_000;
    cache.refresh('k', 30);
    now += 29_000;
    assert.equal(cache.get('k')!.fresh, true, 'fresh for the 30 s given');
    cache.refresh('k', 0);
    assert.equal(cache.get('k')!.fresh, true, 'a TTL of 0 still keeps it a second');
    now += 1_000;
    assert.equal(cache.get('k')!.fresh, false);
  });

  test('a second put under the same key replaces the object and restarts its clock', () => {
    let now = 0;
    const cache = new EdgeCache(() => now);
    cache.put('k', '/a', response(200, [['ETag', '"1"']]), 10);
    now = 8_000;
    cache.put('k', '/a', response(200, [['ETag', '"2"']]), 5);
    assert.equal(cache.size, 1);
    const hit = cache.get('k')!;
    assert.deepEqual([hit.entry.response.headers, hit.age, hit.fresh], [[['ETag', '"2"']], 0, true]);
    now += 5_000;
    assert.equal(cache.get('k')!.fresh, false, 'the new TTL, counted from the second put');
  });

  test('invalidation: an exact path, or a prefix ending in *', () => {
    const cache = new EdgeCache();
    for (const uri of ['/a', '/a/b', '/ab', '/c']) cache.put(uri, uri, response(200), 60);
    assert.equal(cache.invalidate(['/a']), 1);
    assert.equal(cache.invalidate(['/a*']), 2);
    assert.equal(cache.invalidate(['/nothing', '/c']), 1, 'any one of the paths');
    cache.put('/c', '/c', response(200), 60);
    assert.equal(cache.size, 1);
    assert.equal(cache.get('/c')!.entry.uri, '/c');
  });
});
