import { defineCommand } from 'citty';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../config/load.js';
import { bench, type BenchReport, type Figure } from '../../bench/bench.js';
import { renderSvg } from '../../bench/svg.js';
import { functionNames, resolveNodeArg } from '../args.js';
import { ExitCode } from '../exit.js';
import { formatBytes, paint, stderrLogger } from '../output.js';

export default defineCommand({
  meta: { name: 'bench', description: 'Measure what Wasm costs and wins (B1–B7) against baselines of the same run' },
  args: {
    functions: { type: 'positional', required: false, description: 'functions to measure (default: all)' },
    quick: { type: 'boolean', description: 'fewer samples: a minute instead of several' },
    json: { type: 'string', description: 'also write the report as JSON to this file, and an SVG chart beside it' },
    node: { type: 'string', description: 'Node.js for the cold-start processes: 22 or 24 (Lambda\'s nodejs22.x/24.x), or a path' },
    bindgen: { type: 'boolean', default: true, description: 'compare with a wasm-bindgen guest too (--no-bindgen skips it; its first build takes minutes)' },
    config: { type: 'string', description: 'config file' },
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    const http = await loadHttpBench();
    const nodeBinary = resolveNodeArg(args.node);
    const report = await bench({
      config,
      functions: functionNames(args),
      quick: args.quick === true,
      bindgen: args.bindgen !== false,
      logger: stderrLogger,
      ...(nodeBinary === undefined ? {} : { nodeBinary }),
      ...(http ? { http: (q: boolean) => http(config, q) } : {}),
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

/** B6 needs the local CloudFront; it is loaded only when that module exists. */
async function loadHttpBench(): Promise<((config: ReturnType<typeof loadConfig>, quick: boolean) => Promise<Figure[]>) | undefined> {
  try {
    const mod = (await import('../../bench/http.js' as string)) as { httpBench?: (config: unknown, quick: boolean) => Promise<Figure[]> };
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

export function renderTable(report: BenchReport): string {
  const rows = report.figures.map((f) => [
    f.id,
    f.name,
    fmt(f.value, f.unit),
    f.baseline ? `${fmt(f.baseline.value, f.unit)} (${f.baseline.name})` : '',
    f.ratio === undefined ? '' : f.id === 'B4' ? `${f.ratio >= 0 ? '+' : ''}${f.ratio.toFixed(1)} MB` : `${f.ratio.toFixed(2)}×`,
    f.target ? `${f.target.pass ? paint.green('pass') : paint.red('FAIL')} ${f.target.text}` : 'reported',
  ]);
  const header = ['id', 'figure', 'value (p50)', 'baseline, same run', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => stripAnsi(r[i]!).length)));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - stripAnsi(c).length)).join('  ');
  const out = [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)];
  for (const s of report.skipped) out.push(`${s.id}  not measured: ${s.reason}`);
  out.push(`${report.machine.cpu} × ${report.machine.cores}, ${report.machine.platform}, Node ${report.machine.node} (cold starts on ${report.coldStartNode})${report.quick ? ', --quick' : ''}`);
  return `${out.join('\n')}\n`;
}

function stripAnsi(s: string): string {
  return s.replace(/\u001b\[\d+m/g, '');
}
