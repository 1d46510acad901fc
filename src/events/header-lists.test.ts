// CloudFront's header lists, written out here entry by entry from AWS's page "Restrictions on all
// edge functions" (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-function-restrictions-all.html,
// "HTTP headers"), and NOT read from src/events/header-rules.ts: a test that took its names from the
// table under test could not notice an entry deleted from it. Every read-only header is tried
// added, changed and deleted in its event type; every disallowed header is tried added in every
// event type; and a header that is read-only elsewhere stays writable where AWS does not list it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isReadOnlyHeader, titleCase } from './header-rules.js';
import { buildEvent, validateResult, type CloudFrontEventType, type RuleId } from './index.js';

type Json = Record<string, any>;
type Headers = Record<string, Array<{ key: string; value: string }>>;

/** Read-only in each event type (AWS: "Read-only headers for CloudFront … events"). */
const READ_ONLY: Record<CloudFrontEventType, string[]> = {
  'viewer-request': ['CDN-Loop', 'Content-Length', 'Host', 'Transfer-Encoding', 'Via'],
  'origin-request': [
    'Accept-Encoding',
    'CDN-Loop',
    'Content-Length',
    'If-Modified-Since',
    'If-None-Match',
    'If-Range',
    'If-Unmodified-Since',
    'Transfer-Encoding',
    'Via',
  ],
  'origin-response': ['Transfer-Encoding', 'Via'],
  // Warning and Via for every edge function; Content-Length, Content-Encoding and
  // Transfer-Encoding too for Lambda@Edge.
  'viewer-response': ['Warning', 'Via', 'Content-Length', 'Content-Encoding', 'Transfer-Encoding'],
};

/** Disallowed (AWS: "Disallowed headers"): hidden from the function, which cannot add them. */
const DISALLOWED = [
  'Connection',
  'Expect',
  'Keep-Alive',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Connection',
  'Trailer',
  'Upgrade',
  'X-Accel-Buffering',
  'X-Accel-Charset',
  'X-Accel-Limit-Rate',
  'X-Accel-Redirect',
  'X-Amzn-Auth',
  'X-Amzn-Cf-Billing',
  'X-Amzn-Cf-Id',
  'X-Amzn-Cf-Xff',
  'X-Amzn-Errortype',
  'X-Amzn-Fle-Profile',
  'X-Amzn-Header-Count',
  'X-Amzn-Header-Order',
  'X-Amzn-Lambda-Integration-Tag',
  'X-Amzn-RequestId',
  'X-Cache',
  'X-Forwarded-Proto',
  'X-Real-IP',
];
/** `X-Amz-Cf-*` and `X-Edge-*`: tried with several names under each prefix. */
const DISALLOWED_PREFIXED = ['X-Amz-Cf-Pop', 'X-Amz-Cf-Anything', 'X-Edge-Location', 'X-Edge-Request-Id', 'X-Edge-'];

const TYPES = Object.keys(READ_ONLY) as CloudFrontEventType[];
const isRequestEvent = (t: CloudFrontEventType): boolean => t.endsWith('-request');

/** A value each header accepts as a valid HTTP field value. */
const VALUE: Record<string, [string, string]> = {
  'content-length': ['12', '13'],
  'if-modified-since': ['Wed, 21 Oct 2015 07:28:00 GMT', 'Thu, 22 Oct 2015 07:28:00 GMT'],
  'if-unmodified-since': ['Wed, 21 Oct 2015 07:28:00 GMT', 'Thu, 22 Oct 2015 07:28:00 GMT'],
};
const values = (name: string): [string, string] => VALUE[name] ?? [`before-${name}`, `after-${name}`];

/** The event of `type` whose request (request events) or response carries exactly `headers`. */
function eventWith(type: CloudFrontEventType, headers: Headers): Json {
  const event = buildEvent(type, {}) as Json;
  const cf = event.Records[0].cf;
  if (isRequestEvent(type)) cf.request.headers = structuredClone(headers);
  else cf.response.headers = structuredClone(headers);
  return event;
}
/** What the function hands back: the object it was given, with `headers` instead. */
function resultWith(type: CloudFrontEventType, event: Json, headers: Headers): Json {
  const cf = event.Records[0].cf;
  const base = structuredClone(isRequestEvent(type) ? cf.request : cf.response);
  return { ...base, headers };
}
const header = (key: string, value: string): Headers => ({ [key.toLowerCase()]: [{ key, value }] });
const plain = (): Headers => header('X-Plain', 'yes');

function rulesFor(type: CloudFrontEventType, event: Json, headers: Headers): RuleId[] {
  return validateResult(type, resultWith(type, event, headers), event).map((v) => v.rule);
}

describe('read-only headers, from AWS’s lists, each added, changed and deleted', () => {
  for (const type of TYPES) {
    for (const key of READ_ONLY[type]) {
      const name = key.toLowerCase();
      const [before, after] = values(name);
      test(`${type}: ${key} added is rejected`, () => {
        const event = eventWith(type, plain());
        assert.ok(rulesFor(type, event, { ...plain(), ...header(key, after) }).includes('read-only-header'));
      });
      test(`${type}: ${key} changed is rejected`, () => {
        const event = eventWith(type, { ...plain(), ...header(key, before) });
        assert.ok(rulesFor(type, event, { ...plain(), ...header(key, after) }).includes('read-only-header'));
      });
      test(`${type}: ${key} deleted is rejected`, () => {
        const event = eventWith(type, { ...plain(), ...header(key, before) });
        assert.ok(rulesFor(type, event, plain()).includes('read-only-header'));
      });
      test(`${type}: ${key} passed back unchanged is accepted`, () => {
        const event = eventWith(type, { ...plain(), ...header(key, before) });
        assert.deepEqual(rulesFor(type, event, { ...plain(), ...header(key, before) }), []);
      });
    }
  }
});

describe('headers read-only in another event type stay writable where AWS does not list them', () => {
  const everyReadOnly = [...new Set(Object.values(READ_ONLY).flat())];
  for (const type of TYPES) {
    const writable = everyReadOnly.filter((k) => !READ_ONLY[type].includes(k));
    for (const key of writable) {
      const [before, after] = values(key.toLowerCase());
      test(`${type}: ${key} may be added, changed and deleted`, () => {
        const none = eventWith(type, plain());
        assert.deepEqual(rulesFor(type, none, { ...plain(), ...header(key, after) }), [], 'added');
        const some = eventWith(type, { ...plain(), ...header(key, before) });
        assert.deepEqual(rulesFor(type, some, { ...plain(), ...header(key, after) }), [], 'changed');
        assert.deepEqual(rulesFor(type, some, plain()), [], 'deleted');
      });
    }
  }
});

describe('disallowed headers, from AWS’s list, added in every event type', () => {
  for (const type of TYPES) {
    for (const key of [...DISALLOWED, ...DISALLOWED_PREFIXED]) {
      test(`${type}: adding ${key} is rejected`, () => {
        const event = eventWith(type, plain());
        const found = rulesFor(type, event, { ...plain(), ...header(key, 'x') });
        assert.ok(found.includes('disallowed-header'), `got [${found.join(', ')}]`);
      });
    }
    test(`${type}: adding ${isRequestEvent(type) ? 'a' : 'an'} ordinary or look-alike header is accepted`, () => {
      const event = eventWith(type, plain());
      for (const key of ['X-Amz-Date', 'X-Amzn-Trace-Id', 'X-Edg', 'X-Accel', 'Connections', 'X-Forwarded-For', 'X-Cache-Status']) {
        assert.deepEqual(rulesFor(type, event, { ...plain(), ...header(key, 'x') }), [], key);
      }
    });
  }
  test('a generated response cannot carry a disallowed header either', () => {
    const event = eventWith('viewer-request', plain());
    for (const key of [...DISALLOWED, ...DISALLOWED_PREFIXED]) {
      const result = { status: '200', headers: header(key, 'x') };
      assert.ok(validateResult('viewer-request', result, event).some((v) => v.rule === 'disallowed-header'), key);
    }
  });
});

/**
 * Headers an origin custom header cannot be (AWS: "Custom headers that CloudFront can't add to
 * origin requests", https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/add-origin-custom-headers.html).
 */
const CUSTOM_HEADER_DENIED = [
  'Cache-Control',
  'Connection',
  'Content-Length',
  'Cookie',
  'Host',
  'If-Match',
  'If-Modified-Since',
  'If-None-Match',
  'If-Range',
  'If-Unmodified-Since',
  'Max-Forwards',
  'Pragma',
  'Proxy-Authorization',
  'Proxy-Connection',
  'Range',
  'Request-Range',
  'TE',
  'Trailer',
  'Transfer-Encoding',
  'Upgrade',
  'Via',
  'X-Real-Ip',
];
/** `X-Amz-*` and `X-Edge-*`. */
const CUSTOM_HEADER_DENIED_PREFIXED = ['X-Amz-Date', 'X-Amz-Anything', 'X-Edge-Origin'];

describe('origin custom headers, from AWS’s denylist', () => {
  const withCustomHeader = (key: string): Json => {
    const event = buildEvent('origin-request', {}) as Json;
    const request = structuredClone(event.Records[0].cf.request);
    request.origin.custom.customHeaders = header(key, 'x');
    return { event, request };
  };
  for (const key of [...CUSTOM_HEADER_DENIED, ...CUSTOM_HEADER_DENIED_PREFIXED]) {
    test(`${key} cannot be an origin custom header`, () => {
      const { event, request } = withCustomHeader(key);
      const found = validateResult('origin-request', request, event);
      assert.ok(found.some((v) => v.rule === 'origin' && /cannot be an origin custom header/.test(v.message)), JSON.stringify(found.map((v) => v.message)));
    });
  }
  test('an ordinary or look-alike name can', () => {
    for (const key of ['X-Origin-Secret', 'X-Am', 'X-Edg', 'Ranges', 'Cookies', 'Accept-Language']) {
      const { event, request } = withCustomHeader(key);
      assert.deepEqual(validateResult('origin-request', request, event).map((v) => v.message), [], key);
    }
  });
});

test('titleCase spells a header as CloudFront fills in its key', () => {
  assert.equal(titleCase('user-agent'), 'User-Agent');
  assert.equal(titleCase('x-amz-cf-id'), 'X-Amz-Cf-Id');
  assert.equal(titleCase('host'), 'Host');
});

test('isReadOnlyHeader answers per event type, in any case', () => {
  for (const type of TYPES) {
    for (const key of READ_ONLY[type]) assert.equal(isReadOnlyHeader(type, key), true, `${type} ${key}`);
  }
  assert.equal(isReadOnlyHeader('origin-request', 'Host'), false);
  assert.equal(isReadOnlyHeader('viewer-request', 'X-Anything'), false);
});
