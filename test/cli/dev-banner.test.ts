// `lambda-wasm dev` tells the user about their own project: the behaviors and triggers, Function
// URLs and the Invoke API of its config, and commands to try built from each function's own fixture.
// Every curl line it prints is run here against the server it started, and so is every `aws lambda
// invoke` line when an AWS CLI is installed (its `fileb://` payload works with CLI v1 and v2 alike).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { awsCli } from '../helpers/aws-cli.js';
import { exampleWasm } from '../helpers/project.js';
import { repoRoot } from '../helpers/paths.js';

const run = promisify(execFile);
const cleanups: Array<() => void> = [];
after(() => {
  for (const c of cleanups) c();
});

function project(config: Record<string, unknown>, guests: Record<string, string>, fixtures: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-dev-banner-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'guests'));
  mkdirSync(join(dir, 'events'));
  for (const [name, example] of Object.entries(guests)) copyFileSync(exampleWasm(example), join(dir, 'guests', `${name}.wasm`));
  for (const f of fixtures) copyFileSync(join(repoRoot, 'fixtures', 'events', f), join(dir, 'events', f));
  cpSync(join(repoRoot, 'examples', 'site'), join(dir, 'site'), { recursive: true });
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify(config, null, 2));
  return dir;
}

/** Starts `dev --port 0` and resolves with its banner once the server listens. */
async function startDev(dir: string): Promise<{ banner: string; url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'dev', '--port', '0', '--quiet'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  cleanups.push(() => child.kill('SIGKILL'));
  let text = '';
  child.stderr!.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (d: string) => {
      text += d;
      if (/\ntry:\n[\s\S]*\n\n/.test(text)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`dev exited with ${code}: ${text}`)));
  });
  return { banner: text, url: /on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)![1]!, child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const tryLines = (banner: string) => banner.split('\ntry:\n')[1]!.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('add '));
const command = (line: string) => line.replace(/\s+#.*$/, '');

test('with a distribution: behaviors, triggers, Function URLs and the Invoke API of this config; every printed command works', { timeout: 240_000 }, async (t) => {
  const dir = project(
    {
      functions: {
        gate: { wasm: 'guests/gate.wasm', eventType: 'viewer-request', fixture: 'events/viewer-request-basic-auth.json' },
        pass: { wasm: 'guests/pass.wasm', eventType: 'viewer-request', fixture: 'events/viewer-request.json' },
        pi: { wasm: 'guests/pi.wasm', eventType: 'lambda', fixture: 'events/pi.json' },
        spare: { wasm: 'guests/pass.wasm', eventType: 'viewer-request' },
      },
      distribution: {
        defaultRootObject: 'index.html',
        origins: { site: { folder: 'site' } },
        behaviors: [{ pathPattern: '/private/*', origin: 'site', triggers: { 'viewer-request': 'gate' } }],
        defaultBehavior: { origin: 'site', triggers: { 'viewer-request': 'pass' } },
      },
    },
    { gate: 'basic-auth', pass: 'passthrough', pi: 'pi' },
    ['viewer-request-basic-auth.json', 'viewer-request.json', 'pi.json'],
  );
  const { banner, child } = await startDev(dir);
  try {
    assert.match(banner, /local CloudFront on http/);
    assert.match(banner, /\/private\/\* +origin site; viewer-request → gate/);
    assert.match(banner, /\* +origin site; viewer-request → pass/);
    assert.match(banner, /_lambda-url\/pi\//);
    assert.match(banner, /Lambda Invoke API: .*\(gate, pass, pi, spare\)/);
    assert.match(banner, /spare has no "fixture" in the config: make one with `lambda-wasm event viewer-request > spare\.json`/);
    assert.match(banner, /_lambda-url\/pi\/\?digits=100'   # pi's fixture as a query string/, 'the function\'s own fixture');
    assert.doesNotMatch(banner, /--cli-binary-format/, 'AWS CLI v1 refuses it');
    const lines = tryLines(banner);
    const curls = lines.filter((l) => l.startsWith('curl'));
    const awsLines = lines.filter((l) => l.startsWith('aws '));
    assert.deepEqual(awsLines.map((l) => /--function-name (\S+)/.exec(l)![1]), ['gate', 'pass', 'pi']);
    for (const l of awsLines) assert.match(l, / --payload fileb:\/\/events\/[\w-]+\.json /);
    // The protected path is tried with the fixture's credentials: the gate lets it through.
    const privateLine = curls.find((l) => l.includes('/private/'))!;
    assert.match(privateLine, /-H 'Authorization: Basic /);
    for (const line of curls) {
      const { stdout } = await run('sh', ['-c', `${command(line)} -s -o /dev/null -w '%{http_code}'`], { cwd: dir });
      assert.equal(stdout, '200', `${line} → ${stdout}`);
    }
    // The real AWS CLI (v1, which refuses v2's --cli-binary-format) runs every aws line.
    const aws = awsCli();
    for (const line of awsLines) {
      const { stdout } = await run('sh', ['-c', command(line).replace(/^aws /, `${aws} `)], { cwd: dir, env: { ...process.env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } });
      assert.equal(JSON.parse(stdout).StatusCode, 200, line);
      const name = /--function-name (\S+)/.exec(line)![1]!;
      const out = JSON.parse(readFileSync(join(dir, `${name}.out.json`), 'utf8'));
      if (name === 'pi') assert.match(out.pi, /^31415926/);
      else assert.equal(typeof out.uri === 'string' || typeof out.status === 'string', true, JSON.stringify(out));
    }
  } finally {
    await stop(child);
  }
});

test('without a distribution: no curl / and no PURGE, only what the config has', { timeout: 240_000 }, async () => {
  const dir = project(
    { functions: { pi: { wasm: 'guests/pi.wasm', eventType: 'lambda', fixture: 'events/pi.json' }, edge: { wasm: 'guests/edge.wasm', eventType: 'viewer-request', fixture: 'events/viewer-request-old-path.json' } } },
    { pi: 'pi', edge: 'redirect' },
    ['pi.json', 'viewer-request-old-path.json'],
  );
  const { banner, url, child } = await startDev(dir);
  try {
    assert.match(banner, /local Lambda on http.*no "distribution" in the config/);
    assert.doesNotMatch(banner, /PURGE|behaviors|viewer headers/);
    assert.ok(!banner.includes(`curl -i ${url}/\n`));
    const lines = tryLines(banner);
    assert.deepEqual(lines.filter((l) => l.startsWith('curl')).map(command), [`curl -i '${url}/_lambda-url/pi/?digits=100'`]);
    assert.equal(lines.filter((l) => l.startsWith('aws ')).length, 2);
    const { stdout } = await run('sh', ['-c', `${command(lines[0]!)} -s`], { cwd: dir });
    assert.match(stdout, /3141/);
  } finally {
    await stop(child);
  }
});
