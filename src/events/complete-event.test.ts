import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { completeCloudFrontEvent, describeAssumed, isCloudFrontShaped } from './complete-event.js';
import { eventTypeOf, validateResult } from './index.js';
import { CLOUDFRONT_EVENT_TYPES, type CloudFrontEventType } from './types.js';

const fixtures = join(import.meta.dirname, '..', '..', 'fixtures', 'events');
const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const samplesDir = join(fixtures, 'aws-samples');
const samples = readdirSync(samplesDir).filter((f) => f.endsWith('.json') && !f.startsWith('not-'));
const isResponseType = (t: CloudFrontEventType) => t.endsWith('response');
type Json = Record<string, any>;

test('there are AWS-shaped samples to test with', () => {
  assert.ok(samples.length >= 5, samples.join(', '));
  for (const name of samples) assert.equal(eventTypeOf(read(join(samplesDir, name))), undefined, `${name} has no eventType, as AWS's samples have none`);
});

test("every AWS sample becomes a complete event of the function's type, one CloudFront would accept its request/response back from", () => {
  for (const name of samples) {
    const sample = read(join(samplesDir, name)) as Json;
    for (const type of CLOUDFRONT_EVENT_TYPES) {
      if (sample.Records[0].cf.response !== undefined && !isResponseType(type)) continue;
      // An origin-side sample (it names the origin) is not one for a viewer trigger.
      if (sample.Records[0].cf.request?.origin !== undefined && type.startsWith('viewer')) continue;
      const done = completeCloudFrontEvent(sample, type);
      assert.ok(done !== undefined, name);
      assert.equal(eventTypeOf(done.event), type, `${name} as ${type}`);
      const cf = done.event.Records[0].cf as Json;
      for (const key of ['distributionId', 'distributionDomainName', 'requestId']) assert.equal(typeof cf.config[key], 'string', `${name}: config.${key}`);
      for (const key of ['clientIp', 'method', 'uri', 'querystring']) assert.equal(typeof cf.request[key], 'string', `${name}: request.${key}`);
      assert.equal(typeof cf.request.headers, 'object');
      if (isResponseType(type)) assert.match(cf.response.status, /^\d{3}$/);
      // The parts the sample had are kept as they were.
      if (sample.Records[0].cf.request !== undefined) assert.equal(cf.request.uri, sample.Records[0].cf.request.uri);
      assert.equal(cf.config.distributionId, 'EDFDVBD6EXAMPLE');
      assert.ok(done.assumed.some((a) => a === `config.eventType = "${type}"`), done.assumed.join('; '));
      // A function that passes the request (or response) back gets CloudFront's approval.
      const passedBack = structuredClone(isResponseType(type) ? cf.response : cf.request);
      assert.deepEqual(validateResult(type, passedBack, done.event as never), [], `${name} as ${type}`);
    }
  }
});

test('the sample itself is not changed, and what was assumed is named field by field', () => {
  const path = join(samplesDir, 'sam-modify-querystring.json');
  const before = readFileSync(path, 'utf8');
  const sample = JSON.parse(before) as Json;
  const done = completeCloudFrontEvent(sample, 'viewer-request')!;
  assert.deepEqual(sample, JSON.parse(before));
  assert.deepEqual(done.assumed.map((a) => a.split(' = ')[0]), ['config.eventType', 'config.distributionDomainName', 'config.requestId']);
  const line = describeAssumed(done.assumed, 'hello is a viewer-request trigger')!;
  assert.doesNotMatch(line, /\n/);
  assert.match(line, /hello is a viewer-request trigger, assumed config\.eventType = "viewer-request", config\.distributionDomainName = "d111111abcdef8\.cloudfront\.net", config\.requestId = \(a new one\)/);
});

test('a response-only sample (sam modify-response-header) gets the request CloudFront would have sent', () => {
  const done = completeCloudFrontEvent(read(join(samplesDir, 'sam-modify-response-header.json')), 'origin-response')!;
  const cf = done.event.Records[0].cf as Json;
  assert.equal(cf.request.uri, '/');
  assert.ok(cf.request.origin !== undefined, 'origin-side events name the origin');
  assert.ok(done.assumed.includes('request = "GET /"'), done.assumed.join('; '));
  assert.equal(cf.response.headers.vary[0].value, '*');
});

test('a request-only sample for a response trigger gets an origin 200 response', () => {
  const done = completeCloudFrontEvent(read(join(samplesDir, 'sam-modify-querystring.json')), 'viewer-response')!;
  assert.equal((done.event.Records[0].cf as Json).response.status, '200');
  assert.ok(done.assumed.includes('response = "200 OK"'));
});

test('complete events come back as they were, with nothing assumed', () => {
  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.json'))) {
    const event = read(join(fixtures, name));
    const type = eventTypeOf(event);
    if (type === undefined) continue;
    const done = completeCloudFrontEvent(event, type)!;
    assert.deepEqual(done.assumed, [], name);
    assert.deepEqual(done.event, event, name);
    assert.equal(describeAssumed(done.assumed, 'x'), undefined);
  }
});

test('an eventType the event names is kept, even another than asked for (the caller reports the mismatch)', () => {
  const event = read(join(fixtures, 'origin-response.json'));
  assert.equal(eventTypeOf(completeCloudFrontEvent(event, 'viewer-response')!.event), 'origin-response');
});

test('what is not a CloudFront event is not one; broken parts are named', () => {
  for (const bad of [read(join(samplesDir, 'not-cloudfront-s3-put.json')), read(join(fixtures, 'pi.json')), read(join(fixtures, 'function-url.json')), null, 'x', [], { Records: [] }, { Records: [{ cf: {} }] }]) {
    assert.equal(isCloudFrontShaped(bad), false, JSON.stringify(bad));
    assert.equal(completeCloudFrontEvent(bad, 'viewer-request'), undefined);
  }
  const withResponse = read(join(samplesDir, 'sam-modify-response-header.json'));
  assert.throws(() => completeCloudFrontEvent(withResponse, 'viewer-request'), /has a response, but CloudFront sends none to a viewer-request trigger/);
  assert.throws(
    () => completeCloudFrontEvent({ Records: [{ cf: { config: { eventType: 'viewer-lunch' }, request: {} } }] }, 'viewer-request'),
    /eventType "viewer-lunch" is not a CloudFront event type/,
  );
  assert.throws(() => completeCloudFrontEvent({ Records: [{ cf: { config: 'x', request: {} } }] }, 'viewer-request'), /config must be an object/);
});
