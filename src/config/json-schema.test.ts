// The JSON Schema shipped for editors is the zod schema's, and it is in the package.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { JSON_SCHEMA_FILE, configJsonSchema, configJsonSchemaText } from './json-schema.js';
import { SCHEMA_REF, validateConfig } from './schema.js';

const root = join(fileURLToPath(import.meta.url), '../../..');

test('the committed schema file is what the zod schema produces', () => {
  const committed = readFileSync(join(root, JSON_SCHEMA_FILE), 'utf8');
  assert.equal(committed, configJsonSchemaText(), `${JSON_SCHEMA_FILE} is stale: run \`npm run compile\` and commit it`);
});

test('editors learn the keys, their defaults, and that unknown keys are errors', () => {
  type Node = { properties: Record<string, Node>; additionalProperties?: unknown; default?: unknown; required?: string[]; anyOf?: Node[]; items?: Node };
  const schema = configJsonSchema() as unknown as Node;
  const p = schema.properties;
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required, ['functions']);
  assert.deepEqual(Object.keys(p), ['$schema', 'outDir', 'functions', 'cloudfront', 'distribution', 'deploy']);
  const fn = p.functions!.additionalProperties as Node;
  assert.equal(fn.additionalProperties, false);
  assert.deepEqual((fn.properties.eventType as unknown as { enum: string[] }).enum, ['viewer-request', 'origin-request', 'origin-response', 'viewer-response', 'lambda']);
  assert.equal(p.outDir!.default, 'dist');
  for (const section of [p.cloudfront!, p.cloudfront!.properties.viewerLimits!, p.cloudfront!.properties.maxGeneratedResponseBytes!, p.distribution!, p.distribution!.properties.defaultBehavior!, p.distribution!.properties.behaviors!.items!, p.deploy!]) {
    assert.equal(section.additionalProperties, false);
  }
  assert.equal(p.deploy!.properties.region!.default, 'us-east-1');
});

test('an editor\'s JSON Schema validator accepts real configs and flags what loadConfig refuses', () => {
  // ajv stands in for the editor: a schema stricter than the tool would underline valid configs.
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(join(root, JSON_SCHEMA_FILE), 'utf8')));
  const repoConfig = JSON.parse(readFileSync(join(root, 'lambda-wasm.config.json'), 'utf8'));
  assert.ok(validate(repoConfig), JSON.stringify(validate.errors));
  const everything = {
    $schema: SCHEMA_REF,
    outDir: 'build',
    functions: { edge: { crate: '.', eventType: 'viewer-request', includeBody: true, buildEnv: { A: '${A:-1}' } }, api: { wasm: 'api.wasm', eventType: 'lambda', timeout: 0.5 } },
    cloudfront: { executionErrorStatus: 500, viewerLimits: { maxMemory: 256 } },
    distribution: {
      origins: { site: { folder: 'public' }, api: { url: 'http://127.0.0.1:9000', readTimeout: 60 } },
      defaultBehavior: { origin: 'site', triggers: { 'viewer-request': { function: 'edge', includeBody: true } }, cachePolicy: 'CachingDisabled' },
      behaviors: [{ pathPattern: '/api/*', origin: 'api', cachePolicy: { maxTTL: 60, headers: ['x-key'] }, originRequestPolicy: 'AllViewer' }],
    },
    deploy: { region: 'us-east-1', functionPrefix: 'shop-', functions: { api: { functionUrl: true, environment: { MODE: 'prod' } } } },
  };
  assert.ok(validate(everything), JSON.stringify(validate.errors));
  assert.ok(validateConfig(everything).ok);
  for (const wrong of [
    { functions: { edge: { crate: '.', eventTyp: 'viewer-request' } } },
    { functions: {}, cloudfront: { viewerLimits: { memory: 256 } } },
    { functions: {}, distribution: { origins: { site: { folder: 'public' } }, defaultBehavior: { ttl: 1 } } },
    { functions: {}, deploy: { regoin: 'us-east-1' } },
    { functions: { 'a b': { crate: '.', eventType: 'lambda' } } },
  ]) {
    assert.equal(validate(wrong), false, JSON.stringify(wrong));
    assert.equal(validateConfig(wrong).ok, false, JSON.stringify(wrong));
  }
});

test('`npm pack` ships the schema file where projects made by `new` point "$schema"', { timeout: 60_000 }, () => {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
  assert.ok(pack!.files.some((f) => f.path === JSON_SCHEMA_FILE), `${JSON_SCHEMA_FILE} is not in the package`);
  assert.equal(SCHEMA_REF, `./node_modules/lambda-wasm/${JSON_SCHEMA_FILE}`);
});
