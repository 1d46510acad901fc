/**
 * @module
 * `bench()`: figures B1–B7 (defined in docs/bench.md) for the project's built functions, each
 * with its baseline measured in the same run, the ratio, and the target. Per function: B1/B2 warm
 * calls on its own event against the JS floor of the same event, B3/B4 a fresh process against a
 * JS package doing the same observable work, B5 its zip; B6 loads the project's distribution.
 * Baselines only the lambda-wasm repository has (the wasm-bindgen guest, B7's pi spigot on JS
 * BigInt) run with `baselines: true`. Nothing is built or installed here unless asked for; what
 * is not measured is listed with the reason. Returns data; the CLI renders the table and chart.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { getFunction, limitsOf, type FunctionConfig, type ProjectConfig } from '../config/load.js';
import { isEdgeEventType } from '../config/limits.js';
import { EdgeError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import { packageRoot } from '../build/package-root.js';
import { timeValidator, validatorCases } from './validator-cost.js';
import { BINDGEN_BUILD_COMMAND, hasBindgenSources, isBindgenBuilt, loadBindgenBaseline } from './bindgen.js';
import { ColdStartBench, observe, type Observed } from './cold.js';
import { benchEvent, bodySizes, noBodyReason, withBody } from './events.js';
import { jsFloor, jsNoop, loadBuiltHandler, timeHandler, type Handler, type MicroOptions } from './micro.js';
import { nativeBench } from './native.js';
import { piDigitsJs } from './pi-js.js';
import { median, type Distribution } from './stats.js';

/** B1–B8 (docs/bench.md); V1 is the validator's cost per result. */
export type FigureId = 'B1' | 'B2' | 'B3' | 'B4' | 'B5' | 'B6' | 'B7' | 'B8' | 'V1';

export interface Target {
  text: string;
  pass: boolean;
}

export interface Figure {
  id: FigureId;
  /** Whose figure: a function's name, `distribution` (B6), `validator` (V1) or `repository baselines`. */
  group: string;
  /** What was measured, e.g. `1 KB request body`. */
  name: string;
  unit: 'ns' | 'ms' | 'MB' | 'bytes' | 'req/s';
  value: number;
  baseline?: { name: string; value: number };
  /** value / baseline, or value − baseline for B4 (said in `name`). */
  ratio?: number;
  target?: Target;
  samples: number;
  distribution?: Distribution;
  baselineDistribution?: Distribution;
  /** Other baselines of the same run (B1: the no-op handler), and breakdowns. */
  extra?: Record<string, unknown>;
}

export interface BenchedFunction {
  name: string;
  kind: FunctionConfig['kind'];
  /** The event B1–B4 ran on: a fixture path, or `a built <type> event`. */
  event: string;
}

export interface BenchReport {
  /** 2: figures carry their `group` (a function, `distribution`, `validator`, `repository baselines`); `functions` lists what ran on which event. */
  schema: 'lambda-wasm-bench/2';
  date: string;
  quick: boolean;
  machine: { cpu: string; cores: number; platform: string; node: string };
  /** The Node.js version of the cold-start processes (B3/B4). */
  coldStartNode: string;
  functions: BenchedFunction[];
  figures: Figure[];
  /** Figures that could not be measured, with the reason (and what would enable them). */
  skipped: Array<{ id: FigureId; group: string; reason: string }>;
}

export interface BenchOptions {
  config: ProjectConfig;
  /** Functions to measure (default: all). */
  functions?: readonly string[];
  quick?: boolean;
  logger?: Logger;
  /** Node.js binary for the cold-start processes (B3/B4); default: the one running bench. */
  nodeBinary?: string;
  /**
   * Also the baselines only the lambda-wasm repository has: its `passthrough` against a
   * wasm-bindgen guest (built when missing: about 7 minutes the first time, with progress) and
   * B7, its `pi` against the same spigot on JS BigInt. Default false.
   */
  baselines?: boolean;
  /** With `baselines`, B8 also builds and measures AWS's lambda_runtime hello-world (crates.io, minutes on first use). Default true. */
  nativeReference?: boolean;
  /** B6 through the local CloudFront; provided by the CLI when the emulator is available. */
  http?: (options: { quick: boolean; functions: readonly string[]; logger: Logger }) => Promise<{ figures: Figure[]; skipped?: string }>;
}

/** The flag that enables the repository's own baselines, for messages. */
export const BASELINES_FLAG = '--baselines';

function builtDir(config: ProjectConfig, name: string): string {
  const dir = join(config.outDir, name);
  try {
    statSync(join(dir, 'index.mjs'));
  } catch {
    throw new EdgeError('E_NOT_BUILT', `${name} is not built (no ${join(dir, 'index.mjs')})`, { hint: `run \`lambda-wasm build ${name}\` first` });
  }
  return dir;
}

/** Sample counts: `--quick` is a short run for a first look and for tests, not for quoting. */
function plan(quick: boolean) {
  return {
    micro: quick ? { warmup: 1000, samples: 200, batch: 10 } : { warmup: 5000, samples: 3000, batch: 10 },
    // B3's target is 10 % of a ~35 ms process, and fresh processes differ by a few ms from run to
    // run: 31 per package (about 2.5 s) hold the median of the ratio within ~±0.02, 11 did not (±0.04).
    coldRuns: quick ? 5 : 31,
    validatorSamples: quick ? 200 : 2000,
    piRuns: quick ? 1 : 5,
  };
}

/** Fewer calls for bigger events, so a 1 MB body takes about as long as the fixture. */
function scaled(micro: MicroOptions, bytes: number): MicroOptions {
  const scale = bytes >= 1024 * 1024 ? 100 : bytes >= 40 * 1024 ? 10 : 1;
  return { warmup: Math.ceil(micro.warmup / scale), samples: Math.max(30, Math.ceil(micro.samples / scale)), batch: bytes >= 1024 * 1024 ? 1 : micro.batch };
}

export async function bench(options: BenchOptions): Promise<BenchReport> {
  const { config } = options;
  const quick = options.quick === true;
  const logger = options.logger ?? noopLogger;
  const p = plan(quick);
  const figures: Figure[] = [];
  const skipped: BenchReport['skipped'] = [];
  const names = options.functions?.length ? [...options.functions] : config.functions.map((f) => f.name);
  // B1–B6 measure Wasm packages on Node.js; a native function (a bootstrap, docs/native.md) has no
  // Node.js package to measure and appears only in the native figures below (B7, B8).
  const fns = names.map((n) => getFunction(config, n)).filter((fn) => fn.target !== 'native');
  if (fns.length === 0) {
    throw new EdgeError('E_USAGE', `${names.join(', ')}: native functions have no Node.js package for B1–B6`, {
      hint: `name Wasm functions too; a native function is measured beside its Wasm twin with \`lambda-wasm bench pi pi-native ${BASELINES_FLAG}\` (B7, B8)`,
    });
  }
  for (const fn of fns) builtDir(config, fn.name); // every selected function is built, before minutes of measuring
  const benched: BenchedFunction[] = [];

  const cold = new ColdStartBench(options.nodeBinary);
  try {
    for (const fn of fns) {
      const dir = builtDir(config, fn.name);
      const { event, source } = benchEvent(fn, config.root);
      benched.push({ name: fn.name, kind: fn.kind, event: source });
      logger.info(`${fn.name}: B1/B2 warm calls on ${source}…`);
      const handler = await loadBuiltHandler(dir);
      // The target is for edge triggers (what the adapter may cost); a plain Lambda's figure is reported.
      const edge = isEdgeEventType(fn.kind);
      let observed;
      try {
        observed = await observe(handler, event);
      } catch (error) {
        for (const id of ['B1', 'B2', 'B3', 'B4'] as const) skipped.push({ id, group: fn.name, reason: `${fn.name} failed on ${source}: ${error instanceof Error ? error.message : String(error)}` });
        observed = undefined;
      }
      if (observed !== undefined) {
        figures.push(await ratioFigure('B1', fn.name, 'warm call on its event', handler, event, p.micro, edge ? 2 : undefined));
        const sizes = bodySizes(fn, event);
        if (sizes.length === 0) skipped.push({ id: 'B2', group: fn.name, reason: noBodyReason(fn) });
        for (const size of sizes) {
          figures.push(await ratioFigure('B2', fn.name, `warm call, ${size.label} request body`, handler, withBody(event, size.bytes), scaled(p.micro, size.bytes), edge ? 3 : undefined));
        }
        logger.info(`${fn.name}: B3/B4 ${p.coldRuns} fresh node processes each, Wasm and JS…`);
        const twin = cold.jsTwin(fn.name, observed);
        const floorDir = await floorPackage(cold, fn.name, dir, event, observed);
        const { wasm: w, js: j, floor: fl } = await cold.measurePair(dir, twin, event, p.coldRuns, floorDir);
        const logs = observed.logs.length;
        const jsName = logs === 0 ? 'JS package, same result (no log line, as the guest)' : `JS package logging the same ${logs === 1 ? 'line' : `${logs} lines`}`;
        const ratio = w.median.wallMs / j.median.wallMs;
        figures.push({
          id: 'B3',
          group: fn.name,
          name: 'cold start: fresh node, import the handler, one invoke',
          unit: 'ms',
          value: w.median.wallMs,
          baseline: { name: jsName, value: j.median.wallMs },
          ratio,
          target: { text: '≤ 1.10×', pass: ratio <= 1.1 },
          samples: p.coldRuns,
          extra: {
            wasmRunsMs: w.wallMs,
            jsRunsMs: j.wallMs,
            adapterBreakdownMs: w.breakdown,
            importMs: w.median.importMs,
            firstInvokeMs: w.median.firstInvokeMs,
            jsImportMs: j.median.importMs,
            jsFirstInvokeMs: j.median.firstInvokeMs,
            loggedLines: logs,
            // Where the milliseconds went (medians per phase, src/bench/cold.ts), and CPU time, which a busy machine disturbs less than wall time.
            phasesMs: { wasm: w.phases, js: j.phases },
            cpuMs: { wasm: w.median.cpuMs, js: j.median.cpuMs, ratio: w.median.cpuMs / j.median.cpuMs },
            wasmCpuRunsMs: w.cpuMs,
            jsCpuRunsMs: j.cpuMs,
            // What any Wasm package costs here (a guest doing only the same observable work, through
            // the same adapter), and so what this guest's own code adds and may add within 1.10×.
            floor:
              fl === undefined
                ? null
                : { wallMs: fl.median.wallMs, ratio: fl.median.wallMs / j.median.wallMs, guestCodeMs: w.median.wallMs - fl.median.wallMs, budgetMs: 1.1 * j.median.wallMs - fl.median.wallMs, phasesMs: fl.phases, runsMs: fl.wallMs },
          },
        });
        const delta = w.median.maxRssMB - j.median.maxRssMB;
        figures.push({
          id: 'B4',
          group: fn.name,
          name: 'peak RSS of that process (ratio = difference in MB)',
          unit: 'MB',
          value: w.median.maxRssMB,
          baseline: { name: jsName, value: j.median.maxRssMB },
          ratio: delta,
          target: { text: '≤ +2 MB', pass: delta <= 2 },
          samples: p.coldRuns,
          // Where the difference lies (Linux): the node binary's pages that ran, or memory the process allocated.
          extra: {
            wasmRunsMB: w.maxRssMB,
            jsRunsMB: j.maxRssMB,
            residentMB: w.resident === null || j.resident === null ? null : { wasm: w.resident, js: j.resident },
            // B3's floor package's peak: what any Wasm package adds here, and so what the guest adds on top.
            floor: fl === undefined ? null : { maxRssMB: fl.median.maxRssMB, deltaMB: fl.median.maxRssMB - j.median.maxRssMB, guestMB: w.median.maxRssMB - fl.median.maxRssMB, runsMB: fl.maxRssMB },
          },
        });
      }
      figures.push(zipFigure(config, fn));
    }
  } finally {
    cold.dispose();
  }

  if (options.http !== undefined) {
    logger.info('B6 HTTP through the local CloudFront…');
    const http = await options.http({ quick, functions: names, logger });
    figures.push(...http.figures);
    if (http.skipped !== undefined) skipped.push({ id: 'B6', group: 'distribution', reason: http.skipped });
  } else {
    skipped.push({ id: 'B6', group: 'distribution', reason: 'no HTTP benchmark was provided (the local CloudFront)' });
  }

  logger.info('V1 validator…');
  for (const c of validatorCases()) {
    const d = timeValidator(c, p.validatorSamples);
    figures.push({ id: 'V1', group: 'validator', name: `validateResult, ${c.name}`, unit: 'ns', value: d.p50, target: { text: '≤ 50 µs', pass: d.p50 <= 50_000 }, samples: d.samples, distribution: d });
  }

  await repositoryBaselines(options, names, quick, logger, figures, skipped);

  // The native target (docs/native.md): B7 native beside Wasm and JS, and B8 cold starts. It
  // builds Rust (the lambda_runtime reference from crates.io), so it runs only when asked for.
  const group = 'native';
  const has = (name: string) => names.includes(name);
  if (options.baselines === true && has('pi') && has('pi-native')) {
    const native = await nativeBench({ config, quick, logger, packageRoot: packageRoot(), reference: options.nativeReference !== false });
    figures.push(...native.figures.map((f) => ({ ...f, group })));
    skipped.push(...native.skipped.map((s) => ({ ...s, group })));
  } else if (has('pi') && has('pi-native')) {
    skipped.push({ id: 'B8', group, reason: `native against Wasm and JS (B7, B8) runs with \`lambda-wasm bench ${BASELINES_FLAG}\`` });
  }

  return {
    schema: 'lambda-wasm-bench/2',
    date: new Date().toISOString(),
    quick,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${platform()} ${release()}`, node: process.version },
    coldStartNode: options.nodeBinary === undefined ? process.version : execFileSync(options.nodeBinary, ['--version'], { encoding: 'utf8' }).trim(),
    functions: benched,
    figures,
    skipped,
  };
}

function zipFigure(config: ProjectConfig, fn: FunctionConfig): Figure {
  const zip = join(config.outDir, `${fn.name}.zip`);
  let bytes: number;
  try {
    bytes = statSync(zip).size;
  } catch {
    throw new EdgeError('E_NOT_BUILT', `${zip} does not exist`, { hint: `run \`lambda-wasm build ${fn.name}\` first` });
  }
  const limit = limitsOf(config, fn.kind).maxZipBytes;
  return {
    id: 'B5',
    group: fn.name,
    name: `${fn.name}.zip (${fn.kind})`,
    unit: 'bytes',
    value: bytes,
    baseline: { name: `${fn.kind} limit`, value: limit },
    ratio: bytes / limit,
    // 48 KB is issue 14's target for a pass-through trigger (docs/cold-start.md); any other zip is held to its limit.
    target: fn.name === 'passthrough' ? { text: '≤ 48 KB', pass: bytes <= 48 * 1024 } : { text: '≤ limit', pass: bytes <= limit },
    samples: 1,
  };
}

/**
 * `--baselines`: in the lambda-wasm repository, its passthrough against a wasm-bindgen guest and
 * B7. Without the flag, only a note saying what the flag would add (and only in the repository).
 */
async function repositoryBaselines(options: BenchOptions, names: readonly string[], quick: boolean, logger: Logger, figures: Figure[], skipped: BenchReport['skipped']): Promise<void> {
  const { config } = options;
  const group = 'repository baselines';
  const root = packageRoot();
  const inRepository = hasBindgenSources(root) && resolve(config.root) === resolve(root);
  const selected = (name: string) => names.includes(name) && config.functions.some((f) => f.name === name);
  if (options.baselines !== true) {
    if (inRepository) {
      skipped.push({
        id: 'B7',
        group,
        reason: `the repository's own baselines (passthrough against a wasm-bindgen guest, pi against JS BigInt): \`lambda-wasm bench ${BASELINES_FLAG}\` ${
          isBindgenBuilt(root) ? '(the wasm-bindgen guest is built)' : `(its first run builds the wasm-bindgen guest: about 7 minutes, or run \`${BINDGEN_BUILD_COMMAND}\` first)`
        }`,
      });
    }
    return;
  }
  const p = plan(quick);
  if (!selected('passthrough')) {
    skipped.push({ id: 'B1', group, reason: 'the wasm-bindgen comparison runs the passthrough function, which is not selected' });
  } else {
    logger.info('wasm-bindgen baseline: loading (building it when missing: the first build compiles wasm-bindgen-cli, about 7 minutes on 2 cores)…');
    const bindgen = await loadBindgenBaseline(root, { build: true, progress: (line) => logger.info(`  ${line}`) });
    if ('reason' in bindgen) {
      skipped.push({ id: 'B1', group, reason: `the wasm-bindgen baseline: ${bindgen.reason}` });
    } else {
      const wasm = await loadBuiltHandler(builtDir(config, 'passthrough'));
      const { event, source } = benchEvent(getFunction(config, 'passthrough'), config.root);
      logger.info('B1/B2 passthrough against the wasm-bindgen guest…');
      logger.debug(`the wasm-bindgen comparison runs on ${source}`);
      for (const [id, label, e, opts] of [['B1', 'its event', event, p.micro], ['B2', '40 KB request body', withBody(event, 40 * 1024), scaled(p.micro, 40 * 1024)]] as const) {
        const ours = await timeHandler(wasm, e, opts);
        const theirs = await timeHandler(bindgen.handler, e, opts);
        figures.push({
          id,
          group,
          name: `passthrough against a wasm-bindgen guest, ${label}`,
          unit: 'ns',
          value: ours.p50,
          baseline: { name: 'wasm-bindgen guest (JsValue ↔ serde)', value: theirs.p50 },
          ratio: ours.p50 / theirs.p50,
          target: { text: 'reported', pass: true },
          samples: ours.samples,
          distribution: ours,
          baselineDistribution: theirs,
        });
      }
    }
  }
  if (!selected('pi') || getFunction(config, 'pi').kind !== 'lambda') {
    skipped.push({ id: 'B7', group, reason: 'B7 runs the repository\'s pi example (a plain Lambda named pi), which is not selected' });
    return;
  }
  logger.info('B7 pi against the same spigot on JS BigInt…');
  const pi = await loadBuiltHandler(builtDir(config, 'pi'));
  for (const digits of [1000, 2000, 5000]) {
    const figure = await computeFigure(pi, digits, p.piRuns);
    if (typeof figure === 'string') {
      skipped.push({ id: 'B7', group, reason: figure });
      return;
    }
    figures.push(figure);
  }
}

async function ratioFigure(id: 'B1' | 'B2', group: string, name: string, wasm: Handler, event: unknown, options: MicroOptions, maxRatio: number | undefined): Promise<Figure> {
  const wasmDist = await timeHandler(wasm, event, options);
  const floorDist = await timeHandler(jsFloor, event, options);
  const noopDist = await timeHandler(jsNoop, event, options);
  const ratio = wasmDist.p50 / floorDist.p50;
  return {
    id,
    group,
    name,
    unit: 'ns',
    value: wasmDist.p50,
    baseline: { name: 'JS floor (JSON.parse(JSON.stringify(event)))', value: floorDist.p50 },
    ratio,
    target: maxRatio === undefined ? { text: 'reported (plain Lambda)', pass: true } : { text: `≤ ${maxRatio}× JS floor`, pass: ratio <= maxRatio },
    samples: wasmDist.samples,
    distribution: wasmDist,
    baselineDistribution: floorDist,
    extra: { jsNoopP50Ns: noopDist.p50, jsNoop: noopDist, eventBytes: JSON.stringify(event).length },
  };
}

/** B7 at one size, or why not (the guest's digits differ from the JS spigot's). */
async function computeFigure(pi: Handler, digits: number, runs: number): Promise<Figure | string> {
  const wasmMs: number[] = [];
  const jsMs: number[] = [];
  let wasmDigits: unknown = '';
  let jsDigits = '';
  // The guest logs a line per call; the figure is the computation (and stdout is the table's).
  const saved = { info: console.info, log: console.log };
  console.info = console.log = () => {};
  try {
    for (let i = 0; i < runs; i++) {
      let t0 = performance.now();
      wasmDigits = ((await pi({ digits }, {})) as { pi?: unknown } | null)?.pi;
      wasmMs.push(performance.now() - t0);
      t0 = performance.now();
      jsDigits = piDigitsJs(digits);
      jsMs.push(performance.now() - t0);
    }
  } finally {
    Object.assign(console, saved);
  }
  if (wasmDigits !== jsDigits) return `B7: the pi function and the JS spigot disagree at ${digits} digits (is pi the repository's example?)`;
  const value = median(wasmMs);
  const baseline = median(jsMs);
  return {
    id: 'B7',
    group: 'repository baselines',
    name: `pi, ${digits} digits`,
    unit: 'ms',
    value,
    baseline: { name: 'same spigot on JS BigInt', value: baseline },
    ratio: value / baseline,
    samples: runs,
    extra: { wasmRunsMs: wasmMs, jsRunsMs: jsMs },
  };
}

/**
 * B3's floor package for a function (src/bench/floor-guest.ts), or undefined when it does not do
 * what the guest did observably on this event (then B3 is reported without a floor).
 */
async function floorPackage(cold: ColdStartBench, name: string, dir: string, event: unknown, observed: Observed): Promise<string | undefined> {
  const floorDir = cold.floor(name, dir, observed);
  try {
    const seen = await observe(await loadBuiltHandler(floorDir), event);
    return isDeepStrictEqual(seen, observed) ? floorDir : undefined;
  } catch {
    return undefined;
  }
}
