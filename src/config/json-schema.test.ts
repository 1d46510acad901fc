// The JSON Schema shipped for editors is the zod schema's, and it is in the package.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_FILE, configJsonSchema, configJsonSchemaText } from './json-schema.js';
import { SCHEMA_REF } from './schema.js';

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

test('`npm pack` ships the schema file where projects made by `new` point "$schema"', { timeout: 60_000 }, () => {
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' })) as Array<{ files: Array<{ path: string }> }>;
  assert.ok(pack!.files.some((f) => f.path === JSON_SCHEMA_FILE), `${JSON_SCHEMA_FILE} is not in the package`);
  assert.equal(SCHEMA_REF, `./node_modules/lambda-wasm/${JSON_SCHEMA_FILE}`);
});
