// Hostile guests against the local Lambda platform, in both kinds of environment: cold starts that
// never end, a guest that keeps growing its memory after its timeout, memory hogs and modules that
// declare more memory than they use, oversized responses, and more invocations than the
// concurrency. Each environment must end for certain: the test looks for child processes and for
// threads of this process still burning CPU.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { adapterPath } from '../../src/build/package-root.js';
import { FunctionRunner, type FunctionSpec, type InvocationRecord } from '../../src/lambda/index.js';
import { capMemory } from '../../src/lambda/memory-limit.js';
import { repoRoot } from '../helpers/paths.js';
import { compileWat } from '../helpers/wat.js';
import { runtimePids as childPids, spinningThreads } from '../helpers/processes.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-hostile-'));
const runners: FunctionRunner[] = [];
after(async () => {
  await Promise.all(runners.map((r) => r.dispose()));
  rmSync(root, { recursive: true, force: true });
});

let dirs = 0;
/** A package as `build` makes it: the ABI adapter as index.mjs beside the guest. */
function wasmPackage(wat: string): string {
  const dir = join(root, `${wat}-${dirs++}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(adapterPath('abi'), join(dir, 'index.mjs'));
  copyFileSync(compileWat(wat), join(dir, 'guest.wasm'));
  return dir;
}

function jsPackage(source: string): string {
  const dir = join(root, `js-${dirs++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), source);
  return dir;
}

function runner(codeDir: string, spec: Partial<FunctionSpec>, options: ConstructorParameters<typeof FunctionRunner>[1] = {}): FunctionRunner {
  const r = new FunctionRunner({ name: 'hostile', codeDir, memorySize: 128, timeout: 1, ...spec }, { maxEnvironments: 4, ...options });
  runners.push(r);
  return r;
}

const kinds: Array<[string, Partial<FunctionSpec>]> = [
  ['process environment', { isolation: 'process' }],
  ['worker-thread environment', { isolation: 'thread' }],
];

const lineKinds = (r: InvocationRecord) => r.logs.map((l) => /^(INIT_REPORT|START|END|REPORT)\b.*?(Phase: \w+)?\t?(Status: \w+)?$/.exec(l)?.slice(1).filter(Boolean).join(' ') ?? (/Task timed out after 1\.00 seconds/.test(l) ? 'timed out' : 'other'));

for (const [kind, spec] of kinds) {
  describe(kind, () => {
    for (const wat of ['init-loop', 'start-loop']) {
      test(`a cold start that never ends (${wat}): init deadline, one retry under the timeout, then a timeout; nothing left running`, { timeout: 60_000 }, async () => {
        const before = childPids();
        const r = runner(wasmPackage(wat), spec, { initTimeoutMs: 1000 });
        const rec = await r.invoke({});
        assert.equal(rec.ok, false);
        assert.equal(rec.timedOut, true);
        assert.equal(rec.error?.errorType, 'Sandbox.Timedout');
        assert.deepEqual(lineKinds(rec), ['INIT_REPORT Phase: init Status: timeout', 'START', 'INIT_REPORT Phase: invoke Status: timeout', 'timed out', 'END', 'REPORT'], rec.logs.join('\n'));
        await r.settled();
        assert.deepEqual(r.stats(), { environments: 0, busy: 0, idle: 0, starting: 0, ending: 0 });
        assert.deepEqual(childPids().filter((p) => !before.includes(p)), []);
        assert.deepEqual(await spinningThreads(), []);
      });
    }

    test('a guest that keeps calling memory.grow is stopped at its timeout and its environment really ends', { timeout: 60_000 }, async () => {
      const before = childPids();
      const r = runner(wasmPackage('grow-forever'), spec);
      const rec = await r.invoke({});
      assert.equal(rec.ok, false);
      await r.settled();
      assert.deepEqual(childPids().filter((p) => !before.includes(p)), []);
      assert.deepEqual(await spinningThreads(), [], 'no thread still growing memory');
    });

    test('a declared 1 GiB memory it never touches is neither counted as used nor a reason to start cold again', { timeout: 60_000 }, async () => {
      const r = runner(wasmPackage('huge-initial'), { ...spec, timeout: 20 });
      const first = await r.invoke({});
      const second = await r.invoke({});
      assert.equal(first.ok, true, JSON.stringify(first.error));
      assert.equal(second.ok, true, JSON.stringify(second.error));
      assert.equal(second.coldStart, false);
      assert.ok(second.maxMemoryUsedMB < 128, `Max Memory Used ${second.maxMemoryUsedMB} MB`);
    });

    test('a 7 MB response is Function.ResponseSizeTooLarge, as Lambda answers over 6 MB', { timeout: 60_000 }, async () => {
      const r = runner(jsPackage(`export const handler = async () => 'x'.repeat(7 * 1024 * 1024);`), { ...spec, timeout: 20 });
      const rec = await r.invoke({});
      assert.equal(rec.ok, false);
      assert.equal(rec.error?.errorType, 'Function.ResponseSizeTooLarge');
      assert.match(rec.error!.errorMessage, /^Response payload size \(7340034 bytes\) exceeded maximum allowed payload size \(6291556 bytes\)\.$/);
      const fits = runner(jsPackage(`export const handler = async () => 'x'.repeat(6 * 1024 * 1024 - 2);`), { ...spec, timeout: 20 });
      assert.equal((await fits.invoke({})).ok, true);
    });

    test('beyond the concurrency, invocations are throttled at once; the others each get an environment', { timeout: 60_000 }, async () => {
      const r = runner(wasmPackage('loop'), spec, { maxEnvironments: 3 });
      const records = await Promise.all(Array.from({ length: 5 }, () => r.invoke({})));
      const throttled = records.filter((x) => x.throttled === true);
      assert.equal(throttled.length, 2);
      for (const t of throttled) {
        assert.deepEqual(t.error, { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' });
        assert.deepEqual(t.logs, []);
      }
      assert.equal(records.filter((x) => x.timedOut).length, 3, 'three ran, side by side, each to its own timeout');
      await r.settled();
    });
  });
}

for (const [kind, spec] of kinds) {
  test(`${kind}: the memory size bounds a memory hog (Runtime.OutOfMemory), and Max Memory Used says how much it held`, { timeout: 60_000 }, async () => {
    const rec = await runner(wasmPackage('grow-until-refused'), { ...spec, timeout: 10 }).invoke({});
    assert.equal(rec.ok, false, JSON.stringify(rec.result));
    assert.equal(rec.error?.errorType, 'Runtime.OutOfMemory');
    assert.ok(rec.maxMemoryUsedMB > 128 && rec.maxMemoryUsedMB < 256, `Max Memory Used ${rec.maxMemoryUsedMB} MB: over 128, and not the 256 MiB the module may grow to`);
  });
}

test('capMemory lowers the maximum, keeps the initial size, and leaves other modules alone', async () => {
  const capped = new WebAssembly.Module(capMemory(readFileSync(compileWat('grow-until-refused')), 8));
  const { exports } = new WebAssembly.Instance(capped, { lambda_wasm: { output: () => undefined } });
  const memory = exports.memory as WebAssembly.Memory;
  assert.equal(memory.grow(127), 1);
  assert.throws(() => memory.grow(1), RangeError, '8 MB = 128 pages, no more');
  const huge = new WebAssembly.Module(capMemory(readFileSync(compileWat('huge-initial')), 128));
  const big = new WebAssembly.Instance(huge, { lambda_wasm: { output: () => undefined } }).exports.memory as WebAssembly.Memory;
  assert.equal(big.buffer.byteLength, 1024 * 1024 * 1024, 'an initial size over the cap is kept: untouched memory costs nothing');
  assert.throws(() => big.grow(1), RangeError);
  const garbage = new Uint8Array([1, 2, 3]);
  assert.equal(capMemory(garbage, 128), garbage);
});

test('an event nested too deeply to serialise is a clear E_EVENT_INVALID, not a stack overflow', { timeout: 30_000 }, async () => {
  const r = runner(wasmPackage('echo'), { isolation: 'thread', timeout: 20 });
  let deep: unknown = 1;
  for (let i = 0; i < 200_000; i++) deep = [deep];
  await assert.rejects(r.invoke(deep), (e: Error & { code?: string }) => e.code === 'E_EVENT_INVALID' && /cannot be serialised to JSON/.test(e.message));
});

test('an environment process dies with the platform, even when the platform is killed (SIGKILL) during a cold start', { timeout: 60_000 }, async () => {
  const dir = wasmPackage('init-loop');
  const script = join(root, 'platform.mts');
  writeFileSync(
    script,
    `import { FunctionRunner } from ${JSON.stringify(join(repoRoot, 'src', 'lambda', 'index.ts'))};
const r = new FunctionRunner({ name: 'orphan', codeDir: ${JSON.stringify(dir)}, memorySize: 128, timeout: 30, isolation: 'process' });
void r.invoke({});
setInterval(() => {}, 1000);
`,
  );
  const platform = spawn(process.execPath, ['--import', 'tsx', script], { cwd: repoRoot, stdio: 'ignore' });
  let runtimes: number[] = [];
  for (let i = 0; i < 200 && runtimes.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    runtimes = childPids(platform.pid!);
  }
  assert.equal(runtimes.length, 1, 'the environment process started');
  platform.kill('SIGKILL');
  await new Promise((r) => platform.once('exit', r));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 50 && alive(runtimes[0]!); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(runtimes[0]!), false, `environment ${runtimes[0]} outlived the platform`);
});
