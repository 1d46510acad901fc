// AWS's own sample CloudFront events (the Lambda console's templates, `sam local generate-event
// cloudfront …`, the developer guide) carry no config.eventType and often no requestId: `invoke` and
// `validate --event` take them for a function whose trigger is known, say what they assumed, and
// still refuse what is not a CloudFront event at all. The guests are the repo's built Rust examples,
// so the completed event also has to satisfy the guest crate's serde types.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { invoke } from '../../src/invoke/invoke.js';
import { exampleWasm } from '../helpers/project.js';
import { repoRoot } from '../helpers/paths.js';

const samples = join(repoRoot, 'fixtures', 'events', 'aws-samples');
const sample = (name: string) => join(samples, name);
let dir: string;

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000, ...(input === undefined ? {} : { input }) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-aws-samples-'));
  mkdirSync(join(dir, 'guests'));
  // passthrough returns the request it got; security-headers adds headers to the response it got.
  copyFileSync(exampleWasm('passthrough'), join(dir, 'guests', 'passthrough.wasm'));
  copyFileSync(exampleWasm('security-headers'), join(dir, 'guests', 'security-headers.wasm'));
  const functions = {
    'viewer-pass': { wasm: 'guests/passthrough.wasm', eventType: 'viewer-request' },
    'origin-pass': { wasm: 'guests/passthrough.wasm', eventType: 'origin-request' },
    'origin-headers': { wasm: 'guests/security-headers.wasm', eventType: 'origin-response' },
    'viewer-headers': { wasm: 'guests/security-headers.wasm', eventType: 'viewer-response' },
  };
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify({ functions }, null, 2));
  const built = cli(['build']);
  assert.equal(built.status, 0, built.stderr);
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('every request-shaped AWS sample runs on viewer-request and origin-request functions, with a note of what was assumed', { timeout: 300_000 }, () => {
  const requestSamples = ['lambda-guide-viewer-request.json', 'sam-modify-querystring.json', 'sam-ab-test.json', 'console-origin-request-partial-config.json'];
  for (const name of requestSamples) {
    for (const fn of name.startsWith('console-origin') ? ['origin-pass'] : ['viewer-pass', 'origin-pass']) {
      const r = cli(['invoke', fn, '--event', sample(name)]);
      assert.equal(r.status, 0, `${name} on ${fn}: ${r.stderr}`);
      const notes = r.stderr.split('\n').filter((l) => l.startsWith('note'));
      assert.equal(notes.length, 1, r.stderr);
      assert.match(notes[0]!, new RegExp(`${fn} is a (viewer|origin)-request trigger, assumed config\\.eventType = "(viewer|origin)-request"`));
      assert.match(notes[0]!, /config\.requestId = \(a new one\)/);
      assert.match(r.stderr, /CloudFront would accept this/);
      assert.equal(typeof JSON.parse(r.stdout).uri, 'string');
    }
  }
});

test('response-shaped samples run on response functions, even the one with no request at all (sam modify-response-header)', { timeout: 300_000 }, () => {
  for (const name of ['sam-modify-response-header.json', 'sam-access-request-in-response.json']) {
    for (const fn of ['origin-headers', 'viewer-headers']) {
      const r = cli(['invoke', fn, '--event', sample(name), '--json']);
      assert.equal(r.status, 0, `${name} on ${fn}: ${r.stderr}`);
      const out = JSON.parse(r.stdout);
      assert.equal(out.verdict, 'ok');
      assert.ok(out.assumed.includes(`config.eventType = "${fn.startsWith('origin') ? 'origin' : 'viewer'}-response"`), out.assumed);
      if (name === 'sam-modify-response-header.json') assert.ok(out.assumed.includes('request = "GET /"'), out.assumed);
      assert.equal(out.result.status, '200');
      assert.ok(out.result.headers['strict-transport-security'] !== undefined, 'the guest added its headers');
      // The sample's own response headers are kept.
      if (name === 'sam-modify-response-header.json') assert.equal(out.result.headers.vary[0].value, '*');
      else assert.equal(out.result.headers['x-cache'][0].value, 'Hit from cloudfront');
    }
  }
});

test('a sample from standard input is taken the same way', { timeout: 120_000 }, () => {
  const r = cli(['invoke', 'viewer-pass', '--event', '-'], JSON.stringify({ Records: [{ cf: { config: { distributionId: 'EDFDVBD6EXAMPLE' }, request: { uri: '/from-stdin', method: 'GET', clientIp: '198.51.100.7', headers: {} } } }] }));
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).uri, '/from-stdin');
  assert.match(r.stderr, /^note {2}.*request\.querystring = ""/m);
});

test('what is not a CloudFront event is refused before anything runs, as are mismatches', { timeout: 120_000 }, () => {
  const s3 = cli(['invoke', 'viewer-pass', '--event', sample('not-cloudfront-s3-put.json')]);
  assert.equal(s3.status, 1);
  assert.match(s3.stderr, /viewer-pass is a viewer-request trigger, but the event is not a CloudFront event/);
  assert.doesNotMatch(s3.stderr, /START RequestId/);
  const withResponse = cli(['invoke', 'viewer-pass', '--event', sample('sam-modify-response-header.json')]);
  assert.equal(withResponse.status, 1);
  assert.match(withResponse.stderr, /the event has a response, but CloudFront sends none to a viewer-request trigger/);
  const typed = cli(['invoke', 'viewer-pass', '--event', join(repoRoot, 'fixtures', 'events', 'origin-response.json')]);
  assert.equal(typed.status, 1);
  assert.match(typed.stderr, /is a viewer-request trigger, but the event is a origin-response event/);
});

test('validate --event takes an AWS sample with --event-type, and compares the result with it', { timeout: 120_000 }, () => {
  const resultFile = join(dir, 'result.json');
  // The request passed back, but with the read-only clientIp changed: caught against the sample.
  writeFileSync(resultFile, JSON.stringify({ uri: '/test', querystring: 'auth=test&foo=bar', method: 'GET', clientIp: '192.0.2.1', headers: { host: [{ key: 'Host', value: 'd123.cf.net' }] } }));
  const r = cli(['validate', resultFile, '--event', sample('sam-modify-querystring.json'), '--event-type', 'viewer-request']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^note {2}.*--event-type is viewer-request, assumed config\.eventType = "viewer-request"/m);
  assert.match(r.stdout, /clientIp/);
  writeFileSync(resultFile, JSON.stringify({ uri: '/test', querystring: 'auth=test&foo=bar', method: 'GET', clientIp: '2001:cdba::3257:9652', headers: { host: [{ key: 'Host', value: 'd123.cf.net' }] } }));
  const ok = cli(['validate', resultFile, '--event', sample('sam-modify-querystring.json'), '--event-type', 'viewer-request']);
  assert.equal(ok.status, 0, ok.stderr + ok.stdout);
  const untyped = cli(['validate', resultFile, '--event', sample('sam-modify-querystring.json')]);
  assert.notEqual(untyped.status, 0);
  assert.match(untyped.stderr, /has no config\.eventType .*--event-type <type>/);
  const s3 = cli(['validate', resultFile, '--event', sample('not-cloudfront-s3-put.json'), '--event-type', 'viewer-request']);
  assert.equal(s3.status, 1);
  assert.match(s3.stderr, /is not a CloudFront event/);
});

test('the samples directory holds what the tests above name', () => {
  assert.ok(readdirSync(samples).length >= 8);
});

test('the library invoke() completes a sample the same way and reports what it assumed', { timeout: 120_000 }, async () => {
  const config = loadConfig({ cwd: dir });
  const event = JSON.parse(readFileSync(sample('lambda-guide-viewer-request.json'), 'utf8'));
  const r = await invoke({ config, function: 'viewer-pass', event });
  assert.equal(r.verdict, 'ok');
  assert.ok(r.assumed.includes('config.eventType = "viewer-request"'), r.assumed.join('; '));
  assert.equal((r.event as { Records: Array<{ cf: { config: { eventType: string } } }> }).Records[0]!.cf.config.eventType, 'viewer-request');
  assert.equal((r.record.result as { uri: string }).uri, '/picture.jpg');
  await assert.rejects(invoke({ config, function: 'viewer-pass', event: { digits: 5 } }), /is not a CloudFront event/);
});
