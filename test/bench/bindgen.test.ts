// The wasm-bindgen baseline (issue 5) builds and loads, and passes the request through unchanged
// like our passthrough guest: the fixture event, and a POST with a 40 KB include-body body.
// The first run builds wasm-bindgen-cli from crates.io (minutes); later runs only import.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { loadBindgenBaseline, type BindgenHandler } from '../../src/bench/bindgen.js';
import { withBody } from '../../src/bench/events.js';
import { repoRoot } from '../helpers/paths.js';

type CfEvent = { Records: Array<{ cf: { request: Record<string, unknown> } }> };

const fixture = JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'events', 'viewer-request.json'), 'utf8')) as CfEvent;
const context = { awsRequestId: 'test', functionName: 'bindgen', getRemainingTimeInMillis: () => 5000 };
let handler: BindgenHandler;

before(async () => {
  const loaded = await loadBindgenBaseline(repoRoot, { build: true, progress: (line) => process.stderr.write(`${line}\n`) });
  assert.ok('handler' in loaded, `the wasm-bindgen baseline could not be built: ${'reason' in loaded ? loaded.reason : ''}`);
  handler = loaded.handler;
}, { timeout: 900_000 });

test('returns the fixture request unchanged', async () => {
  const result = await handler(structuredClone(fixture), context);
  assert.deepEqual(result, fixture.Records[0]!.cf.request);
});

test('returns a request with an include-body body unchanged', async () => {
  const event = withBody(fixture, 40 * 1024) as CfEvent;
  const request = event.Records[0]!.cf.request;
  const result = (await handler(structuredClone(event), context)) as Record<string, unknown>;
  assert.deepEqual(result, request);
  assert.equal((result.body as { data: string }).data.length, Math.ceil((40 * 1024) / 3) * 4);
});

test('rejects an event that is not a CloudFront event, saying why', async () => {
  await assert.rejects(async () => handler({ hello: 'world' }, context), (error: unknown) => /missing field `Records`/.test(String(error)));
});
