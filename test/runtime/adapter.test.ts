// The bundled adapter itself (what `index.mjs` in every zip is): compile at import, handle, and
// refuse a wrong guest at cold start.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { ADAPTER_ENTRIES, bundleAdapter } from '../../scripts/adapter-bundle.mjs';
import { findNodeBinary } from '../../src/lambda/index.js';
import { compileWat, compileWatText, watPath } from '../helpers/wat.js';

const run = promisify(execFile);

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-adapter-'));
const adapter = join(root, 'adapter.mjs');
before(async () => void (await bundleAdapter(ADAPTER_ENTRIES['adapter.mjs'], adapter)));
after(() => rmSync(root, { recursive: true, force: true }));

/** A package folder like the zip's: index.mjs + guest.wasm. */
function packageWith(guest: string, wasm = compileWat(guest)): string {
  const dir = join(root, guest);
  mkdirSync(dir, { recursive: true });
  copyFileSync(adapter, join(dir, 'index.mjs'));
  copyFileSync(wasm, join(dir, 'guest.wasm'));
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

// V8 can defer validating a function body to its first call (--wasm-lazy-validation, reachable only
// through node:v8's setFlagsFromString); the adapter does not (docs/cold-start.md says why), so a
// body that is invalid fails the cold start even when no event would ever call it.
test('a guest with an invalid function body, even one never called, fails the cold start with the reason', { timeout: 30_000 }, async () => {
  const echo = readFileSync(watPath('echo'), 'utf8');
  const broken = echo.replace(/\)\s*$/, '\n  (func $never_called (result i32) i64.const 1))\n');
  assert.notEqual(broken, echo);
  await assert.rejects(
    import(packageWith('invalid-unused-function', compileWatText(broken, { validate: false }))),
    (e: Error) => e.name === 'WasmInitError' && /not a valid WebAssembly module/.test(e.message) && /expected i32, got i64/.test(e.message),
  );
});

test('a guest built for another ABI version fails the cold start with what to rebuild', async () => {
  await assert.rejects(import(packageWith('wrong-version')), (e: Error) => e.name === 'WasmInitError' && /rebuild the guest/.test(e.message));
});

// The adapter's cold start must not load Node modules a one-line JavaScript handler does not: each
// costs its cold start on Lambda (perf_hooks, which the `performance` global loads, was 0.8–1 ms;
// Web Crypto, which `crypto.getRandomValues` loads, 2.6–6 ms; `node:v8` pulls in Node's streams,
// ~1.5 ms). Only import.meta's set-up is allowed (for guest.wasm's path). Checked in a fresh process
// on every Node at hand, through the import and one invocation, for a guest that asks for random bytes.
const PROBE = `await import(process.argv[2]);
const baseline = new Set(process.moduleLoadList);
const mod = await import(process.argv[3]);
await mod.handler({ hello: 'edge' }, {});
const added = JSON.stringify(process.moduleLoadList.filter((m) => !baseline.has(m)));
process.stdout.write(added);
`;

test('importing the adapter and invoking it loads no Node module that a one-line JavaScript handler does not', { timeout: 60_000 }, async () => {
  const oneLine = join(root, 'one-line.mjs');
  writeFileSync(oneLine, 'export const handler = async (event) => event;\n');
  const probe = join(root, 'probe.mjs');
  writeFileSync(probe, PROBE);
  const nodes = [process.execPath, findNodeBinary(22), findNodeBinary(24)].filter((n): n is string => n !== undefined);
  for (const node of nodes) {
    const { stdout } = await run(node, [probe, pathToFileURL(oneLine).href, packageWith('dice')]);
    const added = JSON.parse(stdout) as string[];
    const extra = added.filter((m) => m !== 'NativeModule internal/modules/esm/initialize_import_meta');
    assert.deepEqual(extra, [], `${node}: the adapter loaded ${extra.join(', ')}`);
  }
});

test('random_fill keeps one /dev/urandom descriptor, and a worker thread that ends leaves none behind', { skip: process.platform !== 'linux' && 'needs /proc/self/fd', timeout: 60_000 }, async () => {
  const entry = packageWith('dice');
  // Descriptors of this process (every thread's) open on /dev/urandom; this thread never calls random_fill.
  const urandomFds = () =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === '/dev/urandom';
      } catch {
        return false;
      }
    }).length;
  const atStart = urandomFds();
  for (let i = 0; i < 8; i++) {
    const worker = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       const fs = require('node:fs');
       const urandoms = () => fs.readdirSync('/proc/self/fd').filter((fd) => { try { return fs.readlinkSync('/proc/self/fd/' + fd) === '/dev/urandom'; } catch { return false; } }).length;
       import(workerData).then(async (m) => { for (let n = 0; n < 3; n++) await m.handler({ n }, {}); parentPort.postMessage(urandoms()); });
       setInterval(() => {}, 1000);`,
      { eval: true, workerData: entry },
    );
    const urandoms = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    assert.equal(urandoms, 1, 'three calls, one descriptor on /dev/urandom in the process');
    await worker.terminate();
  }
  assert.equal(urandomFds(), atStart, 'descriptors on /dev/urandom left open by workers that ended');
});
