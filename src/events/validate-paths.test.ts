// Where each violation points (`path`, what `invoke` and the inspector show beside the message), one
// case per rule; the read-only header's "added / changed / deleted"; results validated without
// their event (a user's own test); values only JavaScript can hold (undefined fields); and inputs
// that must not make the validator throw. Written for the mutants StrykerJS found surviving
// (`npm run test:mutation -- events`); the limits are AWS's ("Lambda@Edge event structure",
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-event-structure.html).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EdgeError } from '../errors.js';
import {
  buildOriginRequestEvent,
  buildOriginResponseEvent,
  buildViewerRequestEvent,
  buildViewerResponseEvent,
  validateResult,
  type CloudFrontEventType,
  type RuleId,
} from './index.js';

type Json = Record<string, any>;
const vreq = buildViewerRequestEvent({ uri: '/a', headers: [['Accept', 'text/html']] });
const oreq = buildOriginRequestEvent({ uri: '/a' });
const ores = buildOriginResponseEvent({ responseHeaders: [['Content-Type', 'text/html']] });
const vres = buildViewerResponseEvent({});
const EVENTS: Record<CloudFrontEventType, Json> = { 'viewer-request': vreq, 'origin-request': oreq, 'origin-response': ores, 'viewer-response': vres };
const request = (type: 'viewer-request' | 'origin-request', extra: Json = {}): Json => ({ ...structuredClone(EVENTS[type].Records[0].cf.request), ...extra });
const response = (type: 'origin-response' | 'viewer-response', extra: Json = {}): Json => ({ ...structuredClone(EVENTS[type].Records[0].cf.response), ...extra });
const custom = (extra: Json): Json => request('origin-request', { origin: { custom: { ...request('origin-request').origin.custom, ...extra } } });
const s3 = (extra: Json): Json =>
  request('origin-request', { origin: { s3: { authMethod: 'origin-access-identity', customHeaders: {}, domainName: 'bucket.s3.amazonaws.com', path: '', region: 'eu-west-1', ...extra } } });
const h = (key: string, value: unknown) => ({ [key.toLowerCase()]: [{ key, value }] });
/** A header whose map name keeps its capitals: not a valid name in the map. */
const upper = (key: string) => ({ [key]: [{ key, value: '1' }] });

/** The violations of `rule`, as `path` (one or more). */
function paths(type: CloudFrontEventType, result: unknown, rule: RuleId, event: unknown = EVENTS[type]): string[] {
  const found = validateResult(type, result, event);
  const of = found.filter((v) => v.rule === rule).map((v) => v.path);
  assert.ok(of.length > 0, `expected ${rule}, got ${JSON.stringify(found.map((v) => `${v.rule} at ${v.path}`))}`);
  return of;
}
const at = (type: CloudFrontEventType, result: unknown, rule: RuleId, path: string, event?: unknown) =>
  assert.deepEqual(paths(type, result, rule, event === undefined ? EVENTS[type] : event), [path], `${rule} should point at ${JSON.stringify(path)}`);
const none = (type: CloudFrontEventType, result: unknown, event: unknown = EVENTS[type]) =>
  assert.deepEqual(validateResult(type, result, event).map((v) => `${v.rule} at ${v.path}: ${v.message}`), []);

describe('each violation points at its field', () => {
  test('the result itself, a generated response and a returned request', () => {
    at('viewer-request', 'nope', 'result-type', '');
    at('viewer-request', { status: 'abc' }, 'status', 'status');
    at('viewer-request', { status: '200', headers: upper('X-A') }, 'header-name', 'headers.X-A');
    at('viewer-request', { status: '204', body: 'x' }, 'body-with-204', 'body');
    at('viewer-request', request('viewer-request', { uri: 5 }), 'result-shape', 'uri');
    at('viewer-request', request('viewer-request', { uri: 'a' }), 'uri', 'uri');
    const { headers: _dropped, ...headless } = request('viewer-request');
    at('viewer-request', headless, 'result-shape', 'headers');
    at('viewer-request', request('viewer-request', { headers: { ...request('viewer-request').headers, ...upper('X-B') } }), 'header-name', 'headers.X-B');
    at('viewer-request', request('viewer-request', { querystring: 5 }), 'querystring', 'querystring');
    at('viewer-request', request('viewer-request', { querystring: 'a b' }), 'querystring', 'querystring');
    at('viewer-request', request('viewer-request', { uri: `/${'a'.repeat(8191)}` }), 'url-length', 'uri');
    at('viewer-request', request('viewer-request', { origin: {} }), 'origin-not-writable', 'origin');
  });

  test('responses', () => {
    const { status: _gone, ...statusless } = response('origin-response');
    at('origin-response', statusless, 'status', 'status');
    assert.match(validateResult('origin-response', statusless, ores)[0]!.message, /^the response needs its status/);
    at('origin-response', response('origin-response', { status: '99' }), 'status', 'status');
    at('viewer-response', response('viewer-response', { status: '404' }), 'status-read-only', 'status');
    at('origin-response', response('origin-response', { headers: upper('X-C') }), 'header-name', 'headers.X-C');
    at('origin-response', response('origin-response', { statusDescription: 5 }), 'status-description', 'statusDescription');
    at('origin-response', response('origin-response', { statusDescription: 'O\nK' }), 'status-description', 'statusDescription');
  });

  test('header entries: key, value, and its characters', () => {
    const withHeaders = (headers: Json) => request('viewer-request', { headers: { ...request('viewer-request').headers, ...headers } });
    at('viewer-request', withHeaders({ 'x-a': [{ key: 5, value: '1' }] }), 'header-key', 'headers.x-a[0].key');
    at('viewer-request', withHeaders({ 'x-a': [{ key: 'X-A', value: '1' }, { key: 'X-B', value: '2' }] }), 'header-key', 'headers.x-a[1].key');
    at('viewer-request', withHeaders({ 'x-a': [{ key: 'X-A', value: 5 }] }), 'header-value', 'headers.x-a[0].value');
    at('viewer-request', withHeaders({ 'x-a': [{ value: 'a\rb' }] }), 'header-value-characters', 'headers.x-a[0].value');
    // Without a key, the message names the header by its map name.
    const [v] = validateResult('viewer-request', withHeaders({ 'x-a': [{ value: 'a\rb' }] }), vreq);
    assert.match(v!.message, /headerName : x-a\.$/);
  });

  test('bodies of generated responses', () => {
    at('viewer-request', { status: '200', bodyEncoding: 'hex', body: 'x' }, 'body-encoding', 'bodyEncoding');
    at('viewer-request', { status: '200', body: 5 }, 'body-encoding', 'body');
    at('viewer-request', { status: '200', bodyEncoding: 'base64', body: '!!' }, 'body-base64', 'body');
    at('viewer-request', { status: '200', body: 'x'.repeat(40_961) }, 'generated-response-size', 'body');
    none('viewer-request', { status: '200', bodyEncoding: 'text', body: 'plain text' });
  });

  test('replaced request bodies', () => {
    const withBody = (body: unknown) => request('viewer-request', { body });
    at('viewer-request', withBody('x'), 'request-body', 'body');
    at('viewer-request', withBody({ action: 'delete', encoding: 'text', data: '' }), 'request-body', 'body.action');
    at('viewer-request', withBody({ action: 'replace', encoding: 'hex', data: '' }), 'request-body', 'body.encoding');
    at('viewer-request', withBody({ action: 'replace', encoding: 'text', data: 5 }), 'request-body', 'body.data');
    at('viewer-request', withBody({ action: 'replace', encoding: 'text', data: '', inputTruncated: 'no' }), 'request-body', 'body.inputTruncated');
    at('viewer-request', withBody({ action: 'replace', encoding: 'base64', data: '!!' }), 'body-base64', 'body.data');
    at('viewer-request', withBody({ action: 'replace', encoding: 'text', data: 'x'.repeat(40_961) }), 'request-body-size', 'body.data');
  });

  test('origins, custom and S3', () => {
    at('origin-request', request('origin-request', { origin: 5 }), 'origin', 'origin');
    at('origin-request', request('origin-request', { origin: { custom: {}, s3: {} } }), 'origin', 'origin');
    at('origin-request', custom({ domainName: '' }), 'origin', 'origin.custom.domainName');
    at('origin-request', custom({ domainName: 'example.org:8080' }), 'origin', 'origin.custom.domainName');
    at('origin-request', custom({ domainName: '192.168.10.20' }), 'origin', 'origin.custom.domainName');
    at('origin-request', custom({ domainName: `${'a'.repeat(250)}.org` }), 'origin', 'origin.custom.domainName');
    at('origin-request', custom({ path: 'nope' }), 'origin', 'origin.custom.path');
    at('origin-request', custom({ customHeaders: upper('X-D') }), 'header-name', 'origin.custom.customHeaders.X-D');
    at('origin-request', custom({ customHeaders: h('user-agent', 'x') }), 'origin', 'origin.custom.customHeaders.user-agent');
    at('origin-request', custom({ port: 81 }), 'origin', 'origin.custom.port');
    at('origin-request', custom({ protocol: 'ftp' }), 'origin', 'origin.custom.protocol');
    at('origin-request', custom({ keepaliveTimeout: 0 }), 'origin', 'origin.custom.keepaliveTimeout');
    at('origin-request', custom({ readTimeout: 3 }), 'origin', 'origin.custom.readTimeout');
    at('origin-request', custom({ sslProtocols: ['TLSv1.3'] }), 'origin', 'origin.custom.sslProtocols');
    const [ssl] = validateResult('origin-request', custom({ sslProtocols: [] }), oreq);
    assert.match(ssl!.message, /drawn from TLSv1\.2, TLSv1\.1, TLSv1, SSLv3 \(got \[\]\)$/);
    at('origin-request', s3({ domainName: 'Bucket.s3.amazonaws.com' }), 'origin', 'origin.s3.domainName');
    at('origin-request', s3({ domainName: `${'b'.repeat(120)}.s3.amazonaws.com` }), 'origin', 'origin.s3.domainName');
    at('origin-request', s3({ authMethod: 'origin-access-control' }), 'origin', 'origin.s3.authMethod');
    at('origin-request', s3({ region: '' }), 'origin', 'origin.s3.region');
  });
});

describe('read-only headers: what happened to them', () => {
  const hostOf = (value: string) => ({ host: [{ key: 'Host', value }] });
  const { host: _host, ...hostless } = request('viewer-request').headers;
  for (const [what, headers] of [
    ['changed', { ...request('viewer-request').headers, ...hostOf('other.example') }],
    ['deleted', hostless],
  ] as const) {
    test(`host ${what} in viewer-request`, () => {
      const result = request('viewer-request', { headers });
      at('viewer-request', result, 'read-only-header', 'headers.host');
      assert.match(validateResult('viewer-request', result, vreq)[0]!.message, new RegExp(`host is read-only in viewer-request and was ${what}\\)$`));
    });
  }
  test('host added where the event had none', () => {
    const event = structuredClone(vreq) as Json;
    delete event.Records[0].cf.request.headers.host;
    const result = request('viewer-request', { headers: { ...event.Records[0].cf.request.headers, ...hostOf('x.example') } });
    assert.match(validateResult('viewer-request', result, event)[0]!.message, /and was added\)$/);
  });
  test('a change in any entry, or an entry that is not an object, is a change', () => {
    const event = structuredClone(vreq) as Json;
    event.Records[0].cf.request.headers.host.push({ key: 'Host', value: 'second.example' });
    const second = structuredClone(event.Records[0].cf.request) as Json;
    second.headers.host[1].value = 'third.example';
    assert.deepEqual(paths('viewer-request', second, 'read-only-header', event), ['headers.host']);
    const notAnObject = structuredClone(event.Records[0].cf.request) as Json;
    notAnObject.headers.host = ['d111111abcdef8.cloudfront.net', 'second.example'];
    assert.deepEqual(paths('viewer-request', notAnObject, 'read-only-header', event), ['headers.host']);
  });
});

describe('without the event (a user checking a result in a test)', () => {
  test('a request, a response and an origin response are checked alone, comparisons skipped', () => {
    none('viewer-request', request('viewer-request', { headers: { ...request('viewer-request').headers, ...h('Via', '1.1 added') } }), null);
    none('origin-request', request('origin-request', { querystring: 'a=1' }), null);
    none('viewer-response', response('viewer-response', { status: '404' }), null);
    none('origin-response', response('origin-response'), null);
    at('viewer-request', request('viewer-request', { uri: 'a' }), 'uri', 'uri', null);
  });
  test('CloudFront-Viewer-Country is still refused in viewer-request, and may be kept when it was there', () => {
    const added = request('viewer-request', { headers: { ...request('viewer-request').headers, ...h('CloudFront-Viewer-Country', 'GB') } });
    at('viewer-request', added, 'viewer-country-header', 'headers.cloudfront-viewer-country', null);
    const event = structuredClone(vreq) as Json;
    event.Records[0].cf.request.headers['cloudfront-viewer-country'] = [{ key: 'CloudFront-Viewer-Country', value: 'GB' }];
    none('viewer-request', structuredClone(event.Records[0].cf.request), event);
  });
});

describe('optional fields, and values the validator must survive', () => {
  test('a request without querystring, a response without headers, a custom origin without its optional fields', () => {
    const { querystring: _q, ...noQuery } = request('viewer-request');
    none('viewer-request', noQuery);
    const { headers: _h, ...noHeaders } = response('origin-response');
    none('origin-response', noHeaders);
    const { customHeaders: _c, sslProtocols: _s, path: _p, ...bare } = request('origin-request').origin.custom;
    none('origin-request', request('origin-request', { origin: { custom: bare } }));
  });
  test('a field set to undefined (JavaScript only) is absent, as JSON.stringify makes it', () => {
    none('viewer-request', request('viewer-request', { body: undefined, origin: undefined }));
    none('origin-response', response('origin-response', { statusDescription: undefined, body: undefined }));
  });
  test('status is a three-digit string, nothing around it', () => {
    for (const status of ['x200', '200x', ['200'], '2000']) at('viewer-request', { status }, 'status', 'status');
  });
  test('base64 with one or two padding characters, and none', () => {
    for (const body of ['YQ==', 'YWI=', 'YWJj', '']) none('viewer-request', { status: '200', bodyEncoding: 'base64', body });
  });
  test('a character above Latin-1 is named as U+ with four uppercase hex digits', () => {
    const [v] = validateResult('viewer-request', { status: '200', statusDescription: 'OK Ā €' }, vreq);
    assert.match(v!.message, /invalid character U\+0100 at 3$/);
    const [w] = validateResult('viewer-request', { status: '200', statusDescription: '€' }, vreq);
    assert.match(w!.message, /invalid character U\+20AC at 0$/);
  });
  test('shapes that are wrong in several ways at once never make it throw', () => {
    const generated = { status: '200', headers: { 'x-a': { key: 'X-A', value: '1' }, 'x-b': ['text', { key: 'X-B', value: 5 }] }, body: 'b' };
    assert.deepEqual(paths('viewer-request', generated, 'headers-shape', vreq), ['headers.x-a', 'headers.x-b[0]']);
    assert.deepEqual(validateResult('viewer-request', { status: '204', body: 5 }, vreq).map((v) => v.rule), ['body-encoding']);
    at('origin-request', custom({ customHeaders: null }), 'headers-shape', 'origin.custom.customHeaders');
  });
  test('a value quoted in a message is cut at 80 characters of its JSON', () => {
    const [v] = validateResult('viewer-request', request('viewer-request', { uri: 'x'.repeat(200) }), vreq);
    assert.equal(v!.message, `uri must start with / (got "${'x'.repeat(79)})`);
  });
  test('the event’s own request object handed back (no copy, as a JavaScript test may do) is unchanged', () => {
    const event = buildViewerRequestEvent({ uri: '/a', headers: [['Accept', 'text/html']] });
    none('viewer-request', event.Records[0].cf.request, event);
    const response = buildViewerResponseEvent({});
    none('viewer-response', response.Records[0].cf.response, response);
  });
  test('an unknown event type is a usage error (E_USAGE) naming the types', () => {
    assert.throws(
      () => validateResult('edge-request' as CloudFrontEventType, {}),
      (e: unknown) =>
        e instanceof EdgeError &&
        e.code === 'E_USAGE' &&
        /unknown CloudFront event type "edge-request"; expected one of viewer-request, origin-request, origin-response, viewer-response/.test(e.message),
    );
  });
});
