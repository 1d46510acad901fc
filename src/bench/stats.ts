/**
 * @module
 * Distributions from Node's built-in HDR histogram (`perf_hooks.createHistogram`), so percentiles
 * come from a histogram rather than a sorted copy of every sample.
 */
import { createHistogram } from 'node:perf_hooks';

export interface Distribution {
  unit: 'ns' | 'ms';
  samples: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Values are recorded as integers in `unit` (the histogram is integer-valued). */
export function distribution(values: readonly number[], unit: Distribution['unit']): Distribution {
  if (values.length === 0) throw new Error('a distribution needs at least one sample');
  const scale = unit === 'ms' ? 1000 : 1; // ms values keep µs resolution
  const h = createHistogram();
  for (const v of values) h.record(Math.max(1, Math.round(v * scale)));
  return {
    unit,
    samples: values.length,
    p50: h.percentile(50) / scale,
    p90: h.percentile(90) / scale,
    p99: h.percentile(99) / scale,
    mean: h.mean / scale,
    min: h.min / scale,
    max: h.max / scale,
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
