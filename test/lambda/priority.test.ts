// A guest that spins yields the CPU (src/lambda/priority.ts): past INVOKE_CPU_MS of CPU in one
// invocation, or INIT_CPU_MS in an init, its thread (a worker thread) or its runtime's main thread
// (a process) gets nice 19; a short invocation and a healthy cold start keep the environment's own
// priority (ENVIRONMENT_NICE_OFFSET below the platform's); a reused environment gets it back where the OS lets a priority be raised (CAP_SYS_NICE),
// and otherwise keeps serving at the lowest. The guest reads its own nice value and CPU time from
// /proc/thread-self, so the test sees what the kernel sees. Linux only.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { FunctionRunner, type FunctionSpec } from '../../src/lambda/index.js';
import { ENVIRONMENT_NICE_OFFSET, INIT_CPU_MS, INVOKE_CPU_MS, LOWEST_PRIORITY, environmentPriority } from '../../src/lambda/priority.js';

const linux = process.platform === 'linux';
const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-priority-'));
const runners: FunctionRunner[] = [];
after(async () => {
  await Promise.all(runners.map((r) => r.dispose()));
  rmSync(root, { recursive: true, force: true });
});

/** Raising a nice value back needs CAP_SYS_NICE (bit 23) or an RLIMIT_NICE that allows it. */
function canRaisePriority(base: number): boolean {
  const capEff = BigInt(`0x${/CapEff:\s*([0-9a-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`);
  const rlimit = Number(/Max nice priority\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? 0);
  return (capEff & (1n << 23n)) !== 0n || rlimit >= 20 - base;
}

// The guest's view of itself: nice value and CPU time (ms) of the thread it runs on.
const SELF = `
import { readFileSync } from 'node:fs';
const stat = () => readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
const nice = () => Number(stat()[16]);
const cpuMs = () => (Number(stat()[11]) + Number(stat()[12])) * 10;
/** Spins until the nice value changes (or maxMs of wall time): the CPU it had used by then. */
function spinUntilLowered(maxMs) {
  const from = nice();
  const cpu0 = cpuMs();
  const until = Date.now() + maxMs;
  while (nice() === from && Date.now() < until);
  return { from, to: nice(), cpuMs: cpuMs() - cpu0 };
}
`;

let dirs = 0;
function jsPackage(source: string): string {
  const dir = join(root, `js-${dirs++}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.mjs'), SELF + source);
  return dir;
}

function runner(codeDir: string, spec: Partial<FunctionSpec>): FunctionRunner {
  const r = new FunctionRunner({ name: 'priority', codeDir, memorySize: 128, timeout: 10, ...spec }, { maxEnvironments: 1 });
  runners.push(r);
  return r;
}

const kinds: Array<[string, Partial<FunctionSpec>]> = [
  ['worker-thread environment', { isolation: 'thread' }],
  ['process environment', { isolation: 'process' }],
];

for (const [kind, spec] of kinds) {
  describe(kind, { skip: !linux && 'priorities are read from /proc (Linux)' }, () => {
    // Environments run a few levels below the platform from their start.
    const base = environmentPriority();
    const raise = linux && canRaisePriority(base);

    test('an environment starts a few nice levels below the platform', { timeout: 60_000 }, async () => {
      const r = runner(jsPackage(`const atInit = nice();\nexport const handler = async () => ({ atInit, now: nice() });`), spec);
      const first = await r.invoke({});
      assert.equal(first.ok, true, JSON.stringify(first.error));
      assert.equal(base, Math.min(LOWEST_PRIORITY, getPriority() + ENVIRONMENT_NICE_OFFSET));
      assert.deepEqual(first.result, { atInit: base, now: base });
    });

    test('a healthy cold start and a short invocation keep the platform priority; a spinning invocation is lowered after its CPU budget; the environment is reused', { timeout: 60_000 }, async () => {
      const r = runner(
        jsPackage(`
export const handler = async (event) => {
  const atStart = nice();
  if (event.spin) return { atStart, ...spinUntilLowered(8000) };
  const until = Date.now() + 20;
  while (Date.now() < until);
  return { atStart, atEnd: nice() };
};`),
        spec,
      );
      const short = await r.invoke({ spin: false });
      assert.equal(short.ok, true, JSON.stringify(short.error));
      assert.deepEqual(short.result, { atStart: base, atEnd: base }, 'a healthy cold start and a 20 ms invocation are not lowered');

      const spin = await r.invoke({ spin: true });
      assert.equal(spin.ok, true, JSON.stringify(spin.error));
      const seen = spin.result as { atStart: number; from: number; to: number; cpuMs: number };
      assert.equal(seen.atStart, base);
      assert.equal(seen.to, LOWEST_PRIORITY, `lowered to nice ${LOWEST_PRIORITY} (${JSON.stringify(seen)})`);
      // Lowered once past its budget (clock ticks are 10 ms), and not long after: the check runs every 25 ms.
      assert.ok(seen.cpuMs >= INVOKE_CPU_MS - 10 && seen.cpuMs <= INVOKE_CPU_MS + 500, `lowered after ${seen.cpuMs} ms of CPU, budget ${INVOKE_CPU_MS}`);

      const next = await r.invoke({ spin: false });
      assert.equal(next.coldStart, false, 'the lowered environment is reused, with its module state');
      const again = next.result as { atStart: number; atEnd: number };
      assert.equal(again.atStart, raise ? base : LOWEST_PRIORITY, raise ? 'its priority is restored' : 'without CAP_SYS_NICE it keeps the lowest priority');
    });

    test('an init that spins past its CPU budget is lowered while it runs, and serves at the platform priority once ready', { timeout: 60_000 }, async () => {
      const r = runner(
        jsPackage(`
const init = spinUntilLowered(8000);
export const handler = async () => ({ init, now: nice() });`),
        spec,
      );
      const first = await r.invoke({});
      assert.equal(first.ok, true, JSON.stringify(first.error));
      const { init, now } = first.result as { init: { from: number; to: number; cpuMs: number }; now: number };
      assert.equal(init.from, base);
      assert.equal(init.to, LOWEST_PRIORITY);
      // The init's budget counts the whole thread or process from its start, loading included.
      assert.ok(init.cpuMs <= INIT_CPU_MS + 500, `lowered after ${init.cpuMs} ms of the guest's own CPU, budget ${INIT_CPU_MS}`);
      assert.equal(now, raise ? base : LOWEST_PRIORITY);
    });
  });
}
