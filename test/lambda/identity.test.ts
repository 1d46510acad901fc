// A guest sees one identity however it is run: the same invoked function ARN (qualified with the
// version), function name, log group and log stream under a process environment (`invoke`) and a
// worker-thread environment (`dev`). The expected values are written out from AWS's documentation
// (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html), not taken from src/lambda/identity.ts.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ADAPTER_ENTRIES, bundleAdapter } from '../../scripts/adapter-bundle.mjs';
import { FunctionRunner, type FunctionSpec } from '../../src/lambda/index.js';
import { contextFieldsWat } from '../helpers/abi-guests.js';
import { compileWatText } from '../helpers/wat.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-identity-'));
const runners: FunctionRunner[] = [];
let codeDir: string;
before(async () => {
  codeDir = join(root, 'code');
  mkdirSync(codeDir, { recursive: true });
  await bundleAdapter(ADAPTER_ENTRIES['adapter.mjs'], join(codeDir, 'index.mjs'));
  copyFileSync(compileWatText(contextFieldsWat), join(codeDir, 'guest.wasm'));
});
after(async () => {
  await Promise.all(runners.map((r) => r.dispose()));
  rmSync(root, { recursive: true, force: true });
});

async function fieldsUnder(isolation: 'process' | 'thread', spec: Partial<FunctionSpec>): Promise<string[]> {
  const r = new FunctionRunner({ name: 'whoami', codeDir, memorySize: 128, timeout: 5, isolation, ...spec }, { maxEnvironments: 1 });
  runners.push(r);
  const rec = await r.invoke({});
  assert.equal(rec.ok, true, JSON.stringify(rec.error));
  return rec.result as string[];
}

const STREAM = /^\d{4}\/\d\d\/\d\d\/\[(.+)\][0-9a-f]{32}$/;

test('a Lambda@Edge version: the ARN carries the version under a thread and a process environment alike', { timeout: 60_000 }, async () => {
  const spec = { version: '7', edge: true };
  const [thread, processEnv] = [await fieldsUnder('thread', spec), await fieldsUnder('process', spec)];
  for (const [label, fields] of [['thread', thread], ['process', processEnv]] as const) {
    const [name, version, arn, memory, group, stream] = fields;
    assert.equal(arn, 'arn:aws:lambda:us-east-1:123456789012:function:whoami:7', label);
    assert.equal(name, 'us-east-1.whoami', label);
    assert.equal(version, '7', label);
    assert.equal(memory, '128', label);
    assert.equal(group, '/aws/lambda/us-east-1.whoami', label);
    assert.equal(STREAM.exec(stream!)?.[1], '7', `${label}: ${stream}`);
  }
  // Everything but the stream's environment id is the same.
  assert.deepEqual(thread.slice(0, 5), processEnv.slice(0, 5));
});

test('a plain Lambda function at $LATEST in another Region: an unqualified ARN in that Region, both ways', { timeout: 60_000 }, async () => {
  const spec = { region: 'eu-west-1' };
  for (const isolation of ['thread', 'process'] as const) {
    const [name, version, arn, , group, stream] = await fieldsUnder(isolation, spec);
    assert.equal(arn, 'arn:aws:lambda:eu-west-1:123456789012:function:whoami', isolation);
    assert.equal(name, 'whoami', isolation);
    assert.equal(version, '$LATEST', isolation);
    assert.equal(group, '/aws/lambda/whoami', isolation);
    assert.equal(STREAM.exec(stream!)?.[1], '$LATEST', `${isolation}: ${stream}`);
  }
});
