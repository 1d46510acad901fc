// Property-based: 100 000+ random and mutated results. The validator never throws, never accepts a
// result that breaks a rule it knows, and accepts the changes CloudFront allows.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { buildEvent, eventTypeOf, READ_ONLY_HEADERS, validateResult, type CloudFrontEventType, type RuleId } from '../../src/events/index.js';

type Json = Record<string, any>;
const TYPES = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const;
const fixturesDir = join(import.meta.dirname, '..', '..', 'fixtures', 'events');

/** The fixtures plus built events: the inputs that results are mutated from. */
const EVENTS: Json[] = [
  ...readdirSync(fixturesDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(fixturesDir, f), 'utf8')) as Json)
    .filter((e) => eventTypeOf(e) !== undefined),
  ...TYPES.map((t) => buildEvent(t, { uri: '/x', headers: [['Accept', '*/*']] }) as unknown as Json),
];

const passedBack = (event: Json): Json => {
  const cf = event.Records[0].cf;
  return structuredClone(cf.config.eventType.endsWith('request') ? cf.request : cf.response);
};
const typeOf = (event: Json) => event.Records[0].cf.config.eventType as CloudFrontEventType;

describe('the shared fixtures', () => {
  test('each fixture\'s own request or response, passed back unchanged, is valid for its event type', () => {
    assert.ok(EVENTS.length >= 9);
    for (const event of EVENTS) {
      assert.deepEqual(validateResult(typeOf(event), passedBack(event), event), [], JSON.stringify(event).slice(0, 120));
    }
  });
});

const anEvent = fc.constantFrom(...EVENTS);
const headerValue = fc.string({ maxLength: 40 }).filter((s) => !/[\x00-\x08\x0a-\x1f\x7f]/.test(s));
const safeName = fc.stringMatching(/^x-[a-z0-9]{1,12}$/);
const DISALLOWED = ['connection', 'expect', 'keep-alive', 'proxy-authorization', 'trailer', 'upgrade', 'x-accel-redirect', 'x-amzn-auth', 'x-cache', 'x-forwarded-proto', 'x-real-ip', 'x-amz-cf-id', 'x-edge-location'];

/** A mutation that breaks exactly one known rule, and the rule it breaks. */
type Mutation = { rule: RuleId; apply: (result: Json, type: CloudFrontEventType) => Json | undefined };

const mutations: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...DISALLOWED), fc.stringMatching(/^[a-z0-9-]{0,6}$/), headerValue).map(([name, suffix, value]): Mutation => ({
    rule: 'disallowed-header',
    apply: (r) => {
      const n = name.startsWith('x-amz-cf-') || name.startsWith('x-edge-') ? name + suffix : name;
      r.headers[n] = [{ key: n, value }];
      return r;
    },
  })),
  fc.tuple(fc.nat(), fc.constantFrom('add', 'change', 'delete'), headerValue).map(([i, how, value]): Mutation => ({
    rule: 'read-only-header',
    apply: (r, type) => {
      const names = [...READ_ONLY_HEADERS[type]];
      const name = names[i % names.length]!;
      const was = r.headers[name] as Array<{ value: string }> | undefined;
      if (how === 'delete') {
        if (was === undefined) return undefined;
        delete r.headers[name];
      } else if (how === 'change' && was !== undefined) {
        if (was.length === 1 && was[0]!.value === value) return undefined;
        r.headers[name] = [{ value }];
      } else {
        if (was !== undefined) return undefined;
        r.headers[name] = [{ value }];
      }
      return r;
    },
  })),
  fc.tuple(safeName, headerValue, fc.nat(), fc.constantFrom('\r', '\n', '\r\n', '\0', '\u001b', '\u007f')).map(([name, value, at, bad]): Mutation => ({
    rule: 'header-value-characters',
    apply: (r) => {
      const pos = at % (value.length + 1);
      r.headers[name] = [{ value: value.slice(0, pos) + bad + value.slice(pos) }];
      return r;
    },
  })),
  fc.tuple(safeName, fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.object(), fc.array(fc.string()))).map(([name, value]): Mutation => ({
    rule: 'header-value',
    apply: (r) => {
      r.headers[name] = [{ value }];
      return r;
    },
  })),
  fc.tuple(fc.stringMatching(/^[a-z]{1,8}[A-Z][a-zA-Z]{0,8}$/), headerValue).map(([name, value]): Mutation => ({
    rule: 'header-name',
    apply: (r) => {
      r.headers[name] = [{ key: name, value }];
      return r;
    },
  })),
  fc.oneof(fc.integer({ min: -1000, max: 199 }), fc.integer({ min: 600, max: 100_000 })).map((status): Mutation => ({
    rule: 'status',
    apply: (r, type) => {
      if (type === 'viewer-response') return undefined; // there a changed status is its own rule
      if (type.endsWith('request')) return { status: String(status) };
      r.status = String(status);
      return r;
    },
  })),
  fc.string({ maxLength: 30 }).filter((s) => !s.startsWith('/')).map((uri): Mutation => ({
    rule: 'uri',
    apply: (r, type) => {
      if (!type.endsWith('request')) return undefined;
      r.uri = uri;
      return r;
    },
  })),
  fc.tuple(fc.stringMatching(/^[a-z0-9=&]{0,10}$/), fc.constantFrom(' ', '#', '\t', '\u0001', '\u007f')).map(([qs, bad]): Mutation => ({
    rule: 'querystring',
    apply: (r, type) => {
      if (!type.endsWith('request')) return undefined;
      r.querystring = qs + bad;
      return r;
    },
  })),
  fc.oneof(fc.constant(null), fc.string(), fc.double(), fc.boolean(), fc.array(fc.anything(), { maxLength: 3 })).map((value): Mutation => ({
    rule: 'result-type',
    apply: () => value as never,
  })),
  fc.integer({ min: 1, max: 2000 }).map((extra): Mutation => ({
    rule: 'generated-response-size',
    apply: (r, type) => {
      const body = 'x'.repeat((type.startsWith('viewer') ? 40 * 1024 : 1024 * 1024) + extra);
      return type.endsWith('request') ? { status: '200', body } : { ...r, body };
    },
  })),
  fc.integer({ min: 200, max: 599 }).map((status): Mutation => ({
    rule: 'status-read-only',
    apply: (r, type) => {
      if (type !== 'viewer-response' || String(status) === r.status) return undefined;
      r.status = String(status);
      return r;
    },
  })),
);

/** Changes CloudFront allows: adding an ordinary header, or (requests) a new path. */
const allowedChange = fc.tuple(safeName, headerValue, fc.stringMatching(/^\/[a-zA-Z0-9/._-]{0,40}$/)).map(
  ([name, value, uri]) =>
    (r: Json, type: CloudFrontEventType): Json => {
      if (!DISALLOWED.includes(name)) r.headers[name] = [{ value }];
      if (type.endsWith('request')) r.uri = uri;
      return r;
    },
);

describe('validateResult, property-based', () => {
  test('never throws on any JSON-like value, for any event type (40 000 runs)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.anything({ withNullPrototype: true, maxDepth: 4 }), anEvent, (type, result, event) => {
        const v = validateResult(type, result, event);
        assert.ok(Array.isArray(v));
        for (const one of v) assert.equal(one.status, 502);
      }),
      { numRuns: 40_000 },
    );
  });

  test('never throws on results shaped almost right (20 000 runs)', () => {
    const almost = fc.record({
      status: fc.oneof(fc.string(), fc.integer(), fc.constant(undefined)),
      headers: fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(fc.array(fc.record({ key: fc.anything(), value: fc.anything() }), { maxLength: 3 }), fc.anything())),
      uri: fc.anything(),
      querystring: fc.anything(),
      body: fc.oneof(fc.string(), fc.record({ action: fc.anything(), encoding: fc.anything(), data: fc.anything() })),
      origin: fc.oneof(fc.anything(), fc.record({ custom: fc.anything() }), fc.record({ s3: fc.anything() })),
    }, { requiredKeys: [] });
    fc.assert(fc.property(fc.constantFrom(...TYPES), almost, anEvent, (type, result, event) => {
      validateResult(type, result, event);
    }), { numRuns: 20_000 });
  });

  test('rejects every result mutated to break a known rule, with that rule (30 000 runs)', () => {
    fc.assert(
      fc.property(anEvent, mutations, (event, mutation) => {
        const type = typeOf(event);
        const mutated = mutation.apply(passedBack(event), type);
        fc.pre(mutated !== undefined);
        const rules = validateResult(type, mutated, event).map((v) => v.rule);
        assert.ok(rules.includes(mutation.rule), `${type}: expected ${mutation.rule}, got [${rules.join(', ')}] for ${JSON.stringify(mutated).slice(0, 300)}`);
      }),
      { numRuns: 30_000 },
    );
  });

  test('accepts the changes CloudFront allows (10 000 runs)', () => {
    fc.assert(
      fc.property(anEvent, allowedChange, (event, change) => {
        const type = typeOf(event);
        assert.deepEqual(validateResult(type, change(passedBack(event), type), event), []);
      }),
      { numRuns: 10_000 },
    );
  });
});
