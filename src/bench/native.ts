/**
 * @module
 * The native target in numbers (docs/native.md), both through the local Runtime API, as Lambda
 * would run them:
 * - B7, native: the pi spigot at 1 000 / 2 000 / 5 000 (and, in full mode, 10 000) digits in the
 *   native `bootstrap` (the REPORT line's Duration of warm invocations), beside the Wasm guest on
 *   Node.js and the same spigot on JavaScript BigInt, all in one run.
 * - B8: cold start, from spawning the environment to the first response, with Lambda's Init
 *   Duration and Max Memory Used, for the native bootstrap, the Wasm-on-Node package, a Node.js
 *   JavaScript handler, and AWS's `lambda_runtime` hello-world (the field's reference).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectConfig } from '../config/load.js';
import { EdgeError } from '../errors.js';
import { FunctionRunner } from '../lambda/index.js';
import type { Logger } from '../logger.js';
import type { Figure as GroupedFigure, FigureId } from './bench.js';

/** bench() puts these figures in the `native` group. */
type Figure = Omit<GroupedFigure, 'group'>;
import { loadBuiltHandler } from './micro.js';
import { lambdaRuntimeHello } from './native-reference.js';
import { piDigitsJs } from './pi-js.js';
import { median } from './stats.js';

export interface NativeBenchOptions {
  config: ProjectConfig;
  /** The native and the Wasm build of the pi example (default `pi-native`, `pi`). */
  native?: string;
  wasm?: string;
  quick: boolean;
  logger: Logger;
  /** Where `bench-guests/` and `.cache/` are (the lambda-wasm package). */
  packageRoot: string;
  /** Build and measure the lambda_runtime reference (minutes on first use). Default true. */
  reference?: boolean;
}

export interface NativeBenchResult {
  figures: Figure[];
  skipped: Array<{ id: FigureId; reason: string }>;
}

export async function nativeBench(options: NativeBenchOptions): Promise<NativeBenchResult> {
  const { config, quick, logger } = options;
  const nativeName = options.native ?? 'pi-native';
  const wasmName = options.wasm ?? 'pi';
  const nativeDir = join(config.outDir, nativeName);
  const wasmDir = join(config.outDir, wasmName);
  for (const [name, file] of [[nativeName, join(nativeDir, 'bootstrap')], [wasmName, join(wasmDir, 'index.mjs')]] as const) {
    try {
      readFileSync(file);
    } catch {
      throw new EdgeError('E_NOT_BUILT', `${name} is not built (no ${file})`, { hint: `run \`lambda-wasm build ${name}\` first` });
    }
  }
  const figures: Figure[] = [];
  const skipped: NativeBenchResult['skipped'] = [];

  logger.info('B7 native: pi through the local Runtime API…');
  figures.push(...(await piFigures(nativeDir, wasmDir, quick)));

  logger.info('B8 cold starts through the local Runtime API…');
  const scratch = mkdtempSync(join(tmpdir(), 'lambda-wasm-b8-'));
  try {
    const jsDir = join(scratch, 'js');
    mkdirSync(jsDir);
    // The same spigot as a plain Node.js handler: what a JavaScript team would deploy.
    writeFileSync(join(jsDir, 'index.mjs'), `${piDigitsJs.toString().replace('function piDigitsJs', 'function pi')}\nexport const handler = async (event) => ({ digits: event.digits, pi: pi(event.digits) });\n`);
    const runs = quick ? 3 : 11;
    const event = { digits: 10 };
    const native = await coldStarts(nativeDir, 'provided', runs, event);
    const wasm = await coldStarts(wasmDir, 'nodejs', runs, event);
    const js = await coldStarts(jsDir, 'nodejs', runs, event);
    let reference: ColdStarts | undefined;
    if (options.reference !== false) {
      // --quick never spends minutes compiling tokio: it measures the reference only once built.
      const built = await lambdaRuntimeHello(options.packageRoot, logger, !quick);
      if ('reason' in built) skipped.push({ id: 'B8', reason: `the lambda_runtime reference: ${built.reason}` });
      else reference = await coldStarts(built.dir, 'provided', runs, { name: 'bench' });
    }
    const ratio = native.firstResponseMs / js.firstResponseMs;
    figures.push({
      id: 'B8',
      name: 'cold start to first response: native bootstrap vs a Node.js JS handler',
      unit: 'ms',
      value: native.firstResponseMs,
      baseline: { name: 'Node.js JS handler', value: js.firstResponseMs },
      ratio,
      target: { text: '≤ 0.25×', pass: ratio <= 0.25 },
      samples: runs,
      extra: { native, js, wasm, ...(reference === undefined ? {} : { lambdaRuntime: reference }) },
    });
    figures.push({
      id: 'B8',
      name: 'cold start to first response: Wasm on Node.js vs a Node.js JS handler',
      unit: 'ms',
      value: wasm.firstResponseMs,
      baseline: { name: 'Node.js JS handler', value: js.firstResponseMs },
      ratio: wasm.firstResponseMs / js.firstResponseMs,
      target: { text: 'reported', pass: true },
      samples: runs,
    });
    if (reference !== undefined) {
      const r = native.firstResponseMs / reference.firstResponseMs;
      figures.push({
        id: 'B8',
        name: 'cold start to first response: native bootstrap vs lambda_runtime hello-world',
        unit: 'ms',
        value: native.firstResponseMs,
        baseline: { name: 'lambda_runtime (tokio) hello-world', value: reference.firstResponseMs },
        ratio: r,
        target: { text: '≤ 1.00×', pass: r <= 1 },
        samples: runs,
      });
    }
    for (const [label, c] of [['native bootstrap', native], ['Wasm on Node.js', wasm], ['Node.js JS handler', js], ...(reference === undefined ? [] : [['lambda_runtime hello-world', reference] as const])] as const) {
      figures.push({ id: 'B8', name: `Init Duration, ${label}`, unit: 'ms', value: c.initMs, samples: runs, extra: { runsMs: c.initRunsMs } });
      figures.push({ id: 'B8', name: `Max Memory Used, ${label}`, unit: 'MB', value: c.maxMemoryMB, samples: runs });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { figures, skipped };
}

async function piFigures(nativeDir: string, wasmDir: string, quick: boolean): Promise<Figure[]> {
  const runner = new FunctionRunner({ name: 'pi-native', codeDir: nativeDir, memorySize: 1024, timeout: 300, runtime: 'provided' }, { maxEnvironments: 1 });
  const wasm = await loadBuiltHandler(wasmDir);
  const runs = quick ? 1 : 3;
  const figures: Figure[] = [];
  const silence = { info: console.info, log: console.log };
  try {
    await runner.invoke({ digits: 10 }); // the cold start is B8's business
    console.info = console.log = () => {};
    for (const digits of quick ? [1000, 2000, 5000] : [1000, 2000, 5000, 10000]) {
      const nativeMs: number[] = [];
      const wasmMs: number[] = [];
      const jsMs: number[] = [];
      let answers: string[] = [];
      for (let i = 0; i < runs; i++) {
        const record = await runner.invoke({ digits });
        if (!record.ok) throw new EdgeError('E_INTERNAL', `B7: pi-native failed at ${digits} digits: ${record.error?.errorType}: ${record.error?.errorMessage}`);
        nativeMs.push(record.durationMs);
        let t0 = performance.now();
        const w = (await wasm({ digits }, {})) as { pi: string };
        wasmMs.push(performance.now() - t0);
        t0 = performance.now();
        const j = piDigitsJs(digits);
        jsMs.push(performance.now() - t0);
        answers = [(record.result as { pi: string }).pi, w.pi, j];
      }
      if (new Set(answers).size !== 1) throw new EdgeError('E_INTERNAL', `B7: native, Wasm and JS disagree at ${digits} digits`);
      const value = median(nativeMs);
      const js = median(jsMs);
      figures.push({
        id: 'B7',
        name: `pi, ${digits} digits: native bootstrap (Wasm on Node.js ${median(wasmMs).toFixed(0)} ms)`,
        unit: 'ms',
        value,
        baseline: { name: 'same spigot on JS BigInt', value: js },
        ratio: value / js,
        // ≥ 4× faster than JavaScript at 5 000 digits; reported elsewhere.
        target: digits === 5000 ? { text: '≤ 0.25× (≥ 4× faster)', pass: value / js <= 0.25 } : { text: 'reported', pass: true },
        samples: runs,
        extra: { nativeRunsMs: nativeMs, wasmRunsMs: wasmMs, jsRunsMs: jsMs, wasmMs: median(wasmMs), nativeVsWasm: median(wasmMs) / value },
      });
    }
  } finally {
    Object.assign(console, silence);
    await runner.dispose();
  }
  return figures;
}

interface ColdStarts {
  /** Median wall time from starting the environment to the first response. */
  firstResponseMs: number;
  initMs: number;
  maxMemoryMB: number;
  runsMs: number[];
  initRunsMs: number[];
}

/** `runs` fresh environments, each started and invoked once, as a cold invocation on Lambda. */
async function coldStarts(codeDir: string, runtime: 'nodejs' | 'provided', runs: number, event: unknown): Promise<ColdStarts> {
  const wall: number[] = [];
  const init: number[] = [];
  const memory: number[] = [];
  for (let i = 0; i < runs; i++) {
    const runner = new FunctionRunner({ name: 'cold', codeDir, memorySize: 128, timeout: 30, runtime, isolation: 'process' }, { maxEnvironments: 1 });
    try {
      const t0 = performance.now();
      const record = await runner.invoke(event);
      wall.push(performance.now() - t0);
      if (!record.ok) throw new EdgeError('E_INTERNAL', `B8: ${codeDir} failed: ${record.error?.errorType}: ${record.error?.errorMessage}`);
      init.push(record.initDurationMs ?? 0);
      memory.push(record.maxMemoryUsedMB);
    } finally {
      await runner.dispose();
    }
  }
  return { firstResponseMs: median(wall), initMs: median(init), maxMemoryMB: median(memory), runsMs: wall, initRunsMs: init };
}
