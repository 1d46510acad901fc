// `build` and the adapter check a guest against the same ABI contract (src/runtime/abi-contract.ts):
// a prebuilt module the adapter would refuse at cold start — a WASI import, a missing export, an
// export of the wrong kind — is refused by `build`, with the reason and a hint, and nothing is
// packaged; every hand-written guest in fixtures/wasm/ is refused by both or by neither.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from '../../src/build/build.js';
import { loadConfig } from '../../src/config/load.js';
import { EdgeError } from '../../src/errors.js';
import { checkModule } from '../../src/runtime/abi-host.js';
import { repoRoot } from '../helpers/paths.js';
import { compileWat, watBytes } from '../helpers/wat.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-guest-contract-'));
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify({ functions: { guest: { wasm: 'guest.wasm', eventType: 'origin-request' } } }));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Builds fixtures/wasm/<name>.wat as a prebuilt guest: undefined when packaged, else the refusal. */
async function buildFixture(name: string): Promise<EdgeError | undefined> {
  copyFileSync(compileWat(name), join(dir, 'guest.wasm'));
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  try {
    await build({ config: loadConfig({ cwd: dir }), noOptimize: true });
    return undefined;
  } catch (error) {
    assert.ok(error instanceof EdgeError, String(error));
    return error;
  }
}

test('build refuses a guest importing wasi_snapshot_preview1.fd_write, saying what and how to fix it', { timeout: 60_000 }, async () => {
  const error = await buildFixture('wasi-import');
  assert.ok(error !== undefined, 'a WASI-importing guest was packaged');
  assert.equal(error.code, 'E_COMPILE');
  assert.match(error.message, /^guest: \S*guest\.wasm imports wasi_snapshot_preview1\.fd_write \(function\), which ABI v1 does not provide/);
  assert.match(error.message, /the adapter would refuse it at cold start/);
  assert.match(error.hint ?? '', /wasm32-unknown-unknown/);
  assert.equal(existsSync(join(dir, 'dist', 'guest.zip')), false, 'no zip is written');
});

test('build refuses an export of the wrong kind as the adapter does', { timeout: 60_000 }, async () => {
  const error = await buildFixture('memory-function');
  assert.equal(error?.code, 'E_COMPILE');
  assert.match(error.message, /exports memory as a function: "memory" must be a memory/);
});

test('every fixture guest is refused by build exactly when the adapter refuses its module', { timeout: 120_000 }, async () => {
  const fixtures = readdirSync(join(repoRoot, 'fixtures', 'wasm')).filter((f) => f.endsWith('.wat')).map((f) => f.slice(0, -4));
  assert.ok(fixtures.length >= 20, `${fixtures.length} fixtures`);
  const disagreements: string[] = [];
  for (const name of fixtures) {
    let adapterRefuses = false;
    try {
      checkModule(new WebAssembly.Module(watBytes(name)));
    } catch {
      adapterRefuses = true;
    }
    const buildRefuses = (await buildFixture(name)) !== undefined;
    if (adapterRefuses !== buildRefuses) disagreements.push(`${name}: adapter ${adapterRefuses ? 'refuses' : 'accepts'}, build ${buildRefuses ? 'refuses' : 'accepts'}`);
  }
  assert.deepEqual(disagreements, []);
});
