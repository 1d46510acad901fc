/**
 * @module
 * B6: HTTP through the local CloudFront with wrk (a real load generator, in its own process) on
 * loopback: the `passthrough` viewer-request trigger against the same distribution without a
 * trigger, 10 connections, bounded in time. Both serve from the edge cache after the first
 * request, so the difference is what the trigger adds.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProjectConfig } from '../config/load.js';
import { createEmulator } from '../emulator/index.js';
import { EdgeError } from '../errors.js';
import type { Figure } from './bench.js';

const run = promisify(execFile);

export interface WrkResult {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  requestsPerSec: number;
  requests: number;
  errors: number;
}

/** wrk's `--latency` output: `50%  312.00us`, `Requests/sec: 1234.5`. */
export function parseWrk(text: string): WrkResult {
  const pct = (p: string) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(text);
    if (m === null) throw new EdgeError('E_INTERNAL', `wrk printed no ${p}% latency:\n${text}`);
    return Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1);
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const total = /(\d+) requests in/.exec(text);
  const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    p50Ms: pct('50'),
    p90Ms: pct('90'),
    p99Ms: pct('99'),
    requestsPerSec: Number(rps?.[1] ?? 0),
    requests: Number(total?.[1] ?? 0),
    errors: Number(errors?.[1] ?? 0) + (socket === null ? 0 : socket.slice(1).reduce((n, x) => n + Number(x), 0)),
  };
}

async function wrk(url: string, seconds: number, connections: number): Promise<WrkResult> {
  try {
    const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { timeout: (seconds + 30) * 1000 });
    return parseWrk(stdout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new EdgeError('E_TOOLCHAIN_MISSING', 'B6 needs wrk, the HTTP load generator', { hint: 'apt-get install wrk (npm test\'s set-up installs it)' });
    }
    throw error;
  }
}

export async function httpBench(config: ProjectConfig, quick: boolean): Promise<Figure[]> {
  if (!config.functions.some((f) => f.name === 'passthrough' && f.kind === 'viewer-request')) return [];
  const origin = { site: { folder: 'examples/site' } };
  const seconds = quick ? 2 : 8;
  const results: WrkResult[] = [];
  for (const triggers of [{}, { 'viewer-request': 'passthrough' }]) {
    const emulator = createEmulator({ config: { ...config, distribution: { origins: origin, defaultBehavior: { origin: 'site', triggers } } }, port: 0, maxEnvironments: 10 });
    try {
      const url = `${await emulator.ready}/index.html`;
      await wrk(url, 1, 10); // warm-up: environments started, JIT warm, object cached
      results.push(await wrk(url, seconds, 10));
    } finally {
      await emulator.close();
    }
  }
  const [bare, passthrough] = results as [WrkResult, WrkResult];
  if (bare.errors + passthrough.errors > 0) {
    throw new EdgeError('E_INTERNAL', `B6: ${bare.errors + passthrough.errors} requests failed under load`);
  }
  const addedP50 = passthrough.p50Ms - bare.p50Ms;
  const addedP99 = passthrough.p99Ms - bare.p99Ms;
  const common = { unit: 'ms' as const, samples: passthrough.requests };
  return [
    {
      id: 'B6',
      name: 'HTTP p50 through dev, passthrough viewer-request (10 connections, wrk)',
      ...common,
      value: passthrough.p50Ms,
      baseline: { name: 'same distribution, no trigger', value: bare.p50Ms },
      ratio: passthrough.p50Ms / bare.p50Ms,
      target: { text: 'added p50 ≤ 0.5 ms', pass: addedP50 <= 0.5 },
      extra: { addedMs: addedP50, passthrough, noTrigger: bare },
    },
    {
      id: 'B6',
      name: 'HTTP p99 through dev, passthrough viewer-request (10 connections, wrk)',
      ...common,
      value: passthrough.p99Ms,
      baseline: { name: 'same distribution, no trigger', value: bare.p99Ms },
      ratio: passthrough.p99Ms / bare.p99Ms,
      target: { text: 'added p99 ≤ 2 ms', pass: addedP99 <= 2 },
      extra: { addedMs: addedP99, throughput: { passthrough: passthrough.requestsPerSec, noTrigger: bare.requestsPerSec } },
    },
  ];
}
