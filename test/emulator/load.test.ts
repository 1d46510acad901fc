// Load with hostile guests (issue 10's definition of done): 10 000 requests (LOAD_REQUESTS for
// another multiple of 1 000) over 20 connections of which 1 % hit a guest that traps, 1 % one that
// loops, 1 % one whose cold start never ends and 1 % a memory hog, in slices alternating with a
// fault-free reference of the same size. Every request is answered with the status CloudFront
// gives (503 for each fault), no thread is left spinning and no runtime process left behind, and a
// minute later the RSS is under twice its start (see the note at the end). The healthy p50/p99
// against the reference are printed, not asserted. LOAD_PROGRESS=<ms> prints the pools' state while a round
// runs, and each failed invocation of a healthy function as it happens.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import { cpuTicksMs } from '../../src/lambda/environment.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { runtimePids, spinningThreads } from '../helpers/processes.js';
import { exampleWasm, makeProject } from '../helpers/project.js';
import { compileWat } from '../helpers/wat.js';

let emulator: Emulator;
let base: string;
let remove: () => void;
let rssStart = 0;
let heapStart = 0;
/** Failed invocations by function and error type, to explain a wrong answer. */
const functionErrors = new Map<string, number>();

const FAULTS = ['trap', 'loop', 'cold', 'hog'] as const;
/** Requests per round (a multiple of 100): issue 10's 10 000 by default, ~2 minutes on 2 cores. */
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 10_000);
/** The HTTP client runs in a process of its own, so what is measured here is the server alone. */
const CLIENT = fileURLToPath(new URL('../helpers/load-client.mjs', import.meta.url));
const run = promisify(execFile);

before(async () => {
  const project = await makeProject(
    {
      passthrough: { wasm: exampleWasm('passthrough'), eventType: 'viewer-request' },
      'security-headers': { wasm: exampleWasm('security-headers'), eventType: 'origin-response' },
      trap: { wasm: compileWat('trap'), eventType: 'viewer-request' },
      loop: { wasm: compileWat('loop'), eventType: 'viewer-request', timeout: 1 },
      cold: { wasm: compileWat('init-loop'), eventType: 'viewer-request', timeout: 1 },
      hog: { wasm: compileWat('grow-until-refused'), eventType: 'viewer-request', timeout: 2 },
    },
    {
      origins: { site: { folder: 'site' } },
      defaultBehavior: { origin: 'site', triggers: { 'viewer-request': 'passthrough', 'origin-response': 'security-headers' } },
      behaviors: FAULTS.map((f) => ({ pathPattern: `/${f}/*`, origin: 'site', triggers: { 'viewer-request': f } })),
    },
  );
  remove = project.remove;
  // Concurrency above the 20 connections, so healthy requests are never throttled; a short init
  // deadline and idle reclaim keep the run short (Lambda's are 10 s and minutes). The deadline
  // counts CPU time (a healthy cold start here uses ~30 ms), so a busy machine does not cut one.
  emulator = createEmulator({
    config: project.config,
    port: 0,
    maxEnvironments: 24,
    initTimeoutMs: 2_000,
    idleTimeoutMs: 30_000,
    onFunctionLog: (fn, record) => {
      if (record.ok) return;
      const key = `${fn.name}:${record.error?.errorType}`;
      if (process.env.LOAD_PROGRESS !== undefined && !(FAULTS as readonly string[]).includes(fn.name)) console.error(`${new Date().toISOString()} ${key} ${record.error?.errorMessage}`);
      functionErrors.set(key, (functionErrors.get(key) ?? 0) + 1);
    },
  });
  base = await emulator.ready;
  rssStart = process.memoryUsage().rss;
  heapStart = process.memoryUsage().heapTotal;
});

// Closing waits for every environment to end: bounded, so an environment that never ends fails the
// run with a message instead of hanging it.
after(
  async () => {
    await emulator?.close();
    remove?.();
  },
  { timeout: 60_000 },
);

interface Round {
  statuses: Map<string, number>;
  wrong: string[];
  healthyMs: number[];
  ms: number;
  /** Requests sent again after a reused keep-alive connection was reset. */
  retried: number;
  /** CPU time of the whole process and of its main thread (the server and the platform) during the round, ms. */
  cpuMs: number;
  mainCpuMs: number;
  /** The longest the main thread's event loop was blocked, ms. */
  loopDelayMaxMs: number;
}

/** CPU time of this process's main thread, ms (Linux). */
function mainThreadCpuMs(): number {
  return cpuTicksMs(`/proc/self/task/${process.pid}/stat`) ?? 0;
}

/** One round from the client process (test/helpers/load-client.mjs), measured on the server's side. */
async function round(total: number, connections: number, faults: boolean): Promise<Round> {
  const started = Date.now();
  const cpuStart = process.cpuUsage();
  const mainStart = mainThreadCpuMs();
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const progress = process.env.LOAD_PROGRESS === undefined ? undefined : setInterval(() => {
    const pools = Object.fromEntries(['passthrough', 'security-headers', ...FAULTS].map((f) => [f, emulator.pool.stats(f)]));
    console.error(`progress ${((Date.now() - started) / 1000).toFixed(0)} s: RSS ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB, pools ${JSON.stringify(pools)}`);
  }, Number(process.env.LOAD_PROGRESS) || 5_000);
  try {
    // Asynchronous: the server runs in this process and must keep answering while the client waits.
    const { stdout } = await run(process.execPath, [CLIENT, JSON.stringify({ base, total, connections, faults })], { maxBuffer: 64 * 1024 * 1024 });
    const client = JSON.parse(stdout) as { statuses: Array<[string, number]>; wrong: string[]; healthyMs: number[]; retried: number };
    const cpu = process.cpuUsage(cpuStart);
    return {
      statuses: new Map(client.statuses),
      wrong: client.wrong,
      healthyMs: client.healthyMs,
      ms: Date.now() - started,
      retried: client.retried,
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainCpuMs: mainThreadCpuMs() - mainStart,
      loopDelayMaxMs: loopDelay.max / 1e6,
    };
  } finally {
    clearInterval(progress);
    loopDelay.disable();
  }
}

function merge(rounds: Round[]): Round {
  const statuses = new Map<string, number>();
  for (const r of rounds) for (const [k, n] of r.statuses) statuses.set(k, (statuses.get(k) ?? 0) + n);
  const sum = (f: (r: Round) => number) => rounds.reduce((a, r) => a + f(r), 0);
  return {
    statuses,
    wrong: rounds.flatMap((r) => r.wrong),
    healthyMs: rounds.flatMap((r) => r.healthyMs),
    ms: sum((r) => r.ms),
    retried: sum((r) => r.retried),
    cpuMs: sum((r) => r.cpuMs),
    mainCpuMs: sum((r) => r.mainCpuMs),
    loopDelayMaxMs: Math.max(...rounds.map((r) => r.loopDelayMaxMs)),
  };
}

/** Until no environment of a faulty function is starting, busy or ending (at most 20 s). */
async function faultsSettled(): Promise<void> {
  for (let waited = 0; waited < 20_000; waited += 50) {
    const busy = FAULTS.some((f) => {
      const stats = emulator.pool.stats(f) as { busy: number; starting?: number; ending?: number } | undefined;
      return stats !== undefined && stats.busy + (stats.starting ?? 0) + (stats.ending ?? 0) > 0;
    });
    if (!busy) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function p99(ms: number[]): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
}

test(`${REQUESTS} requests over 20 connections with 4 % hostile guests: every one answered, nothing left spinning, memory back down`, { timeout: 600_000 }, async () => {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(0);
  const testStarted = Date.now();
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 250);
  await round(400, 20, false); // warm-up: the environments' cold starts are not part of the reference
  // The fault-free reference and the faulty round run in alternating slices of 1 000 requests, so
  // both see the same machine: on 2 cores shared with other work, rounds run one after the other
  // compared the neighbours' load more than the faults' effect. Each reference slice starts once
  // the faulty slice's environments have ended.
  const slices = REQUESTS % 1_000 === 0 ? REQUESTS / 1_000 : 1;
  const referenceSlices: Round[] = [];
  const faultySlices: Round[] = [];
  for (let s = 0; s < slices; s++) {
    await faultsSettled();
    referenceSlices.push(await round(REQUESTS / slices, 20, false));
    faultySlices.push(await round(REQUESTS / slices, 20, true));
  }
  const reference = merge(referenceSlices);
  const faulty = merge(faultySlices);
  assert.deepEqual(reference.wrong.slice(0, 10), [], `failed invocations ${JSON.stringify(Object.fromEntries(functionErrors))}`);
  const rssAfterLoad = process.memoryUsage().rss;
  const healthy = { free: p99(reference.healthyMs), faulty: p99(faulty.healthyMs) };
  const loadEnded = Date.now();

  // Every discarded environment ends; none keeps a core busy.
  const spinning = await spinningThreads(2000);
  const children = runtimePids();

  // A minute after the load, idle environments have been reclaimed and their memory returned.
  await new Promise((r) => setTimeout(r, Math.max(0, 60_000 - (Date.now() - loadEnded))));
  clearInterval(sampler);
  const rssLater = process.memoryUsage().rss;
  const p50 = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
  console.log(
    `load: ${reference.healthyMs.length} fault-free requests in ${reference.ms} ms (p99 ${healthy.free.toFixed(1)} ms); ` +
      `p50 ${p50(reference.healthyMs).toFixed(1)} ms; ` +
      `${REQUESTS} with faults in ${faulty.ms} ms (healthy p50 ${p50(faulty.healthyMs).toFixed(1)} ms, p99 ${healthy.faulty.toFixed(1)} ms, ${(healthy.faulty / healthy.free).toFixed(2)}×); ` +
      `statuses ${JSON.stringify(Object.fromEntries(faulty.statuses))} (${faulty.retried} sent again on a reset keep-alive connection); ` +
      `failed invocations ${JSON.stringify(Object.fromEntries(functionErrors))}; ` +
      `RSS ${mb(rssStart)} MB at the start, peak ${mb(rssPeak)}, ${mb(rssAfterLoad)} after the load, ${mb(rssLater)} a minute later (${(rssLater / rssStart).toFixed(2)}×; V8 heap ${mb(heapStart)} → ${mb(process.memoryUsage().heapTotal)} MB, ${mb(process.memoryUsage().heapUsed)} MB of it in use, external ${mb(process.memoryUsage().external)} MB); ` +
      `CPU fault-free ${reference.cpuMs.toFixed(0)} ms (main thread ${reference.mainCpuMs}, event loop blocked ≤ ${reference.loopDelayMaxMs.toFixed(0)} ms), ` +
      `with faults ${faulty.cpuMs.toFixed(0)} ms (main thread ${faulty.mainCpuMs}, event loop blocked ≤ ${faulty.loopDelayMaxMs.toFixed(0)} ms); ` +
      `test ${((Date.now() - testStarted) / 1000).toFixed(0)} s; ` +
      `environments now ${JSON.stringify(emulator.pool.stats('passthrough'))}`,
  );
  assert.deepEqual(faulty.wrong.slice(0, 10), [], `${faulty.wrong.length} wrong answers; failed invocations ${JSON.stringify(Object.fromEntries(functionErrors))}`);
  assert.equal([...faulty.statuses.values()].reduce((a, b) => a + b, 0), REQUESTS, 'every request answered');
  for (const f of FAULTS) assert.equal(faulty.statuses.get(`${f}:503`), REQUESTS / 100, `${f}: ${JSON.stringify([...faulty.statuses])}`);
  assert.equal(faulty.statuses.get('ok:200'), REQUESTS * 0.96);
  assert.deepEqual(spinning, [], 'no thread left spinning');
  assert.deepEqual(children, [], 'no runtime process left');
  // The healthy p99 against the fault-free slices is reported above, not asserted: it is a speed,
  // and on 2 cores shared with other work it measures the neighbours as much as the faults (see
  // docs/lambda-platform.md, "Load with hostile guests", for the runs and why).
  // Memory must come back down: issue 10 asks for under twice the start. Once the idle pools have
  // been reaped, the emulator runs one full collection (src/emulator/idle-collector.ts), which gives
  // back what the ended environments' Worker and ChildProcess objects held: 1.55–1.60× in three
  // runs on an idle machine, against 1.60–2.30× without it (~55 MB less; what stays is mostly
  // what glibc keeps in the arenas of ended worker threads, as Node offers no malloc_trim).
  assert.ok(rssLater < 2 * rssStart, `RSS ${mb(rssLater)} MB a minute later, over twice the ${mb(rssStart)} MB at the start`);
  // The environment cap is checked directly, not only through RSS.
  for (const fn of ['passthrough', 'security-headers']) {
    const stats = emulator.pool.stats(fn);
    assert.ok(stats !== undefined && stats.environments <= 24, `${fn}: ${JSON.stringify(stats)} environments, cap 24`);
  }
});
