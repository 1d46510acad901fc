// dev --watch: a changed guest is rebuilt and swapped in while requests keep being served; a build
// that fails keeps the old module serving.
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createEmulator, watchFunctions, type Emulator, type Watcher } from '../../src/emulator/index.js';
import { TestLogger } from '../../src/logger.js';
import { makeProject } from '../helpers/project.js';
import { compileWatText, constantGuestWat } from '../helpers/wat.js';

const answer = (text: string) => compileWatText(constantGuestWat(JSON.stringify({ status: '200', headers: { 'content-type': [{ value: 'text/plain' }] }, body: text })));

let emulator: Emulator;
let watcher: Watcher;
let base: string;
let dir: string;
let remove: () => void;
const logger = new TestLogger();
const rebuilt: Array<{ name: string; ok: boolean }> = [];

before(async () => {
  const project = await makeProject({ hello: { wasm: answer('version one'), eventType: 'viewer-request' } }, { origins: { site: { folder: 'site' } }, defaultBehavior: { triggers: { 'viewer-request': 'hello' } } });
  dir = project.dir;
  remove = project.remove;
  emulator = createEmulator({ config: project.config, port: 0 });
  base = await emulator.ready;
  watcher = watchFunctions({ config: project.config, functions: project.config.functions, reload: (n) => emulator.reload(n), logger, debounceMs: 100, onRebuilt: (name, ok) => rebuilt.push({ name, ok }) });
});

after(async () => {
  watcher?.close();
  await emulator?.close();
  remove?.();
});

const waitForRebuild = async (count: number) => {
  for (let i = 0; i < 200 && rebuilt.length < count; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(rebuilt.length, count, 'the watcher rebuilt the function');
};

test('a changed guest is swapped in while requests keep being answered', async () => {
  assert.equal(await (await fetch(`${base}/x`)).text(), 'version one');
  let stop = false;
  const seen: string[] = [];
  const traffic = (async () => {
    while (!stop) {
      const r = await fetch(`${base}/x`);
      seen.push(`${r.status} ${await r.text()}`);
    }
  })();
  copyFileSync(answer('version two'), join(dir, 'guests', 'hello.wasm'));
  await waitForRebuild(1);
  assert.equal(rebuilt[0]!.ok, true);
  await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await traffic;
  assert.ok(seen.length > 0);
  assert.deepEqual(seen.filter((s) => s !== '200 version one' && s !== '200 version two'), [], 'no request failed during the swap');
  assert.equal(await (await fetch(`${base}/x`)).text(), 'version two');
});

test('a failed build keeps the old module serving and says why', async () => {
  writeFileSync(join(dir, 'guests', 'hello.wasm'), 'this is not wasm');
  await waitForRebuild(2);
  assert.equal(rebuilt[1]!.ok, false);
  assert.ok(logger.entries.some((e) => e.level === 'error' && /hello: the build failed; the previous module keeps serving/.test(e.message) && /not a valid WebAssembly module/.test(e.message)), JSON.stringify(logger.entries));
  assert.equal(await (await fetch(`${base}/x`)).text(), 'version two');
});
