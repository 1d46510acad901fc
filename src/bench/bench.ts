/**
 * @module
 * `bench()`: B1–B7 (README.md, Bench) for built functions, each figure with its baseline measured in the
 * same run, the ratio, and the target. Returns data; the CLI renders the table and the chart.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { join } from 'node:path';
import { getFunction, limitsOf, type ProjectConfig } from '../config/load.js';

import { EdgeError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import { timeValidator, validatorCases } from './validator-cost.js';
import { loadBindgenBaseline } from './bindgen.js';
import { packageRoot } from '../build/package-root.js';
import { ColdStartBench } from './cold.js';
import { jsFloor, jsNoop, loadBuiltHandler, timeHandler, withBody, type Handler } from './micro.js';
import { piDigitsJs } from './pi-js.js';
import { median, type Distribution } from './stats.js';

/** B1–B7 as README.md's Bench section defines them; V1 is the validator's cost per result. */
export type FigureId = 'B1' | 'B2' | 'B3' | 'B4' | 'B5' | 'B6' | 'B7' | 'V1';

export interface Target {
  text: string;
  pass: boolean;
}

export interface Figure {
  id: FigureId;
  /** What was measured, e.g. `passthrough, 1 KB body`. */
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

export interface BenchReport {
  schema: 'lambda-wasm-bench/1';
  date: string;
  quick: boolean;
  machine: { cpu: string; cores: number; platform: string; node: string };
  /** The Node.js version of the cold-start processes (B3/B4). */
  coldStartNode: string;
  figures: Figure[];
  /** Figures that could not be measured, with the reason. */
  skipped: Array<{ id: FigureId; reason: string }>;
}

export interface BenchOptions {
  config: ProjectConfig;
  /** Functions for B5 (default: all); B1–B4 use `passthrough`, B7 `pi`, when present. */
  functions?: readonly string[];
  quick?: boolean;
  logger?: Logger;
  /** Node.js binary for the cold-start processes (B3/B4); default: the one running bench. */
  nodeBinary?: string;
  /** Also measure B1/B2 against a wasm-bindgen guest (built on first use; minutes). Default true. */
  bindgen?: boolean;
  /** B6 through the local CloudFront; provided by the emulator when it is available. */
  http?: (quick: boolean) => Promise<Figure[]>;
}

const fixture = (config: ProjectConfig, name: string): unknown =>
  JSON.parse(readFileSync(join(config.root, 'fixtures', 'events', name), 'utf8'));

function builtDir(config: ProjectConfig, name: string): string {
  const dir = join(config.outDir, name);
  try {
    statSync(join(dir, 'index.mjs'));
  } catch {
    throw new EdgeError('E_NOT_BUILT', `${name} is not built (no ${join(dir, 'index.mjs')})`, { hint: `run \`lambda-wasm build ${name}\` first` });
  }
  return dir;
}

export async function bench(options: BenchOptions): Promise<BenchReport> {
  const { config } = options;
  const quick = options.quick === true;
  const logger = options.logger ?? noopLogger;
  const figures: Figure[] = [];
  const skipped: BenchReport['skipped'] = [];
  const names = options.functions?.length ? options.functions : config.functions.map((f) => f.name);
  const has = (n: string) => names.includes(n) && config.functions.some((f) => f.name === n);

  if (has('passthrough')) {
    const dir = builtDir(config, 'passthrough');
    const event = fixture(config, 'viewer-request.json');
    logger.info('B1 warm invoke…');
    const wasm = await loadBuiltHandler(dir);
    const micro = quick ? { warmup: 500, samples: 300, batch: 10 } : { warmup: 5000, samples: 3000, batch: 10 };
    figures.push(await ratioFigure('B1', 'passthrough, viewer-request fixture', wasm, event, micro, 2));
    logger.info('B2 request bodies…');
    for (const [label, bytes] of [['1 KB', 1024], ['40 KB', 40 * 1024], ['1 MB', 1024 * 1024]] as const) {
      const scale = bytes >= 1024 * 1024 ? 100 : bytes >= 40 * 1024 ? 10 : 1;
      const opts = { warmup: Math.ceil(micro.warmup / scale), samples: Math.max(30, Math.ceil(micro.samples / scale)), batch: bytes >= 1024 * 1024 ? 1 : micro.batch };
      figures.push(await ratioFigure('B2', `passthrough, ${label} body`, wasm, withBody(event, bytes), opts, 3));
    }
    if (options.bindgen !== false) {
      logger.info('B1/B2 against a wasm-bindgen guest…');
      const bindgen = await loadBindgenBaseline(packageRoot());
      if ('reason' in bindgen) {
        skipped.push({ id: 'B1', reason: `the wasm-bindgen baseline could not be built: ${bindgen.reason}` });
      } else {
        for (const [label, e, opts] of [['viewer-request fixture', event, micro], ['40 KB body', withBody(event, 40 * 1024), { ...micro, warmup: Math.ceil(micro.warmup / 10), samples: Math.max(30, Math.ceil(micro.samples / 10)) }]] as const) {
          const ours = await timeHandler(wasm, e, opts);
          const theirs = await timeHandler(bindgen.handler, e, opts);
          figures.push({
            id: label === '40 KB body' ? 'B2' : 'B1',
            name: `passthrough, ${label}: our ABI vs a wasm-bindgen + serde guest`,
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
    logger.info('B3/B4 cold start…');
    const cold = new ColdStartBench(options.nodeBinary);
    try {
      const runs = quick ? 3 : 11;
      const w = await cold.measure(dir, event, runs);
      const j = await cold.measure(cold.jsNoopDir, event, runs);
      const ratio = w.median.wallMs / j.median.wallMs;
      figures.push({
        id: 'B3',
        name: 'cold start: fresh node, import, one invoke (passthrough)',
        unit: 'ms',
        value: w.median.wallMs,
        baseline: { name: 'JS no-op package', value: j.median.wallMs },
        ratio,
        target: { text: '≤ 1.10×', pass: ratio <= 1.1 },
        samples: runs,
        extra: { wasmRunsMs: w.wallMs, jsRunsMs: j.wallMs, adapterBreakdownMs: w.breakdown, importMs: w.median.importMs, firstInvokeMs: w.median.firstInvokeMs },
      });
      const delta = w.median.maxRssMB - j.median.maxRssMB;
      figures.push({
        id: 'B4',
        name: 'peak RSS of that process (ratio = difference in MB)',
        unit: 'MB',
        value: w.median.maxRssMB,
        baseline: { name: 'JS no-op package', value: j.median.maxRssMB },
        ratio: delta,
        target: { text: '≤ +4 MB', pass: delta <= 4 },
        samples: runs,
        extra: { wasmRunsMB: w.maxRssMB, jsRunsMB: j.maxRssMB },
      });
    } finally {
      cold.dispose();
    }
  } else {
    for (const id of ['B1', 'B2', 'B3', 'B4'] as const) skipped.push({ id, reason: 'measured on the passthrough function, which is not selected' });
  }

  for (const name of names) {
    const fn = getFunction(config, name);
    const zip = join(config.outDir, `${name}.zip`);
    let bytes: number;
    try {
      bytes = statSync(zip).size;
    } catch {
      throw new EdgeError('E_NOT_BUILT', `${zip} does not exist`, { hint: `run \`lambda-wasm build ${name}\` first` });
    }
    const limit = limitsOf(config, fn.kind).maxZipBytes;
    figures.push({
      id: 'B5',
      name: `${name} zip (${fn.kind})`,
      unit: 'bytes',
      value: bytes,
      baseline: { name: `${fn.kind} limit`, value: limit },
      ratio: bytes / limit,
      target: name === 'passthrough' ? { text: '≤ 64 KB', pass: bytes <= 64 * 1024 } : { text: `≤ limit`, pass: bytes <= limit },
      samples: 1,
    });
  }

  if (options.http !== undefined) {
    logger.info('B6 HTTP through the local CloudFront…');
    figures.push(...(await options.http(quick)));
  } else {
    skipped.push({ id: 'B6', reason: 'no HTTP benchmark was provided (the local CloudFront)' });
  }
  logger.info('V1 validator…');
  for (const c of validatorCases()) {
    const d = timeValidator(c, quick ? 200 : 2000);
    figures.push({ id: 'V1', name: `validateResult, ${c.name}`, unit: 'ns', value: d.p50, target: { text: '≤ 50 µs', pass: d.p50 <= 50_000 }, samples: d.samples, distribution: d });
  }

  if (has('pi')) {
    logger.info('B7 compute…');
    const pi = await loadBuiltHandler(builtDir(config, 'pi'));
    for (const digits of [1000, 2000, 5000]) figures.push(await computeFigure(pi, digits, quick ? 1 : 5));
  } else {
    skipped.push({ id: 'B7', reason: 'measured on the pi function, which is not selected' });
  }

  return {
    schema: 'lambda-wasm-bench/1',
    date: new Date().toISOString(),
    quick,
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, platform: `${platform()} ${release()}`, node: process.version },
    coldStartNode: options.nodeBinary === undefined ? process.version : execFileSync(options.nodeBinary, ['--version'], { encoding: 'utf8' }).trim(),
    figures,
    skipped,
  };
}

async function ratioFigure(
  id: 'B1' | 'B2',
  name: string,
  wasm: Handler,
  event: unknown,
  options: { warmup: number; samples: number; batch: number },
  maxRatio: number,
): Promise<Figure> {
  // Interleave so drift (thermal, GC of earlier runs) hits both alike.
  const wasmDist = await timeHandler(wasm, event, options);
  const floorDist = await timeHandler(jsFloor, event, options);
  const noopDist = await timeHandler(jsNoop, event, options);
  const ratio = wasmDist.p50 / floorDist.p50;
  return {
    id,
    name,
    unit: 'ns',
    value: wasmDist.p50,
    baseline: { name: 'JS floor (JSON.parse(JSON.stringify(event)))', value: floorDist.p50 },
    ratio,
    target: { text: `≤ ${maxRatio}× JS floor`, pass: ratio <= maxRatio },
    samples: wasmDist.samples,
    distribution: wasmDist,
    baselineDistribution: floorDist,
    extra: { jsNoopP50Ns: noopDist.p50, jsNoop: noopDist, eventBytes: JSON.stringify(event).length },
  };
}

async function computeFigure(pi: Handler, digits: number, runs: number): Promise<Figure> {
  const wasmMs: number[] = [];
  const jsMs: number[] = [];
  let wasmDigits = '';
  let jsDigits = '';
  for (let i = 0; i < runs; i++) {
    let t0 = performance.now();
    wasmDigits = ((await pi({ digits }, {})) as { pi: string }).pi;
    wasmMs.push(performance.now() - t0);
    t0 = performance.now();
    jsDigits = piDigitsJs(digits);
    jsMs.push(performance.now() - t0);
  }
  if (wasmDigits !== jsDigits) {
    throw new EdgeError('E_INTERNAL', `B7: the pi guest and the JS spigot disagree at ${digits} digits`);
  }
  const value = median(wasmMs);
  const baseline = median(jsMs);
  return {
    id: 'B7',
    name: `pi, ${digits} digits`,
    unit: 'ms',
    value,
    baseline: { name: 'same spigot on JS BigInt', value: baseline },
    ratio: value / baseline,
    samples: runs,
    extra: { wasmRunsMs: wasmMs, jsRunsMs: jsMs },
  };
}
