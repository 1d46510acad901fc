// The local CloudFront's headline cache rules over real HTTP, with a clock the test moves: error
// responses kept 10 s, cookies in the key when the policy names them, HEAD served from GET's entry,
// s-maxage over max-age, no-store not cached, and the policy's maximum TTL capping the origin's.
// (The rules value by value: src/emulator/cache.test.ts.)
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { makeProject } from '../helpers/project.js';
import { compileWat } from '../helpers/wat.js';

/** An origin that answers `?status=N&cc=…` with that status and Cache-Control, and counts requests. */
let originHits = 0;
const origin: Server = createServer((req, res) => {
  originHits++;
  const url = new URL(req.url ?? '/', 'http://origin');
  const status = Number(url.searchParams.get('status') ?? 200);
  const cc = url.searchParams.get('cc');
  res.writeHead(status, { 'Content-Type': 'text/plain', ...(cc === null ? {} : { 'Cache-Control': cc }) });
  res.end(`hit ${originHits}`);
});

let emulator: Emulator;
let base: string;
let remove: () => void;
let clock = Date.now();

before(async () => {
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  const api = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  const policy = { minTTL: 0, defaultTTL: 60, maxTTL: 3600, queryStrings: 'all' };
  // The config needs a function; no behavior uses it, so only the cache stands between viewer and origin.
  const project = await makeProject(
    { unused: { wasm: compileWat('echo'), eventType: 'origin-response' } },
    {
      origins: { api: { url: api } },
      defaultBehavior: { origin: 'api', cachePolicy: policy },
      behaviors: [
        { pathPattern: '/cookie/*', origin: 'api', cachePolicy: { ...policy, cookies: ['session'] }, originRequestPolicy: { cookies: ['session'] } },
        { pathPattern: '/capped/*', origin: 'api', cachePolicy: { ...policy, defaultTTL: 10, maxTTL: 20 } },
      ],
    },
  );
  remove = project.remove;
  emulator = createEmulator({ config: project.config, port: 0, now: () => clock });
  base = await emulator.ready;
});

after(async () => {
  await emulator?.close();
  origin.close();
  remove?.();
});

/** The X-Cache of a request, and whether it reached the origin. */
async function fetchCounted(path: string, init: RequestInit = {}): Promise<{ xCache: string | null; status: number; reachedOrigin: boolean }> {
  const hits = originHits;
  const res = await fetch(`${base}${path}`, init);
  await res.arrayBuffer();
  return { xCache: res.headers.get('x-cache'), status: res.status, reachedOrigin: originHits > hits };
}

describe('the local CloudFront’s cache rules, over HTTP', { timeout: 60_000 }, () => {
  test('an error response is kept 10 seconds: not refetched at 9 s, refetched at 11 s', { timeout: 20_000 }, async () => {
    assert.equal((await fetchCounted('/err/a?status=404&cc=max-age%3D3600')).reachedOrigin, true);
    clock += 9_000;
    const cached = await fetchCounted('/err/a?status=404&cc=max-age%3D3600');
    assert.deepEqual([cached.status, cached.reachedOrigin], [404, false], 'kept within 10 s');
    clock += 2_000;
    assert.equal((await fetchCounted('/err/a?status=404&cc=max-age%3D3600')).reachedOrigin, true, 'gone after 10 s');
  });

  test('a cookie the cache policy names is part of the key', { timeout: 20_000 }, async () => {
    assert.equal((await fetchCounted('/cookie/a', { headers: { Cookie: 'session=1' } })).xCache, 'Miss from cloudfront');
    assert.equal((await fetchCounted('/cookie/a', { headers: { Cookie: 'session=2' } })).xCache, 'Miss from cloudfront', 'another session value, another entry');
    assert.equal((await fetchCounted('/cookie/a', { headers: { Cookie: 'session=1; other=9' } })).xCache, 'Hit from cloudfront', 'a cookie it does not name does not count');
  });

  test('HEAD is answered from the entry GET filled', { timeout: 20_000 }, async () => {
    assert.equal((await fetchCounted('/head/a')).xCache, 'Miss from cloudfront');
    const head = await fetchCounted('/head/a', { method: 'HEAD' });
    assert.deepEqual([head.xCache, head.reachedOrigin], ['Hit from cloudfront', false]);
  });

  test('s-maxage wins over max-age', { timeout: 20_000 }, async () => {
    const path = '/smax/a?cc=max-age%3D1000%2C%20s-maxage%3D5';
    assert.equal((await fetchCounted(path)).xCache, 'Miss from cloudfront');
    clock += 4_000;
    assert.equal((await fetchCounted(path)).xCache, 'Hit from cloudfront');
    clock += 2_000;
    assert.equal((await fetchCounted(path)).reachedOrigin, true, 'stale after s-maxage');
  });

  test('no-store, no-cache and private are not cached (minimum TTL 0)', { timeout: 20_000 }, async () => {
    for (const cc of ['no-store', 'no-cache', 'private']) {
      const path = `/nostore/${cc}?cc=${cc}%2C%20max-age%3D600`;
      await fetchCounted(path);
      assert.equal((await fetchCounted(path)).reachedOrigin, true, cc);
    }
  });

  test('the policy’s maximum TTL caps the origin’s max-age', { timeout: 20_000 }, async () => {
    const path = '/capped/a?cc=max-age%3D1000';
    await fetchCounted(path);
    clock += 19_000;
    assert.equal((await fetchCounted(path)).xCache, 'Hit from cloudfront');
    clock += 2_000;
    assert.equal((await fetchCounted(path)).reachedOrigin, true, 'stale after maxTTL 20 s');
  });
});
