/**
 * @module
 * B3/B4: a fresh `node` process imports a package's handler and invokes it once; wall time and
 * peak RSS, medians over several runs, against the same for a JavaScript package that does the
 * same observable work: it logs the lines the guest logged on that event and returns the result
 * the guest returned. (A process's first `console` write creates its stdout stream, ~3 ms on
 * Node 22; a baseline that logs nothing would charge that to Wasm.) Runs alternate between the
 * two packages so that drift on a busy machine hits both alike. The runner also reports the
 * adapter's own breakdown (read, compile, instantiate, guest init).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { floorGuestWasm } from './floor-guest.js';
import type { Handler } from './micro.js';
import { median } from './stats.js';

const run = promisify(execFile);

/** Starts the line the runner reports on, after whatever the handler logged to stdout. */
const MARK = '@@lambda-wasm-bench ';

// Logs go to stdout, a pipe, as in Lambda (the runtime forwards stdout to CloudWatch). The runner
// wraps the console methods to time what the first write costs (it creates the stdout stream),
// the same for both packages; the adapter stamps `initTimings.loadedAt` when its own code starts.
// Its clock is process.hrtime, as the adapter's: touching `performance` would load perf_hooks
// (~0.8 ms) before the package, hiding that cost from a package that uses it, which on Lambda
// (AWS's runtime interface client never touches `performance`) pays it in its cold start.
// CPU time (user + system, every thread) is reported beside wall time: on a loaded machine it
// drifts far less than wall time, which also counts waiting for a core. On Linux the runner also
// hands back /proc/self/smaps_rollup, read after the peak was taken, to split the resident memory
// into file-backed pages (the node binary's code and data that ran) and anonymous ones (heaps,
// Wasm memory and code): B4's breakdown.
const RUNNER = `const now = () => Number(process.hrtime.bigint()) / 1e6;
const t0 = now();
let consoleMs = 0;
for (const m of ['trace', 'debug', 'info', 'warn', 'error', 'log']) {
  const write = console[m];
  console[m] = function (...args) { const t = now(); try { return write.apply(this, args); } finally { consoleMs += now() - t; } };
}
const mod = await import(process.argv[2]);
const t1 = now();
const arg = process.argv[3];
const event = JSON.parse(arg.startsWith('@') ? process.getBuiltinModule('node:fs').readFileSync(arg.slice(1), 'utf8') : arg);
const t2 = now();
await mod.handler(event, { awsRequestId: 'cold', functionName: 'bench', getRemainingTimeInMillis: () => 5000 });
const t3 = now();
const usage = process.resourceUsage();
let smaps = null;
try { smaps = process.getBuiltinModule('node:fs').readFileSync('/proc/self/smaps_rollup', 'utf8'); } catch {}
process.stdout.write('\\n${MARK}' + JSON.stringify({ startMs: t0, importMs: t1 - t0, firstInvokeMs: t3 - t2, consoleMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKB: usage.maxRSS, smaps, init: mod.initTimings ? { ...mod.initTimings, loadedAt: mod.initTimings.loadedAt - t0 } : null }) + '\\n');
`;

const LOG_METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'log'] as const;
type LogMethod = (typeof LOG_METHODS)[number];

/** What one invocation showed to the outside: its log lines and its result. */
export interface Observed {
  logs: Array<{ method: LogMethod; text: string }>;
  result: unknown;
}

/** Invokes `handler` once on `event`, recording its console calls instead of printing them. */
export async function observe(handler: Handler, event: unknown): Promise<Observed> {
  const logs: Observed['logs'] = [];
  const saved = Object.fromEntries(LOG_METHODS.map((m) => [m, console[m]]));
  for (const method of LOG_METHODS) console[method] = (...args: unknown[]) => void logs.push({ method, text: args.map(String).join(' ') });
  try {
    const result = await handler(structuredClone(event), { awsRequestId: 'observe', functionName: 'bench', getRemainingTimeInMillis: () => 5000 });
    return { logs, result };
  } finally {
    Object.assign(console, saved);
  }
}

/** The JS baseline's `index.mjs`: the same lines on the same console methods, the same result. */
export function jsTwinSource(observed: Observed): string {
  const lines = observed.logs.map((l) => `  console.${l.method}(${JSON.stringify(l.text)});`);
  return [
    '// Written by lambda-wasm bench: the JavaScript baseline of B3/B4, doing what the guest did',
    '// observably on this event (these log lines, this result) and nothing else.',
    `const result = ${JSON.stringify(observed.result ?? null)};`,
    'export const handler = async () => {',
    ...lines,
    '  return result;',
    '};',
    '',
  ].join('\n');
}

export interface ColdSample {
  wallMs: number;
  importMs: number;
  firstInvokeMs: number;
  cpuMs: number;
  maxRssMB: number;
  /** The resident memory at the end of the run, split (Linux only; null elsewhere). */
  resident: ResidentSplit | null;
  phases: ColdPhases;
  /** The adapter's own `initTimings` (absent for the JS baseline). */
  init: Record<string, number> | null;
}

/**
 * Where one cold start's milliseconds went, in the order they happen; they add up to the wall time.
 * The adapter's parts (read … guestInit) are absent for a JavaScript package.
 */
export interface ColdPhases {
  /** Spawning the process, Node's own start-up, the runner (and its parsing of the event), the exit: what any package pays. */
  process: number;
  /** From `import()` until the adapter's code starts: resolving, reading, parsing and linking the entry. */
  moduleLoad: number;
  /** Reading guest.wasm. */
  read?: number;
  /** `WebAssembly` compile: decoding and validating every function (V8 compiles function bodies lazily). */
  compile?: number;
  instantiate?: number;
  /** The guest's `lambda_wasm_init` and the ABI version check. */
  guestInit?: number;
  /** The rest of the import: the adapter's other top-level code, and resuming the importer. */
  importRest: number;
  /** The first invocation without its console writes: V8 compiling the functions it reaches (Liftoff), and the work. */
  firstCall: number;
  /** The first invocation's console writes (the first one creates the stdout stream). */
  console: number;
}

export const PHASE_LABELS: Record<keyof ColdPhases, string> = {
  process: 'process start/exit',
  moduleLoad: 'module load',
  read: 'read wasm',
  compile: 'compile',
  instantiate: 'instantiate',
  guestInit: 'guest init',
  importRest: 'rest of import',
  firstCall: 'first call',
  console: 'first console write',
};

export interface ColdResult {
  runs: number;
  wallMs: number[];
  maxRssMB: number[];
  cpuMs: number[];
  median: { wallMs: number; importMs: number; firstInvokeMs: number; cpuMs: number; maxRssMB: number };
  /** Median resident memory at the end of a run, by kind (null where /proc is not there). */
  resident: ResidentSplit | null;
  /** Median of each phase, ms. */
  phases: ColdPhases;
  /** Median of each part of the adapter's own cold start, ms (absent for the JS baseline). */
  breakdown: Record<string, number> | null;
}

interface RunnerReport {
  startMs: number;
  importMs: number;
  firstInvokeMs: number;
  consoleMs: number;
  cpuMs: number;
  maxRssKB: number;
  smaps?: string | null;
  init: (Record<string, number> & { loadedAt?: number }) | null;
}

/**
 * A process's resident memory in MB, by kind: `fileBacked` is pages mapped from files — for a
 * fresh `node` almost all of it the node binary's own code and read-only data that ran, shared
 * with every other process using the same binary and never written; `anonymous` is what the
 * process allocated (JS and C++ heaps, Wasm memory, JIT and Wasm code, thread stacks).
 */
export interface ResidentSplit {
  fileBacked: number;
  anonymous: number;
}

/** Reads `/proc/<pid>/smaps_rollup` text into a ResidentSplit; undefined when a field is missing. */
export function residentSplit(smapsRollup: string): ResidentSplit | undefined {
  const kB = (field: string): number | undefined => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(smapsRollup);
    return m === null ? undefined : Number(m[1]);
  };
  const rss = kB('Rss');
  const anonymous = kB('Anonymous');
  if (rss === undefined || anonymous === undefined) return undefined;
  return { fileBacked: (rss - anonymous) / 1024, anonymous: anonymous / 1024 };
}

/** Splits one run's wall time into phases. */
export function phasesOf(wallMs: number, r: RunnerReport): ColdPhases {
  const init = r.init;
  const adapter = init === null ? 0 : (init.readMs ?? 0) + (init.compileMs ?? 0) + (init.instantiateMs ?? 0) + (init.guestInitMs ?? 0);
  const moduleLoad = init?.loadedAt ?? r.importMs;
  const phases: ColdPhases = {
    process: wallMs - r.importMs - r.firstInvokeMs,
    moduleLoad,
    importRest: Math.max(0, r.importMs - moduleLoad - adapter),
    firstCall: r.firstInvokeMs - r.consoleMs,
    console: r.consoleMs,
  };
  if (init !== null) Object.assign(phases, { read: init.readMs, compile: init.compileMs, instantiate: init.instantiateMs, guestInit: init.guestInitMs });
  return phases;
}

export class ColdStartBench {
  private readonly dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-cold-'));
  private readonly runner = join(this.dir, 'runner.mjs');

  constructor(private readonly nodeBinary: string = process.execPath) {
    writeFileSync(this.runner, RUNNER);
  }

  /** Writes the JS baseline package for `name` and returns its folder. */
  jsTwin(name: string, observed: Observed): string {
    const dir = join(this.dir, `js-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'index.mjs'), jsTwinSource(observed));
    return dir;
  }

  /**
   * Writes B3's floor package for `name`: the built package (`packageDir`, the same adapter) with a
   * guest that only logs what the real guest logged and returns its result (src/bench/floor-guest.ts).
   */
  floor(name: string, packageDir: string, observed: Observed): string {
    const dir = join(this.dir, `floor-${name}`);
    cpSync(packageDir, dir, { recursive: true });
    writeFileSync(join(dir, 'guest.wasm'), floorGuestWasm(observed));
    return dir;
  }

  /** `runs` fresh processes for each package, taking turns (Wasm, JS, then the floor if given). */
  async measurePair(wasmDir: string, jsDir: string, event: unknown, runs: number, floorDir?: string): Promise<{ wasm: ColdResult; js: ColdResult; floor?: ColdResult }> {
    const wasm: ColdSample[] = [];
    const js: ColdSample[] = [];
    const floor: ColdSample[] = [];
    for (let i = 0; i < runs; i++) {
      wasm.push(await this.once(wasmDir, event));
      js.push(await this.once(jsDir, event));
      if (floorDir !== undefined) floor.push(await this.once(floorDir, event));
    }
    return { wasm: summarise(wasm), js: summarise(js), ...(floorDir === undefined ? {} : { floor: summarise(floor) }) };
  }

  private async once(packageDir: string, event: unknown): Promise<ColdSample> {
    // An argument is at most 128 KB on Linux: larger events go through a file.
    let arg = JSON.stringify(event);
    if (arg.length > 64 * 1024) {
      const file = join(this.dir, 'event.json');
      writeFileSync(file, arg);
      arg = `@${file}`;
    }
    const t0 = performance.now();
    const { stdout } = await run(this.nodeBinary, [this.runner, pathToFileURL(join(packageDir, 'index.mjs')).href, arg], { maxBuffer: 64 * 1024 * 1024 });
    const wallMs = performance.now() - t0;
    const line = stdout.split('\n').reverse().find((l) => l.startsWith(MARK));
    if (line === undefined) throw new Error(`the cold-start runner printed no report for ${packageDir}:\n${stdout.slice(-2000)}`);
    const r = JSON.parse(line.slice(MARK.length)) as RunnerReport;
    const { loadedAt: _loadedAt, ...init } = r.init ?? {};
    return {
      wallMs,
      importMs: r.importMs,
      firstInvokeMs: r.firstInvokeMs,
      cpuMs: r.cpuMs,
      maxRssMB: r.maxRssKB / 1024,
      resident: typeof r.smaps === 'string' ? (residentSplit(r.smaps) ?? null) : null,
      phases: phasesOf(wallMs, r),
      init: r.init === null ? null : init,
    };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function summarise(samples: ColdSample[]): ColdResult {
  const init = samples[0]!.init;
  const phaseKeys = Object.keys(samples[0]!.phases) as Array<keyof ColdPhases>;
  return {
    runs: samples.length,
    wallMs: samples.map((s) => s.wallMs),
    maxRssMB: samples.map((s) => s.maxRssMB),
    cpuMs: samples.map((s) => s.cpuMs),
    median: {
      wallMs: median(samples.map((s) => s.wallMs)),
      importMs: median(samples.map((s) => s.importMs)),
      firstInvokeMs: median(samples.map((s) => s.firstInvokeMs)),
      cpuMs: median(samples.map((s) => s.cpuMs)),
      maxRssMB: median(samples.map((s) => s.maxRssMB)),
    },
    resident: samples.every((s) => s.resident !== null)
      ? { fileBacked: median(samples.map((s) => s.resident!.fileBacked)), anonymous: median(samples.map((s) => s.resident!.anonymous)) }
      : null,
    phases: Object.fromEntries(phaseKeys.map((k) => [k, median(samples.map((s) => s.phases[k]!))])) as unknown as ColdPhases,
    breakdown: init === null ? null : Object.fromEntries(Object.keys(init).map((k) => [k, median(samples.map((s) => s.init![k]!))])),
  };
}
