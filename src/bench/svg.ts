/**
 * @module
 * An SVG chart of a bench report, so people can look rather than read: each figure's ratio to its
 * baseline against the target, grouped by function, and the latency percentiles of the warm-call
 * figures beside their own baseline. Labels that do not fit are shortened (the full text is the
 * element's tooltip); values always have room at the right; ratios far off the scale are drawn to
 * the edge with a break mark and their number.
 */
import type { BenchReport, Figure } from './bench.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A sans-serif glyph is about 0.56 em wide on average; an estimate is enough to keep text apart. */
const textWidth = (text: string, size: number) => text.length * size * 0.56;

/** `text`, shortened with an ellipsis to fit `width` px at `size`. */
function fit(text: string, width: number, size: number): string {
  const max = Math.floor(width / (size * 0.56));
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1)).trimEnd()}…`;
}

/** The target as a number on the ratio axis, when it is one. */
function targetRatio(f: Figure): number | undefined {
  const m = /≤\s*([\d.]+)×/.exec(f.target?.text ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The baseline's short name: `JS floor (JSON.parse(…))` → `JS floor`. */
function baselineLabel(f: Figure): string {
  return (f.baseline?.name ?? 'baseline').replace(/\s*\(.*$/, '');
}

function duration(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e8 ? 0 : 2)} ms`;
  return `${(ns / 1000).toFixed(ns >= 1e5 ? 0 : 1)} µs`;
}

const WIDTH = 960;
const FONT = 12;

/** A section's heading: the function with its type and event, or the group's own name. */
function groupTitle(report: BenchReport, group: string): string {
  const fn = report.functions.find((f) => f.name === group);
  if (fn !== undefined) return `${group} (${fn.kind}, on ${fn.event})`;
  if (group === 'distribution') return 'distribution (HTTP through dev with wrk, 10 connections; baseline: the same distribution without triggers)';
  return group;
}

export function renderSvg(report: BenchReport): string {
  const ratios = report.figures.filter((f) => f.ratio !== undefined && f.id !== 'B4' && f.id !== 'B5');
  const micro = report.figures.filter((f) => f.distribution !== undefined && f.baselineDistribution !== undefined);
  const out: string[] = [];
  const text = (x: number, y: number, s: string, attrs = '') => out.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}"${attrs}>${esc(s)}</text>`);
  const label = (x: number, y: number, s: string, width: number, size: number, attrs = '') => {
    const shown = fit(s, width, size);
    out.push(`<text x="${x}" y="${y.toFixed(1)}" font-size="${size}"${attrs}>${shown === s ? '' : `<title>${esc(s)}</title>`}${esc(shown)}</text>`);
  };

  const title = `lambda-wasm bench — ${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}${report.quick ? ' (--quick)' : ''}`;
  text(12, 26, fit(title, WIDTH - 24, 16), ' font-size="16" font-weight="bold"');
  let y = 38;

  // The ratio chart: label column, bar area, room for the number.
  const labelWidth = Math.min(440, Math.max(160, ...ratios.map((f) => textWidth(`${f.id} ${f.name}`, FONT) + 24)));
  const left = 12 + labelWidth;
  const right = WIDTH - 80;
  const targets = ratios.map((f) => targetRatio(f) ?? 0);
  const largest = Math.max(1, ...ratios.map((f) => f.ratio!), ...targets);
  // Keep the targets readable: a ratio far beyond them goes to the edge with a break mark.
  const axisMax = Math.min(largest, Math.max(4, ...targets.map((t) => t * 2))) * 1.05;
  const x = (r: number) => left + (Math.min(r, axisMax) / axisMax) * (right - left);

  if (ratios.length > 0) {
    y += 20;
    text(12, y, 'Ratio to the baseline of the same run (lower is better; black tick = target, dashed = 1×)', ` font-size="13" font-weight="bold"`);
    y += 10;
    const top = y;
    const gridAt = out.length; // grid lines are inserted here, under the bars
    let lastGroup = '';
    for (const f of ratios) {
      if (f.group !== lastGroup) {
        y += 18;
        // A white band under the heading keeps the grid lines out of its text.
        out.push(`<rect x="0" y="${y - 13}" width="${WIDTH}" height="18" fill="white"/>`);
        label(12, y, groupTitle(report, f.group), WIDTH - 24, 12, ' font-weight="bold" fill="#333"');
        y += 4;
        lastGroup = f.group;
      }
      const colour = f.target === undefined || f.target.text.startsWith('reported') ? '#4a78b5' : f.target.pass ? '#3c9a5f' : '#c8483c';
      label(22, y + 15, `${f.id} ${f.name}`, labelWidth - 14, FONT);
      const end = x(f.ratio!);
      out.push(`<rect x="${left}" y="${y + 4}" width="${Math.max(1, end - left).toFixed(1)}" height="15" fill="${colour}"><title>${esc(`${f.ratio!.toFixed(3)}× ${baselineLabel(f)}`)}</title></rect>`);
      if (f.ratio! > axisMax) {
        out.push(`<path d="M${(end - 9).toFixed(1)} ${y + 2} l4 8 l-4 9 M${(end - 4).toFixed(1)} ${y + 2} l4 8 l-4 9" stroke="white" stroke-width="2.5" fill="none"/>`);
      }
      const t = targetRatio(f);
      // The number goes right of the bar and of the target's tick, so neither hides it.
      text(Math.max(end, t === undefined ? 0 : x(t)) + 5, y + 15, `${f.ratio!.toFixed(2)}×`, ' font-size="11"');
      if (t !== undefined) out.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${y + 1}" y2="${y + 22}" stroke="#222" stroke-width="2"/>`);
      y += 24;
    }
    const step = axisMax > 8 ? 2 : axisMax > 3 ? 1 : 0.5;
    const grid: string[] = [];
    for (let r = 0; r <= axisMax; r += step) {
      grid.push(`<line x1="${x(r).toFixed(1)}" x2="${x(r).toFixed(1)}" y1="${top}" y2="${y}" stroke="${r === 1 ? '#888' : '#e4e4e4'}"${r === 1 ? ' stroke-dasharray="4,3"' : ''}/>`);
      text(x(r) - 8, y + 14, `${Number(r.toFixed(1))}×`, ' font-size="10" fill="#666"');
    }
    out.splice(gridAt, 0, ...grid);
    y += 22;
  }

  if (micro.length > 0) {
    y += 20;
    text(12, y, 'Warm call latency: p50 (solid) / p90 / p99 (lighter), each pair on its own scale, p99 cut at the edge', ' font-size="13" font-weight="bold"');
    y += 6;
    const microLabel = Math.min(420, Math.max(180, ...micro.map((f) => textWidth(`${f.id} ${f.group}: ${f.name}`, 11) + 24)));
    const mLeft = 12 + microLabel;
    const mRight = WIDTH - 200;
    for (const f of micro) {
      // Scaled to the p90s: one slow outlier in a short run must not shrink the medians to nothing.
      const pairMax = Math.max(f.distribution!.p90, f.baselineDistribution!.p90) * 1.25;
      const scale = (v: number) => (Math.min(v, pairMax) / pairMax) * (mRight - mLeft);
      y += 6;
      for (const [name, d, colour] of [
        [`${f.id} ${f.group}: ${f.name}`, f.distribution!, '#4a78b5'],
        [`  ${baselineLabel(f)}`, f.baselineDistribution!, '#8a8a8a'],
      ] as const) {
        label(22, y + 13, name, microLabel - 14, 11, ' xml:space="preserve"');
        out.push(`<rect x="${mLeft}" y="${y + 3}" width="${scale(d.p99).toFixed(1)}" height="13" fill="${colour}" opacity="0.3"/>`);
        out.push(`<rect x="${mLeft}" y="${y + 3}" width="${scale(d.p90).toFixed(1)}" height="13" fill="${colour}" opacity="0.55"/>`);
        out.push(`<rect x="${mLeft}" y="${y + 3}" width="${Math.max(1, scale(d.p50)).toFixed(1)}" height="13" fill="${colour}"/>`);
        text(mLeft + scale(d.p99) + 6, y + 13, `${duration(d.p50)} / ${duration(d.p90)} / ${duration(d.p99)}`, ' font-size="10.5"');
        y += 17;
      }
    }
  }
  const height = y + 20;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${out.join('\n')}\n</svg>\n`;
}
