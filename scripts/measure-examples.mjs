// Each example's zip size and warm cost per call next to a JavaScript handler with the same logic
// (the one in the example's doc comment), on the example's fixture. Needs `npm run compile` and
// `lambda-wasm build` first.   node scripts/measure-examples.mjs [--quick]
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const config = JSON.parse(readFileSync(join(root, 'lambda-wasm.config.json'), 'utf8'));
const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 5000 };
// The fastest batch: on a shared machine the slower ones measure the neighbours, not the handler.
const fastest = (xs) => Math.min(...xs);
const header = (r, name) => r.headers[name]?.[0]?.value;
const cookie = (r, name) => {
  for (const h of r.headers.cookie ?? []) {
    for (const piece of h.value.split(';')) {
      const [k, v] = piece.trim().split('=');
      if (k === name) return v;
    }
  }
  return undefined;
};
const SECRET = 'lambda-wasm-example-secret';
const forbidden = (reason) => ({ status: '403', headers: { 'content-type': [{ key: 'Content-Type', value: 'text/plain; charset=utf-8' }], 'cache-control': [{ key: 'Cache-Control', value: 'no-store' }] }, bodyEncoding: 'text', body: `Forbidden: ${reason}\n` });

const JS = {
  passthrough: async (event) => {
    const request = event.Records[0].cf.request;
    console.info(`passthrough ${request.method} ${request.uri}`);
    return request;
  },
  'geo-redirect': async (event) => {
    const PAGES = { FR: '/geo/fr/', DE: '/geo/de/', JP: '/geo/ja/' };
    const request = event.Records[0].cf.request;
    if (request.uri !== '/geo/' && request.uri !== '/geo/index.html') return request;
    const page = PAGES[header(request, 'cloudfront-viewer-country')];
    if (!page) return request;
    const location = request.querystring ? `${page}?${request.querystring}` : page;
    console.info(`geo-redirect: -> ${location}`);
    return { status: '302', headers: { location: [{ key: 'Location', value: location }] } };
  },
  'ab-test-request': async (event) => {
    const request = event.Records[0].cf.request;
    let bucket = cookie(request, 'ab');
    if (bucket !== 'a' && bucket !== 'b') {
      bucket = randomInt(2) === 0 ? 'a' : 'b';
      request.headers['x-ab-new'] = [{ key: 'X-AB-New', value: bucket }];
    }
    request.uri = request.uri.replace('/experiment/', `/experiment/${bucket}/`);
    return request;
  },
  'ab-test-response': async (event) => {
    const { request, response } = event.Records[0].cf;
    const bucket = header(request, 'x-ab-new');
    if (bucket) (response.headers['set-cookie'] ??= []).push({ key: 'Set-Cookie', value: `ab=${bucket}; Path=/experiment/; Max-Age=2592000; Secure; SameSite=Lax` });
    return response;
  },
  'image-format': async (event) => {
    const request = event.Records[0].cf.request;
    const match = request.uri.match(/^(.*)\.(jpe?g|png)$/);
    if (!match) return request;
    const accept = header(request, 'accept') ?? '';
    if (accept.includes('image/avif')) request.uri = `${match[1]}.avif`;
    else if (accept.includes('image/webp')) request.uri = `${match[1]}.webp`;
    return request;
  },
  'signed-url': async (event) => {
    const request = event.Records[0].cf.request;
    const params = new URLSearchParams(request.querystring);
    const expires = Number(params.get('expires'));
    if (!Number.isInteger(expires) || expires < Date.now() / 1000) return forbidden('the link has expired');
    const expected = createHmac('sha256', SECRET).update(`${request.uri}:${expires}`).digest();
    const given = Buffer.from(params.get('sig') ?? '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return forbidden('bad signature');
    params.delete('sig');
    params.delete('expires');
    request.querystring = params.toString();
    return request;
  },
};

/** ns per call of `handler(JSON.parse(text))`, minus the JSON.parse the Lambda runtime does anyway (fastest batch of each). */
async function perCall(handler, text, batches, size) {
  const once = async () => handler(JSON.parse(text), context);
  const parseOnly = async () => JSON.parse(text);
  for (let i = 0; i < 2000; i++) await once();
  const samples = [];
  const parse = [];
  for (let b = 0; b < batches; b++) {
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < size; i++) await once();
    samples.push(Number(process.hrtime.bigint() - t0) / size);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < size; i++) await parseOnly();
    parse.push(Number(process.hrtime.bigint() - t0) / size);
  }
  return fastest(samples) - fastest(parse);
}

const realConsole = globalThis.console;
globalThis.console = { ...realConsole, info() {}, log() {}, warn() {} };
const rows = [];
const batches = quick ? 20 : 100;
for (const [name, js] of Object.entries(JS)) {
  const fn = config.functions[name];
  const text = readFileSync(join(root, fn.fixture), 'utf8');
  const { handler } = await import(pathToFileURL(join(root, 'dist', name, 'index.mjs')).href);
  const event = JSON.parse(text);
  // The adapter's own share: the event to JSON text and the result back (what JSON costs at the boundary).
  const result = await handler(JSON.parse(text), context);
  const resultText = JSON.stringify(result);
  const boundary = await perCall(async (e) => JSON.parse(JSON.stringify(e) && resultText), text, batches, 100);
  rows.push({
    example: name,
    bytes: Buffer.byteLength(JSON.stringify(event)),
    zipBytes: statSync(join(root, 'dist', `${name}.zip`)).size,
    wasmNs: Math.round(await perCall(handler, text, batches, 100)),
    jsNs: Math.round(await perCall(js, text, batches, 100)),
    jsonBoundaryNs: Math.round(boundary),
  });
}
globalThis.console = realConsole;
console.table(rows);
