// The new examples' zips, run by the real adapter (`npm test` builds dist/ first): the A/B test
// draws from the host's CSPRNG, signed-url reads the host's clock, and every other example still
// loads without those imports.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { readZip } from '../../src/build/zip.js';
import { loadConfig } from '../../src/config/load.js';
import { buildViewerRequestEvent } from '../../src/events/index.js';
import { invoke } from '../../src/invoke/invoke.js';
import { repoRoot } from '../helpers/paths.js';

const config = loadConfig({ cwd: repoRoot });
const run = (fn: string, event: unknown) => invoke({ config, function: fn, event });

function guestImports(fn: string): string[] {
  const wasm = readZip(readFileSync(join(config.outDir, `${fn}.zip`))).get('guest.wasm')!;
  return WebAssembly.Module.imports(new WebAssembly.Module(wasm)).map((i) => i.name);
}

describe('examples on the host clock and CSPRNG', () => {
  test('ab-test-request puts new visitors in both buckets', { timeout: 120_000 }, async () => {
    assert.ok(guestImports('ab-test-request').includes('random_fill'));
    const buckets = new Set<string>();
    for (let i = 0; i < 24 && buckets.size < 2; i++) {
      const r = await run('ab-test-request', buildViewerRequestEvent({ uri: '/experiment/index.html' }));
      assert.equal(r.verdict, 'ok', JSON.stringify(r.violations ?? r.record.error));
      const request = r.record.result as { uri: string; headers: Record<string, Array<{ value: string }>> };
      const bucket = request.headers['x-ab-new']?.[0]?.value ?? '';
      assert.equal(request.uri, `/experiment/${bucket}/index.html`);
      buckets.add(bucket);
    }
    // 24 fair coin flips on one side: 2 in 2^24.
    assert.deepEqual([...buckets].sort(), ['a', 'b']);
  });

  test('signed-url accepts a link that expires in a minute and refuses one that expired a second ago', { timeout: 120_000 }, async () => {
    assert.ok(guestImports('signed-url').includes('now_ms'));
    const secret = config.functions.find((f) => f.name === 'signed-url')!.buildEnv.SIGNED_URL_SECRET!;
    const link = (expires: number) => {
      const sig = createHmac('sha256', secret).update(`/downloads/a.zip:${expires}`).digest('hex');
      return buildViewerRequestEvent({ uri: '/downloads/a.zip', querystring: `expires=${expires}&sig=${sig}` });
    };
    const now = Math.floor(Date.now() / 1000);
    const fresh = await run('signed-url', link(now + 60));
    assert.equal((fresh.record.result as { querystring: string }).querystring, '');
    const stale = await run('signed-url', link(now - 1));
    assert.equal((stale.record.result as { status: string }).status, '403');
  });

  test('the examples that need neither do not import them', () => {
    for (const fn of ['passthrough', 'redirect', 'security-headers', 'basic-auth', 'geo-redirect', 'image-format']) {
      const names = guestImports(fn);
      assert.ok(!names.includes('now_ms') && !names.includes('random_fill'), `${fn}: ${names.join(', ')}`);
    }
  });
});
