import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isEdgeError } from '../errors.js';
import { getFunction, parseConfig } from './load.js';

const ctx = { root: '/project', file: '/project/lambda-wasm.config.json', env: { PASSWORD: 's3cret' } };

function configError(raw: unknown): string {
  try {
    parseConfig(raw, ctx);
  } catch (error) {
    assert.ok(isEdgeError(error) && error.code === 'E_CONFIG', String(error));
    return error.message;
  }
  assert.fail('expected a config error');
}

describe('config', () => {
  test('fills in the tier defaults and resolves paths against the config folder', () => {
    const config = parseConfig({ functions: { a: { crate: 'examples/a', eventType: 'viewer-request' }, p: { crate: 'p', eventType: 'lambda' } } }, ctx);
    const a = getFunction(config, 'a');
    assert.deepEqual([a.memorySize, a.timeout, a.includeBody, a.source], [128, 5, false, { kind: 'crate', path: '/project/examples/a' }]);
    assert.deepEqual([getFunction(config, 'p').timeout], [3]);
    assert.equal(config.outDir, '/project/dist');
  });

  test('an unknown key is named, with the known ones', () => {
    assert.match(configError({ functions: { a: { crate: 'a', eventType: 'viewer-request', memory: 128 } } }), /functions\.a\.memory: unknown key; did you mean "memorySize"\? \(known keys: crate/);
    assert.match(configError({ functoins: {} }), /functoins: unknown key/);
  });

  test('an unknown event type lists the valid ones', () => {
    assert.match(configError({ functions: { a: { crate: 'a', eventType: 'viewer' } } }), /eventType: must be one of viewer-request, origin-request, origin-response, viewer-response, lambda/);
  });

  test('viewer triggers may not exceed 128 MB or 5 s; origin triggers 30 s', () => {
    assert.match(configError({ functions: { a: { crate: 'a', eventType: 'viewer-request', memorySize: 256 } } }), /memorySize: .* 128 to 128 for viewer-request/);
    assert.match(configError({ functions: { a: { crate: 'a', eventType: 'viewer-response', timeout: 6 } } }), /timeout: .* at most 5/);
    assert.match(configError({ functions: { a: { crate: 'a', eventType: 'origin-request', timeout: 31 } } }), /at most 30/);
    parseConfig({ functions: { a: { crate: 'a', eventType: 'origin-request', timeout: 30, memorySize: 1024 } } }, ctx);
  });

  test('includeBody only on request events, in CloudFront\'s words', () => {
    assert.match(configError({ functions: { a: { crate: 'a', eventType: 'origin-response', includeBody: true } } }), /IncludeBody option can only be used with viewer-request or origin-request events/);
  });

  test('exactly one guest source', () => {
    assert.match(configError({ functions: { a: { eventType: 'lambda' } } }), /exactly one of "crate"/);
    assert.match(configError({ functions: { a: { crate: 'a', wasm: 'b.wasm', eventType: 'lambda' } } }), /exactly one of "crate"/);
  });

  test('function names follow Lambda\'s rules', () => {
    assert.match(configError({ functions: { 'a b': { crate: 'a', eventType: 'lambda' } } }), /letters, digits, - and _ only/);
  });

  test('buildEnv substitutes ${NAME} and ${NAME:-default}, and refuses an unset variable', () => {
    const config = parseConfig({ functions: { a: { crate: 'a', eventType: 'lambda', buildEnv: { A: 'u:${PASSWORD}', B: '${NOPE:-fallback}' } } } }, ctx);
    assert.deepEqual(getFunction(config, 'a').buildEnv, { A: 'u:s3cret', B: 'fallback' });
    assert.match(configError({ functions: { a: { crate: 'a', eventType: 'lambda', buildEnv: { A: '${NOPE}' } } } }), /uses \$\{NOPE\}, which is not set/);
  });

  test('an unknown function name lists the known ones', () => {
    const config = parseConfig({ functions: { one: { crate: 'a', eventType: 'lambda' } } }, ctx);
    assert.throws(() => getFunction(config, 'two'), (e: unknown) => isEdgeError(e) && e.code === 'E_FUNCTION_UNKNOWN' && e.hint === 'functions in /project/lambda-wasm.config.json: one');
  });
});
