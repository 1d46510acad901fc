// The adapter's second kind of guest: a wasm-pack (--target nodejs) package, built and loaded
// through the real bundled adapter.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ADAPTER_ENTRIES, bundleAdapter } from '../../scripts/adapter-bundle.mjs';
import { repoRoot } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-pack-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a wasm-pack package runs through the adapter, and a trap gives a fresh module', async () => {
  cpSync(join(repoRoot, 'fixtures/wasm-pack/pkg'), join(dir, 'pkg'), { recursive: true });
  execFileSync('wat2wasm', [join(repoRoot, 'fixtures/wasm-pack/guest.wat'), '-o', join(dir, 'pkg/guest_bg.wasm')]);
  await bundleAdapter(ADAPTER_ENTRIES['adapter-wasm-pack.mjs'], join(dir, 'index.mjs'));
  const { handler } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as {
    handler: (e: unknown, c: unknown) => Promise<{ calls: number; requestId: string }>;
  };
  assert.deepEqual(await handler({}, { awsRequestId: 'r1' }), { calls: 1, requestId: 'r1' });
  assert.equal((await handler({}, { awsRequestId: 'r2' })).calls, 2, 'module state persists while warm');
  await assert.rejects(handler({ trap: true }, {}), (e: Error) => e.name === 'WasmTrap' && /unreachable/.test(e.message));
  assert.equal((await handler({}, {})).calls, 1, 'a trap replaces the module');
});
