// `invoke` runs the built zip; when the function's sources are newer than that zip it says so (and
// how to rebuild) instead of letting an edit seem to have no effect. `invoke --build` rebuilds first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { compileWatText, constantGuestWat } from '../helpers/wat.js';
import { repoRoot } from '../helpers/paths.js';

const answer = (text: string) => compileWatText(constantGuestWat(JSON.stringify({ status: '200', body: text })));
let dir: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const body = (stdout: string) => (JSON.parse(stdout) as { body: string }).body;
/** Sets a file's mtime minutes away from now, so the test never depends on the clock's resolution. */
const age = (path: string, minutes: number) => {
  const t = new Date(Date.now() + minutes * 60_000);
  utimesSync(path, t, t);
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-stale-'));
  mkdirSync(join(dir, 'guests'));
  copyFileSync(answer('old code'), join(dir, 'guests', 'hello.wasm'));
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify({ functions: { hello: { wasm: 'guests/hello.wasm', eventType: 'viewer-request' } } }));
  assert.equal(cli(['build']).status, 0);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('an up-to-date zip runs without a word about staleness', { timeout: 120_000 }, () => {
  const r = cli(['invoke', 'hello', '--uri', '/']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(body(r.stdout), 'old code');
  assert.doesNotMatch(r.stderr, /older than its sources/);
});

test('sources newer than the zip: the old code runs, with a warning that names the file and both ways to rebuild', { timeout: 120_000 }, () => {
  copyFileSync(answer('new code'), join(dir, 'guests', 'hello.wasm'));
  age(join(dir, 'dist', 'hello.zip'), -10);
  const r = cli(['invoke', 'hello', '--uri', '/']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(body(r.stdout), 'old code');
  assert.match(r.stderr, /warn {2}dist\/hello\.zip is older than its sources \(guests\/hello\.wasm changed since it was built\): this runs the old code/);
  assert.match(r.stderr, /rebuild with `lambda-wasm build hello`, or run `lambda-wasm invoke hello --build`/);
  // With --json the warning stays on stderr and stdout stays one JSON document.
  const json = cli(['invoke', 'hello', '--uri', '/', '--json']);
  assert.equal(JSON.parse(json.stdout).result.body, 'old code');
  assert.match(json.stderr, /older than its sources/);
});

test('--build rebuilds first: the new code runs and nothing is stale', { timeout: 120_000 }, () => {
  const r = cli(['invoke', 'hello', '--uri', '/', '--build']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(body(r.stdout), 'new code');
  assert.doesNotMatch(r.stderr, /older than its sources/);
  const again = cli(['invoke', 'hello', '--uri', '/']);
  assert.equal(body(again.stdout), 'new code');
  assert.doesNotMatch(again.stderr, /older than its sources/);
});

test('--build with a source that does not build: the build error, and nothing runs', { timeout: 120_000 }, () => {
  writeFileSync(join(dir, 'guests', 'hello.wasm'), 'not wasm');
  const r = cli(['invoke', 'hello', '--uri', '/', '--build']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /not a valid WebAssembly module/);
  assert.doesNotMatch(r.stderr, /START RequestId/);
});
