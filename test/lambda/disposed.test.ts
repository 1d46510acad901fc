// Once closed, the things that start execution environments say so instead of quietly starting
// new ones: a FunctionRunner, the FunctionPool behind `dev` and the Invoke API, and the emulator's
// in-process dispatch() all throw an EdgeError with code E_DISPOSED, and nothing is left running.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createEmulator } from '../../src/emulator/index.js';
import { isEdgeError } from '../../src/errors.js';
import { FunctionPool } from '../../src/lambda-api/function-pool.js';
import { FunctionRunner } from '../../src/lambda/index.js';
import { makeProject } from '../helpers/project.js';
import { compileWatText, constantGuestWat } from '../helpers/wat.js';

const isDisposed = (e: unknown) => isEdgeError(e) && e.code === 'E_DISPOSED' && /closed/.test(e.message);

let project: Awaited<ReturnType<typeof makeProject>>;
const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-disposed-'));
before(async () => {
  project = await makeProject({ hello: { wasm: compileWatText(constantGuestWat('{"statusCode":200,"body":"hi"}')), eventType: 'lambda' } }, undefined);
});
after(() => {
  project.remove();
  rmSync(root, { recursive: true, force: true });
});

test('a disposed FunctionRunner refuses an invocation with E_DISPOSED and starts no environment', { timeout: 30_000 }, async () => {
  const codeDir = join(root, 'handler');
  mkdirSync(codeDir, { recursive: true });
  writeFileSync(join(codeDir, 'index.mjs'), 'export const handler = async () => "ok";');
  const runner = new FunctionRunner({ name: 'after-close', codeDir, memorySize: 128, timeout: 3, isolation: 'thread' }, { maxEnvironments: 1 });
  assert.equal((await runner.invoke({})).result, 'ok');
  await runner.dispose();
  await assert.rejects(runner.invoke({}), isDisposed);
  assert.deepEqual(runner.stats(), { environments: 0, busy: 0, idle: 0, starting: 0, ending: 0 });
});

test('a disposed FunctionPool refuses invoke, reload and prepare, and starts no runner', { timeout: 30_000 }, async () => {
  const pool = new FunctionPool(project.config, { isolation: 'thread', maxEnvironments: 1 });
  const fn = project.config.functions[0]!;
  const first = await pool.invoke(fn, {});
  assert.equal(first.ok, true, JSON.stringify(first.error));
  assert.equal(pool.stats('hello')?.environments, 1);
  await pool.dispose();
  await assert.rejects(pool.invoke(fn, {}), isDisposed);
  assert.throws(() => pool.reload(fn), isDisposed);
  assert.throws(() => pool.prepare([fn]), isDisposed);
  assert.equal(pool.stats('hello'), undefined, 'no runner was started after dispose()');
});

test('a closed emulator refuses dispatch() and reload() with E_DISPOSED', { timeout: 30_000 }, async () => {
  const emulator = createEmulator({ config: project.config, port: 0, inspector: false });
  await emulator.ready;
  await emulator.close();
  await assert.rejects(emulator.dispatch({ url: '/' }), isDisposed);
  assert.throws(() => emulator.reload('hello'), isDisposed);
  assert.equal(emulator.pool.stats('hello'), undefined);
});
