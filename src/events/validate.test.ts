// One test per rule of docs/cloudfront-rules.md §2–§4: a result that breaks it is rejected
// with that rule, and the nearest valid result next to it is accepted.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildEvent,
  buildOriginRequestEvent,
  buildOriginResponseEvent,
  buildViewerRequestEvent,
  buildViewerResponseEvent,
  DEFAULT_CLOUDFRONT_SETTINGS,
  formatViolation,
  validateResult,
  type CloudFrontEventType,
  type RuleId,
} from './index.js';

type Json = Record<string, any>;
const clone = <T>(v: T): T => structuredClone(v);

const vreq = buildViewerRequestEvent({ uri: '/a', headers: [['Accept', 'text/html'], ['Content-Length', '0']] });
const oreq = buildOriginRequestEvent({ uri: '/a', headers: [['Accept-Encoding', 'gzip'], ['If-None-Match', '"x"']] });
const ores = buildOriginResponseEvent({ responseHeaders: [['Content-Type', 'text/html'], ['Via', '1.1 origin'], ['Transfer-Encoding', 'chunked']] });
const vres = buildViewerResponseEvent({ responseHeaders: [['Content-Type', 'text/html'], ['Content-Length', '12'], ['Warning', '199 x']] });

const requestOf = (e: { Records: [{ cf: { request: unknown } }] }) => clone(e.Records[0].cf.request) as Json;
const responseOf = (e: { Records: [{ cf: { response: unknown } }] }) => clone(e.Records[0].cf.response) as Json;
const EVENTS = { 'viewer-request': vreq, 'origin-request': oreq, 'origin-response': ores, 'viewer-response': vres } as const;

function rules(type: CloudFrontEventType, result: unknown, event: unknown = EVENTS[type]): RuleId[] {
  return validateResult(type, result, event).map((v) => v.rule);
}
function rejects(type: CloudFrontEventType, result: unknown, rule: RuleId, event?: unknown): void {
  const found = rules(type, result, event);
  assert.ok(found.includes(rule), `expected ${rule}, got [${found.join(', ')}] for ${JSON.stringify(result).slice(0, 200)}`);
  // Every violation tells the user what was wrong: a message, and where.
  for (const v of validateResult(type, result, event ?? EVENTS[type])) {
    assert.ok(v.message.length >= 20, `${v.rule} at ${v.path}: message ${JSON.stringify(v.message)} says too little`);
  }
}
function accepts(type: CloudFrontEventType, result: unknown, event?: unknown): void {
  const found = validateResult(type, result, event ?? EVENTS[type]);
  assert.deepEqual(found.map(formatViolation), []);
}
const generated = (extra: Json = {}): Json => ({ status: '200', statusDescription: 'OK', headers: { 'content-type': [{ key: 'Content-Type', value: 'text/plain' }] }, body: 'hi', ...extra });

describe('validateResult: result type', () => {
  for (const bad of [null, undefined, 'text', 42, true, [generated()]]) {
    test(`rejects ${JSON.stringify(bad) ?? 'undefined'} with CloudFront's "must be an object type"`, () => {
      const v = validateResult('viewer-request', bad, vreq);
      assert.equal(v.length, 1);
      assert.equal(v[0]!.rule, 'result-type');
      assert.match(v[0]!.message, /The JSON output must be an object type/);
      assert.equal(v[0]!.status, 502);
      assert.equal(v[0]!.errorClass, 'LambdaValidationError');
    });
  }
  test('the request passed back unchanged is valid, in both request events', () => {
    accepts('viewer-request', requestOf(vreq));
    accepts('origin-request', requestOf(oreq));
  });
  test('the response passed back unchanged is valid, in both response events', () => {
    accepts('origin-response', responseOf(ores));
    accepts('viewer-response', responseOf(vres));
  });
  test('a request without uri or headers is rejected', () => {
    rejects('viewer-request', { querystring: '' }, 'result-shape');
  });
  test('an unknown event type is a usage error, not a violation', () => {
    assert.throws(() => validateResult('edge-request' as CloudFrontEventType, {}), /unknown CloudFront event type/);
  });
});

describe('validateResult: generated responses and status', () => {
  test('a generated response with only a status is valid', () => accepts('viewer-request', { status: '403' }));
  for (const status of ['199', '600', '99', '2000', 'OK', '']) {
    test(`status "${status}" is rejected`, () => rejects('viewer-request', generated({ status }), 'status'));
  }
  test('status 200 and 599 are the ends of the range', () => {
    accepts('origin-request', generated({ status: '200' }));
    accepts('origin-request', generated({ status: '599' }));
  });
  test('a numeric status is rejected: it must be a string', () => {
    const v = validateResult('viewer-request', generated({ status: 302 }), vreq);
    assert.equal(v[0]!.rule, 'status');
    assert.match(v[0]!.message, /string such as "302"/);
  });
  test('statusDescription must be a string', () => {
    rejects('viewer-request', generated({ statusDescription: 5 }), 'status-description');
    accepts('viewer-request', generated({ statusDescription: 'Totally Fine' }));
  });
  test('statusDescription fits the HTTP status line: no CR, LF or control character, nothing above Latin-1', () => {
    for (const bad of ['OK\r\nSet-Cookie: x=1', 'OK\n', 'A\u0000', 'A\u001b[2J', 'A\u007f', 'Ça va ✓', 'Fine 🙂']) {
      rejects('viewer-request', generated({ statusDescription: bad }), 'status-description');
      rejects('origin-response', { ...responseOf(ores), statusDescription: bad }, 'status-description');
      rejects('viewer-response', { ...responseOf(vres), statusDescription: bad }, 'status-description');
    }
    const [v] = validateResult('viewer-request', generated({ statusDescription: 'OK\r\n' }), vreq);
    assert.match(v!.message, /invalid character '%0D' at 2/);
    assert.match(validateResult('viewer-request', generated({ statusDescription: 'Ça va ✓' }), vreq)[0]!.message, /invalid character U\+2713 at 6/);
    // Tab, Latin-1 (obs-text) and an empty phrase are all a status line can carry.
    for (const good of ['Très bien', 'Not\tFound', '', 'Moved Permanently']) accepts('viewer-request', generated({ statusDescription: good }));
  });
  test('204 with a body in viewer-request is rejected; 204 without one is fine', () => {
    rejects('viewer-request', generated({ status: '204', body: 'x' }), 'body-with-204');
    accepts('viewer-request', generated({ status: '204', body: '' }));
  });
  test('bodyEncoding must be text or base64, and a base64 body must be base64', () => {
    rejects('viewer-request', generated({ bodyEncoding: 'gzip' }), 'body-encoding');
    rejects('viewer-request', generated({ bodyEncoding: 'base64', body: 'not base64!' }), 'body-base64');
    rejects('viewer-request', generated({ bodyEncoding: 'base64', body: 'aGk' }), 'body-base64');
    accepts('viewer-request', generated({ bodyEncoding: 'base64', body: 'aGk=' }));
    rejects('viewer-request', generated({ body: 42 }), 'body-encoding');
  });
  test('generated response size: 40 KB in viewer events, 1 MB in origin events, headers included', () => {
    const limit = DEFAULT_CLOUDFRONT_SETTINGS.maxGeneratedResponseBytes.viewer;
    const headersSize = 'content-type'.length + 'text/plain'.length + 4;
    accepts('viewer-request', generated({ body: 'x'.repeat(limit - headersSize) }));
    rejects('viewer-request', generated({ body: 'x'.repeat(limit - headersSize + 1) }), 'generated-response-size');
    accepts('origin-request', generated({ body: 'x'.repeat(41 * 1024) }));
    rejects('origin-request', generated({ body: 'x'.repeat(1024 * 1024) }), 'generated-response-size');
  });
  test('the size limits are settings', () => {
    const settings = { ...DEFAULT_CLOUDFRONT_SETTINGS, maxGeneratedResponseBytes: { viewer: 100, origin: 100 } };
    assert.equal(validateResult('viewer-request', generated({ body: 'x'.repeat(200) }), vreq, settings)[0]?.rule, 'generated-response-size');
  });
  test('a read-only header in a generated response counts as added', () => {
    rejects('viewer-request', generated({ headers: { 'content-length': [{ key: 'Content-Length', value: '2' }] } }), 'read-only-header');
    accepts('origin-response', { ...responseOf(ores), body: 'replaced' });
  });
});

describe('validateResult: header map shape', () => {
  const withHeaders = (headers: unknown) => ({ ...requestOf(vreq), headers: { ...requestOf(vreq).headers, ...(headers as Json) } });
  test('names must be lowercase', () => rejects('viewer-request', withHeaders({ 'X-Foo': [{ key: 'X-Foo', value: '1' }] }), 'header-name'));
  test('names must be HTTP tokens', () => rejects('viewer-request', withHeaders({ 'x foo': [{ value: '1' }] }), 'header-name'));
  test('each header is an array', () => rejects('viewer-request', withHeaders({ 'x-foo': { key: 'X-Foo', value: '1' } }), 'headers-shape'));
  test('each entry is an object', () => rejects('viewer-request', withHeaders({ 'x-foo': ['1'] }), 'headers-shape'));
  test('key is optional, but must spell the name', () => {
    accepts('viewer-request', withHeaders({ 'x-foo': [{ value: '1' }] }));
    rejects('viewer-request', withHeaders({ 'x-foo': [{ key: 'X-Bar', value: '1' }] }), 'header-key');
  });
  test("a non-string value gets CloudFront's message", () => {
    const v = validateResult('viewer-request', withHeaders({ 'x-foo': [{ key: 'X-Foo', value: 1 }] }), vreq);
    assert.equal(v[0]!.rule, 'header-value');
    assert.match(v[0]!.message, /header :x-foo has one or more entries whose value is neither string nor array of strings/);
  });
  test('CR or LF in a value is rejected with the %0D / %0A code', () => {
    const v = validateResult('viewer-request', withHeaders({ location: [{ key: 'Location', value: '/a\r\nx' }] }), vreq);
    assert.equal(v[0]!.rule, 'header-value-characters');
    assert.match(v[0]!.message, /invalid character : '%0D' in header value, headerName : Location/);
  });
  test('any control character but tab is rejected; characters above Latin-1 are UTF-8 and fine', () => {
    for (const bad of ['a\u0000b', 'a\u001b[2J', 'a\u007f', 'a\u0001', 'x\u000b']) rejects('viewer-request', withHeaders({ 'x-foo': [{ value: bad }] }), 'header-value-characters');
    assert.match(validateResult('viewer-request', withHeaders({ 'x-foo': [{ key: 'X-Foo', value: 'a\u001b' }] }), vreq)[0]!.message, /invalid character : '%1B' in header value, headerName : X-Foo/);
    accepts('viewer-request', withHeaders({ 'x-foo': [{ value: 'a\tb' }], 'x-bar': [{ value: 'naïve ✓ 🙂' }] }));
  });
  test('headers must be an object', () => rejects('viewer-request', { ...requestOf(vreq), headers: [] }, 'headers-shape'));
});

describe('validateResult: disallowed and read-only headers', () => {
  const addTo = (type: 'viewer-request' | 'origin-request', name: string, value = 'v') => {
    const r = requestOf(EVENTS[type]);
    r.headers[name.toLowerCase()] = [{ key: name, value }];
    return r;
  };
  for (const name of ['Connection', 'X-Cache', 'X-Forwarded-Proto', 'X-Real-IP', 'X-Amz-Cf-Pop', 'X-Edge-Anything', 'X-Amzn-RequestId', 'Upgrade']) {
    test(`adding ${name} is rejected as a blacklisted header`, () => {
      const v = validateResult('viewer-request', addTo('viewer-request', name), vreq);
      assert.ok(v.some((x) => x.rule === 'disallowed-header' && /blacklisted header/.test(x.message)), JSON.stringify(v));
    });
  }
  test('X-Amz-Date is not on the disallowed list (only the X-Amz-Cf- prefix is)', () => accepts('viewer-request', addTo('viewer-request', 'X-Amz-Date')));

  const cases: Array<[CloudFrontEventType, string]> = [
    ['viewer-request', 'host'], ['viewer-request', 'via'], ['viewer-request', 'cdn-loop'], ['viewer-request', 'transfer-encoding'],
    ['origin-request', 'accept-encoding'], ['origin-request', 'if-none-match'], ['origin-request', 'via'], ['origin-request', 'if-modified-since'],
    ['origin-response', 'transfer-encoding'], ['origin-response', 'via'],
    ['viewer-response', 'warning'], ['viewer-response', 'content-length'], ['viewer-response', 'content-encoding'],
  ];
  for (const [type, name] of cases) {
    test(`${type}: ${name} is read-only (add, change and delete are each rejected)`, () => {
      const isReq = type.endsWith('request');
      const base = isReq ? requestOf(EVENTS[type] as typeof vreq) : responseOf(EVENTS[type] as typeof ores);
      const had = base.headers[name] !== undefined;
      const changed = clone(base);
      changed.headers[name] = [{ value: 'something-else' }];
      rejects(type, changed, 'read-only-header');
      if (had) {
        const deleted = clone(base);
        delete deleted.headers[name];
        rejects(type, deleted, 'read-only-header');
      }
      accepts(type, base);
    });
  }
  test('Host is writable in origin-request', () => accepts('origin-request', addTo('origin-request', 'Host', 'other.example')));
  test('a changed key spelling of a read-only header is not a change', () => {
    const r = requestOf(vreq);
    r.headers.host[0].key = 'HOST';
    accepts('viewer-request', r);
  });
  test('CloudFront-Viewer-Country cannot be added in viewer-request, but can in origin-request', () => {
    rejects('viewer-request', addTo('viewer-request', 'CloudFront-Viewer-Country', 'FR'), 'viewer-country-header');
    accepts('origin-request', addTo('origin-request', 'CloudFront-Viewer-Country', 'FR'));
  });
  test('without the event, comparisons are skipped but generated responses are still checked', () => {
    assert.deepEqual(rules('viewer-request', requestOf(vreq), undefined).filter((r) => r === 'read-only-header'), []);
    assert.ok(validateResult('viewer-request', generated({ headers: { via: [{ value: '1' }] } })).some((v) => v.rule === 'read-only-header'));
  });
});

describe('validateResult: viewer-response and origin-response', () => {
  test('viewer-response cannot change the status; origin-response can', () => {
    rejects('viewer-response', { ...responseOf(vres), status: '404' }, 'status-read-only');
    accepts('origin-response', { ...responseOf(ores), status: '404', statusDescription: 'Not Found' });
  });
  test('origin-response status must stay 200–599', () => rejects('origin-response', { ...responseOf(ores), status: '100' }, 'status'));
  test('a response without a status is rejected', () => {
    const r = responseOf(ores);
    delete r.status;
    rejects('origin-response', r, 'status');
  });
  test('a viewer-response body is measured against 40 KB', () => {
    rejects('viewer-response', { ...responseOf(vres), body: 'x'.repeat(41 * 1024) }, 'generated-response-size');
    accepts('origin-response', { ...responseOf(ores), body: 'x'.repeat(41 * 1024) });
  });
});

describe('validateResult: uri, query string and fields', () => {
  test('uri must start with /', () => rejects('viewer-request', { ...requestOf(vreq), uri: 'index.html' }, 'uri'));
  test('uri plus query string must be under 8 192 characters', () => {
    accepts('viewer-request', { ...requestOf(vreq), uri: `/${'a'.repeat(8190)}` });
    rejects('viewer-request', { ...requestOf(vreq), uri: `/${'a'.repeat(8191)}` }, 'url-length');
    rejects('viewer-request', { ...requestOf(vreq), uri: `/${'a'.repeat(8100)}`, querystring: 'q'.repeat(100) }, 'url-length');
  });
  for (const qs of ['a=b c', 'a=b#frag', 'a=\tb', 'a=\u0001']) {
    test(`a query string set to ${JSON.stringify(qs)} is rejected`, () => rejects('viewer-request', { ...requestOf(vreq), querystring: qs }, 'querystring'));
  }
  test('an encoded query string is fine; a non-string one is not', () => {
    accepts('viewer-request', { ...requestOf(vreq), querystring: 'a=b%20c&d=%23' });
    rejects('viewer-request', { ...requestOf(vreq), querystring: 5 }, 'querystring');
  });
  test('method and clientIp are read-only (a setting can allow changes)', () => {
    rejects('viewer-request', { ...requestOf(vreq), method: 'POST' }, 'read-only-field');
    rejects('origin-request', { ...requestOf(oreq), clientIp: '10.0.0.1' }, 'read-only-field');
    const lax = { ...DEFAULT_CLOUDFRONT_SETTINGS, readOnlyFields: 'allow' as const };
    assert.deepEqual(validateResult('viewer-request', { ...requestOf(vreq), method: 'POST' }, vreq, lax), []);
  });
  test('origin can only be written in origin-request', () => {
    rejects('viewer-request', { ...requestOf(vreq), origin: requestOf(oreq).origin }, 'origin-not-writable');
    accepts('origin-request', requestOf(oreq));
  });
});

describe('validateResult: request body', () => {
  const withBody = (body: unknown, type: 'viewer-request' | 'origin-request' = 'viewer-request') => ({ ...requestOf(EVENTS[type]), body });
  test('a replacement body within the limits is valid', () => {
    accepts('viewer-request', withBody({ action: 'replace', encoding: 'text', data: 'hello' }));
    accepts('viewer-request', withBody({ action: 'replace', encoding: 'base64', data: 'aGVsbG8=' }));
  });
  test('action and encoding are checked', () => {
    rejects('viewer-request', withBody({ action: 'rewrite', encoding: 'text', data: 'x' }), 'request-body');
    rejects('viewer-request', withBody({ action: 'replace', encoding: 'utf8', data: 'x' }), 'request-body');
    rejects('viewer-request', withBody('raw'), 'request-body');
  });
  test('a base64 replacement must be base64; a read-only body is not checked further', () => {
    rejects('viewer-request', withBody({ action: 'replace', encoding: 'base64', data: '***' }), 'body-base64');
    accepts('viewer-request', withBody({ action: 'read-only', encoding: 'base64', data: '***', inputTruncated: false }));
  });
  test('replacement size limits: 40 KB text / 53.2 KB base64 in viewer-request, 1 MB / 1.33 MB in origin-request', () => {
    rejects('viewer-request', withBody({ action: 'replace', encoding: 'text', data: 'x'.repeat(40 * 1024 + 1) }), 'request-body-size');
    accepts('viewer-request', withBody({ action: 'replace', encoding: 'text', data: 'x'.repeat(40 * 1024) }));
    rejects('viewer-request', withBody({ action: 'replace', encoding: 'base64', data: 'AAAA'.repeat(14 * 1024) }), 'request-body-size');
    accepts('origin-request', withBody({ action: 'replace', encoding: 'text', data: 'x'.repeat(40 * 1024 + 1) }, 'origin-request'));
    rejects('origin-request', withBody({ action: 'replace', encoding: 'text', data: 'x'.repeat(1024 * 1024 + 1) }, 'origin-request'), 'request-body-size');
  });
});

describe('validateResult: origin rules (origin-request)', () => {
  const withCustom = (changes: Json) => {
    const r = requestOf(oreq);
    Object.assign(r.origin.custom, changes);
    return r;
  };
  const s3 = (changes: Json = {}) => ({
    ...requestOf(oreq),
    origin: { s3: { authMethod: 'none', customHeaders: {}, domainName: 'bucket.s3.amazonaws.com', path: '', region: 'us-east-1', ...changes } },
  });
  test('a valid custom origin and a valid S3 origin', () => {
    accepts('origin-request', withCustom({ domainName: 'api.example.com', port: 8443, path: '/v1', protocol: 'http', readTimeout: 60, keepaliveTimeout: 60 }));
    accepts('origin-request', s3());
  });
  const bad: Array<[string, Json]> = [
    ['domainName with a port', { domainName: 'example.com:8080' }],
    ['an IP address as domainName', { domainName: '192.0.2.1' }],
    ['an empty domainName', { domainName: '' }],
    ['port 1000', { port: 1000 }],
    ['port 70000', { port: 70000 }],
    ['protocol ftp', { protocol: 'ftp' }],
    ['a path without a leading /', { path: 'v1' }],
    ['a path with a trailing /', { path: '/v1/' }],
    ['readTimeout 3', { readTimeout: 3 }],
    ['readTimeout 61', { readTimeout: 61 }],
    ['keepaliveTimeout 0', { keepaliveTimeout: 0 }],
    ['sslProtocols TLSv1.3', { sslProtocols: ['TLSv1.3'] }],
    ['a denied custom header', { customHeaders: { 'cache-control': [{ key: 'Cache-Control', value: 'x' }] } }],
    ['an X-Amz- custom header', { customHeaders: { 'x-amz-date': [{ key: 'X-Amz-Date', value: 'x' }] } }],
    ['a custom header also in the request headers', { customHeaders: { 'accept-encoding': [{ value: 'br' }] } }],
  ];
  for (const [label, changes] of bad) test(`custom origin: ${label} is rejected`, () => rejects('origin-request', withCustom(changes), 'origin'));
  test('the 120 s origin timeout quota is a setting', () => {
    const settings = { ...DEFAULT_CLOUDFRONT_SETTINGS, maxOriginTimeout: 120 };
    assert.deepEqual(validateResult('origin-request', withCustom({ readTimeout: 90 }), oreq, settings), []);
  });
  test('S3 origins: authMethod, region with OAI, lowercase domain', () => {
    rejects('origin-request', s3({ authMethod: 'origin-access-control' }), 'origin');
    rejects('origin-request', s3({ authMethod: 'origin-access-identity', region: undefined }), 'origin');
    accepts('origin-request', s3({ authMethod: 'origin-access-identity', region: 'eu-west-1' }));
    rejects('origin-request', s3({ domainName: 'Bucket.s3.amazonaws.com' }), 'origin');
  });
  test('exactly one of custom and s3', () => {
    rejects('origin-request', { ...requestOf(oreq), origin: { ...requestOf(oreq).origin, s3: s3().origin.s3 } }, 'origin');
    rejects('origin-request', { ...requestOf(oreq), origin: {} }, 'origin');
  });
});

describe('builders', () => {
  test('headers: lowercase names, original spelling in key, CloudFront spelling when given lowercase', () => {
    const e = buildViewerRequestEvent({ headers: [['X-Custom', 'a'], ['accept-language', 'en'], ['X-Custom', 'b']] });
    assert.deepEqual(e.Records[0].cf.request.headers['x-custom'], [{ key: 'X-Custom', value: 'a' }, { key: 'X-Custom', value: 'b' }]);
    assert.deepEqual(e.Records[0].cf.request.headers['accept-language'], [{ key: 'Accept-Language', value: 'en' }]);
  });
  test('each type has its config, a request id and the right objects', () => {
    for (const type of ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const) {
      const cf = buildEvent(type, { uri: '/x', status: 404 }).Records[0].cf as Json;
      assert.equal(cf.config.eventType, type);
      assert.equal(cf.config.distributionId, 'EDFDVBD6EXAMPLE');
      assert.match(cf.config.requestId, /^[A-Za-z0-9_=-]{56}$/);
      assert.equal(cf.request.uri, '/x');
      assert.equal('origin' in cf.request, type.startsWith('origin'));
      assert.equal('response' in cf, type.endsWith('response'));
      if (type.endsWith('response')) assert.equal(cf.response.status, '404');
    }
  });
  test('a body reaches the function base64-encoded, and only in request events', () => {
    const e = buildViewerRequestEvent({ method: 'post', body: 'a=1' });
    assert.deepEqual(e.Records[0].cf.request.body, { action: 'read-only', data: 'YT0x', encoding: 'base64', inputTruncated: false });
    assert.equal(e.Records[0].cf.request.method, 'POST');
    assert.equal((buildViewerResponseEvent({ body: 'x' }).Records[0].cf.request as Json).body, undefined);
  });
  test('a body over the event\'s limit is cut at 40 KB (viewer) or 1 MB (origin), with inputTruncated', () => {
    const big = 'x'.repeat(50 * 1024);
    const viewer = buildViewerRequestEvent({ body: big }).Records[0].cf.request.body!;
    assert.equal(Buffer.from(viewer.data, 'base64').length, 40 * 1024);
    assert.equal(viewer.inputTruncated, true);
    const origin = buildOriginRequestEvent({ body: big }).Records[0].cf.request.body!;
    assert.equal(Buffer.from(origin.data, 'base64').length, 50 * 1024);
    assert.equal(origin.inputTruncated, false);
  });
  test('origin side: X-Forwarded-For, Via, and Host set to the origin', () => {
    const h = buildOriginRequestEvent({ clientIp: '198.51.100.7' }).Records[0].cf.request.headers;
    assert.equal(h['x-forwarded-for']?.[0]?.value, '198.51.100.7');
    assert.match(h.via?.[0]?.value ?? '', /cloudfront\.net \(CloudFront\)/);
    assert.equal(h.host?.[0]?.value, 'example.org');
  });
  test('bad input to a builder is a clear error', () => {
    assert.throws(() => buildViewerRequestEvent({ uri: 'nope' }), /must start with \//);
    assert.throws(() => buildViewerRequestEvent({ headers: [['bad header', 'x']] }), /not a valid HTTP header name/);
  });
  test('every built event, passed back unchanged, is valid', () => {
    for (const type of ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const) {
      const e = buildEvent(type, { uri: '/p', querystring: 'a=1', headers: [['Accept', '*/*']], body: 'b' });
      const cf = e.Records[0].cf as Json;
      accepts(type, clone(type.endsWith('request') ? cf.request : cf.response), e);
    }
  });
});
