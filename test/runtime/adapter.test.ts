// The bundled adapter itself (what `index.mjs` in every zip is): compile at import, handle, and
// refuse a wrong guest at cold start.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ADAPTER_ENTRIES, bundleAdapter } from '../../scripts/adapter-bundle.mjs';
import { compileWat } from '../helpers/wat.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-adapter-'));
const adapter = join(root, 'adapter.mjs');
before(async () => void (await bundleAdapter(ADAPTER_ENTRIES['adapter.mjs'], adapter)));
after(() => rmSync(root, { recursive: true, force: true }));

/** A package folder like the zip's: index.mjs + guest.wasm. */
function packageWith(guest: string): string {
  const dir = join(root, guest);
  mkdirSync(dir, { recursive: true });
  copyFileSync(adapter, join(dir, 'index.mjs'));
  copyFileSync(compileWat(guest), join(dir, 'guest.wasm'));
  return pathToFileURL(join(dir, 'index.mjs')).href;
}

test('index.mjs compiles guest.wasm at import and exports handler(event, context)', async () => {
  const mod = (await import(packageWith('echo'))) as {
    handler: (e: unknown, c: unknown) => Promise<unknown>;
    initTimings: Record<string, number>;
  };
  assert.deepEqual(await mod.handler({ hello: 'edge' }, {}), { hello: 'edge' });
  for (const key of ['readMs', 'compileMs', 'instantiateMs', 'guestInitMs']) {
    assert.ok(typeof mod.initTimings[key] === 'number' && mod.initTimings[key]! >= 0, key);
  }
});

test('a guest built for another ABI version fails the cold start with what to rebuild', async () => {
  await assert.rejects(import(packageWith('wrong-version')), (e: Error) => e.name === 'WasmInitError' && /rebuild the guest/.test(e.message));
});
