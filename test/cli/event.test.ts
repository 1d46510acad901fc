// `lambda-wasm event <type>` prints an event built by the library's builders, ready to edit or to
// pipe into `invoke --event -`; an unknown type is a usage mistake (exit 2) that lists the types.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { eventTypeOf, validateResult } from '../../src/events/index.js';
import { exampleWasm } from '../helpers/project.js';
import { repoRoot } from '../helpers/paths.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function cli(args: string[], options: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), ...args], { cwd: options.cwd ?? tmpdir(), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000, ...(options.input === undefined ? {} : { input: options.input }) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('each CloudFront type: an event of that type that CloudFront would accept its request/response back from', { timeout: 120_000 }, () => {
  for (const type of ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const) {
    const r = cli(['event', type]);
    assert.equal(r.status, 0, r.stderr);
    const event = JSON.parse(r.stdout);
    assert.equal(eventTypeOf(event), type);
    const cf = event.Records[0].cf;
    assert.deepEqual(validateResult(type, type.endsWith('request') ? cf.request : cf.response, event), []);
    assert.equal(r.stderr, '');
  }
});

test('the flags shape the event: uri, method, headers (repeatable), query string, body, status', { timeout: 120_000 }, () => {
  const r = cli(['event', 'origin-request', '--uri', '/api/items', '--method', 'post', '--header', 'Accept: application/json', '--header', 'X-Trace: a', '--header=x-trace: b', '--querystring', '?page=2', '--body', '{"a":1}']);
  assert.equal(r.status, 0, r.stderr);
  const request = JSON.parse(r.stdout).Records[0].cf.request;
  assert.equal(request.uri, '/api/items');
  assert.equal(request.method, 'POST');
  assert.equal(request.querystring, 'page=2');
  assert.deepEqual(request.headers.accept, [{ key: 'Accept', value: 'application/json' }]);
  assert.deepEqual(request.headers['x-trace'].map((h: { value: string }) => h.value), ['a', 'b']);
  assert.equal(Buffer.from(request.body.data, 'base64').toString(), '{"a":1}');
  assert.ok(request.origin !== undefined, 'origin-side events name the origin');
  const response = JSON.parse(cli(['event', 'viewer-response', '--status', '404', '--json']).stdout).Records[0].cf.response;
  assert.equal(response.status, '404');
  assert.equal(response.statusDescription, 'Not Found');
});

test('lambda: a Function URL (HTTP API payload 2.0) event', { timeout: 120_000 }, () => {
  const r = cli(['event', 'lambda', '--uri', '/pi', '--querystring', 'digits=50', '--header', 'cookie: a=1; b=2']);
  assert.equal(r.status, 0, r.stderr);
  const event = JSON.parse(r.stdout);
  assert.equal(event.version, '2.0');
  assert.equal(event.rawPath, '/pi');
  assert.deepEqual(event.queryStringParameters, { digits: '50' });
  assert.deepEqual(event.cookies, ['a=1', 'b=2']);
  assert.equal(event.requestContext.http.method, 'GET');
});

test('an unknown type is a usage mistake that lists the types; so are flags that do not fit the type', { timeout: 120_000 }, () => {
  const r = cli(['event', 'viewer-requset']);
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /unknown event type "viewer-requset" \(types: viewer-request, origin-request, origin-response, viewer-response, lambda/);
  const none = cli(['event']);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /say which type \(types: viewer-request, .*lambda/);
  const status = cli(['event', 'viewer-request', '--status', '404']);
  assert.notEqual(status.status, 0);
  assert.match(status.stderr, /--status is the origin's status in a response event; a viewer-request event has none/);
  const body = cli(['event', 'origin-response', '--body', 'x']);
  assert.notEqual(body.status, 0);
  assert.match(body.stderr, /no body/);
  const header = cli(['event', 'viewer-request', '--header', 'no-colon']);
  assert.notEqual(header.status, 0);
  assert.match(header.stderr, /is not name:value/);
});

test('piped into invoke --event -, it runs', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-event-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'guests'));
  copyFileSync(exampleWasm('redirect'), join(dir, 'guests', 'redirect.wasm'));
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify({ functions: { redirect: { wasm: 'guests/redirect.wasm', eventType: 'viewer-request' } } }));
  assert.equal(cli(['build'], { cwd: dir }).status, 0);
  const event = cli(['event', 'viewer-request', '--uri', '/old/a.html']).stdout;
  const r = cli(['invoke', 'redirect', '--event', '-'], { cwd: dir, input: event });
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.status, '301');
  assert.match(JSON.stringify(result.headers.location), /\/new\/a\.html/);
  assert.doesNotMatch(r.stderr, /^note/m, 'a complete event needs no note');
});
