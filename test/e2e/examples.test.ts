// End to end: the examples built with the real Rust toolchain, their zips opened, and each zip
// invoked on its fixture in a separate Lambda-like process. `npm test` builds dist/ first.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { build } from '../../src/build/build.js';
import { readZip } from '../../src/build/zip.js';
import { loadConfig } from '../../src/config/load.js';
import { buildViewerRequestEvent, buildFunctionUrlEvent } from '../../src/events/index.js';
import { readEventFile } from '../../src/invoke/event-input.js';
import { invoke } from '../../src/invoke/invoke.js';
import { repoRoot } from '../helpers/paths.js';

const config = loadConfig({ cwd: repoRoot });
const fixture = (name: string) => readEventFile(join(repoRoot, 'fixtures/events', name)) as { Records: Array<{ cf: Record<string, unknown> }> };
const run = (fn: string, event: unknown) => invoke({ config, function: fn, event });
type Headers = Record<string, Array<{ key?: string; value: string }>>;

describe('the built zips', () => {
  test('each zip holds exactly the adapter and guest.wasm, and the adapter is the bundled one', () => {
    const adapter = readFileSync(join(repoRoot, 'lib/runtime/adapter.mjs'));
    for (const fn of config.functions.filter((f) => f.target !== 'native')) {
      const files = readZip(readFileSync(join(config.outDir, `${fn.name}.zip`)));
      assert.deepEqual([...files.keys()].sort(), ['guest.wasm', 'index.mjs'], fn.name);
      assert.deepEqual(Buffer.from(files.get('index.mjs')!), adapter, fn.name);
      const exports = WebAssembly.Module.exports(new WebAssembly.Module(files.get('guest.wasm')!)).map((e) => e.name).sort();
      assert.deepEqual(exports, ['lambda_wasm_abi_version', 'lambda_wasm_alloc', 'lambda_wasm_dealloc', 'lambda_wasm_handle', 'memory'], fn.name);
    }
  });

  const outDir = mkdtempSync(join(tmpdir(), 'lambda-wasm-determinism-'));
  after(() => rmSync(outDir, { recursive: true, force: true }));
  test('building again gives the same zip bytes', async () => {
    const again = await build({ config: { ...config, outDir }, functions: ['passthrough', 'redirect'] });
    for (const fn of again.functions) {
      assert.deepEqual(readFileSync(fn.zipPath), readFileSync(join(config.outDir, `${fn.name}.zip`)), fn.name);
    }
  });

  test('the passthrough zip is well inside the 1 MB viewer limit', async () => {
    const size = readFileSync(join(config.outDir, 'passthrough.zip')).length;
    assert.ok(size <= 1024 * 1024, `passthrough.zip is ${size} bytes, over the 1 MB viewer limit`);
    // A regression guard with room a toolchain update does not use up (the zip is about 28 KB):
    // well over the 48 KB target that `bench` (B5) and scripts/measure-foundation.mjs report against.
    assert.ok(size <= 128 * 1024, `passthrough.zip is ${size} bytes, over twice the 48 KB B5 target`);
  });
});

describe('invoke, on each example', () => {
  test('passthrough returns the request unchanged, logs one line in Lambda format, and reports', async () => {
    const event = fixture('viewer-request.json');
    const r = await run('passthrough', event);
    assert.equal(r.verdict, 'ok', JSON.stringify(r.record.error));
    assert.deepEqual(r.record.result, event.Records[0]!.cf.request);
    const logs = r.record.logs.join('\n');
    assert.match(logs, /^START RequestId: [0-9a-f-]{36} Version: 1$/m);
    assert.match(logs, new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${r.record.requestId}\\tINFO\\t.*passthrough`, 'm'));
    assert.match(logs, /^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms/m);
    assert.ok(r.record.coldStart && r.record.initDurationMs! > 0 && r.record.maxMemoryUsedMB > 0);
  });

  test('redirect: 301 from /old/* to /new/*, index.html for a trailing slash, others unchanged', async () => {
    const moved = await run('redirect', fixture('viewer-request-old-path.json'));
    assert.equal(moved.verdict, 'ok');
    const response = moved.record.result as { status: string; headers: Headers };
    assert.equal(response.status, '301');
    assert.equal(response.headers.location?.[0]?.value, '/new/products/shoes.html');

    const folder = await run('redirect', buildViewerRequestEvent({ uri: '/docs/' }));
    assert.equal((folder.record.result as { uri: string }).uri, '/docs/index.html');

    const other = buildViewerRequestEvent({ uri: '/style.css' });
    assert.deepEqual((await run('redirect', other)).record.result, other.Records[0]!.cf.request);
  });

  test('security-headers adds the five headers and CloudFront accepts the response', async () => {
    const r = await run('security-headers', fixture('origin-response.json'));
    assert.equal(r.verdict, 'ok', JSON.stringify(r.violations));
    const headers = (r.record.result as { headers: Headers }).headers;
    for (const name of ['strict-transport-security', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy']) {
      assert.ok(headers[name]?.[0]?.value, `missing ${name}`);
    }
  });

  test('basic-auth lets the right credentials through and answers 401 otherwise', async () => {
    const allowed = fixture('viewer-request-basic-auth.json');
    const ok = await run('basic-auth', allowed);
    assert.deepEqual(ok.record.result, allowed.Records[0]!.cf.request);

    const denied = await run('basic-auth', buildViewerRequestEvent({ uri: '/private/', headers: [['Authorization', 'Basic d3Jvbmc6d3Jvbmc=']] }));
    const response = denied.record.result as { status: string; headers: Headers };
    assert.equal(denied.verdict, 'ok', JSON.stringify(denied.violations));
    assert.equal(response.status, '401');
    assert.match(response.headers['www-authenticate']?.[0]?.value ?? '', /^Basic realm=/);
  });

  test('pi: the first 100 digits, from a JSON event and from a Function URL', async () => {
    const expected = '3141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117067';
    const direct = await run('pi', { digits: 100 });
    assert.equal((direct.record.result as { pi: string }).pi, expected);
    const url = await run('pi', buildFunctionUrlEvent({ uri: '/', querystring: 'digits=100' }));
    const response = url.record.result as { statusCode: number; body: string };
    assert.equal(response.statusCode, 200);
    assert.equal((JSON.parse(response.body) as { pi: string }).pi, expected);
  });

  test('pi: bad input is a handled error with its own errorType', async () => {
    const r = await run('pi', { digits: -5 });
    assert.equal(r.verdict, 'function-error');
    assert.equal(r.record.error?.errorType, 'InvalidInput');
  });
});
