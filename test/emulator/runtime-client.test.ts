// The local CloudFront can run its triggers under AWS's own runtime interface client (process
// environments behind the library's Lambda Runtime API, on Node 22), and `lambda-wasm invalidate`
// talks to a running server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { findNodeBinary, type InvocationRecord } from '../../src/lambda/index.js';
import { repoRoot } from '../helpers/paths.js';
import { exampleWasm, makeProject } from '../helpers/project.js';

let emulator: Emulator;
let base: string;
let remove: () => void;
const records: InvocationRecord[] = [];

before(async () => {
  const project = await makeProject(
    {
      passthrough: { wasm: exampleWasm('passthrough'), eventType: 'viewer-request' },
      'security-headers': { wasm: exampleWasm('security-headers'), eventType: 'origin-response' },
    },
    { origins: { site: { folder: 'site' } }, defaultBehavior: { triggers: { 'viewer-request': 'passthrough', 'origin-response': 'security-headers' } } },
  );
  remove = project.remove;
  const node = findNodeBinary(22);
  assert.ok(node !== undefined);
  emulator = createEmulator({ config: project.config, port: 0, runtimeClient: 'ric', nodeBinary: node, onFunctionLog: (_fn, r) => records.push(r) });
  base = await emulator.ready;
});

after(async () => {
  await emulator?.dispose();
  remove?.();
});

test('triggers run under aws-lambda-ric on Node 22, with Lambda\'s REPORT lines and real RSS', async () => {
  const r = await fetch(`${base}/index.html`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('strict-transport-security') ?? '', /max-age/);
  assert.equal(records.length, 2);
  for (const record of records) {
    assert.ok(record.ok);
    assert.ok(record.logs.some((l) => /^REPORT RequestId: .*Init Duration/.test(l)), record.logs.join('\n'));
    assert.ok(record.maxMemoryUsedMB > 20, `process RSS, not a thread's heap: ${record.maxMemoryUsedMB} MB`);
  }
});

test('lambda-wasm invalidate drops cached objects from a running server', async () => {
  await fetch(`${base}/style.css`);
  assert.equal((await fetch(`${base}/style.css`)).headers.get('x-cache'), 'Hit from cloudfront');
  const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'invalidate', '/style*', '--url', base], { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('close', (code) => resolve({ code, stdout }));
  });
  assert.equal(out.code, 0);
  assert.match(out.stdout, /1 cached object invalidated/);
  assert.equal((await fetch(`${base}/style.css`)).headers.get('x-cache'), 'Miss from cloudfront');
});
