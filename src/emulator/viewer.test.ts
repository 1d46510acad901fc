// What the origin gets: CloudFront forwards the union of what the behavior's cache policy puts in
// the cache key and what its origin-request policy adds (AWS's "Controlling origin requests" page),
// plus the headers it sets itself. The viewer's CloudFront-* values come from its request, or from
// the x-lambda-wasm-viewer-* test headers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildEvent, type CloudFrontRequest } from '../events/index.js';
import type { HeaderPairs } from '../http-types.js';
import { CACHING_OPTIMIZED, type BehaviorConfig, type CachePolicy, type OriginRequestPolicy } from './config.js';
import { originSideRequest, viewerOf } from './viewer.js';

const NOTHING: OriginRequestPolicy = { queryStrings: 'none', headers: 'none', cookies: 'none' };

function behavior(cache: Partial<CachePolicy>, originRequest: Partial<OriginRequestPolicy>): BehaviorConfig {
  return {
    pathPattern: '*',
    matches: () => true,
    origin: { name: 'api', kind: 'http', url: new URL('https://api.example.com/v1'), domainName: 'api.example.com', originPath: '/v1', readTimeout: 30, keepaliveTimeout: 5 },
    triggers: {},
    cachePolicy: { ...CACHING_OPTIMIZED, ...cache },
    originRequestPolicy: { ...NOTHING, ...originRequest },
  };
}

const VIEWER_HEADERS: HeaderPairs = [
  ['Host', 'd111111abcdef8.cloudfront.net'],
  ['User-Agent', 'curl/8.0'],
  ['Accept', 'text/html'],
  ['Accept-Encoding', 'gzip, deflate, br'],
  ['X-Key', 'k'],
  ['X-Other', 'o'],
  ['X-Secret', 's'],
  ['Cookie', 'session=1; theme=dark; ad=x'],
];

/** The origin-side request for a viewer request with the headers above and `?a=1&b=2&c=3`. */
function forwarded(cache: Partial<CachePolicy>, originRequest: Partial<OriginRequestPolicy>, headers: HeaderPairs = VIEWER_HEADERS): CloudFrontRequest {
  const { viewer, headers: kept } = viewerOf(headers, '203.0.113.9', 50_000, true);
  const request = buildEvent('viewer-request', { uri: '/x', querystring: 'a=1&b=2&c=3', headers: kept, clientIp: '203.0.113.9' }).Records[0]!.cf.request;
  return originSideRequest(behavior(cache, originRequest), request, viewer);
}

const pairs = (r: CloudFrontRequest): string[] => Object.values(r.headers).flatMap((list) => list.map((h) => `${h.key}: ${h.value}`));

test('nothing forwarded: only what CloudFront itself sends reaches the origin', () => {
  const r = forwarded({}, {});
  assert.deepEqual(pairs(r), [
    'Host: api.example.com',
    'User-Agent: Amazon CloudFront',
    'Accept-Encoding: br,gzip',
    'X-Forwarded-For: 203.0.113.9',
    'Via: 2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)',
  ]);
  assert.equal(r.querystring, '');
  assert.deepEqual([r.uri, r.method, r.clientIp], ['/x', 'GET', '203.0.113.9']);
  assert.equal(r.origin?.custom?.domainName, 'api.example.com');
  assert.equal(r.origin?.custom?.path, '/v1');
});

test('headers: the cache key\'s and the origin-request policy\'s named headers are both forwarded, nothing else', () => {
  const names = (r: CloudFrontRequest) => Object.keys(r.headers).filter((n) => n.startsWith('x-') && n !== 'x-forwarded-for');
  assert.deepEqual(names(forwarded({ headers: ['x-key'] }, {})), ['x-key']);
  assert.deepEqual(names(forwarded({}, { headers: ['x-other'] })), ['x-other']);
  assert.deepEqual(names(forwarded({ headers: ['x-key'] }, { headers: ['x-other'] })), ['x-key', 'x-other']);
  assert.deepEqual(forwarded({ headers: ['x-key'] }, { headers: ['x-other'] }).headers['x-other'], [{ key: 'X-Other', value: 'o' }]);
  // Naming Host or User-Agent forwards the viewer's instead of CloudFront's.
  const r = forwarded({ headers: ['host'] }, { headers: ['user-agent'] });
  assert.deepEqual([r.headers.host, r.headers['user-agent']], [[{ key: 'Host', value: 'd111111abcdef8.cloudfront.net' }], [{ key: 'User-Agent', value: 'curl/8.0' }]]);
});

test('headers: "all" on either side forwards every viewer header, but no CloudFront-* one', () => {
  const withCf: HeaderPairs = [...VIEWER_HEADERS, ['CloudFront-Viewer-Country', 'XX']];
  const r = forwarded({ headers: ['x-key'] }, { headers: 'all' }, withCf);
  assert.deepEqual(Object.keys(r.headers), ['host', 'user-agent', 'accept', 'accept-encoding', 'x-key', 'x-other', 'x-secret', 'x-forwarded-for', 'via']);
  assert.deepEqual(r.headers['accept-encoding'], [{ key: 'Accept-Encoding', value: 'gzip, deflate, br' }]);
  // Cookies follow their own selection, even when every header is forwarded.
  assert.deepEqual(r.headers.cookie, undefined);
});

test('CloudFront-* headers: added with the viewer\'s values when a policy names them, from either side', () => {
  const r = forwarded({ headers: ['cloudfront-viewer-country'] }, { headers: ['cloudfront-is-mobile-viewer', 'cloudfront-forwarded-proto'] });
  assert.deepEqual(pairs(r).filter((p) => p.startsWith('CloudFront-')), ['CloudFront-Viewer-Country: US', 'CloudFront-Is-Mobile-Viewer: false', 'CloudFront-Forwarded-Proto: https']);
  const overridden = forwarded({}, { headers: ['cloudfront-viewer-country', 'cloudfront-is-mobile-viewer'] }, [...VIEWER_HEADERS, ['x-lambda-wasm-viewer-country', 'FR'], ['X-Lambda-Wasm-Viewer-Device', 'tablet']]);
  assert.deepEqual(pairs(overridden).filter((p) => p.startsWith('CloudFront-')), ['CloudFront-Viewer-Country: FR', 'CloudFront-Is-Mobile-Viewer: true']);
  // The test headers never reach the origin.
  assert.ok(!Object.keys(overridden.headers).some((n) => n.startsWith('x-lambda-wasm-')));
});

test('query strings: the union of the two selections, in the viewer\'s order', () => {
  assert.equal(forwarded({ queryStrings: ['c'] }, {}).querystring, 'c=3');
  assert.equal(forwarded({}, { queryStrings: ['a'] }).querystring, 'a=1');
  assert.equal(forwarded({ queryStrings: ['c'] }, { queryStrings: ['a'] }).querystring, 'a=1&c=3');
  assert.equal(forwarded({ queryStrings: ['c'] }, { queryStrings: 'all' }).querystring, 'a=1&b=2&c=3');
  assert.equal(forwarded({ queryStrings: 'all' }, {}).querystring, 'a=1&b=2&c=3');
  assert.equal(forwarded({ queryStrings: 'none' }, { queryStrings: 'none' }).querystring, '');
});

test('cookies: the union of the two selections, joined into one Cookie header', () => {
  assert.deepEqual(forwarded({ cookies: ['session'] }, {}).headers.cookie, [{ key: 'Cookie', value: 'session=1' }]);
  assert.deepEqual(forwarded({ cookies: ['session'] }, { cookies: ['ad'] }).headers.cookie, [{ key: 'Cookie', value: 'session=1; ad=x' }]);
  assert.deepEqual(forwarded({ cookies: 'none' }, { cookies: 'all' }).headers.cookie, [{ key: 'Cookie', value: 'session=1; theme=dark; ad=x' }]);
  assert.equal(forwarded({ cookies: ['missing'] }, {}).headers.cookie, undefined);
});

test('viewerOf: device from the User-Agent unless overridden, hop-by-hop and test headers split off', () => {
  const mobile = viewerOf([['User-Agent', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)'], ['Connection', 'keep-alive'], ['Accept', '*/*']], '198.51.100.1', 4242, false);
  assert.deepEqual(mobile.headers, [['User-Agent', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)'], ['Accept', '*/*']]);
  const cf = Object.fromEntries(mobile.viewer.cloudfrontHeaders);
  assert.deepEqual(
    [cf['cloudfront-is-mobile-viewer'], cf['cloudfront-is-desktop-viewer'], cf['cloudfront-is-ios-viewer'], cf['cloudfront-viewer-address'], cf['cloudfront-forwarded-proto']],
    ['true', 'false', 'true', '198.51.100.1:4242', 'http'],
  );
  const tv = viewerOf([['User-Agent', 'Mozilla/5.0 (SMART-TV; Linux)'], ['x-lambda-wasm-viewer-city', 'Paris']], '::1', 1, true);
  assert.deepEqual(tv.headers, [['User-Agent', 'Mozilla/5.0 (SMART-TV; Linux)']]);
  assert.equal(tv.viewer.cloudfrontHeaders.get('cloudfront-is-smarttv-viewer'), 'true');
  assert.equal(tv.viewer.cloudfrontHeaders.get('cloudfront-viewer-city'), 'Paris');
});
