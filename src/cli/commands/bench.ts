import { defineCommand } from 'citty';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { bench, type BenchReport, type Figure } from '../../bench/bench.js';
import { BINDGEN_BUILD_COMMAND } from '../../bench/bindgen.js';
import type { HttpBenchOptions, HttpBenchResult } from '../../bench/http.js';
import { renderSvg } from '../../bench/svg.js';
import { PHASE_LABELS, type ColdPhases, type ResidentSplit } from '../../bench/cold.js';
import { functionNames, resolveNodeArg } from '../args.js';
import { ExitCode } from '../exit.js';
import { formatBytes, paint, stderrLogger } from '../output.js';
import { configFlag } from './shared-flags.js';

export default defineCommand({
  meta: {
    name: 'bench',
    description:
      'Measure your built functions against JavaScript baselines of the same run (B1–B7, docs/bench.md): warm calls on each one\'s fixture against the JS floor, cold start and memory against a JS package logging the same lines, zip sizes, HTTP through the distribution. Builds and installs nothing.',
  },
  args: {
    functions: { type: 'positional', required: false, description: 'functions to measure (default: all but native ones, which have no Node.js package)' },
    quick: { type: 'boolean', description: 'a short run with fewer samples (seconds per function): a first look, not figures to quote' },
    json: { type: 'string', description: 'also write the report as JSON to this file, and an SVG chart beside it' },
    node: { type: 'string', description: 'Node.js for the cold-start processes: 22 or 24 (Lambda\'s nodejs22.x/24.x), or a path' },
    baselines: {
      type: 'boolean',
      description: `in the lambda-wasm repository, also its own baselines: passthrough against a wasm-bindgen guest, B7 (pi against JS BigInt), and with a pi-native function B7 native and B8 (native cold starts, with AWS's lambda_runtime hello-world built from crates.io). The first run builds that guest, about 7 minutes with progress shown (${BINDGEN_BUILD_COMMAND} does it ahead)`,
    },
    ...configFlag,
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    const http = await loadHttpBench();
    const nodeBinary = resolveNodeArg(args.node);
    const report = await bench({
      config,
      functions: functionNames(args),
      quick: args.quick === true,
      baselines: args.baselines === true,
      logger: stderrLogger,
      ...(nodeBinary === undefined ? {} : { nodeBinary }),
      ...(http ? { http: (o) => http(config, o) } : {}),
    });
    process.stdout.write(renderTable(report));
    if (typeof args.json === 'string') {
      writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
      const svg = args.json.replace(/\.json$/, '') + '.svg';
      writeFileSync(svg, renderSvg(report));
      process.stderr.write(`wrote ${args.json} and ${svg}\n`);
    }
    return ExitCode.Ok;
  },
});

type HttpBench = (config: ReturnType<typeof loadConfig>, options: HttpBenchOptions) => Promise<HttpBenchResult>;

/** B6 needs the local CloudFront; it is loaded only when that module exists. */
async function loadHttpBench(): Promise<HttpBench | undefined> {
  try {
    const mod = (await import('../../bench/http.js' as string)) as { httpBench?: HttpBench };
    return mod.httpBench;
  } catch {
    return undefined;
  }
}

function fmt(value: number, unit: Figure['unit']): string {
  switch (unit) {
    case 'ns':
      return value >= 1e6 ? `${(value / 1e6).toFixed(2)} ms` : `${(value / 1000).toFixed(2)} µs`;
    case 'ms':
      return `${value.toFixed(2)} ms`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
    case 'bytes':
      return formatBytes(value);
    case 'req/s':
      return `${value.toFixed(0)} req/s`;
  }
}

/** What the short baseline names of the table stand for. */
const BASELINE_MEANINGS: ReadonlyArray<readonly [string, string]> = [
  ['JS floor', 'JSON.parse(JSON.stringify(event)) on the same event, in the same process'],
  ['JS package', 'a JavaScript handler that logs what the guest logged on that event and returns its result'],
  ['wasm-bindgen guest', 'the same passthrough built with wasm-bindgen, the event converted with serde (bench-guests/)'],
];

/** One table, a section per function (then the distribution, the validator, the repository's baselines). */
export function renderTable(report: BenchReport): string {
  const row = (f: Figure) => [
    f.id,
    f.name,
    fmt(f.value, f.unit),
    f.baseline ? `${fmt(f.baseline.value, f.unit)} (${f.baseline.name.replace(/\s*\(.*$/, '')})` : '',
    f.ratio === undefined ? '' : f.id === 'B4' ? `${f.ratio >= 0 ? '+' : ''}${f.ratio.toFixed(1)} MB` : `${f.ratio.toFixed(2)}×`,
    f.target ? (f.target.text.startsWith('reported') ? f.target.text : `${f.target.pass ? paint.green('pass') : paint.red('FAIL')} ${f.target.text}`) : 'reported',
  ];
  const header = ['id', 'figure', 'value (p50)', 'baseline, same run', 'ratio', 'target'];
  const present = new Set([...report.figures.map((f) => f.group), ...report.skipped.map((s) => s.group)]);
  const order = [...report.functions.map((f) => f.name), 'distribution', 'validator', 'repository baselines', 'native'];
  const groups = [...new Set([...order.filter((g) => present.has(g)), ...present])];
  const rows = report.figures.map(row);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => stripAnsi(r[i]!).length)));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - stripAnsi(c).length)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  ')];
  for (const group of groups) {
    const fn = report.functions.find((f) => f.name === group);
    const title = fn !== undefined ? `${group} (${fn.kind}, on ${fn.event})` : group === 'distribution' ? 'distribution (HTTP through dev, wrk, 10 connections on loopback)' : group;
    out.push(paint.bold(title));
    for (const f of report.figures.filter((x) => x.group === group)) {
      out.push(line(row(f)));
      if (f.id === 'B3') out.push(...coldPhaseLines(f));
      if (f.id === 'B4') out.push(...residentLines(f));
    }
    for (const s of report.skipped.filter((x) => x.group === group)) out.push(`${s.id}  not measured: ${s.reason}`);
  }
  const baselines = new Set(report.figures.map((f) => f.baseline?.name ?? ''));
  for (const [prefix, meaning] of BASELINE_MEANINGS) {
    if ([...baselines].some((b) => b.startsWith(prefix))) out.push(paint.dim(`${prefix}: ${meaning}`));
  }
  out.push(`${report.machine.cpu} × ${report.machine.cores}, ${report.machine.platform}, Node ${report.machine.node} (cold starts on ${report.coldStartNode})${report.quick ? ', --quick' : ''}`);
  return `${out.join('\n')}\n`;
}

/** B3 split into its phases (medians, ms), Wasm above the JS package, and the CPU time of each process. */
export function coldPhaseLines(f: Figure): string[] {
  const phases = f.extra?.['phasesMs'] as { wasm: Partial<Record<keyof ColdPhases, number>>; js: Partial<Record<keyof ColdPhases, number>> } | undefined;
  const cpu = f.extra?.['cpuMs'] as { wasm: number; js: number; ratio: number } | undefined;
  if (phases === undefined) return [];
  const keys = Object.keys(PHASE_LABELS) as Array<keyof ColdPhases>;
  const cells = (p: Partial<Record<keyof ColdPhases, number>>) =>
    keys.filter((k) => p[k] !== undefined).map((k) => `${PHASE_LABELS[k]} ${p[k]!.toFixed(2)}`).join(' · ');
  const lines = [
    paint.dim(`    phases, ms   Wasm:  ${cells(phases.wasm)}`),
    paint.dim(`                 JS:    ${cells(phases.js)}`),
  ];
  const floor = f.extra?.['floor'] as { wallMs: number; ratio: number; guestCodeMs: number; budgetMs: number; phasesMs: Partial<Record<keyof ColdPhases, number>> } | null | undefined;
  if (floor !== null && floor !== undefined) {
    lines.push(paint.dim(`                 floor: ${cells(floor.phasesMs)}`));
  }
  if (cpu !== undefined) lines.push(paint.dim(`    CPU time     Wasm ${cpu.wasm.toFixed(1)} ms, JS ${cpu.js.toFixed(1)} ms: ${cpu.ratio.toFixed(2)}× (user + system, all threads; steadier than wall time on a busy machine)`));
  if (floor !== null && floor !== undefined) {
    const signed = (ms: number) => `${ms >= 0 ? '+' : ''}${ms.toFixed(2)} ms`;
    lines.push(
      paint.dim(
        `    Wasm floor   ${floor.wallMs.toFixed(2)} ms, ${floor.ratio.toFixed(2)}× (a guest doing only the same logging and result, through the same adapter: what any Wasm package costs here) · ` +
          `this guest's code ${signed(floor.guestCodeMs)} · within 1.10× it may add ${signed(floor.budgetMs)}`,
      ),
    );
  }
  return lines;
}

/** B4's difference by kind of page (medians at the end of the runs; Linux only). */
export function residentLines(f: Figure): string[] {
  const resident = f.extra?.['residentMB'] as { wasm: ResidentSplit; js: ResidentSplit } | null | undefined;
  const floor = f.extra?.['floor'] as { maxRssMB: number; deltaMB: number; guestMB: number } | null | undefined;
  const signed = (mb: number) => `${mb >= 0 ? '+' : ''}${mb.toFixed(1)} MB`;
  const lines: string[] = [];
  if (resident !== null && resident !== undefined) {
    const { wasm, js } = resident;
    lines.push(
      paint.dim(
        `    resident     file-backed ${wasm.fileBacked.toFixed(1)} MB vs ${js.fileBacked.toFixed(1)} (${signed(wasm.fileBacked - js.fileBacked)}: node's own code and data that ran, read-only, shared) · ` +
          `allocated ${wasm.anonymous.toFixed(1)} MB vs ${js.anonymous.toFixed(1)} (${signed(wasm.anonymous - js.anonymous)}: heaps, Wasm memory and code)`,
      ),
    );
  }
  if (floor !== null && floor !== undefined) {
    lines.push(paint.dim(`    Wasm floor   ${floor.maxRssMB.toFixed(1)} MB, ${signed(floor.deltaMB)} (B3's Wasm floor package: what any Wasm package adds here) · this guest ${signed(floor.guestMB)}`));
  }
  return lines;
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[\d+m/g, '');
}
