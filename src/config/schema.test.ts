// The config schema: every problem at once, each with its key path; "did you mean" for typos;
// unknown keys refused in every section (a mistyped setting must never be silently ignored).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isEdgeError } from '../errors.js';
import { parseConfig } from './load.js';
import type { ConfigProblem } from './problems.js';
import { validateConfig } from './schema.js';

const ctx = { root: '/project', file: '/project/lambda-wasm.config.json', env: {} };
const edge = { crate: 'edge', eventType: 'viewer-request' };
const api = { crate: 'api', eventType: 'lambda' };
const site = { site: { url: 'http://127.0.0.1:8080' } };

function problems(raw: unknown): ConfigProblem[] {
  const checked = validateConfig(raw);
  assert.ok(!checked.ok, 'expected the config to be refused');
  return checked.problems;
}

/** The problems as `path: message` lines. */
function lines(raw: unknown): string[] {
  return problems(raw).map((p) => `${p.path}: ${p.message}`);
}

/** Exactly one problem, at `path`, matching `pattern`. */
function refused(raw: unknown, path: string, pattern: RegExp): void {
  const found = problems(raw);
  assert.deepEqual(found.map((p) => p.path), [path], JSON.stringify(found));
  assert.match(found[0]!.message, pattern);
}

function distribution(d: Record<string, unknown>): unknown {
  return { functions: { edge, api }, distribution: { origins: site, defaultBehavior: {}, ...d } };
}

describe('config schema', () => {
  test('"$schema" is accepted (projects made by `new` point it at the package\'s JSON Schema)', () => {
    const checked = validateConfig({ $schema: './node_modules/lambda-wasm/schema/lambda-wasm.config.schema.json', functions: { edge } });
    assert.ok(checked.ok);
    assert.equal(parseConfig({ $schema: './schema/lambda-wasm.config.schema.json', functions: { edge } }, ctx).functions[0]!.name, 'edge');
    refused({ $schema: 42, functions: {} }, '$schema', /must be a string \(got 42\)/);
  });

  test('several problems in several sections are reported at once, each with its key path', () => {
    const raw = {
      functions: {
        a: { crate: 'a', eventType: 'viewer-request', memorySize: 512 },
        b: { crate: 'b', wasm: 'b.wasm', eventType: 'lambda', timeout: 'long' },
      },
      cloudfront: { executionErrorStatus: 502 },
      distribution: { origins: site, defaultBehavior: { triggers: { 'viewer-request': 'nope' } } },
      deploy: { region: 'Virginia' },
    };
    assert.deepEqual(lines(raw), [
      'functions.b.timeout: must be a number of seconds above 0 and at most 900 (got "long")',
      'functions.b: needs exactly one of "crate" (a Rust crate folder), "wasm" (a built ABI v1 .wasm) or "wasmPack" (a wasm-pack --target nodejs folder)',
      "cloudfront.executionErrorStatus: must be 503 (today's CloudFront) or 500 (older documentation) (got 502)",
      'deploy.region: "Virginia" is not an AWS Region name such as us-east-1',
      'functions.a.memorySize: must be a whole number of MB from 128 to 128 for viewer-request functions (got 512)',
      'distribution.defaultBehavior.triggers.viewer-request: no function named "nope" (functions: a, b)',
    ]);
    // The same list reaches the user in one error.
    assert.throws(
      () => parseConfig(raw, ctx),
      (e: unknown) => isEdgeError(e) && e.code === 'E_CONFIG' && e.message.startsWith('/project/lambda-wasm.config.json has 6 problems:\n  functions.b.timeout: ') && e.message.includes('\n  deploy.region: '),
    );
  });

  test('a mistyped key gets "did you mean", with the known keys', () => {
    refused({ functions: { edge: { crate: 'edge', eventTyp: 'viewer-request', eventType: 'viewer-request' } } }, 'functions.edge.eventTyp', /^unknown key; did you mean "eventType"\? \(known keys: crate, wasm, wasmPack, eventType, /);
    refused({ functoins: {}, functions: {} }, 'functoins', /^unknown key; did you mean "functions"\? \(known keys: \$schema, outDir, functions, cloudfront, distribution, deploy\)$/);
    refused({ functions: { edge }, deploy: { functions: { edge: { distributionID: 'E2QWRUHAPOMQZL' } } } }, 'deploy.functions.edge.distributionID', /did you mean "distributionId"\?/);
    // Nothing close: the known keys only.
    refused({ functions: { edge: { ...edge, handler: 'index.handler' } } }, 'functions.edge.handler', /^unknown key \(known keys: crate, /);
  });

  test('a mistyped value or name gets "did you mean" too', () => {
    refused({ functions: { edge: { crate: 'edge', eventType: 'viewer-reqest' } } }, 'functions.edge.eventType', /must be one of viewer-request, .*lambda \(got "viewer-reqest"\); did you mean "viewer-request"\?/);
    refused(distribution({ defaultBehavior: { triggers: { 'viewer-request': 'egde' } } }), 'distribution.defaultBehavior.triggers.viewer-request', /no function named "egde" \(functions: edge, api\); did you mean "edge"\?/);
    refused(distribution({ behaviors: [{ pathPattern: '/a/*', origin: 'stie' }] }), 'distribution.behaviors[0].origin', /no origin named "stie" \(origins: site\); did you mean "site"\?/);
    refused({ functions: { edge }, deploy: { functions: { egde: {} } } }, 'deploy.functions.egde', /is not a function of this project \(functions: edge\); did you mean "edge"\?/);
  });

  test('unknown keys under cloudfront, and in each of its groups, are refused', () => {
    const fn = { functions: { edge } };
    refused({ ...fn, cloudfront: { maxOriginTimout: 60 } }, 'cloudfront.maxOriginTimout', /did you mean "maxOriginTimeout"/);
    refused({ ...fn, cloudfront: { viewerLimits: { maxMemory: 256, memory: 1 } } }, 'cloudfront.viewerLimits.memory', /unknown key.*\(known keys: maxMemory, maxTimeout, maxZipBytes\)/);
    refused({ ...fn, cloudfront: { maxGeneratedResponseBytes: { viewers: 1 } } }, 'cloudfront.maxGeneratedResponseBytes.viewers', /did you mean "viewer"/);
    // The known settings still work.
    const config = parseConfig({ functions: { edge: { ...edge, memorySize: 256 } }, cloudfront: { viewerLimits: { maxMemory: 256 }, maxGeneratedResponseBytes: { viewer: 1000 } } }, ctx);
    assert.equal(config.functions[0]!.memorySize, 256);
    assert.deepEqual([config.cloudfront.maxGeneratedResponseBytes, config.cloudfront.executionErrorStatus], [{ viewer: 1000, origin: 1024 * 1024 }, 503]);
  });

  test('unknown keys in distribution, its origins, behaviors, triggers and policies are refused', () => {
    refused(distribution({ defaultRootObjct: 'index.html' }), 'distribution.defaultRootObjct', /did you mean "defaultRootObject"/);
    refused(distribution({ origins: { site: { url: 'http://127.0.0.1:8080', timeout: 5 } } }), 'distribution.origins.site.timeout', /unknown key.*known keys: folder, url, readTimeout, keepaliveTimeout/);
    refused(distribution({ behaviors: [{ pathPattern: '/a/*', ttl: 5 }] }), 'distribution.behaviors[0].ttl', /unknown key.*known keys: pathPattern, origin, triggers, cachePolicy, originRequestPolicy/);
    refused(distribution({ defaultBehavior: { compress: true } }), 'distribution.defaultBehavior.compress', /unknown key/);
    refused(distribution({ defaultBehavior: { triggers: { 'viewer-requests': 'edge' } } }), 'distribution.defaultBehavior.triggers.viewer-requests', /did you mean "viewer-request"\? \(known keys: viewer-request, origin-request, origin-response, viewer-response\)/);
    refused(distribution({ defaultBehavior: { triggers: { 'viewer-request': { function: 'edge', body: true } } } }), 'distribution.defaultBehavior.triggers.viewer-request.body', /known keys: function, includeBody/);
    refused(distribution({ defaultBehavior: { cachePolicy: { maxTTL: 60, cookie: 'all' } } }), 'distribution.defaultBehavior.cachePolicy.cookie', /did you mean "cookies"/);
    refused(distribution({ defaultBehavior: { originRequestPolicy: { header: 'all' } } }), 'distribution.defaultBehavior.originRequestPolicy.header', /did you mean "headers"/);
  });

  test('unknown keys in deploy and its functions are refused', () => {
    refused({ functions: { edge }, deploy: { regoin: 'us-east-1' } }, 'deploy.regoin', /did you mean "region"/);
    refused({ functions: { api }, deploy: { functions: { api: { functionUrl: { auth: 'NONE' } } } } }, 'deploy.functions.api.functionUrl.auth', /known keys: authType/);
  });

  test('distribution rules: origins, patterns, triggers of the right kind', () => {
    refused({ functions: { edge }, distribution: { defaultBehavior: {} } }, 'distribution.origins', /is required: at least one origin/);
    refused(distribution({ origins: {} }), 'distribution.origins', /needs at least one origin/);
    refused(distribution({ origins: { site: { folder: 'public', url: 'http://x' } } }), 'distribution.origins.site', /exactly one of "folder"/);
    refused(distribution({ origins: { site: { url: 'http://x/?a=1' } } }), 'distribution.origins.site.url', /cannot have a query string/);
    refused(distribution({ defaultBehavior: undefined }), 'distribution.defaultBehavior', /is required \(CloudFront always has a default cache behavior\)/);
    refused(distribution({ behaviors: [{ pathPattern: '/a/*' }, { pathPattern: '/a/*' }] }), 'distribution.behaviors[1].pathPattern', /used twice/);
    refused(distribution({ behaviors: [{ pathPattern: '/a b' }] }), 'distribution.behaviors[0].pathPattern', /characters CloudFront does not allow/);
    refused(distribution({ defaultBehavior: { triggers: { 'origin-request': 'edge' } } }), 'distribution.defaultBehavior.triggers.origin-request', /edge is built as a viewer-request function; associate it with viewer-request/);
    const headers = { crate: 'headers', eventType: 'origin-response' };
    refused({ functions: { headers }, distribution: { origins: site, defaultBehavior: { triggers: { 'origin-response': { function: 'headers', includeBody: true } } } } }, 'distribution.defaultBehavior.triggers.origin-response.includeBody', /IncludeBody option can only be used with viewer-request or origin-request/);
    refused(distribution({ defaultBehavior: { cachePolicy: { minTTL: 10, defaultTTL: 5 } } }), 'distribution.defaultBehavior.cachePolicy.defaultTTL', /from 10 to 31536000/);
    refused(distribution({ defaultBehavior: { cachePolicy: { headers: 'all' } } }), 'distribution.defaultBehavior.cachePolicy.headers', /lists its headers by name/);
    refused(distribution({ defaultBehavior: { cachePolicy: 'Optimized' } }), 'distribution.defaultBehavior.cachePolicy', /must be "CachingOptimized", "CachingDisabled" or an object/);
    refused(distribution({ origins: { ...site, api: { url: 'http://127.0.0.1:9000' } } }), 'distribution.defaultBehavior.origin', /is required when there is more than one origin \(origins: site, api\)/);
  });

  test('limits come from the kind of function and cloudfront.viewerLimits', () => {
    refused({ functions: { o: { crate: 'o', eventType: 'origin-request', timeout: 31 } } }, 'functions.o.timeout', /at most 30 for origin-request functions \(got 31\)/);
    refused({ functions: { edge: { ...edge, timeout: 6 } }, cloudfront: { viewerLimits: { maxTimeout: 5 } } }, 'functions.edge.timeout', /at most 5 for viewer-request/);
    assert.ok(validateConfig({ functions: { edge: { ...edge, timeout: 6 } }, cloudfront: { viewerLimits: { maxTimeout: 10 } } }).ok);
    refused({ functions: { p: { ...api, memorySize: 20_000 } } }, 'functions.p.memorySize', /from 128 to 10240/);
  });

  test('a config built in code is checked by the same schema when dev or deploy resolves it', async () => {
    const { parseDistribution } = await import('../emulator/config.js');
    const { parseDeployConfig } = await import('../deploy/config.js');
    const config = parseConfig({ functions: { edge, api } }, ctx);
    assert.throws(
      () => parseDistribution({ ...config, distribution: { origins: site, defaultBehavior: { triggers: { 'viewer-request': 'api' } }, extra: 1 } as never }),
      (e: unknown) => isEdgeError(e) && e.code === 'E_CONFIG' && /distribution\.extra: unknown key/.test(e.message) && /viewer-request: api is built as a lambda function/.test(e.message),
    );
    assert.throws(() => parseDeployConfig({ ...config, deploy: { functions: { edge: { alias: 'live' } } } }), /deploy\.functions\.edge\.alias: CloudFront needs a numbered version/);
  });
});
