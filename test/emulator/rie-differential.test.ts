// Differential: each example's zip run by AWS's runtime interface emulator under AWS's runtime
// interface client (Node 22) gives the same answers and error shapes, for the same events, as the
// local CloudFront's Invoke API.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { buildViewerRequestEvent } from '../../src/events/index.js';
import { extractZip } from '../../src/lambda/extract.js';
import { readEventFile } from '../../src/invoke/event-input.js';
import { repoRoot } from '../helpers/paths.js';
import { ensureRie, startRie } from '../helpers/rie.js';

const config = loadConfig({ cwd: repoRoot });
let emulator: Emulator;
let base: string;

before(async () => {
  ensureRie();
  emulator = createEmulator({ config: { ...config, distribution: undefined }, port: 0 });
  base = await emulator.ready;
});
after(async () => emulator?.close());

const fixture = (name: string) => readEventFile(join(repoRoot, 'fixtures', 'events', name));
const cases: Record<string, unknown[]> = {
  passthrough: [fixture('viewer-request.json'), fixture('viewer-request-body.json')],
  redirect: [fixture('viewer-request-old-path.json'), buildViewerRequestEvent({ uri: '/docs/' })],
  'security-headers': [fixture('origin-response.json'), fixture('origin-response-404.json')],
  'basic-auth': [fixture('viewer-request-basic-auth.json'), buildViewerRequestEvent({ uri: '/private/', headers: [['Authorization', 'Basic bm9wZTpub3Bl']] })],
  pi: [{ digits: 30 }, fixture('function-url.json'), { digits: -1 }, { digits: 'many' }],
};

describe('the local Invoke API agrees with AWS\'s runtime interface emulator', () => {
  for (const [name, events] of Object.entries(cases)) {
    test(name, { timeout: 120_000 }, async () => {
      const fn = config.functions.find((f) => f.name === name)!;
      const rie = await startRie(extractZip(join(config.outDir, `${name}.zip`), join(repoRoot, '.cache', 'rie', name)), fn.timeout, fn.memorySize);
      try {
        for (const event of events) {
          const theirs = await rie.invoke(event);
          const r = await fetch(`${base}/2015-03-31/functions/${name}/invocations`, { method: 'POST', body: JSON.stringify(event) });
          const ours = { status: r.status, body: JSON.parse(await r.text()) as Record<string, unknown> };
          assert.equal(ours.status, theirs.status);
          const theirBody = theirs.body as Record<string, unknown>;
          if (r.headers.get('x-amz-function-error') !== null) {
            assert.equal(ours.body.errorType, theirBody.errorType, JSON.stringify(event));
            assert.equal(ours.body.errorMessage, theirBody.errorMessage, JSON.stringify(event));
            assert.ok(Array.isArray(ours.body.trace) && Array.isArray(theirBody.trace));
          } else {
            assert.deepEqual(ours.body, theirBody, JSON.stringify(event));
          }
        }
      } finally {
        await rie.stop();
      }
    });
  }
});
