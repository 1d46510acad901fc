// `lambda-wasm dev` with the inspector, as a user runs it: the banner links the page, a 502/503 is
// explained once under its access line, and under load — 20 000 requests on loopback with an
// event-stream client (what the open page is) listening — the process's RSS stays flat because
// the history is a ring.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { inspectorProject } from './_project.js';

let dev: ChildProcess;
let base = '';
let inspector = '';
let stderr = '';
let keepStderr = true;
let remove: () => void;

function rssMB(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function get(path: string, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  const project = await inspectorProject();
  remove = project.remove;
  dev = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'dev', '--no-build', '--port', '0', '--inspector-history', '200'], {
    cwd: project.dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  dev.stderr!.setEncoding('utf8');
  // Under load the access log is only drained: 20 000 lines kept here would skew nothing but this process.
  dev.stderr!.on('data', (c: string) => {
    if (keepStderr) stderr += c;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev did not start:\n${stderr}`)), 30_000);
    const check = () => {
      const url = /local CloudFront on (http:\/\/\S+)/.exec(stderr)?.[1];
      const page = /Inspector: (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url !== undefined && page !== undefined) {
        clearTimeout(timer);
        base = url;
        inspector = page;
        resolve();
      }
    };
    dev.stderr!.on('data', check);
    dev.once('exit', (code) => reject(new Error(`dev exited with ${code}:\n${stderr}`)));
  });
});

after(async () => {
  agent.destroy();
  if (dev !== undefined && dev.exitCode === null) {
    const exited = new Promise((r) => dev.once('exit', r));
    dev.kill('SIGINT');
    await exited;
  }
  remove?.();
});

describe('dev with the inspector', { timeout: 240_000 }, () => {
  test('the banner links the page; a 502 and a 503 are explained once, in CloudFront\'s words', async () => {
    assert.equal(inspector, `${base}/_lambda-wasm/inspector/`);
    assert.equal(await get('/null/x'), 502);
    assert.equal(await get('/trap/x'), 503);
    await new Promise((r) => setTimeout(r, 300));
    const text = stderr.slice(stderr.indexOf('GET /null/x'));
    assert.equal(text.split('✗ 502 because viewer-request function returns-null').length - 1, 1, text);
    assert.match(text, /GET \/null\/x 502 LambdaValidationError[^\n]*\n {2}✗ 502 because viewer-request function returns-null: its result failed CloudFront's validation\n {4}CloudFront says: The Lambda function returned invalid JSON: The JSON output must be an object type\.\n {4}\(result\): .*\[result-type\]\n {4}the whole trip: http:\/\/127\.0\.0\.1:\d+\/_lambda-wasm\/inspector\/#\S+\n/);
    assert.match(text, /GET \/trap\/x 503 LambdaExecutionError[^\n]*\n {2}✗ 503 because viewer-request function trap: it failed\n {4}CloudFront says: The Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions\.\n {4}WasmTrap: RuntimeError: unreachable\n/);
    assert.equal(text.split('✗ 503').length - 1, 1);
  });

  test('RSS stays flat over 20 000 requests with an event-stream client open', async () => {
    keepStderr = false;
    // The page's connection: it receives every request as it is recorded.
    let streamed = 0;
    const url = new URL(base);
    const stream = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/_lambda-wasm/api/events', headers: { Host: url.host } }, resolve);
      req.on('error', reject);
      req.end();
    });
    stream.setEncoding('utf8');
    stream.on('data', (c: string) => (streamed += c.split('event: request\n').length - 1));

    // Every request carries 4 KB of headers into its record (and into the trigger's event), so a
    // history that kept them all would grow by well over 100 MB over the run.
    const bulky = { 'X-Padding': 'p'.repeat(4096) };
    let sent = 0;
    const run = async (n: number) => {
      const workers = Array.from({ length: 8 }, async () => {
        while (sent < n) {
          const i = sent++;
          const status = await get(i % 2 === 0 ? `/?i=${i}` : `/null/${i}`, bulky);
          assert.equal(status, i % 2 === 0 ? 200 : 502);
        }
      });
      await Promise.all(workers);
    };
    await run(2_000);
    const pid = dev.pid!;
    const warm = rssMB(pid);
    await run(20_000);
    await new Promise((r) => setTimeout(r, 500));
    const end = rssMB(pid);
    stream.destroy();

    const list = JSON.parse(await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/_lambda-wasm/api/requests', headers: { Host: url.host } }, (res) => {
        let t = '';
        res.on('data', (c) => (t += c));
        res.on('end', () => resolve(t));
      });
      req.on('error', reject);
      req.end();
    })) as { total: number; history: number; requests: unknown[] };
    assert.equal(list.history, 200);
    assert.equal(list.requests.length, 200);
    assert.ok(list.total >= 20_002, `${list.total} recorded`);
    assert.ok(streamed > 10_000, `the event stream got ${streamed} requests`);
    process.stderr.write(`# RSS after 2 000 requests: ${warm.toFixed(1)} MB; after 20 000: ${end.toFixed(1)} MB\n`);
    // A kept history would grow well over 100 MB; a normal run grew 20–54 MB (glibc's per-thread
    // pools and V8's heap settling on a loaded 2-core machine), so the bound sits above that.
    assert.ok(end - warm < 80, `RSS grew from ${warm.toFixed(1)} MB to ${end.toFixed(1)} MB over 18 000 requests`);
  });
});
