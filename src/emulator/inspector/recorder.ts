/**
 * @module
 * The inspector's memory: the last N requests' trips in a ring buffer (older ones are dropped, so
 * memory stays flat however many requests come), per-function statistics over a bounded window,
 * and listeners (the page's event stream) told about each new request.
 */
import type { FunctionConfig } from '../../config/load.js';
import type { InvocationRecord } from '../../lambda/index.js';
import type { HeaderPairs, ViewerRequest } from '../../http-types.js';
import type { Exchange } from '../pipeline.js';
import type { RequestFailure, TriggerRun } from '../triggers.js';
import type { CacheTrace, OriginTrace, StageTrace } from './trip.js';

export const DEFAULT_HISTORY = 200;
/** Request bodies up to this size are kept for replay; larger ones are noted, not stored. */
const MAX_KEPT_BODY = 64 * 1024;
/** Durations kept per function for p50/p99. */
const DURATION_WINDOW = 1000;

/** One line of the request list. */
export interface RequestSummary {
  id: number;
  /** ISO time the request arrived. */
  time: string;
  method: string;
  /** Path with the query string. */
  uri: string;
  status: number;
  xCache: string;
  behavior: string;
  durationMs: number;
  /** The functions that ran, as `eventType:name`. */
  functions: string[];
  /** The failure in one line, for a 5xx CloudFront generated. */
  failure?: string;
  /** The id of the request this one replayed. */
  replayOf?: number;
}

/** One request's whole trip. */
export interface RequestRecord extends Omit<RequestSummary, 'time'> {
  /** When the request arrived, ms since the epoch (the summary and the API give it as an ISO date). */
  startedAt: number;
  /** CloudFront's request id (X-Amz-Cf-Id). */
  requestId: string;
  path: string;
  querystring: string;
  /** The viewer's request headers, as received. */
  headers: HeaderPairs;
  /** The viewer's request body, base64 (absent when empty or over 64 KB; see bodyBytes). */
  body?: string;
  bodyBytes: number;
  clientIp: string;
  responseHeaders: HeaderPairs;
  stages: StageTrace[];
  triggers: TriggerRun[];
  cache?: CacheTrace;
  origin?: OriginTrace;
  failureDetail?: RequestFailure;
}

export interface FunctionStats {
  name: string;
  kind: string;
  invocations: number;
  /** Invocations that failed (an error, a crash, a timeout). */
  errors: number;
  /** Results CloudFront refused (a 502 LambdaValidationError). */
  validationErrors: number;
  coldStarts: number;
  /** Over the last 1000 invocations. */
  p50Ms: number | null;
  p99Ms: number | null;
  maxMemoryUsedMB: number;
  memorySizeMB: number;
  lastInitDurationMs: number | null;
}

export type RecorderEvent = { type: 'request'; request: RequestSummary } | { type: 'stats'; function: FunctionStats };

/** The viewer's request as it arrived, kept for a replay. */
export interface RecordedRequest extends ViewerRequest {
  replayOf?: number;
}

interface FunctionCounters {
  fn: FunctionConfig;
  invocations: number;
  errors: number;
  validationErrors: number;
  coldStarts: number;
  durations: number[];
  next: number;
  maxMemoryUsedMB: number;
  lastInitDurationMs: number | null;
}

export class InspectorRecorder {
  private readonly ring: Array<RequestRecord | undefined>;
  private written = 0;
  private readonly functions = new Map<string, FunctionCounters>();
  private readonly listeners = new Set<(event: RecorderEvent) => void>();

  constructor(readonly history: number = DEFAULT_HISTORY) {
    if (!Number.isInteger(history) || history < 1) throw new RangeError(`the inspector's history must be a whole number ≥ 1 (got ${history})`);
    this.ring = new Array(history);
  }

  /** Notes one request through the distribution; returns its record. */
  recordRequest(request: RecordedRequest, exchange: Exchange): RequestRecord {
    const id = ++this.written;
    const uri = request.querystring === '' ? request.path : `${request.path}?${request.querystring}`;
    const record: RequestRecord = {
      id,
      startedAt: Date.now() - exchange.durationMs,
      method: request.method,
      uri,
      status: exchange.status,
      xCache: exchange.xCache,
      behavior: exchange.behavior,
      durationMs: Math.round(exchange.durationMs * 1000) / 1000,
      functions: exchange.triggers.map((t) => `${t.eventType}:${t.function}`),
      requestId: exchange.requestId,
      path: request.path,
      querystring: request.querystring,
      headers: request.headers,
      bodyBytes: request.body.length,
      clientIp: request.clientIp,
      responseHeaders: exchange.responseHeaders ?? [],
      stages: exchange.trip?.stages ?? [],
      triggers: exchange.triggers,
    };
    // Optional fields set only when present (plain assignments: this runs on every request).
    if (exchange.failure !== undefined) {
      record.failure = oneLine(exchange.failure);
      record.failureDetail = exchange.failure;
    }
    if (request.replayOf !== undefined) record.replayOf = request.replayOf;
    if (request.body.length > 0 && request.body.length <= MAX_KEPT_BODY) record.body = request.body.toString('base64');
    if (exchange.trip?.cache !== undefined) record.cache = exchange.trip.cache;
    if (exchange.trip?.origin !== undefined) record.origin = exchange.trip.origin;
    this.ring[(id - 1) % this.history] = record;
    for (const t of exchange.triggers) if (t.outcome === 'validation-error') this.counters(t.function).validationErrors++;
    if (this.listeners.size > 0) this.emit({ type: 'request', request: summaryOf(record) });
    return record;
  }

  /** Notes one finished invocation of a function (any caller: a trigger, the Invoke API, a Function URL). */
  recordInvocation(fn: FunctionConfig, record: InvocationRecord): void {
    const c = this.counters(fn.name, fn);
    c.invocations++;
    if (!record.ok) c.errors++;
    if (record.coldStart) c.coldStarts++;
    if (record.initDurationMs !== undefined) c.lastInitDurationMs = record.initDurationMs;
    c.maxMemoryUsedMB = Math.max(c.maxMemoryUsedMB, record.maxMemoryUsedMB);
    c.durations[c.next] = record.durationMs;
    c.next = (c.next + 1) % DURATION_WINDOW;
    if (this.listeners.size > 0) this.statsChanged(c);
  }

  private readonly changed = new Set<FunctionCounters>();
  private statsTimer: NodeJS.Timeout | undefined;

  /** Stats go out at most every 500 ms: under load, sorting the window per invocation would cost. */
  private statsChanged(c: FunctionCounters): void {
    this.changed.add(c);
    if (this.statsTimer !== undefined) return;
    this.statsTimer = setTimeout(() => {
      this.statsTimer = undefined;
      const changed = [...this.changed];
      this.changed.clear();
      for (const counters of changed) this.emit({ type: 'stats', function: statsOf(counters) });
    }, 500);
    this.statsTimer.unref();
  }

  /** Newest first; at most `limit`; only those with an id above `after`. */
  requests(options: { limit?: number; after?: number } = {}): RequestSummary[] {
    return this.records(options).map(summaryOf);
  }

  /** Whole records, newest first. */
  records(options: { limit?: number; after?: number } = {}): RequestRecord[] {
    const out: RequestRecord[] = [];
    const limit = options.limit ?? this.history;
    for (let id = this.written; id > Math.max(0, this.written - this.history) && out.length < limit; id--) {
      if (options.after !== undefined && id <= options.after) break;
      const r = this.ring[(id - 1) % this.history];
      if (r !== undefined) out.push(r);
    }
    return out;
  }

  get(id: number): RequestRecord | undefined {
    if (!Number.isInteger(id) || id < 1 || id > this.written || id <= this.written - this.history) return undefined;
    return this.ring[(id - 1) % this.history];
  }

  functionStats(): FunctionStats[] {
    return [...this.functions.values()].map(statsOf);
  }

  /** How many requests were recorded since the start (the ring holds the last `history`). */
  get total(): number {
    return this.written;
  }

  get listening(): boolean {
    return this.listeners.size > 0;
  }

  /** Calls `listener` for each new request and each function's new stats; returns the unsubscribe. */
  subscribe(listener: (event: RecorderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Names every function the pool may run, so the stats list them before their first call. */
  declare(functions: readonly FunctionConfig[]): void {
    for (const fn of functions) this.counters(fn.name, fn);
  }

  private emit(event: RecorderEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure (a closed stream) must not fail the request.
      }
    }
  }

  private counters(name: string, fn?: FunctionConfig): FunctionCounters {
    let c = this.functions.get(name);
    if (c === undefined) {
      c = { fn: fn ?? ({ name, kind: 'unknown', memorySize: 0 } as unknown as FunctionConfig), invocations: 0, errors: 0, validationErrors: 0, coldStarts: 0, durations: [], next: 0, maxMemoryUsedMB: 0, lastInitDurationMs: null };
      this.functions.set(name, c);
    } else if (fn !== undefined) {
      c.fn = fn;
    }
    return c;
  }
}

export function summaryOf(r: RequestRecord): RequestSummary {
  return {
    id: r.id,
    time: new Date(r.startedAt).toISOString(),
    method: r.method,
    uri: r.uri,
    status: r.status,
    xCache: r.xCache,
    behavior: r.behavior,
    durationMs: r.durationMs,
    functions: r.functions,
    ...(r.failure === undefined ? {} : { failure: r.failure }),
    ...(r.replayOf === undefined ? {} : { replayOf: r.replayOf }),
  };
}

/** `502 viewer-request hello: <CloudFront's message> — <the first detail>`. */
export function oneLine(f: RequestFailure): string {
  const who = f.function === undefined ? f.stage : `${f.stage} ${f.function}`;
  return `${f.status} ${who}: ${f.message}${f.details.length === 0 ? '' : ` — ${f.details.join('; ')}`}`;
}

function statsOf(c: FunctionCounters): FunctionStats {
  const sorted = [...c.durations].sort((a, b) => a - b);
  return {
    name: c.fn.name,
    kind: c.fn.kind,
    invocations: c.invocations,
    errors: c.errors,
    validationErrors: c.validationErrors,
    coldStarts: c.coldStarts,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMemoryUsedMB: c.maxMemoryUsedMB,
    memorySizeMB: c.fn.memorySize,
    lastInitDurationMs: c.lastInitDurationMs,
  };
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return Math.round(v * 1000) / 1000;
}
