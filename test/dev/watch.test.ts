// dev --watch: a changed guest is rebuilt and swapped in while requests keep being served; a build
// that fails keeps the old module serving. Editors save in several ways and each must be seen: a
// write in place, a temporary file renamed over the old one (vim, `sed -i`, many IDEs), a delete
// and re-create, and an edit of the config that points the function at a new file.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { watchFunctions, type Watcher } from '../../src/dev/watch.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { DEFAULT_PROJECT_CLOUDFRONT, loadConfig } from '../../src/config/load.js';
import { TestLogger } from '../../src/logger.js';
import { makeProject } from '../helpers/project.js';
import { repoRoot } from '../helpers/paths.js';
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

/** Polls (generously: the machine may be loaded) until `check` holds; rebuild counts are not relied on, as editors may fire twice. */
const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  for (let i = 0; i < 600; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what} (last log: ${JSON.stringify(logger.entries.slice(-4))})`);
};
const served = async () => (await fetch(`${base}/x`)).text();
const servedEventually = (text: string) => until(async () => (await served()) === text, `"${text}" was never served`);
const failedBuilds = () => logger.entries.filter((e) => e.level === 'error' && /hello: the build failed; the previous module keeps serving/.test(e.message)).length;

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
  await until(() => rebuilt.some((r) => r.ok), 'the watcher rebuilt the function');
  await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await traffic;
  assert.ok(seen.length > 0);
  assert.deepEqual(seen.filter((s) => s !== '200 version one' && s !== '200 version two'), [], 'no request failed during the swap');
  assert.equal(await served(), 'version two');
});

test('a failed build keeps the old module serving and says why', { timeout: 120_000 }, async () => {
  writeFileSync(guest(), 'this is not wasm');
  await until(() => failedBuilds() > 0, 'the failed build was reported');
  assert.ok(logger.entries.some((e) => e.level === 'error' && /not a valid WebAssembly module/.test(e.message)), JSON.stringify(logger.entries));
  assert.equal(await served(), 'version two');
});

test('a save by rename (a temporary file renamed over the guest, as vim and sed -i do) is served, twice over', { timeout: 120_000 }, async () => {
  // Twice: Node's recursive fs.watch on Linux went deaf after the first rename.
  for (const [i, text] of [['3', 'version three'], ['4', 'version four']] as const) {
    const temp = join(dir, 'guests', `.hello.wasm.swp${i}`);
    writeFileSync(temp, readFileSync(answer(text)));
    renameSync(temp, guest());
    await servedEventually(text);
  }
});

test('a guest deleted and then created again is served', { timeout: 120_000 }, async () => {
  const failedBefore = failedBuilds();
  rmSync(guest());
  // The delete alone is a change too: the build fails (no file) and the old module keeps serving.
  await until(() => failedBuilds() > failedBefore, 'the delete was seen');
  assert.equal(await served(), 'version four');
  copyFileSync(answer('version five'), guest());
  await servedEventually('version five');
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
  await servedEventually('version six');
  assert.ok(logger.entries.some((e) => /the config changed for hello/.test(e.message)));
  assert.equal(loadConfig({ configFile: file }).functions[0]!.source.path, join(dir, 'guests', 'v2', 'hello.wasm'));
  copyFileSync(answer('version seven'), join(dir, 'guests', 'v2', 'hello.wasm'));
  await servedEventually('version seven');
});

test('a config that does not parse keeps the previous one and says why', { timeout: 120_000 }, async () => {
  const file = join(dir, 'lambda-wasm.config.json');
  const good = readFileSync(file, 'utf8');
  writeFileSync(file, '{ "functions": ');
  await until(() => logger.entries.some((e) => e.level === 'error' && /cannot be used; the previous config stays in service/.test(e.message)), 'the broken config was reported');
  assert.equal(await served(), 'version seven');
  writeFileSync(file, good);
});

test('a crate: a new file in src/, a rename-save, src/ deleted and re-created, and a Cargo.toml edit each start a rebuild', { timeout: 180_000 }, async () => {
  // Only what the watcher sees is tested here (a crate that builds would take minutes to compile):
  // the manifest is broken on purpose, so every rebuild fails fast and is counted.
  const root = join(dir, 'crate-project');
  const crate = join(root, 'guest');
  mkdirSync(join(crate, 'src'), { recursive: true });
  writeFileSync(join(crate, 'Cargo.toml'), 'this is not a manifest');
  writeFileSync(join(crate, 'src', 'lib.rs'), '// v1\n');
  const attempts: string[] = [];
  const crateLogger = new TestLogger();
  const fn = { name: 'guest', kind: 'viewer-request' as const, source: { kind: 'crate' as const, path: crate }, memorySize: 128, timeout: 5, includeBody: false, fixture: undefined, buildEnv: {} };
  const config = { root, file: undefined, outDir: join(root, 'dist'), functions: [fn], cloudfront: DEFAULT_PROJECT_CLOUDFRONT, distribution: undefined, deploy: undefined };
  const w = watchFunctions({ config, functions: [fn], reload: () => true, logger: crateLogger, debounceMs: 100, onRebuilt: (name) => attempts.push(name) });
  await w.ready;
  /** Makes a change and waits for a rebuild attempt after it; how many attempts one change makes is not relied on. */
  const seen = async (what: string, change: () => void) => {
    await new Promise((r) => setTimeout(r, 400)); // let attempts from the previous change settle
    const before = attempts.length;
    change();
    for (let i = 0; i < 600 && attempts.length === before; i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(attempts.length > before, `${what} was seen (${JSON.stringify(crateLogger.entries.slice(-3))})`);
  };
  try {
    await seen('a new file in src/', () => writeFileSync(join(crate, 'src', 'new_module.rs'), 'pub fn f() {}\n'));
    await seen('a save by rename', () => {
      writeFileSync(join(crate, 'src', '.lib.rs.tmp'), '// v2\n');
      renameSync(join(crate, 'src', '.lib.rs.tmp'), join(crate, 'src', 'lib.rs'));
    });
    await seen('src/ deleted', () => rmSync(join(crate, 'src'), { recursive: true }));
    await seen('src/ created again', () => {
      mkdirSync(join(crate, 'src'));
      writeFileSync(join(crate, 'src', 'lib.rs'), '// v3\n');
    });
    await seen('a Cargo.toml edit', () => writeFileSync(join(crate, 'Cargo.toml'), 'still not a manifest'));
    await new Promise((r) => setTimeout(r, 1500));
    const settled = attempts.length;
    writeFileSync(join(crate, 'README.md'), 'not a source');
    mkdirSync(join(crate, 'target'), { recursive: true });
    writeFileSync(join(crate, 'target', 'artifact'), 'x');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(attempts.length, settled, 'files outside src/ and the manifest start no rebuild');
  } finally {
    await w.close();
  }
});

test('lambda-wasm dev --watch (the CLI, real HTTP): a save by rename is served', { timeout: 240_000 }, async () => {
  const project = await makeProject({ hello: { wasm: answer('cli one'), eventType: 'viewer-request' } }, { origins: { site: { folder: 'site' } }, defaultBehavior: { triggers: { 'viewer-request': 'hello' } } });
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'dev', '--watch', '--no-build', '--port', '0', '--quiet'], { cwd: project.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (log += d));
  try {
    for (let i = 0; i < 1200 && !/\ntry:\n[\s\S]*\n\n/.test(log); i++) await new Promise((r) => setTimeout(r, 50));
    const url = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1];
    assert.ok(url !== undefined, log);
    assert.equal(await (await fetch(`${url}/x`)).text(), 'cli one');
    // chokidar is ready once dev has printed its banner and scanned; give it a moment on a loaded machine.
    await new Promise((r) => setTimeout(r, 1000));
    const target = join(project.dir, 'guests', 'hello.wasm');
    writeFileSync(`${target}.swp`, readFileSync(answer('cli two')));
    renameSync(`${target}.swp`, target);
    let text = '';
    for (let i = 0; i < 1200 && text !== 'cli two'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      text = await (await fetch(`${url}/x`)).text();
    }
    assert.equal(text, 'cli two', log);
    assert.match(log, /hello: new module in service/);
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    project.remove();
  }
});
