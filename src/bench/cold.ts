/**
 * @module
 * B3/B4: a fresh `node` process imports a package's handler and invokes it once; wall time and
 * peak RSS, medians over several runs, against the same for a JavaScript no-op package. The
 * runner also reports the adapter's own breakdown (read, compile, instantiate, guest init).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { median } from './stats.js';

const run = promisify(execFile);

const RUNNER = `const t0 = performance.now();
const mod = await import(process.argv[2]);
const t1 = performance.now();
const event = JSON.parse(process.argv[3]);
console.info = console.log = () => {};
await mod.handler(event, { awsRequestId: 'cold', getRemainingTimeInMillis: () => 5000 });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ importMs: t1 - t0, firstInvokeMs: t2 - t1, maxRssKB: process.resourceUsage().maxRSS, init: mod.initTimings ?? null }));
`;

export interface ColdSample {
  wallMs: number;
  importMs: number;
  firstInvokeMs: number;
  maxRssMB: number;
  init: Record<string, number> | null;
}

export interface ColdResult {
  runs: number;
  wallMs: number[];
  maxRssMB: number[];
  median: { wallMs: number; importMs: number; firstInvokeMs: number; maxRssMB: number };
  /** Median of each part of the adapter's cold start, ms (absent for the JS baseline). */
  breakdown: Record<string, number> | null;
}

export class ColdStartBench {
  private readonly dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-cold-'));
  readonly jsNoopDir = join(this.dir, 'js-noop');
  private readonly runner = join(this.dir, 'runner.mjs');

  constructor(private readonly nodeBinary: string = process.execPath) {
    writeFileSync(this.runner, RUNNER);
    mkdirSync(this.jsNoopDir);
    writeFileSync(join(this.jsNoopDir, 'index.mjs'), 'export const handler = async (event) => event.Records[0].cf.request;\n');
  }

  async measure(packageDir: string, event: unknown, runs: number): Promise<ColdResult> {
    const samples: ColdSample[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const { stdout } = await run(this.nodeBinary, [this.runner, pathToFileURL(join(packageDir, 'index.mjs')).href, JSON.stringify(event)]);
      const wallMs = performance.now() - t0;
      const r = JSON.parse(stdout) as { importMs: number; firstInvokeMs: number; maxRssKB: number; init: Record<string, number> | null };
      samples.push({ wallMs, importMs: r.importMs, firstInvokeMs: r.firstInvokeMs, maxRssMB: r.maxRssKB / 1024, init: r.init });
    }
    const init = samples[0]!.init;
    return {
      runs,
      wallMs: samples.map((s) => s.wallMs),
      maxRssMB: samples.map((s) => s.maxRssMB),
      median: {
        wallMs: median(samples.map((s) => s.wallMs)),
        importMs: median(samples.map((s) => s.importMs)),
        firstInvokeMs: median(samples.map((s) => s.firstInvokeMs)),
        maxRssMB: median(samples.map((s) => s.maxRssMB)),
      },
      breakdown: init === null ? null : Object.fromEntries(Object.keys(init).map((k) => [k, median(samples.map((s) => s.init![k]!))])),
    };
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
