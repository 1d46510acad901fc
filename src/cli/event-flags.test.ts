// The flags that describe an event (`invoke` and `event`): each lands in the event CloudFront (or a
// Function URL) would send, and a flag that cannot apply to the event type is a usage error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isEdgeError } from '../errors.js';
import { eventFlagsGiven, eventFromFlags, parseHeader } from './event-flags.js';

type CfRecord = { Records: Array<{ cf: { config: { eventType: string }; request: Record<string, any>; response?: Record<string, any> } }> };

test('parseHeader: name and value around the first colon, trimmed', () => {
  assert.deepEqual(parseHeader('Accept: text/html'), ['Accept', 'text/html']);
  assert.deepEqual(parseHeader(' x-time :12:30:00 '), ['x-time', '12:30:00']);
  assert.deepEqual(parseHeader('x-empty:'), ['x-empty', '']);
  for (const bad of ['no-colon', ':value', '']) {
    assert.throws(() => parseHeader(bad), (e: unknown) => isEdgeError(e) && e.code === 'E_USAGE' && e.message.includes(JSON.stringify(bad)) && /name:value/.test(e.message), bad);
  }
});

test('eventFlagsGiven: any one of the flags, a repeated --header counting too', () => {
  assert.equal(eventFlagsGiven({}, []), false);
  assert.equal(eventFlagsGiven({ json: true }, ['--json']), false);
  assert.equal(eventFlagsGiven({}, ['--header=a: 1']), true);
  for (const k of ['uri', 'method', 'querystring', 'body', 'status']) assert.equal(eventFlagsGiven({ [k]: 'x' }, []), true, k);
});

test('a request event: URI, upper-cased method, query string, every --header in order, the body included', () => {
  const raw = ['--header', 'Accept: application/json', '--header', 'X-Trace: a', '--header=x-trace: b'];
  const event = eventFromFlags('origin-request', { uri: '/api/items', method: 'post', querystring: 'page=2', body: '{"a":1}' }, raw) as CfRecord;
  const cf = event.Records[0]!.cf;
  assert.equal(cf.config.eventType, 'origin-request');
  assert.deepEqual([cf.request.uri, cf.request.method, cf.request.querystring], ['/api/items', 'POST', 'page=2']);
  assert.deepEqual(cf.request.headers.accept, [{ key: 'Accept', value: 'application/json' }]);
  assert.deepEqual(cf.request.headers['x-trace'].map((h: { value: string }) => h.value), ['a', 'b']);
  assert.equal(Buffer.from(cf.request.body.data, 'base64').toString(), '{"a":1}');
  assert.equal(cf.request.body.inputTruncated, false);
});

test('a response event: --status is the origin\'s status', () => {
  const cf = (eventFromFlags('viewer-response', { status: '404' }, []) as CfRecord).Records[0]!.cf;
  assert.deepEqual([cf.response!.status, cf.response!.statusDescription], ['404', 'Not Found']);
});

test('lambda: a Function URL event from the same flags', () => {
  const event = eventFromFlags('lambda', { uri: '/pi', querystring: 'digits=50', method: 'put' }, ['--header', 'cookie: a=1; b=2']) as Record<string, any>;
  assert.equal(event.version, '2.0');
  assert.deepEqual([event.rawPath, event.rawQueryString, event.requestContext.http.method], ['/pi', 'digits=50', 'PUT']);
  assert.deepEqual(event.queryStringParameters, { digits: '50' });
  assert.deepEqual(event.cookies, ['a=1', 'b=2']);
});

test('--status on a request event and --body on a response event are refused, saying where they apply', () => {
  assert.throws(
    () => eventFromFlags('viewer-request', { status: '200' }, []),
    (e: unknown) => isEdgeError(e) && e.code === 'E_USAGE' && /--status/.test(e.message) && /viewer-request/.test(e.message) && /origin-response or viewer-response/.test(String(e.hint)),
  );
  assert.throws(
    () => eventFromFlags('lambda', { status: '200' }, []),
    (e: unknown) => isEdgeError(e) && e.code === 'E_USAGE' && /a lambda event has none/.test(e.message),
  );
  assert.throws(
    () => eventFromFlags('origin-response', { body: 'x' }, []),
    (e: unknown) => isEdgeError(e) && e.code === 'E_USAGE' && /no body/.test(e.message) && /viewer-request, origin-request or lambda/.test(String(e.hint)),
  );
});
