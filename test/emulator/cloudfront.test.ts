// The local CloudFront's semantics, over real HTTP: the pipeline order, the cache, what reaches
// the origin, the four triggers, CloudFront's limits and its 502/503 pages, with the examples'
// guests and hand-written WAT guests that trap, loop, return garbage or what CloudFront refuses.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import type { InvocationRecord } from '../../src/lambda/index.js';
import { exampleWasm, makeProject } from '../helpers/project.js';
import { compileWat, compileWatText, constantGuestWat } from '../helpers/wat.js';

/** An HTTP origin that counts requests and answers with what it received. */
let originHits = 0;
let lastOriginRequest: { url: string; headers: IncomingMessage['headers']; body: string } | undefined;
const origin: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    originHits++;
    lastOriginRequest = { url: req.url ?? '', headers: req.headers, body };
    const ttl = /ttl=(\d+)/.exec(req.url ?? '')?.[1];
    if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { ETag: '"v1"' }).end();
    if ((req.url ?? '').startsWith('/api/missing')) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such thing');
    res.writeHead(200, { 'Content-Type': 'application/json', ETag: '"v1"', ...(ttl === undefined ? {} : { 'Cache-Control': `max-age=${ttl}` }) });
    res.end(JSON.stringify({ url: req.url, hit: originHits }));
  });
});

let emulator: Emulator;
let base: string;
let remove: () => void;
const logs: Array<{ fn: string; record: InvocationRecord }> = [];
let clock = Date.now();

const generated = (extra: Record<string, unknown> = {}) => JSON.stringify({ status: '200', statusDescription: 'OK', headers: { 'content-type': [{ key: 'Content-Type', value: 'text/plain' }] }, body: 'generated', ...extra });

before(async () => {
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  const originPort = (origin.address() as AddressInfo).port;
  const wat = (text: string) => compileWatText(text);
  const project = await makeProject(
    {
      passthrough: { wasm: exampleWasm('passthrough'), eventType: 'viewer-request' },
      'security-headers': { wasm: exampleWasm('security-headers'), eventType: 'origin-response' },
      'basic-auth': { wasm: exampleWasm('basic-auth'), eventType: 'viewer-request' },
      redirect: { wasm: exampleWasm('redirect'), eventType: 'viewer-request' },
      trap: { wasm: compileWat('trap'), eventType: 'viewer-request' },
      loop: { wasm: compileWat('loop'), eventType: 'viewer-request', timeout: 1 },
      garbage: { wasm: compileWat('garbage'), eventType: 'viewer-request' },
      'viewer-response-trap': { wasm: compileWat('trap'), eventType: 'viewer-response' },
      'touch-host': { wasm: wat(constantGuestWat(JSON.stringify({ clientIp: '127.0.0.1', headers: { host: [{ key: 'Host', value: 'evil.example' }] }, method: 'GET', querystring: '', uri: '/index.html' }))), eventType: 'viewer-request' },
      'add-x-cache': { wasm: wat(constantGuestWat(generated({ headers: { 'x-cache': [{ value: 'Hit' }] } }))), eventType: 'viewer-request' },
      'too-big': { wasm: wat(constantGuestWat(generated({ body: 'x'.repeat(41 * 1024) }))), eventType: 'viewer-request' },
      'returns-null': { wasm: wat(constantGuestWat('null')), eventType: 'viewer-request' },
      'change-status': { wasm: wat(constantGuestWat(JSON.stringify({ status: '404', statusDescription: 'Not Found', headers: {} }))), eventType: 'viewer-response' },
      'see-viewer-request': { wasm: wat(constantGuestWat(generated(), { logInput: true })), eventType: 'viewer-request' },
      'see-origin-request': { wasm: wat(constantGuestWat(generated({ headers: { 'cache-control': [{ value: 'max-age=300' }] } }), { logInput: true })), eventType: 'origin-request' },
      'switch-origin': {
        wasm: wat(
          constantGuestWat(
            JSON.stringify({
              clientIp: '127.0.0.1',
              // Via and Accept-Encoding are read-only in origin-request: passed back as CloudFront set them.
              headers: { host: [{ key: 'Host', value: 'localhost' }], via: [{ key: 'Via', value: '2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)' }], 'accept-encoding': [{ key: 'Accept-Encoding', value: 'gzip' }] },
              method: 'GET',
              querystring: '',
              uri: '/api/switched',
              origin: { custom: { customHeaders: {}, domainName: 'localhost', keepaliveTimeout: 5, path: '', port: originPort, protocol: 'http', readTimeout: 5, sslProtocols: ['TLSv1.2'] } },
            }),
          ),
        ),
        eventType: 'origin-request',
      },
    },
    {
      defaultRootObject: 'index.html',
      origins: { site: { folder: 'site' }, api: { url: `http://127.0.0.1:${originPort}` } },
      defaultBehavior: { origin: 'site', triggers: { 'viewer-request': 'passthrough', 'origin-response': 'security-headers' } },
      behaviors: [
        { pathPattern: '/api/*', origin: 'api', cachePolicy: { minTTL: 0, defaultTTL: 60, maxTTL: 3600, queryStrings: ['v'] }, originRequestPolicy: { headers: ['x-custom', 'cloudfront-viewer-country'], queryStrings: 'all', cookies: ['session'] } },
        { pathPattern: '/private/*', origin: 'site', triggers: { 'viewer-request': 'basic-auth' } },
        { pathPattern: '/old/*', origin: 'site', triggers: { 'viewer-request': 'redirect' } },
        { pathPattern: '/trap/*', triggers: { 'viewer-request': 'trap' }, origin: 'site' },
        { pathPattern: '/loop/*', triggers: { 'viewer-request': 'loop' }, origin: 'site' },
        { pathPattern: '/garbage/*', triggers: { 'viewer-request': 'garbage' }, origin: 'site' },
        { pathPattern: '/vr-trap/*', triggers: { 'viewer-response': 'viewer-response-trap' }, origin: 'site' },
        { pathPattern: '/touch-host/*', triggers: { 'viewer-request': 'touch-host' }, origin: 'site' },
        { pathPattern: '/add-x-cache/*', triggers: { 'viewer-request': 'add-x-cache' }, origin: 'site' },
        { pathPattern: '/too-big/*', triggers: { 'viewer-request': 'too-big' }, origin: 'site' },
        { pathPattern: '/null/*', triggers: { 'viewer-request': 'returns-null' }, origin: 'site' },
        { pathPattern: '/change-status/*', triggers: { 'viewer-response': 'change-status' }, origin: 'site' },
        { pathPattern: '/see-vr/*', triggers: { 'viewer-request': { function: 'see-viewer-request', includeBody: true } }, origin: 'site' },
        { pathPattern: '/see-or/*', origin: 'api', cachePolicy: { minTTL: 0, defaultTTL: 60, maxTTL: 3600, headers: ['x-key'] }, originRequestPolicy: { headers: ['cloudfront-viewer-country', 'cloudfront-is-mobile-viewer'] }, triggers: { 'origin-request': 'see-origin-request', 'origin-response': 'security-headers' } },
        { pathPattern: '/switch/*', origin: 'site', cachePolicy: 'CachingDisabled', triggers: { 'origin-request': 'switch-origin' } },
      ],
    },
  );
  remove = project.remove;
  for (const folder of ['change-status', 'vr-trap']) {
    mkdirSync(join(project.dir, 'site', folder), { recursive: true });
    writeFileSync(join(project.dir, 'site', folder, 'index.html'), '<p>here</p>');
  }
  emulator = createEmulator({ config: project.config, port: 0, onFunctionLog: (fn, record) => logs.push({ fn: fn.name, record }), now: () => clock });
  base = await emulator.ready;
});

after(async () => {
  await emulator?.close();
  origin.close();
  remove?.();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { redirect: 'manual', ...init });
const loggedEvent = (fn: string): any => {
  const entry = logs.filter((l) => l.fn === fn).at(-1);
  const line = entry?.record.logs.find((l) => l.includes('\tINFO\t{'));
  assert.ok(line, `no event logged by ${fn}`);
  return JSON.parse(line.split('\tINFO\t')[1]!);
};

describe('pipeline and cache', () => {
  test('the default behavior: viewer-request and origin-response ran, a miss then a hit with Age, CloudFront\'s headers', async () => {
    const first = await get('/style.css');
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-cache'), 'Miss from cloudfront');
    assert.equal(first.headers.get('content-type'), 'text/css');
    assert.match(first.headers.get('strict-transport-security') ?? '', /max-age=/, 'origin-response added the security headers');
    assert.match(first.headers.get('via') ?? '', /cloudfront\.net \(CloudFront\)$/);
    assert.ok(first.headers.get('x-amz-cf-id'));
    assert.ok(first.headers.get('x-amz-cf-pop'));
    const runsBefore = logs.filter((l) => l.fn === 'security-headers').length;
    clock += 3000;
    const second = await get('/style.css');
    assert.equal(second.headers.get('x-cache'), 'Hit from cloudfront');
    assert.equal(second.headers.get('age'), '3');
    assert.equal(await second.text(), await first.text());
    assert.equal(logs.filter((l) => l.fn === 'security-headers').length, runsBefore, 'origin-response does not run on a hit');
    assert.ok(logs.filter((l) => l.fn === 'passthrough').length >= 2, 'viewer-request runs on hits too');
  });

  test('the default root object, ETag/Last-Modified and byte ranges from the folder origin', async () => {
    const root = await get('/');
    assert.equal(root.status, 200);
    assert.match(await root.text(), /local CloudFront/);
    const range = await get('/logo.svg', { headers: { Range: 'bytes=0-9' } });
    assert.equal(range.status, 206);
    assert.equal((await range.text()).length, 10);
    assert.match(range.headers.get('content-range') ?? '', /^bytes 0-9\/\d+$/);
  });

  test('TTL from Cache-Control within the policy; the cache key holds only the query strings the policy names', async () => {
    const hits = originHits;
    assert.equal((await get('/api/a?v=1&ignored=1&ttl=100')).headers.get('x-cache'), 'Miss from cloudfront');
    assert.equal((await get('/api/a?v=1&ignored=2&ttl=100')).headers.get('x-cache'), 'Hit from cloudfront', 'ignored is not in the key');
    assert.equal((await get('/api/a?v=2&ttl=100')).headers.get('x-cache'), 'Miss from cloudfront', 'v is in the key');
    assert.equal(originHits, hits + 2);
    clock += 101_000;
    const stale = await get('/api/a?v=1&ignored=1&ttl=100');
    assert.equal(stale.headers.get('x-cache'), 'RefreshHit from cloudfront', 'stale, revalidated with If-None-Match, 304');
  });

  test('what reaches the origin: forwarded headers and cookies only, X-Forwarded-For, Via, the policy\'s CloudFront-* headers', async () => {
    await get('/api/forward?x=1', { headers: { 'X-Custom': 'yes', 'X-Other': 'no', Cookie: 'session=abc; tracking=xyz', 'x-lambda-wasm-viewer-country': 'FR' } });
    const h = lastOriginRequest!.headers;
    assert.equal(lastOriginRequest!.url, '/api/forward?x=1');
    assert.equal(h['x-custom'], 'yes');
    assert.equal(h['x-other'], undefined);
    assert.equal(h.cookie, 'session=abc');
    assert.equal(h['x-forwarded-for'], '127.0.0.1');
    assert.match(String(h.via), /cloudfront\.net \(CloudFront\)/);
    assert.equal(h['user-agent'], 'Amazon CloudFront');
    assert.equal(h['cloudfront-viewer-country'], 'FR');
    assert.equal(h['x-lambda-wasm-viewer-country'], undefined, 'the override header itself is not forwarded');
  });

  test('origin errors reach the viewer, are cached briefly, and skip viewer-response', async () => {
    const r = await get('/api/missing');
    assert.equal(r.status, 404);
    assert.equal(r.headers.get('x-cache'), 'Error from cloudfront');
    const hits = originHits;
    assert.equal((await get('/api/missing')).headers.get('x-cache'), 'Error from cloudfront');
    assert.equal(originHits, hits, 'error responses are cached for 10 s');
    const skipped = await get('/vr-trap/nothing-here.html');
    assert.equal(skipped.status, 404, 'viewer-response (a trapping guest) did not run for a 404');
    const ran = await get('/vr-trap/index.html');
    assert.equal(ran.status, 503, 'it does run for a 200 object, and its trap is an execution error');
  });

  test('invalidation: PURGE, the HTTP endpoint, prefix paths', async () => {
    await get('/index.html');
    assert.equal((await get('/index.html')).headers.get('x-cache'), 'Hit from cloudfront');
    const purge = await fetch(`${base}/index.html`, { method: 'PURGE' });
    assert.deepEqual(await purge.json(), { invalidated: 1, paths: ['/index.html'] });
    assert.equal((await get('/index.html')).headers.get('x-cache'), 'Miss from cloudfront');
    const all = await fetch(`${base}/_lambda-wasm/invalidate`, { method: 'POST', body: JSON.stringify({ paths: ['/*'] }) });
    assert.ok(((await all.json()) as { invalidated: number }).invalidated >= 1);
    assert.equal((await get('/index.html')).headers.get('x-cache'), 'Miss from cloudfront');
    assert.equal((await fetch(`${base}/_lambda-wasm/invalidate`, { method: 'POST', body: '{"paths": ["nope"]}' })).status, 400);
  });
});

describe('triggers and what they see', () => {
  test('viewer-request generated responses are not cached; the redirect and basic-auth examples', async () => {
    const moved = await get('/old/products/shoes.html');
    assert.equal(moved.status, 301);
    assert.equal(moved.headers.get('location'), '/new/products/shoes.html');
    assert.equal(moved.headers.get('x-cache'), 'LambdaGeneratedResponse from cloudfront');
    const denied = await get('/private/index.html');
    assert.equal(denied.status, 401);
    const allowed = await get('/private/index.html', { headers: { Authorization: `Basic ${Buffer.from('admin:lambda-wasm').toString('base64')}` } });
    assert.equal(allowed.status, 200);
    assert.match(await allowed.text(), /Private/);
  });

  test('viewer-request sees the viewer\'s request, an include-body body truncated at 40 KB, no CloudFront-* headers', async () => {
    const body = 'b'.repeat(50 * 1024);
    await get('/see-vr/form?q=1', { method: 'POST', body, headers: { 'Content-Type': 'text/plain', 'X-Any': 'kept' } });
    const cf = loggedEvent('see-viewer-request').Records[0].cf;
    assert.equal(cf.config.eventType, 'viewer-request');
    assert.equal(cf.config.distributionId, 'EDFDVBD6EXAMPLE');
    assert.equal(cf.request.method, 'POST');
    assert.equal(cf.request.uri, '/see-vr/form');
    assert.equal(cf.request.querystring, 'q=1');
    assert.deepEqual(cf.request.headers['x-any'], [{ key: 'X-Any', value: 'kept' }]);
    assert.equal(cf.request.body.inputTruncated, true);
    assert.equal(Buffer.from(cf.request.body.data, 'base64').length, 40 * 1024);
    assert.equal(Object.keys(cf.request.headers).some((h) => h.startsWith('cloudfront-')), false);
    assert.equal(cf.request.origin, undefined);
  });

  test('origin-request sees the origin, the policy\'s headers and CloudFront-* values; its response is cached and origin-response skipped', async () => {
    const hits = originHits;
    const r = await get('/see-or/x', { headers: { 'User-Agent': 'Mozilla/5.0 (iPhone)', 'x-lambda-wasm-viewer-country': 'JP', 'X-Key': 'k1' } });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'generated');
    assert.equal(r.headers.get('strict-transport-security'), null, 'origin-response does not run after a generated origin-request response');
    const cf = loggedEvent('see-origin-request').Records[0].cf;
    assert.equal(cf.config.eventType, 'origin-request');
    assert.equal(cf.request.origin.custom.domainName, '127.0.0.1');
    assert.equal(cf.request.headers['cloudfront-viewer-country'][0].value, 'JP');
    assert.equal(cf.request.headers['cloudfront-is-mobile-viewer'][0].value, 'true');
    assert.equal(cf.request.headers['x-key'][0].value, 'k1', 'a cache-key header reaches the origin too');
    assert.equal(cf.request.headers['user-agent'][0].value, 'Amazon CloudFront');
    assert.equal(cf.request.headers['x-forwarded-for'][0].value, '127.0.0.1');
    const again = await get('/see-or/x', { headers: { 'X-Key': 'k1' } });
    assert.equal(again.headers.get('x-cache'), 'Hit from cloudfront', 'origin-request generated responses are cached');
    assert.equal((await get('/see-or/x', { headers: { 'X-Key': 'k2' } })).headers.get('x-cache'), 'Miss from cloudfront', 'X-Key is in the cache key');
    assert.equal(originHits, hits, 'the origin was never asked');
  });

  test('origin-request can switch to another origin', async () => {
    const r = await get('/switch/anything', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(r.status, 200, await r.clone().text());
    assert.equal(((await r.json()) as { url: string }).url, '/api/switched');
  });
});

describe('failures look like CloudFront\'s', () => {
  const expectPage = async (path: string, status: number, xCache: string, text: RegExp) => {
    const r = await get(path);
    assert.equal(r.status, status, path);
    assert.equal(r.headers.get('x-cache'), xCache, path);
    assert.equal(r.headers.get('server'), 'CloudFront');
    const html = await r.text();
    assert.match(html, /<TITLE>ERROR: The request could not be satisfied<\/TITLE>/);
    assert.match(html, new RegExp(`<H1>${status} ERROR</H1>`));
    assert.match(html, text);
    assert.match(html, /Generated by cloudfront \(CloudFront\)\nRequest ID: \S+/);
  };

  test('a trap: 503 LambdaExecutionError, and the next request is served', async () => {
    await expectPage('/trap/x', 503, 'LambdaExecutionError from cloudfront', /The Lambda function associated with the CloudFront distribution is invalid/);
    assert.equal((await get('/index.html')).status, 200);
  });

  test('garbage output: 503 LambdaExecutionError', async () => {
    await expectPage('/garbage/x', 503, 'LambdaExecutionError from cloudfront', /invalid or doesn't have the required permissions/);
  });

  test('a guest that never returns is stopped at its timeout: 503, and the server goes on', async () => {
    const started = Date.now();
    await expectPage('/loop/x', 503, 'LambdaExecutionError from cloudfront', /Lambda function associated/);
    assert.ok(Date.now() - started >= 900, 'waited for the 1 s timeout');
    assert.equal((await get('/index.html')).status, 200);
  });

  test('a touched read-only header: 502 with CloudFront\'s message', async () => {
    await expectPage('/touch-host/x', 502, 'LambdaValidationError from cloudfront', /The function tried to add, delete, or change a read-only header/);
  });

  test('a disallowed header: 502 blacklisted header', async () => {
    await expectPage('/add-x-cache/x', 502, 'LambdaValidationError from cloudfront', /The function tried to add a blacklisted header/);
  });

  test('a generated response over 40 KB: 502', async () => {
    await expectPage('/too-big/x', 502, 'LambdaValidationError from cloudfront', /invalid request or response/);
  });

  test('null: 502 "must be an object type"', async () => {
    await expectPage('/null/x', 502, 'LambdaValidationError from cloudfront', /The JSON output must be an object type/);
  });

  test('viewer-response changing the status: 502', async () => {
    await expectPage('/change-status/index.html', 502, 'LambdaValidationError from cloudfront', /invalid request or response/);
  });

  test('a URL over 8 192 characters: 414; headers over 20 480 bytes: 494', async () => {
    assert.equal((await get(`/${'a'.repeat(8200)}`)).status, 414);
    assert.equal((await get('/index.html', { headers: { 'X-Big': 'x'.repeat(21_000) } })).status, 494);
  });
});

describe('safety', () => {
  const raw = (request: string) =>
    new Promise<string>((resolve) => {
      const url = new URL(base);
      const socket = connect(Number(url.port), url.hostname, () => socket.write(request));
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('end', () => resolve(data));
      socket.on('error', () => resolve(data));
      socket.setTimeout(3000, () => socket.destroy());
    });

  test('the folder origin never serves a file outside its folder, whatever the encoding', async () => {
    for (const path of ['/..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/%252e%252e/etc/passwd', '/.%2e/.%2e/etc/passwd', '/..\\..\\etc\\passwd', '/%00../etc/passwd']) {
      const r = await get(path);
      assert.notEqual(r.status, 200, path);
      assert.doesNotMatch(await r.text(), /root:/, path);
    }
    const response = await raw('GET /../../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.doesNotMatch(response, /root:/);
  });

  test('a malformed request gets 400, and the server keeps serving', async () => {
    const response = await raw('NOT A REQUEST\r\n\r\n');
    assert.match(response, /^HTTP\/1\.1 400/);
    assert.equal((await get('/index.html')).status, 200);
  });

  test('listens on 127.0.0.1 by default', () => {
    assert.match(base, /^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
