/**
 * @module
 * B6: HTTP through the local CloudFront serving the project's own distribution, with wrk (a real
 * load generator, in its own process) on loopback, 10 connections, bounded in time. For each
 * behavior that runs a selected function, one path it serves is loaded twice: through the
 * distribution as configured, and through the same distribution with every trigger removed. The
 * difference is what the triggers add. (Origin-side triggers run on cache misses only, as in
 * CloudFront, so after the first request their cost is mostly a cache hit's.)
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ProjectConfig } from '../config/load.js';
import { behaviorFor, createEmulator, parseDistribution, type BehaviorConfig } from '../emulator/index.js';
import { EdgeError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import type { Figure } from './bench.js';

const run = promisify(execFile);

export interface WrkResult {
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  requestsPerSec: number;
  requests: number;
  /** Answers with a status of 400 or more (a trigger may answer 401 or 403 by design). */
  non2xx3xx: number;
  /** Connect, read, write errors and timeouts. */
  socketErrors: number;
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
  const statuses = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    p50Ms: pct('50'),
    p90Ms: pct('90'),
    p99Ms: pct('99'),
    requestsPerSec: Number(rps?.[1] ?? 0),
    requests: Number(total?.[1] ?? 0),
    non2xx3xx: Number(statuses?.[1] ?? 0),
    socketErrors: socket === null ? 0 : socket.slice(1).reduce((n, x) => n + Number(x), 0),
  };
}

/** The command that installs wrk, for the skip message. */
export const WRK_INSTALL = 'apt-get install wrk (Debian/Ubuntu) or brew install wrk (macOS)';

async function hasWrk(): Promise<boolean> {
  try {
    await run('wrk', ['--version']);
    return true;
  } catch (error) {
    // wrk --version prints its version and exits 1; only a missing binary is ENOENT.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

async function wrk(url: string, seconds: number, connections: number): Promise<WrkResult> {
  const { stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { timeout: (seconds + 30) * 1000 });
  return parseWrk(stdout);
}

/**
 * Starts `connections` environments and waits for each first answer, however long a cold start
 * takes on a busy machine, so that wrk's timed run measures warm requests only.
 */
async function prime(url: string, connections: number): Promise<void> {
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(120_000) });
      await response.arrayBuffer();
    }),
  );
}

/** A path that `behavior` serves: its pattern with the wildcards filled in. */
function samplePath(behavior: BehaviorConfig): string {
  if (behavior.pathPattern === '*') return '/index.html';
  const path = behavior.pathPattern.replace(/\*$/, 'index.html').replace(/\*/g, 'bench').replace(/\?/g, 'a');
  return path.startsWith('/') ? path : `/${path}`;
}

/** The raw distribution with every trigger removed: the baseline. */
function withoutTriggers<D extends ProjectConfig['distribution']>(raw: D): D {
  if (raw === undefined) return raw;
  const d = structuredClone(raw);
  delete d.defaultBehavior.triggers;
  for (const b of d.behaviors ?? []) delete b.triggers;
  return d;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');

export interface HttpBenchOptions {
  quick: boolean;
  /** The selected functions; behaviors that run none of them are not loaded. */
  functions: readonly string[];
  logger?: Logger;
}

export interface HttpBenchResult {
  figures: Figure[];
  /** Why B6 was not measured, when it was not. */
  skipped?: string;
}

export async function httpBench(config: ProjectConfig, options: HttpBenchOptions): Promise<HttpBenchResult> {
  const logger = options.logger ?? noopLogger;
  if (config.distribution === undefined) {
    return { figures: [], skipped: 'the config has no "distribution": B6 loads the local CloudFront serving it (docs/dev.md)' };
  }
  const dist = parseDistribution(config);
  const remote = [...dist.origins.values()].find((o) => o.kind === 'http' && !isLoopback(o.url.hostname));
  if (remote !== undefined) {
    return { figures: [], skipped: `origin "${remote.name}" is ${remote.kind === 'http' ? remote.url.origin : ''}, not on this machine: B6 load-tests loopback only` };
  }
  const targets: Array<{ path: string; behavior: BehaviorConfig }> = [];
  for (const behavior of dist.behaviors) {
    const fns = Object.values(behavior.triggers).map((t) => t.function.name);
    if (!fns.some((n) => options.functions.includes(n))) continue;
    const path = samplePath(behavior);
    if (behaviorFor(dist, path) !== behavior || targets.some((t) => t.path === path)) continue;
    targets.push({ path, behavior });
  }
  if (targets.length === 0) return { figures: [], skipped: 'none of the selected functions is a trigger of the distribution' };
  if (!(await hasWrk())) return { figures: [], skipped: `B6 needs wrk, an HTTP load generator: ${WRK_INSTALL}` };

  const seconds = options.quick ? 2 : 8;
  const results = new Map<string, { bare: WrkResult; configured: WrkResult }>();
  for (const variant of ['bare', 'configured'] as const) {
    const distribution = variant === 'bare' ? withoutTriggers(config.distribution) : config.distribution;
    const emulator = createEmulator({ config: { ...config, distribution }, port: 0, maxEnvironments: 10 });
    try {
      const base = await emulator.ready;
      for (const { path } of targets) {
        logger.info(`B6 ${variant === 'bare' ? 'without triggers' : 'as configured'}: wrk ${seconds} s on ${path}…`);
        await prime(`${base}${path}`, 10);
        await wrk(`${base}${path}`, 1, 10); // warm-up: JIT warm, object cached
        const r = await wrk(`${base}${path}`, seconds, 10);
        results.set(path, { ...(results.get(path) ?? ({} as { bare: WrkResult; configured: WrkResult })), [variant]: r });
      }
    } finally {
      await emulator.close();
    }
  }

  const figures: Figure[] = [];
  for (const { path, behavior } of targets) {
    const { bare, configured } = results.get(path)!;
    if (bare.requests === 0 || configured.requests === 0) {
      throw new EdgeError('E_INTERNAL', `B6: no request to ${path} was answered within ${seconds} s ${bare.requests === 0 ? 'without triggers' : 'as configured'}`);
    }
    if (bare.socketErrors + configured.socketErrors > 0) {
      throw new EdgeError('E_INTERNAL', `B6: ${bare.socketErrors + configured.socketErrors} requests to ${path} failed at the socket under load`);
    }
    const triggers = Object.fromEntries(Object.entries(behavior.triggers).map(([type, t]) => [type, t.function.name]));
    const name = (p: string) => `HTTP ${p}, GET ${path} (${Object.values(triggers).join(', ')})`;
    const common = {
      group: 'distribution',
      unit: 'ms' as const,
      samples: configured.requests,
      baseline: { name: 'same distribution, no trigger', value: 0 },
    };
    const addedP50 = configured.p50Ms - bare.p50Ms;
    const addedP99 = configured.p99Ms - bare.p99Ms;
    figures.push(
      {
        ...common,
        id: 'B6',
        name: name('p50'),
        value: configured.p50Ms,
        baseline: { ...common.baseline, value: bare.p50Ms },
        ratio: configured.p50Ms / bare.p50Ms,
        target: { text: 'added p50 ≤ 0.5 ms', pass: addedP50 <= 0.5 },
        extra: { addedMs: addedP50, triggers, connections: 10, configured, noTrigger: bare },
      },
      {
        ...common,
        id: 'B6',
        name: name('p99'),
        value: configured.p99Ms,
        baseline: { ...common.baseline, value: bare.p99Ms },
        ratio: configured.p99Ms / bare.p99Ms,
        target: { text: 'added p99 ≤ 2 ms', pass: addedP99 <= 2 },
        extra: { addedMs: addedP99, triggers, connections: 10, throughput: { configured: configured.requestsPerSec, noTrigger: bare.requestsPerSec } },
      },
    );
  }
  return { figures };
}
