// The inspector's data as a library API (createEmulator().inspector) and as the JSON API that dev
// serves, its bounded history, its event stream, its actions — and that only a same-origin request
// naming a loopback Host can read or drive it (no CSRF, no DNS rebinding).
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { failureLines } from '../../src/cli/dev-failure.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { inspectorProject, startEmulator } from './_project.js';

let emulator: Emulator;
let base: string;
let port: number;
let remove: () => void;
const HISTORY = 5;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request, so a test can send any Host, Origin or Sec-Fetch-Site. */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (a: Answer) => JSON.parse(a.body) as Record<string, unknown>;

before(async () => {
  ({ emulator, base, remove } = await startEmulator(HISTORY));
  port = Number(new URL(base).port);
});

after(async () => {
  await emulator?.close();
  remove?.();
});

describe('the recorded trips, as a library API', { timeout: 120_000 }, () => {
  test('each request is recorded with its stages, triggers, cache and origin; failures say why', async () => {
    assert.equal((await send('GET', '/')).status, 200);
    assert.equal((await send('GET', '/')).status, 200);
    const refused = await emulator.dispatch({ url: '/null/x' });
    const trapped = await emulator.dispatch({ url: '/trap/x' });
    assert.equal(refused.status, 502);
    assert.equal(trapped.status, 503);
    const inspector = emulator.inspector!;
    const [trap, nul, hit, miss] = inspector.records();
    assert.deepEqual([trap!.id, nul!.id, hit!.id, miss!.id], [4, 3, 2, 1]);
    assert.equal(miss!.cache?.lookup, 'miss');
    assert.equal(miss!.cache?.storedTtl, 300);
    assert.equal(hit!.cache?.lookup, 'hit');
    assert.equal(hit!.cache?.ttl, 300);
    assert.ok(hit!.cache!.ttlLeft! <= 300 && hit!.cache!.age! >= 0);
    assert.deepEqual(hit!.stages.map((s) => `${s.stage}:${s.state}:${s.reason ?? ''}`), [
      'viewer-request:skipped:no viewer-request trigger on this behavior',
      'cache:ran:hit',
      'origin-request:skipped:cache hit',
      'origin:skipped:cache hit',
      'origin-response:skipped:cache hit',
      'viewer-response:skipped:no viewer-response trigger on this behavior',
    ]);
    const run = miss!.triggers[0]!;
    assert.equal(run.function, 'add-headers');
    assert.equal(run.coldStart, true);
    assert.ok(run.initDurationMs! > 0);
    assert.ok(run.logs!.some((l) => l.startsWith('REPORT RequestId:')));
    assert.equal((run.event as { Records: Array<{ cf: { config: { eventType: string } } }> }).Records[0]!.cf.config.eventType, 'origin-response');
    assert.equal((run.result as { status: string }).status, '200');
    assert.equal(miss!.origin?.status, 200);
    assert.ok(miss!.origin!.requestHeaders.some(([k]) => k === 'Via'));
    assert.deepEqual(nul!.failureDetail, {
      status: 502,
      stage: 'viewer-request',
      function: 'returns-null',
      kind: 'validation-error',
      message: 'The Lambda function returned invalid JSON: The JSON output must be an object type.',
      details: nul!.triggers[0]!.violations!.map((v) => `${v.path === '' ? '(result)' : v.path}: ${v.message} [${v.rule}]`),
    });
    assert.equal(nul!.stages.find((s) => s.stage === 'viewer-request')?.state, 'failed');
    assert.equal(trap!.failureDetail?.kind, 'execution-error');
    assert.match(trap!.failureDetail!.details[0]!, /RuntimeError: unreachable/);

    const stats = new Map(inspector.functionStats().map((s) => [s.name, s]));
    assert.equal(stats.get('add-headers')?.invocations, 1);
    assert.equal(stats.get('add-headers')?.coldStarts, 1);
    assert.equal(stats.get('trap')?.errors, 1);
    assert.equal(stats.get('returns-null')?.validationErrors, 1);
    assert.ok(stats.get('add-headers')!.p99Ms! >= stats.get('add-headers')!.p50Ms!);
    assert.ok(stats.get('add-headers')!.maxMemoryUsedMB > 0);

    // What `dev` prints under the access line: once, the function, the stage, CloudFront's words.
    assert.deepEqual(failureLines(refused.exchange!), [
      '  ✗ 502 because viewer-request function returns-null: its result failed CloudFront\'s validation',
      '    CloudFront says: The Lambda function returned invalid JSON: The JSON output must be an object type.',
      `    ${nul!.failureDetail!.details[0]}`,
    ]);
    assert.match(failureLines(trapped.exchange!, { inspectUrl: 'http://127.0.0.1:3000/_lambda-wasm/inspector/#x' }).join('\n'), /503 because viewer-request function trap: it failed\n.*CloudFront says: The Lambda function associated[^\n]*\n\s+WasmTrap: RuntimeError: unreachable\n\s+the whole trip: http/);
    assert.deepEqual(failureLines((await emulator.dispatch({ url: '/' })).exchange!), []);
  });

  test('the history is a ring: it keeps the last N, however many requests come', async () => {
    for (let i = 0; i < 12; i++) await emulator.dispatch({ url: `/ring-${i}` });
    const inspector = emulator.inspector!;
    assert.equal(inspector.total, 17);
    assert.deepEqual(inspector.requests().map((r) => r.id), [17, 16, 15, 14, 13]);
    assert.equal(inspector.get(12), undefined);
    assert.equal(inspector.get(13)?.uri, '/ring-7');
    assert.deepEqual(inspector.requests({ after: 15 }).map((r) => r.id), [17, 16]);
    assert.deepEqual(inspector.requests({ limit: 2 }).map((r) => r.id), [17, 16]);
  });

  test('close() ends the open event streams (an inspector page left open does not hold the server)', async () => {
    const project = await inspectorProject();
    const other = createEmulator({ config: project.config, port: 0 });
    try {
      const url = new URL(await other.ready);
      const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
        const req = httpRequest({ host: url.hostname, port: url.port, path: '/_lambda-wasm/api/events', headers: { Host: url.host } }, resolve);
        req.on('error', reject);
        req.end();
      });
      res.resume();
      const ended = new Promise((r) => res.on('close', r));
      const outcome = await Promise.race([other.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still waiting after 10 s'), 10_000))]);
      assert.equal(outcome, 'closed');
      await ended;
    } finally {
      project.remove();
    }
  });

  test('inspector: false records nothing and the API says it is off', async () => {
    const project = await inspectorProject();
    const off = createEmulator({ config: project.config, port: 0, inspector: false });
    try {
      await off.ready;
      assert.equal((await off.dispatch({ url: '/' })).status, 200);
      assert.equal(off.inspector, undefined);
      assert.equal((await off.dispatch({ url: '/' })).exchange?.trip, undefined);
      assert.equal((await off.dispatch({ url: '/_lambda-wasm/api/requests', headers: { Host: `127.0.0.1:${new URL(off.url()).port}` } })).status, 404);
    } finally {
      await off.close();
      project.remove();
    }
  });
});

describe('the JSON API', { timeout: 60_000 }, () => {
  test('reads: the recent requests, one request by number or by X-Amz-Cf-Id, the function stats', async () => {
    const list = json(await send('GET', '/_lambda-wasm/api/requests?limit=2'));
    assert.equal(list.history, HISTORY);
    const requests = list.requests as Array<{ id: number; uri: string }>;
    assert.equal(requests.length, 2);
    const one = await send('GET', `/_lambda-wasm/api/requests/${requests[0]!.id}`);
    assert.equal(one.status, 200);
    assert.equal(one.headers['cache-control'], 'no-store');
    const record = json(one);
    assert.equal(record.uri, requests[0]!.uri);
    assert.equal(json(await send('GET', `/_lambda-wasm/api/requests/${String(record.requestId)}`)).id, record.id);
    assert.equal((await send('GET', '/_lambda-wasm/api/requests/1')).status, 404);
    const fns = (json(await send('GET', '/_lambda-wasm/api/functions')).functions as Array<{ name: string }>).map((f) => f.name).sort();
    assert.deepEqual(fns, ['add-headers', 'returns-null', 'trap']);
  });

  test('the page is served with a policy that runs only its own script', async () => {
    const page = await send('GET', '/_lambda-wasm/inspector/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.match(page.body, /<script type="module" src="app.js">/);
    assert.equal((await send('GET', '/_lambda-wasm/inspector/app.js')).status, 200);
    assert.equal((await send('GET', '/_lambda-wasm/inspector')).headers.location, '/_lambda-wasm/inspector/');
  });

  test('the event stream sends each new request', async () => {
    const events: string[] = [];
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/_lambda-wasm/api/events', headers: { Host: `localhost:${port}` } }, resolve);
      req.on('error', reject);
      req.end();
    });
    assert.equal(res.headers['content-type'], 'text/event-stream; charset=utf-8');
    res.setEncoding('utf8');
    const got = new Promise<void>((resolve) =>
      res.on('data', (chunk: string) => {
        events.push(chunk);
        if (events.join('').includes('/streamed')) resolve();
      }),
    );
    await new Promise((r) => setTimeout(r, 50));
    await emulator.dispatch({ url: '/streamed' });
    await got;
    res.destroy();
    const text = events.join('');
    assert.match(text, /^retry: 1000\nevent: hello\n/);
    assert.match(text, /event: request\ndata: \{"id":\d+,[^\n]*"uri":"\/streamed"/);
  });

  test('actions: replay a request (a new entry that names the one it replays), invalidate its path', async () => {
    assert.equal((await send('GET', '/')).status, 200);
    const id = emulator.inspector!.total;
    const replay = await send('POST', `/_lambda-wasm/api/requests/${id}/replay`, { 'Content-Type': 'application/json' }, '{}');
    assert.equal(replay.status, 200);
    const out = json(replay);
    assert.equal(out.id, id + 1);
    assert.equal(out.xCache, 'Hit from cloudfront');
    assert.equal(emulator.inspector!.get(id + 1)?.replayOf, id);
    const inv = json(await send('POST', `/_lambda-wasm/api/requests/${id}/invalidate`, { Origin: `http://127.0.0.1:${port}`, 'Sec-Fetch-Site': 'same-origin' }));
    assert.deepEqual(inv, { invalidated: 1, paths: ['/', '/index.html'] });
    assert.equal((await send('GET', '/')).headers['x-cache'], 'Miss from cloudfront');
  });
});

describe('only this machine, same-origin, may use the inspector', { timeout: 60_000 }, () => {
  const paths = {
    page: ['GET', '/_lambda-wasm/inspector/'],
    read: ['GET', '/_lambda-wasm/api/requests'],
    one: ['GET', '/_lambda-wasm/api/requests/latest'],
    events: ['GET', '/_lambda-wasm/api/events'],
    replay: ['POST', '/_lambda-wasm/api/requests/latest/replay'],
    invalidate: ['POST', '/_lambda-wasm/api/requests/latest/invalidate'],
  } as const;
  const at = (p: string) => p.replace('latest', String(emulator.inspector!.total));

  test('a Host that is not a loopback name with this port (DNS rebinding) is refused everywhere', async () => {
    const before = emulator.inspector!.total;
    for (const host of ['evil.example', `evil.example:${port}`, `localhost.evil.example:${port}`, `localhost:${port + 1}`, `127.0.0.1`, `10.0.0.1:${port}`]) {
      for (const [method, path] of Object.values(paths)) {
        const a = await send(method, at(path), { Host: host });
        assert.equal(a.status, 403, `${method} ${path} with Host ${host}`);
        assert.match(json(a).message as string, /loopback Host/);
      }
    }
    assert.equal(emulator.inspector!.total, before, 'no replay ran');
  });

  test('each loopback name with the port is accepted', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      assert.equal((await send('GET', paths.read[1], { Host: host })).status, 200, host);
    }
  });

  test('a cross-origin page cannot read the API or trigger an action', async () => {
    const before = emulator.inspector!.total;
    const crossOrigin = [
      { Origin: 'http://evil.example' },
      { Origin: `http://localhost:${port}` }, // another origin than the Host it names
      { Origin: 'null' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'text/plain' },
    ];
    for (const headers of crossOrigin) {
      for (const [method, path] of [paths.read, paths.one, paths.events, paths.replay, paths.invalidate]) {
        const a = await send(method, at(path), headers);
        assert.equal(a.status, 403, `${method} ${path} with ${JSON.stringify(headers)}`);
        assert.match(json(a).message as string, /cross-(origin|site)/);
      }
    }
    // Typed into the address bar (Sec-Fetch-Site: none): reading is fine, an action is not.
    assert.equal((await send('GET', paths.read[1], { 'Sec-Fetch-Site': 'none' })).status, 200);
    assert.equal((await send('POST', at(paths.replay[1]), { 'Sec-Fetch-Site': 'none' })).status, 403);
    assert.equal(emulator.inspector!.total, before, 'no replay ran');
  });

  test('a request from another machine is refused even with a loopback Host', async () => {
    const a = await emulator.dispatch({ url: paths.read[1], headers: { Host: `127.0.0.1:${port}` }, clientIp: '192.168.1.20' });
    assert.equal(a.status, 403);
    assert.match(a.body.toString(), /only this machine/);
  });

  test("the emulator's older invalidation endpoint refuses a cross-site post too", async () => {
    const body = JSON.stringify({ paths: ['/*'] });
    for (const headers of [{ Origin: 'http://evil.example', 'Content-Type': 'text/plain' }, { 'Sec-Fetch-Site': 'cross-site' }]) {
      const a = await send('POST', '/_lambda-wasm/invalidate', headers, body);
      assert.equal(a.status, 403, JSON.stringify(headers));
    }
    // `lambda-wasm invalidate` (no Origin) and the same origin still may.
    assert.equal((await send('POST', '/_lambda-wasm/invalidate', {}, body)).status, 200);
    assert.equal((await send('POST', '/_lambda-wasm/invalidate', { Origin: `http://127.0.0.1:${port}` }, body)).status, 200);
  });

  test('an action must be a POST', async () => {
    assert.equal((await send('GET', at(paths.replay[1]))).status, 404);
    assert.equal((await send('PUT', at(paths.replay[1]))).status, 405);
  });
});
