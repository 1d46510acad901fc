// The inspector page in headless Chromium against a running local CloudFront: requests that miss,
// hit, fail CloudFront's validation (502) and trap (503) appear live, newest first; a request's
// timeline, the diff of a trigger's result against its input, the violation, the logs; replay adds
// an entry; the filters narrow the list; HTML and script in a URI or a header stay text.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../../src/emulator/index.js';
import { repoRoot } from '../helpers/paths.js';
import { launchChromium } from './_browser.js';
import { startEmulator } from './_project.js';

let emulator: Emulator;
let base: string;
let remove: () => void;
let browser: Browser;
let page: Page;

const HOSTILE_PATH = '/x<svg/onload=window.__pwned=1><img/src=x/onerror=window.__pwned=1>';
const HOSTILE_HEADER = '<script>window.__pwned=2</script><b>bold</b>';

function get(path: string, headers: Record<string, string> = {}): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const rows = () => page.locator('[data-testid=requests] tbody tr');
const row = (id: number) => page.locator(`[data-testid=requests] tbody tr[data-id="${id}"]`);

/** Retries `check` until it passes (the page updates asynchronously), for up to 15 s. */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function open(id: number): Promise<void> {
  await row(id).click();
  await page.locator(`[data-testid=detail] .meta`, { hasText: `#${id} ·` }).waitFor();
}

before(async () => {
  ({ emulator, base, remove } = await startEmulator());
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  await page.goto(`${base}/_lambda-wasm/inspector/`);
  await page.locator('[data-testid=live]', { hasText: 'live' }).waitFor();
});

after(async () => {
  await browser?.close();
  await emulator?.close();
  remove?.();
});

describe('the inspector page', { timeout: 120_000 }, () => {
  test('lists requests live, newest first, with status, X-Cache and time', async () => {
    assert.equal(await get('/'), 200);
    assert.equal(await get('/'), 200);
    assert.equal(await get('/null/x'), 502);
    assert.equal(await get('/trap/x'), 503);
    await rows().nth(3).waitFor();
    const texts = await rows().allInnerTexts();
    assert.equal(texts.length, 4);
    assert.match(texts[0]!, /^4\s+GET\s+\/trap\/x\s+503\s+LambdaExecutionError/);
    assert.match(texts[1]!, /^3\s+GET\s+\/null\/x\s+502\s+LambdaValidationError/);
    // The viewer's URI, before the default root object replaced it.
    assert.match(texts[2]!, /^2\s+GET\s+\/\s+200\s+Hit/);
    assert.match(texts[3]!, /^1\s+GET\s+\/\s+200\s+Miss\s+[\d.]+ ms/);
  });

  test('a miss: the timeline, the diff of the result against its input, the logs, the cache', async () => {
    await open(1);
    const stages = await page.locator('[data-testid=timeline] li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-stage')}=${li.getAttribute('data-state')}`));
    assert.deepEqual(stages, ['viewer-request=skipped', 'cache=ran', 'origin-request=skipped', 'origin=ran', 'origin-response=ran', 'viewer-response=skipped']);
    assert.match(await page.locator('[data-testid=timeline] li[data-stage=viewer-request]').innerText(), /no viewer-request trigger/);
    const diff = await page.locator('[data-testid=diff]').innerText();
    assert.match(diff, /headers\.x-inspected\[0\]\.value "by origin-response"/);
    assert.match(diff, /headers\.cache-control\[0\]\.value "max-age=300"/);
    assert.match(await page.locator('[data-testid=verdict]').innerText(), /accepted/);
    const logs = await page.locator('[data-testid=logs]').innerText();
    assert.match(logs, /^START RequestId: /m);
    assert.match(logs, /"eventType":"origin-response"/, 'the function logged the event it got');
    assert.match(logs, /^END RequestId: /m);
    assert.match(logs, /^REPORT RequestId: .*Max Memory Used: \d+ MB\s+Init Duration: [\d.]+ ms/m);
    assert.match(await page.locator('[data-testid=trigger] .meta').innerText(), /cold start · Init Duration/);
    const cache = await page.locator('[data-testid=cache]').innerText();
    assert.match(cache, /lookup\s+miss/);
    assert.match(cache, /stored\s+for 300 s/);
    const origin = await page.locator('[data-testid=origin]').innerText();
    assert.match(origin, /GET s3:\/\/site\.s3\.us-east-1\.amazonaws\.com\/index\.html → 200/);
  });

  test('a hit: the origin stages are skipped because of the hit, and the entry shows its Age and TTL', async () => {
    await open(2);
    for (const s of ['origin-request', 'origin', 'origin-response']) {
      assert.match(await page.locator(`[data-testid=timeline] li[data-stage=${s}]`).innerText(), /skipped\s+cache hit/);
    }
    assert.match(await page.locator('[data-testid=cache]').innerText(), /lookup\s+hit[\s\S]*Age \d+ s · TTL 300 s · \d+ s left/);
  });

  test('a 502: the stage that failed and CloudFront\'s words for the violation', async () => {
    await open(3);
    assert.equal(await page.locator('[data-testid=timeline] li[data-stage=viewer-request]').getAttribute('data-state'), 'failed');
    assert.match(await page.locator('[data-testid=timeline] li[data-stage=origin]').innerText(), /skipped\s+viewer-request failed/);
    const violations = await page.locator('[data-testid=violations]').innerText();
    assert.match(violations, /CloudFront: The Lambda function returned invalid JSON: The JSON output must be an object type\./);
    assert.match(violations, /\[result-type\]/);
    assert.match(await page.locator('[data-testid=verdict]').innerText(), /refused/);
    assert.match(await page.locator('[data-testid=failure]').innerText(), /502 · viewer-request · returns-null · validation-error/);
  });

  test('a 503: the error the function raised', async () => {
    await open(4);
    assert.match(await page.locator('[data-testid=error]').innerText(), /RuntimeError: unreachable/);
    assert.match(await page.locator('[data-testid=logs]').innerText(), /^REPORT RequestId: /m);
  });

  test('replay runs the request again and the new entry appears; copy as curl gives the command', async () => {
    await open(1);
    await page.locator('[data-testid=replay]').click();
    await page.locator('[data-testid=note]', { hasText: 'replayed as #5: 200 Hit from cloudfront' }).waitFor();
    await row(5).waitFor();
    assert.match(await row(5).innerText(), /↻1/);
    await page.locator('[data-testid=curl]').click();
    const curl = await page.locator('[data-testid=curl-text]').innerText();
    assert.match(curl, /^curl -i 'http:\/\/127\.0\.0\.1:\d+\/'$/);
    await page.locator('[data-testid=invalidate]').click();
    await page.locator('[data-testid=note]', { hasText: 'invalidated /, /index.html: 1 object(s)' }).waitFor();
    assert.equal(await get('/'), 200);
    await row(6).waitFor();
    assert.match(await row(6).innerText(), /Miss/);
  });

  test('filters: status class, behavior, function, text', async () => {
    await page.locator('[data-testid=filter-status]').selectOption('s5xx');
    assert.deepEqual(await rows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id'))), ['4', '3']);
    await page.locator('[data-testid=filter-status]').selectOption('');
    await page.locator('[data-testid=filter-behavior]').selectOption('/trap/*');
    assert.deepEqual(await rows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id'))), ['4']);
    await page.locator('[data-testid=filter-behavior]').selectOption('');
    await page.locator('[data-testid=filter-function]').selectOption('add-headers');
    assert.deepEqual(await rows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id'))), ['6', '1']);
    await page.locator('[data-testid=filter-function]').selectOption('');
    await page.locator('[data-testid=filter-text]').fill('null');
    assert.deepEqual(await rows().evaluateAll((rs) => rs.map((r) => r.getAttribute('data-id'))), ['3']);
    await page.locator('[data-testid=filter-text]').fill('');
    assert.equal(await rows().count(), 6);
  });

  test('HTML and script in a URI and a header are shown as text, never run', async () => {
    await get(HOSTILE_PATH, { 'X-Evil': HOSTILE_HEADER });
    await row(7).waitFor();
    assert.equal(await row(7).locator('td.uri').innerText(), HOSTILE_PATH);
    await open(7);
    assert.match(await page.locator('[data-testid=request-headers]').innerText(), new RegExp(HOSTILE_HEADER.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
    assert.match((await page.locator('[data-testid=event]').textContent()) ?? '', /onerror=window\.__pwned=1/);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('main img, main svg, main script, main b').count(), 0, 'no element was made from request text');
  });

  test('the functions tab: invocations, errors, cold starts, percentiles, memory', async () => {
    await page.locator('[data-testid=tab-functions]').click();
    await eventually(async () => {
      const addHeaders = await page.locator('[data-testid=stats] tr[data-fn=add-headers]').innerText();
      // The two misses and the hostile request (origin-response runs on each).
      assert.match(addHeaders, /add-headers\s+origin-response\s+3\s+0\s+0\s+1\s+[\d.]+ ms\s+[\d.]+ ms\s+\d+ \/ 128 MB/);
    });
    const trap = await page.locator('[data-testid=stats] tr[data-fn=trap]').innerText();
    assert.match(trap, /trap\s+\S+\s+1\s+1\s+0\s+1/);
    assert.match(await page.locator('[data-testid=stats] tr[data-fn=returns-null]').innerText(), /returns-null\s+\S+\s+1\s+0\s+1\s+1/);
    await page.locator('button', { hasText: 'Requests' }).click();
  });

  test('a page on another origin cannot read the API or replay (CSRF), in the real browser', async () => {
    // Counted as replays of request 1, not as a total: a late request of an earlier test is no replay.
    const replaysOfFirst = () => emulator.inspector!.records({ limit: 1000 }).filter((r) => r.replayOf === 1).length;
    const before = replaysOfFirst();
    const target = `${base}/_lambda-wasm/api`;
    // The attacker's page: another origin on this machine (another port), posting a form, a no-cors
    // fetch, and trying to read the records.
    const attacker = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<!doctype html><form id=f method=POST action="${target}/requests/1/replay" enctype="text/plain"><input name=x value=y></form>
<script>
window.results = {};
fetch('${target}/requests/1/replay', { method: 'POST', mode: 'no-cors', body: '{}' }).then(() => (window.results.post = 'sent'), (e) => (window.results.post = String(e)));
fetch('${target}/requests').then((r) => r.text()).then((t) => (window.results.read = t), (e) => (window.results.read = 'blocked: ' + e));
</script>`);
    });
    await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
    const evil = await browser.newPage();
    try {
      await evil.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`);
      await evil.waitForFunction(() => {
        const r = (window as unknown as { results: Record<string, string> }).results;
        return r.post !== undefined && r.read !== undefined;
      });
      const results = await evil.evaluate(() => (window as unknown as { results: Record<string, string> }).results);
      assert.match(results.read!, /^blocked: TypeError: Failed to fetch/);
      const formAnswer = evil.waitForResponse((r) => r.url().endsWith('/replay'));
      await evil.evaluate(() => (document.getElementById('f') as HTMLFormElement).submit());
      assert.equal((await formAnswer).status(), 403);
    } finally {
      await evil.close();
      await new Promise((r) => attacker.close(r));
    }
    assert.equal(replaysOfFirst(), before, 'nothing was replayed');
  });

  test('the screenshot for the README (written with UPDATE_SCREENSHOT=1)', { skip: process.env.UPDATE_SCREENSHOT !== '1' }, async () => {
    await open(1);
    mkdirSync(join(repoRoot, 'docs', 'images'), { recursive: true });
    await page.screenshot({ path: join(repoRoot, 'docs', 'images', 'inspector.png') });
  });
});
