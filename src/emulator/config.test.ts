// Resolving the validated `distribution` section: what is derived, not what is checked (that is
// src/config/schema.test.ts).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import { isEdgeError } from '../errors.js';
import { CACHING_OPTIMIZED, behaviorFor, parseDistribution } from './config.js';

function distributionOf(distribution: unknown, root = '/project') {
  const functions = { edge: { crate: 'edge', eventType: 'viewer-request', includeBody: true }, api: { crate: 'api', eventType: 'lambda' } };
  return parseDistribution(parseConfig({ functions, distribution }, { root, file: join(root, 'lambda-wasm.config.json'), env: {} }));
}

test('defaults: CloudFront placeholders, the only origin, CachingOptimized, nothing forwarded', () => {
  const d = distributionOf({ origins: { api: { url: 'http://127.0.0.1:9000/v1/' } }, defaultBehavior: { triggers: { 'viewer-request': 'edge' } } });
  assert.deepEqual([d.id, d.domainName, d.defaultRootObject], ['EDFDVBD6EXAMPLE', 'd111111abcdef8.cloudfront.net', undefined]);
  const b = behaviorFor(d, '/anything');
  assert.equal(b.origin.name, 'api');
  assert.deepEqual(b.origin.kind === 'http' && [b.origin.originPath, b.origin.domainName, b.origin.readTimeout, b.origin.keepaliveTimeout], ['/v1', '127.0.0.1', 30, 5]);
  assert.deepEqual(b.cachePolicy, CACHING_OPTIMIZED);
  assert.deepEqual(b.originRequestPolicy, { queryStrings: 'none', headers: 'none', cookies: 'none' });
  // A trigger given by name takes the function's includeBody.
  assert.deepEqual([b.triggers['viewer-request']!.function.name, b.triggers['viewer-request']!.includeBody], ['edge', true]);
  assert.deepEqual(d.lambdaFunctions.map((f) => f.name), ['api']);
});

test('policies: unset TTLs stay within the set ones, header names are lowercased, named policies expand', () => {
  const d = distributionOf({
    origins: { api: { url: 'http://127.0.0.1:9000' } },
    defaultBehavior: { cachePolicy: 'CachingDisabled', originRequestPolicy: 'AllViewer', triggers: { 'viewer-request': { function: 'edge', includeBody: false } } },
    behaviors: [{ pathPattern: '/short/*', cachePolicy: { maxTTL: 60, headers: ['X-Key'], queryStrings: ['v'] }, originRequestPolicy: { headers: ['CloudFront-Viewer-Country'], cookies: 'all' } }],
  });
  const short = behaviorFor(d, '/short/a');
  assert.deepEqual(short.cachePolicy, { minTTL: 1, defaultTTL: 60, maxTTL: 60, queryStrings: ['v'], headers: ['x-key'], cookies: 'none' });
  assert.deepEqual(short.originRequestPolicy, { queryStrings: 'none', headers: ['cloudfront-viewer-country'], cookies: 'all' });
  const other = behaviorFor(d, '/other');
  assert.deepEqual([other.cachePolicy.minTTL, other.cachePolicy.defaultTTL, other.cachePolicy.maxTTL], [0, 0, 0]);
  assert.deepEqual(other.originRequestPolicy, { queryStrings: 'all', headers: 'all', cookies: 'all' });
  assert.equal(other.triggers['viewer-request']!.includeBody, false);
});

test('a folder origin must exist: the one check only the file system can make', () => {
  const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-dist-'));
  try {
    assert.throws(
      () => distributionOf({ origins: { site: { folder: 'public' } }, defaultBehavior: {} }, root),
      (e: unknown) => isEdgeError(e) && e.code === 'E_CONFIG' && e.message === `${join(root, 'lambda-wasm.config.json')}: distribution.origins.site.folder: ${join(root, 'public')} is not a folder`,
    );
    const d = distributionOf({ origins: { Site: { folder: '.' } }, defaultBehavior: {} }, root);
    assert.deepEqual(d.origins.get('Site'), { name: 'Site', kind: 'folder', path: root, domainName: 'site.s3.us-east-1.amazonaws.com' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
