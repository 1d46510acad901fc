// Hostile results and hostile paths, over real HTTP: a status line or header a function should not
// send is CloudFront's 502 and the server goes on; `//private/…` and encoded paths do not get past
// a behavior; origin errors say `Error from cloudfront`; a CloudFront-Viewer-* header in the cache
// policy keys the cache on CloudFront's value.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createEmulator, type Emulator, type Exchange } from '../../src/emulator/index.js';
import { writeResponse } from '../../src/emulator/respond.js';
import { noopLogger } from '../../src/logger.js';
import { exampleWasm, makeProject } from '../helpers/project.js';
import { compileWatText, constantGuestWat } from '../helpers/wat.js';

/** An HTTP origin: echoes the CloudFront-Viewer-Country it got, and answers 404/500 on request. */
let originHits = 0;
const origin: Server = createServer((req, res) => {
  originHits++;
  const url = req.url ?? '';
  if (url.startsWith('/api/missing')) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such thing');
  if (url.startsWith('/api/boom')) return void res.writeHead(500, { 'Content-Type': 'text/plain' }).end('it broke');
  if (url.startsWith('/api/echo-note')) return void res.writeHead(200, { 'Content-Type': 'text/plain' }).end(Buffer.from(String(req.headers['x-note']), 'latin1'));
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'max-age=300' });
  res.end(`page for ${String(req.headers['cloudfront-viewer-country'])}`);
});

let emulator: Emulator;
let base: string;
let remove: () => void;
const exchanges: Exchange[] = [];

const generated = (extra: Record<string, unknown>) => JSON.stringify({ status: '200', statusDescription: 'OK', headers: { 'content-type': [{ key: 'Content-Type', value: 'text/plain' }] }, body: 'generated', ...extra });
const guest = (output: string) => compileWatText(constantGuestWat(output));
/** An origin-request result: the request as CloudFront made it (read-only Via kept), with `uri` and an X-Note header. */
const originRequest = (uri: string, note: string) =>
  JSON.stringify({
    clientIp: '127.0.0.1',
    headers: { host: [{ key: 'Host', value: '127.0.0.1' }], via: [{ key: 'Via', value: '2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)' }], 'x-note': [{ key: 'X-Note', value: note }] },
    method: 'GET',
    querystring: '',
    uri,
  });

before(async () => {
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  const originPort = (origin.address() as AddressInfo).port;
  const project = await makeProject(
    {
      'basic-auth': { wasm: exampleWasm('basic-auth'), eventType: 'viewer-request' },
      'status-crlf': { wasm: guest(generated({ statusDescription: 'OK\r\nX-Injected: yes' })), eventType: 'viewer-request' },
      'status-unicode': { wasm: guest(generated({ statusDescription: 'Fine ✓' })), eventType: 'viewer-request' },
      'status-escape': { wasm: guest(generated({ statusDescription: 'OK\u001b[2J' })), eventType: 'viewer-request' },
      'origin-response-crlf': { wasm: guest(JSON.stringify({ status: '200', statusDescription: 'OK\r\nX-Injected: yes', headers: {} })), eventType: 'origin-response' },
      'header-escape': { wasm: guest(generated({ headers: { 'x-note': [{ key: 'X-Note', value: 'a\u001b[2Jb' }] } })), eventType: 'viewer-request' },
      'header-utf8': { wasm: guest(generated({ headers: { 'x-note': [{ key: 'X-Note', value: 'naïve ✓' }] } })), eventType: 'viewer-request' },
      // Written as text: in an object literal, "__proto__" would set the prototype, not a header.
      'proto-header': { wasm: guest('{"status":"200","headers":{"__proto__":[{"key":"__proto__","value":"x"}]},"body":"ok"}'), eventType: 'viewer-request' },
      'uri-with-space': { wasm: guest(originRequest('/api/a b', 'x')), eventType: 'origin-request' },
      'utf8-to-origin': { wasm: guest(originRequest('/api/echo-note', 'naïve ✓')), eventType: 'origin-request' },
    },
    {
      origins: { site: { folder: 'site' }, api: { url: `http://127.0.0.1:${originPort}` } },
      defaultBehavior: { origin: 'site' },
      behaviors: [
        { pathPattern: '/private/*', origin: 'site', triggers: { 'viewer-request': 'basic-auth' } },
        { pathPattern: '/status-crlf/*', origin: 'site', triggers: { 'viewer-request': 'status-crlf' } },
        { pathPattern: '/status-unicode/*', origin: 'site', triggers: { 'viewer-request': 'status-unicode' } },
        { pathPattern: '/status-escape/*', origin: 'site', triggers: { 'viewer-request': 'status-escape' } },
        { pathPattern: '/origin-response-crlf/*', origin: 'site', cachePolicy: 'CachingDisabled', triggers: { 'origin-response': 'origin-response-crlf' } },
        { pathPattern: '/header-escape/*', origin: 'site', triggers: { 'viewer-request': 'header-escape' } },
        { pathPattern: '/header-utf8/*', origin: 'site', triggers: { 'viewer-request': 'header-utf8' } },
        { pathPattern: '/proto-header/*', origin: 'site', triggers: { 'viewer-request': 'proto-header' } },
        { pathPattern: '/uri-with-space/*', origin: 'api', cachePolicy: 'CachingDisabled', triggers: { 'origin-request': 'uri-with-space' } },
        { pathPattern: '/utf8-to-origin/*', origin: 'api', cachePolicy: 'CachingDisabled', triggers: { 'origin-request': 'utf8-to-origin' } },
        { pathPattern: '/geo/*', origin: 'api', cachePolicy: { minTTL: 0, defaultTTL: 60, maxTTL: 3600, headers: ['cloudfront-viewer-country'] } },
        { pathPattern: '/api/*', origin: 'api', cachePolicy: { minTTL: 0, defaultTTL: 60, maxTTL: 3600 } },
      ],
    },
  );
  remove = project.remove;
  emulator = createEmulator({ config: project.config, port: 0, onAccess: (e) => exchanges.push(e) });
  base = await emulator.ready;
});

after(async () => {
  await emulator?.close();
  origin.close();
  remove?.();
});

const get = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { redirect: 'manual', ...init });

/** A request written byte for byte (fetch would normalise `..` and `%2e`), and the raw answer. */
const raw = (request: string) =>
  new Promise<Buffer>((resolve) => {
    const url = new URL(base);
    const chunks: Buffer[] = [];
    const socket = connect(Number(url.port), url.hostname, () => socket.write(request));
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
    socket.on('error', () => resolve(Buffer.concat(chunks)));
    socket.setTimeout(5000, () => socket.destroy());
  });
const rawGet = (path: string) => raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);

describe('results Node could not write are 502, and the server goes on', () => {
  for (const [path, what] of [
    ['/status-crlf/x', 'CR/LF in a generated statusDescription'],
    ['/status-unicode/x', 'a character above Latin-1 in statusDescription'],
    ['/status-escape/x', 'an escape character in statusDescription'],
    ['/origin-response-crlf/x', 'CR/LF in an origin-response statusDescription'],
    ['/header-escape/x', 'an escape character in a header value'],
  ] as const) {
    test(`${what}: 502 LambdaValidationError`, { timeout: 30_000 }, async () => {
      const r = await get(path);
      assert.equal(r.status, 502, path);
      assert.equal(r.headers.get('x-cache'), 'LambdaValidationError from cloudfront');
      assert.equal(r.headers.get('x-injected'), null);
      assert.match(await r.text(), /invalid request or response/);
      assert.equal((await get('/index.html')).status, 200, 'the server still answers');
    });
  }

  test('a header value above Latin-1 goes out as its UTF-8 bytes', { timeout: 30_000 }, async () => {
    const response = await rawGet('/header-utf8/x');
    assert.match(response.toString('latin1'), /^HTTP\/1\.1 200 OK\r\n/);
    assert.ok(response.includes(Buffer.from('X-Note: naïve ✓\r\n', 'utf8')), response.toString('latin1'));
  });

  test('a header named __proto__ (a valid HTTP token) from a function or a viewer is just a header', { timeout: 30_000 }, async () => {
    const generatedProto = (await rawGet('/proto-header/x')).toString('latin1');
    assert.match(generatedProto, /^HTTP\/1\.1 200 /);
    assert.match(generatedProto, /\r\n__proto__: x\r\n/);
    const fromViewer = (await raw('GET /index.html HTTP/1.1\r\nHost: x\r\n__proto__: x\r\nConnection: close\r\n\r\n')).toString('latin1');
    assert.match(fromViewer, /^HTTP\/1\.1 200 /);
  });

  test('an origin request Node cannot send (a URI with a space) is CloudFront\'s 502, not an internal error', { timeout: 30_000 }, async () => {
    const response = (await rawGet('/uri-with-space/x')).toString('latin1');
    assert.match(response, /^HTTP\/1\.1 502 /);
    assert.match(response, /X-Cache: Error from cloudfront/);
    assert.match(response, /the origin request could not be sent/);
  });

  test('a header value above Latin-1 reaches the origin as its UTF-8 bytes', { timeout: 30_000 }, async () => {
    const response = await rawGet('/utf8-to-origin/x');
    assert.match(response.toString('latin1'), /^HTTP\/1\.1 200 /);
    assert.ok(response.includes(Buffer.from('\r\n\r\nnaïve ✓', 'utf8')), response.toString('latin1'));
  });

  test('whatever reaches the socket, the answer is a fixed 502, never a throw', { timeout: 30_000 }, async () => {
    const hostile = [
      { status: 200, statusDescription: 'OK\r\nX-Injected: yes', headers: [], body: Buffer.from('x') },
      { status: 200, statusDescription: 'Fine ✓', headers: [], body: Buffer.from('x') },
      { status: 200, headers: [['X-Bad', 'a\nb']], body: Buffer.from('x') },
      { status: 200, headers: [['bad name', 'v']], body: Buffer.from('x') },
      { status: 42, headers: [], body: Buffer.from('x') },
    ] as const;
    let i = 0;
    const server = createServer((_req, res) => writeResponse(res, hostile[i++ % hostile.length] as never, noopLogger));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      for (let n = 0; n < hostile.length; n++) {
        const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
        assert.equal(r.status, 502, `case ${n}`);
        assert.equal(r.statusText, 'Bad Gateway', `case ${n}`);
        assert.equal(r.headers.get('x-injected'), null);
        assert.match(await r.text(), /could not be sent/);
      }
    } finally {
      server.close();
    }
  });
});

describe('paths are matched as CloudFront matches them, keys taken as S3 takes them', () => {
  test('/private/* asks for credentials', { timeout: 30_000 }, async () => {
    assert.equal((await get('/private/index.html')).status, 401);
  });

  test('//private/index.html is not /private/*, and its key (/private/index.html) is no object', { timeout: 30_000 }, async () => {
    const r = await get('//private/index.html');
    assert.equal(exchanges.at(-1)?.path, '//private/index.html');
    assert.equal(exchanges.at(-1)?.behavior, '*', 'CloudFront does not collapse the slashes: the default behavior');
    assert.equal(r.status, 404);
    const body = await r.text();
    assert.doesNotMatch(body, /basic-auth/);
    assert.match(body, /<Code>NoSuchKey<\/Code>/);
    assert.match(body, /<Key>\/private\/index.html<\/Key>/);
    assert.equal((await get('///private/index.html')).status, 404);
  });

  test('encoded slashes and dot segments match the behavior they decode to', { timeout: 30_000 }, async () => {
    assert.equal((await get('/private%2Findex.html')).status, 401);
    assert.equal((await get('/%70rivate/index.html')).status, 401);
    assert.match((await rawGet('/docs/../private/index.html')).toString('latin1'), /^HTTP\/1\.1 401 /);
    assert.match((await rawGet('/docs/%2e%2e/private/index.html')).toString('latin1'), /^HTTP\/1\.1 401 /);
    // The origin still gets the URI as sent: a key with `..` in it is no object.
    assert.match((await rawGet('/private/../index.html')).toString('latin1'), /^HTTP\/1\.1 404 /);
  });
});

describe('CloudFront\'s view of errors and viewers', () => {
  test('an origin 4xx/5xx is "Error from cloudfront", also when it comes from the cache', { timeout: 30_000 }, async () => {
    const first = await get('/api/missing');
    assert.equal(first.status, 404);
    assert.equal(first.headers.get('x-cache'), 'Error from cloudfront');
    const hits = originHits;
    const second = await get('/api/missing');
    assert.equal(second.headers.get('x-cache'), 'Error from cloudfront');
    assert.equal(originHits, hits, 'the error was cached (10 s)');
    const boom = await get('/api/boom');
    assert.equal(boom.status, 500);
    assert.equal(boom.headers.get('x-cache'), 'Error from cloudfront');
    assert.equal((await get('/api/ok')).headers.get('x-cache'), 'Miss from cloudfront');
  });

  test('a cache policy naming CloudFront-Viewer-Country keys on it: no US page for DE or FR', { timeout: 30_000 }, async () => {
    const from = async (country: string | undefined, headers: Record<string, string> = {}) => {
      const r = await get('/geo/home', { headers: { ...headers, ...(country === undefined ? {} : { 'x-lambda-wasm-viewer-country': country }) } });
      return { body: await r.text(), xCache: r.headers.get('x-cache') };
    };
    assert.deepEqual(await from('US'), { body: 'page for US', xCache: 'Miss from cloudfront' });
    assert.deepEqual(await from('DE'), { body: 'page for DE', xCache: 'Miss from cloudfront' });
    assert.deepEqual(await from('FR'), { body: 'page for FR', xCache: 'Miss from cloudfront' });
    assert.deepEqual(await from('DE'), { body: 'page for DE', xCache: 'Hit from cloudfront' });
    assert.deepEqual(await from(undefined), { body: 'page for US', xCache: 'Hit from cloudfront' }, 'the default country is US');
    // A viewer's own CloudFront-Viewer-Country is overwritten by CloudFront's value, in the key too.
    assert.deepEqual(await from(undefined, { 'CloudFront-Viewer-Country': 'FR' }), { body: 'page for US', xCache: 'Hit from cloudfront' });
  });
});
