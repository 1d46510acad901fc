// dev --watch: a changed guest is rebuilt and swapped in while requests keep being served; a build
// that fails keeps the old module serving. Editors save in several ways and each must be seen: a
// write in place, a temporary file renamed over the old one (vim, `sed -i`, many IDEs), a delete
// and re-create, and an edit of the config that points the function at a new file.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createEmulator, watchFunctions, type Emulator, type Watcher } from '../../src/emulator/index.js';
import { loadConfig } from '../../src/config/load.js';
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
const guest = () => join(dir, 'guests', 'hello.wasm');

before(async () => {
  const project = await makeProject({ hello: { wasm: answer('version one'), eventType: 'viewer-request' } }, { origins: { site: { folder: 'site' } }, defaultBehavior: { triggers: { 'viewer-request': 'hello' } } });
  dir = project.dir;
  remove = project.remove;
  emulator = createEmulator({ config: project.config, port: 0 });
  base = await emulator.ready;
  watcher = watchFunctions({ config: project.config, functions: project.config.functions, reload: (n) => emulator.reload(n), logger, debounceMs: 100, onRebuilt: (name, ok) => rebuilt.push({ name, ok }) });
  await watcher.ready;
});

after(async () => {
  await watcher?.close();
  await emulator?.close();
  remove?.();
});

/** Waits (generously: the machine may be loaded) until the watcher has rebuilt `count` times in all. */
const waitForRebuild = async (count: number) => {
  for (let i = 0; i < 1200 && rebuilt.length < count; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(rebuilt.length, count, `the watcher rebuilt the function (log: ${JSON.stringify(logger.entries.slice(-5))})`);
  return rebuilt[count - 1]!;
};
const served = async () => (await fetch(`${base}/x`)).text();

test('a changed guest is swapped in while requests keep being answered', { timeout: 120_000 }, async () => {
  assert.equal(await served(), 'version one');
  let stop = false;
  const seen: string[] = [];
  const traffic = (async () => {
    while (!stop) {
      const r = await fetch(`${base}/x`);
      seen.push(`${r.status} ${await r.text()}`);
    }
  })();
  copyFileSync(answer('version two'), guest());
  assert.equal((await waitForRebuild(1)).ok, true);
  await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await traffic;
  assert.ok(seen.length > 0);
  assert.deepEqual(seen.filter((s) => s !== '200 version one' && s !== '200 version two'), [], 'no request failed during the swap');
  assert.equal(await served(), 'version two');
});

test('a failed build keeps the old module serving and says why', { timeout: 120_000 }, async () => {
  writeFileSync(guest(), 'this is not wasm');
  assert.equal((await waitForRebuild(2)).ok, false);
  assert.ok(logger.entries.some((e) => e.level === 'error' && /hello: the build failed; the previous module keeps serving/.test(e.message) && /not a valid WebAssembly module/.test(e.message)), JSON.stringify(logger.entries));
  assert.equal(await served(), 'version two');
});

test('a save by rename (a temporary file renamed over the guest, as vim and sed -i do) is served, twice over', { timeout: 120_000 }, async () => {
  // Twice: Node's recursive fs.watch on Linux went deaf after the first rename.
  for (const [i, text] of [['3', 'version three'], ['4', 'version four']] as const) {
    const temp = join(dir, 'guests', `.hello.wasm.swp${i}`);
    writeFileSync(temp, readFileSync(answer(text)));
    renameSync(temp, guest());
    const count = rebuilt.length + 1;
    assert.equal((await waitForRebuild(count)).ok, true);
    assert.equal(await served(), text);
  }
});

test('a guest deleted and then created again is served', { timeout: 120_000 }, async () => {
  rmSync(guest());
  // The delete alone is a change too: the build fails (no file) and the old module keeps serving.
  const afterDelete = await waitForRebuild(rebuilt.length + 1);
  assert.equal(afterDelete.ok, false);
  assert.equal(await served(), 'version four');
  copyFileSync(answer('version five'), guest());
  assert.equal((await waitForRebuild(rebuilt.length + 1)).ok, true);
  assert.equal(await served(), 'version five');
});

test('a config edit that points the function at a new file is served, and that new file is watched from then on', { timeout: 120_000 }, async () => {
  mkdirSync(join(dir, 'guests', 'v2'), { recursive: true });
  copyFileSync(answer('version six'), join(dir, 'guests', 'v2', 'hello.wasm'));
  const file = join(dir, 'lambda-wasm.config.json');
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  raw.functions.hello.wasm = 'guests/v2/hello.wasm';
  // Saved by rename, as editors do.
  writeFileSync(`${file}.tmp`, JSON.stringify(raw, null, 2));
  renameSync(`${file}.tmp`, file);
  assert.equal((await waitForRebuild(rebuilt.length + 1)).ok, true);
  assert.equal(await served(), 'version six');
  assert.ok(logger.entries.some((e) => /the config changed for hello/.test(e.message)));
  assert.equal(loadConfig({ configFile: file }).functions[0]!.source.path, join(dir, 'guests', 'v2', 'hello.wasm'));
  copyFileSync(answer('version seven'), join(dir, 'guests', 'v2', 'hello.wasm'));
  assert.equal((await waitForRebuild(rebuilt.length + 1)).ok, true);
  assert.equal(await served(), 'version seven');
});

test('a config that does not parse keeps the previous one and says why', { timeout: 120_000 }, async () => {
  const file = join(dir, 'lambda-wasm.config.json');
  const good = readFileSync(file, 'utf8');
  writeFileSync(file, '{ "functions": ');
  for (let i = 0; i < 1200 && !logger.entries.some((e) => e.level === 'error' && /cannot be used; the previous config stays in service/.test(e.message)); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(logger.entries.some((e) => e.level === 'error' && /cannot be used; the previous config stays in service/.test(e.message)), JSON.stringify(logger.entries.slice(-3)));
  assert.equal(await served(), 'version seven');
  writeFileSync(file, good);
});
