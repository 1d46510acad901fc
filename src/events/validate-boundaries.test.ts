// The validator at the edges of each limit (the last value accepted, the first refused) and the
// details its messages promise, from AWS's pages on Lambda@Edge event structure and quotas
// (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-event-structure.html,
//  https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html).
// Written to kill the mutants StrykerJS found surviving (`npm run test:mutation -- events`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildOriginRequestEvent, buildViewerRequestEvent, DEFAULT_CLOUDFRONT_SETTINGS, validateResult, type CloudFrontEventType, type RuleId } from './index.js';

type Json = Record<string, any>;
const vreq = buildViewerRequestEvent({ uri: '/a', headers: [['Accept', 'text/html']] });
const oreq = buildOriginRequestEvent({ uri: '/a', headers: [['Accept-Encoding', 'gzip']] });
const requestOf = (e: Json): Json => structuredClone(e.Records[0].cf.request);

function found(type: CloudFrontEventType, result: unknown, event: unknown): Array<{ rule: RuleId; path: string; message: string }> {
  return validateResult(type, result, event);
}
const ok = (type: CloudFrontEventType, result: unknown, event: unknown) => assert.deepEqual(found(type, result, event).map((v) => `${v.path}: ${v.message}`), []);
function bad(type: CloudFrontEventType, result: unknown, event: unknown, rule: RuleId, message?: RegExp): void {
  const v = found(type, result, event).filter((x) => x.rule === rule);
  assert.ok(v.length > 0, `expected ${rule}, got ${JSON.stringify(found(type, result, event).map((x) => x.rule))}`);
  if (message !== undefined) assert.ok(v.some((x) => message.test(x.message)), `${rule}: ${v.map((x) => x.message).join(' | ')} does not match ${message}`);
}

describe('custom origin limits, each end', () => {
  const custom = (changes: Json) => {
    const r = requestOf(oreq);
    Object.assign(r.origin.custom, changes);
    return r;
  };
  test('port: 80, 443 and 1024–65535', () => {
    for (const port of [80, 443, 1024, 65535]) ok('origin-request', custom({ port }), oreq);
    for (const port of [79, 81, 442, 444, 1023, 65536, 8080.5, '443']) bad('origin-request', custom({ port }), oreq, 'origin', /port must be 80, 443 or 1024–65535/);
  });
  test('keepaliveTimeout 1–60 and readTimeout 4–60, whole seconds', () => {
    for (const keepaliveTimeout of [1, 60]) ok('origin-request', custom({ keepaliveTimeout }), oreq);
    for (const keepaliveTimeout of [0, 61, 1.5]) bad('origin-request', custom({ keepaliveTimeout }), oreq, 'origin', /keepaliveTimeout must be a whole number of seconds from 1 to 60/);
    for (const readTimeout of [4, 60]) ok('origin-request', custom({ readTimeout }), oreq);
    for (const readTimeout of [3, 61, 4.5]) bad('origin-request', custom({ readTimeout }), oreq, 'origin', /readTimeout must be a whole number of seconds from 4 to 60/);
  });
  test('domainName: up to 253 characters, no port, no IP address', () => {
    ok('origin-request', custom({ domainName: `${'a'.repeat(249)}.com` }), oreq);
    bad('origin-request', custom({ domainName: `${'a'.repeat(250)}.com` }), oreq, 'origin', /254 characters, over 253/);
    bad('origin-request', custom({ domainName: '10.0.0.1' }), oreq, 'origin', /cannot be an IP address/);
    ok('origin-request', custom({ domainName: '10.0.0.1.example.com' }), oreq);
    ok('origin-request', custom({ domainName: 'host1.example.com' }), oreq);
    bad('origin-request', custom({ domainName: 'a.com:81' }), oreq, 'origin', /cannot contain ":"/);
    bad('origin-request', custom({ domainName: 5 }), oreq, 'origin', /non-empty string/);
  });
  test('path: up to 255 characters, starts with /, no trailing /, URL-encoded', () => {
    ok('origin-request', custom({ path: `/${'p'.repeat(254)}` }), oreq);
    bad('origin-request', custom({ path: `/${'p'.repeat(255)}` }), oreq, 'origin', /256 characters, over 255/);
    for (const path of ['/a b', '/a#b', '/a?b', '/a\tb']) bad('origin-request', custom({ path }), oreq, 'origin', /URL-encoded/);
    bad('origin-request', custom({ path: 7 }), oreq, 'origin', /path must be a string \(got a number\)/);
    ok('origin-request', custom({ path: '' }), oreq);
  });
  test('sslProtocols: a non-empty list of TLSv1.2, TLSv1.1, TLSv1, SSLv3', () => {
    for (const p of ['TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3']) ok('origin-request', custom({ sslProtocols: [p] }), oreq);
    ok('origin-request', custom({ sslProtocols: ['TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3'] }), oreq);
    for (const sslProtocols of [[], 'TLSv1.2', ['TLSv1.2', 'TLSv1.3'], [1]]) bad('origin-request', custom({ sslProtocols }), oreq, 'origin', /non-empty list/);
  });
  test('protocol http or https', () => {
    ok('origin-request', custom({ protocol: 'http' }), oreq);
    ok('origin-request', custom({ protocol: 'https' }), oreq);
    bad('origin-request', custom({ protocol: 'HTTPS' }), oreq, 'origin', /protocol must be "http" or "https"/);
  });
  test('a custom header that is also a request header, in any case', () => {
    bad('origin-request', custom({ customHeaders: { 'Accept-Encoding': [{ value: 'br' }] } }), oreq, 'origin', /both an origin custom header and a request header/);
    ok('origin-request', custom({ customHeaders: { 'x-origin-secret': [{ key: 'X-Origin-Secret', value: 's' }] } }), oreq);
  });
  test('the origin itself: an object, with custom or s3 as an object', () => {
    bad('origin-request', { ...requestOf(oreq), origin: 'x' }, oreq, 'origin', /origin must be an object with either custom or s3 \(got a string\)/);
    bad('origin-request', { ...requestOf(oreq), origin: { custom: [] } }, oreq, 'origin', /origin\.custom must be an object \(got an array\)/);
    bad('origin-request', { ...requestOf(oreq), origin: { custom: {}, s3: {} } }, oreq, 'origin', /both custom and s3/);
    bad('origin-request', { ...requestOf(oreq), origin: {} }, oreq, 'origin', /needs either custom or s3/);
    bad('viewer-request', { ...requestOf(vreq), origin: requestOf(oreq).origin }, vreq, 'origin-not-writable');
  });
});

describe('S3 origin limits', () => {
  const s3 = (changes: Json = {}) => ({
    ...requestOf(oreq),
    origin: { s3: { authMethod: 'none', customHeaders: {}, domainName: 'bucket.s3.amazonaws.com', path: '', region: 'us-east-1', ...changes } },
  });
  test('domainName at most 128 characters, lowercase', () => {
    const suffix = '.s3.amazonaws.com';
    ok('origin-request', s3({ domainName: 'b'.repeat(128 - suffix.length) + suffix }), oreq);
    bad('origin-request', s3({ domainName: 'b'.repeat(129 - suffix.length) + suffix }), oreq, 'origin', /at most 128 characters \(got 129\)/);
  });
  test('an S3 origin may have a long path, a custom origin may not', () => {
    ok('origin-request', s3({ path: `/${'p'.repeat(300)}` }), oreq);
  });
  test('origin-access-identity needs a region; none does not', () => {
    bad('origin-request', s3({ authMethod: 'origin-access-identity', region: '' }), oreq, 'origin', /region is required/);
    ok('origin-request', s3({ authMethod: 'none', region: '' }), oreq);
  });
});

describe('request limits', () => {
  test('uri plus query string: under 8 192 characters', () => {
    ok('viewer-request', { ...requestOf(vreq), uri: `/${'u'.repeat(8190)}` }, vreq);
    bad('viewer-request', { ...requestOf(vreq), uri: `/${'u'.repeat(8191)}` }, vreq, 'url-length', /got 8192/);
    // The ? counts: 8 186 + 1 + 4 = 8 191.
    ok('viewer-request', { ...requestOf(vreq), uri: `/${'u'.repeat(8185)}`, querystring: 'a=bc' }, vreq);
    bad('viewer-request', { ...requestOf(vreq), uri: `/${'u'.repeat(8186)}`, querystring: 'a=bc' }, vreq, 'url-length', /got 8192/);
  });
  test('a query string the function sets: no space, #, or control character; one it passed through is not re-checked', () => {
    for (const q of ['a=b c', 'a=b#c', 'a=\u0001', 'a=\u007f', 'a=\tb']) bad('viewer-request', { ...requestOf(vreq), querystring: q }, vreq, 'querystring', /percent-encode/);
    ok('viewer-request', { ...requestOf(vreq), querystring: 'a=b%20c&d=%23' }, vreq);
    const event = buildViewerRequestEvent({ uri: '/a', querystring: 'a=b c' });
    ok('viewer-request', requestOf(event), event);
    bad('viewer-request', { ...requestOf(vreq), querystring: 5 }, vreq, 'querystring', /must be a string without the leading \? \(got a number\)/);
  });
  test('uri: a string starting with /', () => {
    bad('viewer-request', { ...requestOf(vreq), uri: 'a' }, vreq, 'uri', /must start with \/ \(got "a"\)/);
    bad('viewer-request', { ...requestOf(vreq), uri: null }, vreq, 'result-shape', /string uri \(got null\)/);
  });
  test('method and clientIp are read-only unless the setting allows changing them', () => {
    bad('viewer-request', { ...requestOf(vreq), method: 'POST' }, vreq, 'read-only-field', /method is read-only: it was "GET", the result has "POST"/);
    bad('viewer-request', { ...requestOf(vreq), clientIp: '198.51.100.9' }, vreq, 'read-only-field', /clientIp is read-only/);
    const allow = { ...DEFAULT_CLOUDFRONT_SETTINGS, readOnlyFields: 'allow' as const };
    assert.deepEqual(validateResult('viewer-request', { ...requestOf(vreq), method: 'POST' }, vreq, allow), []);
  });
});

describe('replaced request bodies', () => {
  const withBody = (event: Json, body: unknown) => ({ ...requestOf(event), body });
  const S = DEFAULT_CLOUDFRONT_SETTINGS.maxReplacedBodyBytes;
  test('text and base64 limits in viewer events, each end', () => {
    ok('viewer-request', withBody(vreq, { action: 'replace', encoding: 'text', data: 'x'.repeat(S.viewer.text) }), vreq);
    bad('viewer-request', withBody(vreq, { action: 'replace', encoding: 'text', data: 'x'.repeat(S.viewer.text + 1) }), vreq, 'request-body-size', /text bodies in viewer-request/);
    const b64 = (n: number) => 'A'.repeat(n - (n % 4));
    ok('viewer-request', withBody(vreq, { action: 'replace', encoding: 'base64', data: b64(S.viewer.base64) }), vreq);
    bad('viewer-request', withBody(vreq, { action: 'replace', encoding: 'base64', data: b64(S.viewer.base64 + 4) }), vreq, 'request-body-size', /base64 bodies/);
  });
  test('origin events have the larger limit', () => {
    ok('origin-request', withBody(oreq, { action: 'replace', encoding: 'text', data: 'x'.repeat(S.viewer.text + 1) }), oreq);
    bad('origin-request', withBody(oreq, { action: 'replace', encoding: 'text', data: 'x'.repeat(S.origin.text + 1) }), oreq, 'request-body-size');
  });
  test('a read-only body is not checked further; a replaced one without encoding is base64', () => {
    ok('viewer-request', withBody(vreq, { action: 'read-only', encoding: 'base64', data: 'not base64!' }), vreq);
    ok('viewer-request', withBody(vreq, { encoding: 'base64', data: 'not base64!' }), vreq);
    bad('viewer-request', withBody(vreq, { action: 'replace', data: 'not base64!' }), vreq, 'body-base64');
    ok('viewer-request', withBody(vreq, { action: 'replace', encoding: 'text', data: 'not base64!' }), vreq);
  });
  test('each field of the body object', () => {
    bad('viewer-request', withBody(vreq, 'x'), vreq, 'request-body', /body must be an object \{action, encoding, data\} \(got a string\)/);
    bad('viewer-request', withBody(vreq, { action: 'drop' }), vreq, 'request-body', /body\.action must be/);
    bad('viewer-request', withBody(vreq, { action: 'replace', encoding: 'hex', data: '' }), vreq, 'request-body', /body\.encoding must be/);
    bad('viewer-request', withBody(vreq, { action: 'replace', encoding: 'text', data: 5 }), vreq, 'request-body', /body\.data must be a string/);
    bad('viewer-request', withBody(vreq, { action: 'replace', encoding: 'text', data: '', inputTruncated: 'no' }), vreq, 'request-body', /inputTruncated/);
    ok('viewer-request', withBody(vreq, { action: 'replace', encoding: 'text', data: '', inputTruncated: false }), vreq);
  });
});

describe('header entries', () => {
  const withHeaders = (headers: unknown) => ({ ...requestOf(vreq), headers: { host: requestOf(vreq).headers.host, ...(headers as Json) } });
  test('key must spell the name, in any case; value a string without control characters but tab', () => {
    ok('viewer-request', withHeaders({ 'x-a': [{ key: 'X-A', value: 'a\tb' }] }), vreq);
    ok('viewer-request', withHeaders({ 'x-a': [{ value: 'no key is fine' }] }), vreq);
    bad('viewer-request', withHeaders({ 'x-a': [{ key: 'X-B', value: 'v' }] }), vreq, 'header-key', /"X-B" is not a spelling of the header name "x-a"/);
    bad('viewer-request', withHeaders({ 'x-a': [{ key: 5, value: 'v' }] }), vreq, 'header-key', /key must be a string \(got a number\)/);
    bad('viewer-request', withHeaders({ 'x-a': [{ key: 'X-A', value: 5 }] }), vreq, 'header-value', /header :x-a has one or more entries/);
    for (const c of ['\u0000', '\u0008', '\n', '\r', '\u001f', '\u007f']) {
      bad('viewer-request', withHeaders({ 'x-a': [{ key: 'X-A', value: `a${c}b` }] }), vreq, 'header-value-characters', /in header value, headerName : X-A\./);
    }
    ok('viewer-request', withHeaders({ 'x-a': [{ key: 'X-A', value: 'ünïcode ✓' }] }), vreq);
  });
  test('names: lowercase tokens', () => {
    bad('viewer-request', withHeaders({ 'X-A': [{ value: 'v' }] }), vreq, 'header-name', /use "x-a" and keep "X-A" in key/);
    bad('viewer-request', withHeaders({ 'x a': [{ value: 'v' }] }), vreq, 'header-name', /not a valid HTTP header name/);
    ok('viewer-request', withHeaders({ "x-!#$%&'*+.^_`|~09": [{ value: 'v' }] }), vreq);
  });
  test('shapes: an object of arrays of objects', () => {
    bad('viewer-request', { ...requestOf(vreq), headers: [] }, vreq, 'headers-shape', /\(got an array\)/);
    bad('viewer-request', withHeaders({ 'x-a': { value: 'v' } }), vreq, 'headers-shape', /one per value \(got an object\)/);
    bad('viewer-request', withHeaders({ 'x-a': ['v'] }), vreq, 'headers-shape', /\{key, value\} \(got a string\)/);
  });
  test('a read-only header whose value changes in its second entry is changed', () => {
    const event = buildOriginRequestEvent({ uri: '/a', headers: [['Accept-Encoding', 'gzip'], ['Via', '1.1 a']] });
    const r = requestOf(event);
    r.headers.via = [...r.headers.via, { key: 'Via', value: '1.1 b' }];
    bad('origin-request', r, event, 'read-only-header', /via is read-only in origin-request and was changed/);
    const again = requestOf(event);
    again.headers.via = [{ key: 'VIA', value: again.headers.via[0].value }];
    ok('origin-request', again, event);
  });
  test('a disallowed header the function was given may be passed back unchanged, not changed', () => {
    const event = buildViewerRequestEvent({ uri: '/a', headers: [['X-Cache', 'Miss']] });
    ok('viewer-request', requestOf(event), event);
    const r = requestOf(event);
    r.headers['x-cache'] = [{ key: 'X-Cache', value: 'Hit' }];
    bad('viewer-request', r, event, 'disallowed-header', /x-cache is one of the headers CloudFront keeps to itself/);
  });
  test('CloudFront-Viewer-Country cannot be added in viewer-request, but may be kept', () => {
    bad('viewer-request', withHeaders({ 'cloudfront-viewer-country': [{ value: 'FR' }] }), vreq, 'viewer-country-header');
    ok('origin-request', { ...requestOf(oreq), headers: { ...requestOf(oreq).headers, 'cloudfront-viewer-country': [{ value: 'FR' }] } }, oreq);
  });
});

describe('generated responses', () => {
  test('the size counts each header as name, value, ": " and CRLF', () => {
    const limit = DEFAULT_CLOUDFRONT_SETTINGS.maxGeneratedResponseBytes.viewer;
    const headers = { 'x-a': [{ value: 'v' }, { value: 'w' }] };
    const headerSize = 2 * ('x-a'.length + 1 + 4);
    ok('viewer-request', { status: '200', headers, body: 'x'.repeat(limit - headerSize) }, vreq);
    bad('viewer-request', { status: '200', headers, body: 'x'.repeat(limit - headerSize + 1) }, vreq, 'generated-response-size', new RegExp(`is ${limit + 1} bytes`));
    // Multi-byte characters count as bytes.
    bad('viewer-request', { status: '200', body: 'é'.repeat(limit / 2 + 1) }, vreq, 'generated-response-size');
  });
  test('a body that is not a string, and an unknown encoding, say what they got', () => {
    bad('viewer-request', { status: '200', body: [1] }, vreq, 'body-encoding', /body must be a string \(got an array\)/);
    bad('viewer-request', { status: '200', bodyEncoding: 'gzip', body: 'x' }, vreq, 'body-encoding', /got "gzip"/);
  });
  test('status as a number says which string to use; out of range says the range', () => {
    bad('viewer-request', { status: 404 }, vreq, 'status', /string such as "404", not a number/);
    bad('viewer-request', { status: '600' }, vreq, 'status', /between 200 and 599 \(got "600"\)/);
    bad('viewer-request', { status: 'abc' }, vreq, 'status', /holding an HTTP status code \(got "abc"\)/);
  });
  test('204 with a body only matters in viewer-request', () => {
    bad('viewer-request', { status: '204', body: 'x' }, vreq, 'body-with-204');
    ok('origin-request', { status: '204', body: 'x' }, oreq);
  });
  test('an unknown event type is a usage error, not a violation', () => {
    assert.throws(() => validateResult('viewer-reqest' as CloudFrontEventType, {}, vreq), /unknown CloudFront event type "viewer-reqest"; expected one of viewer-request, origin-request, origin-response, viewer-response/);
  });
});
