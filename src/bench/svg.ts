/**
 * @module
 * An SVG chart of a bench report, so people can look rather than read: each figure's ratio to its
 * baseline against the target, and the latency percentiles of the warm-invoke figures.
 */
import type { BenchReport, Figure } from './bench.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The target as a number on the ratio axis, when it is one. */
function targetRatio(f: Figure): number | undefined {
  const m = /≤\s*([\d.]+)×/.exec(f.target?.text ?? '');
  return m ? Number(m[1]) : undefined;
}

export function renderSvg(report: BenchReport): string {
  const ratios = report.figures.filter((f) => f.ratio !== undefined && f.id !== 'B4' && f.id !== 'B5');
  const micro = report.figures.filter((f) => f.distribution !== undefined && f.baselineDistribution !== undefined);
  const width = 760;
  const row = 26;
  const left = 300;
  const barMax = width - left - 60;
  const maxRatio = Math.max(2, ...ratios.map((f) => f.ratio!), ...ratios.map((f) => targetRatio(f) ?? 0)) * 1.1;
  const x = (r: number) => left + (r / maxRatio) * barMax;
  const out: string[] = [];
  let y = 40;
  out.push(`<text x="10" y="24" font-size="16" font-weight="bold">lambda-wasm bench — ${esc(report.machine.cpu)}, ${report.machine.cores} cores, Node ${esc(report.machine.node)}</text>`);
  out.push(`<text x="10" y="${y + 10}" font-size="13" font-weight="bold">Ratio to the baseline of the same run (lower is better; | = target)</text>`);
  y += 24;
  for (const f of ratios) {
    const colour = f.target === undefined ? '#4a78b5' : f.target.pass ? '#3c9a5f' : '#c8483c';
    out.push(`<text x="10" y="${y + 15}" font-size="12">${esc(`${f.id} ${f.name}`)}</text>`);
    out.push(`<rect x="${left}" y="${y + 3}" width="${Math.max(1, x(f.ratio!) - left).toFixed(1)}" height="16" fill="${colour}"/>`);
    out.push(`<text x="${(x(f.ratio!) + 4).toFixed(1)}" y="${y + 15}" font-size="11">${f.ratio!.toFixed(2)}×</text>`);
    const t = targetRatio(f);
    if (t !== undefined) out.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y}" y2="${y + 22}" stroke="#222" stroke-width="2"/>`);
    y += row;
  }
  out.push(`<line x1="${x(1).toFixed(1)}" x2="${x(1).toFixed(1)}" y1="64" y2="${y}" stroke="#999" stroke-dasharray="3,3"/>`);
  if (micro.length > 0) {
    y += 20;
    out.push(`<text x="10" y="${y}" font-size="13" font-weight="bold">Warm invoke latency, µs: p50 / p90 / p99 (blue: Wasm guest, grey: JS floor)</text>`);
    y += 12;
    const maxUs = Math.max(...micro.map((f) => Math.max(f.distribution!.p99, f.baselineDistribution!.p99) / 1000));
    const scale = (v: number) => (v / 1000 / maxUs) * barMax;
    for (const f of micro) {
      for (const [label, d, colour] of [
        [`${f.id} ${f.name}`, f.distribution!, '#4a78b5'],
        ['JS floor', f.baselineDistribution!, '#9a9a9a'],
      ] as const) {
        out.push(`<text x="10" y="${y + 13}" font-size="11">${esc(label)}</text>`);
        out.push(`<rect x="${left}" y="${y + 2}" width="${scale(d.p99).toFixed(1)}" height="14" fill="${colour}" opacity="0.35"/>`);
        out.push(`<rect x="${left}" y="${y + 2}" width="${scale(d.p90).toFixed(1)}" height="14" fill="${colour}" opacity="0.6"/>`);
        out.push(`<rect x="${left}" y="${y + 2}" width="${scale(d.p50).toFixed(1)}" height="14" fill="${colour}"/>`);
        out.push(`<text x="${(left + scale(d.p99) + 4).toFixed(1)}" y="${y + 13}" font-size="10">${(d.p50 / 1000).toFixed(1)} / ${(d.p90 / 1000).toFixed(1)} / ${(d.p99 / 1000).toFixed(1)}</text>`);
        y += 18;
      }
      y += 6;
    }
  }
  const height = y + 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${out.join('\n')}\n</svg>\n`;
}
