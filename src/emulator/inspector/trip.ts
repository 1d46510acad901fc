/**
 * @module
 * One request's trip through the local CloudFront, as the pipeline notes it when someone keeps
 * the record (the inspector): each stage in CloudFront's order with when it started and how long
 * it took, the stages that did not run and why, the cache lookup, what went to the origin and came
 * back. The pipeline only fills a `Trip` when it is given one, so without the inspector the
 * request path does no extra work.
 */
import { performance } from 'node:perf_hooks';
import type { HeaderPairs } from '../../http-types.js';

export const STAGES = ['viewer-request', 'cache', 'origin-request', 'origin', 'origin-response', 'viewer-response'] as const;
export type StageName = (typeof STAGES)[number];

export interface StageTrace {
  stage: StageName;
  /** `generated`: a request trigger answered itself; `failed`: the request ended here with an error. */
  state: 'ran' | 'skipped' | 'failed' | 'generated';
  /** Milliseconds after the request arrived (absent when skipped). */
  startMs?: number;
  durationMs?: number;
  /** Why it was skipped, or what it found (`hit`, `miss`…). */
  reason?: string;
  function?: string;
}

export interface CacheTrace {
  /** The cache key: behavior, method, URI, query string, headers, cookies, encoding, NUL-separated. */
  key: string;
  lookup: 'hit' | 'miss' | 'stale' | 'not-cacheable';
  /** The URI the object is (or would be) cached under: what an invalidation path matches. */
  uri: string;
  /** Of the entry found (hit or stale): seconds since stored, its TTL, seconds left. */
  age?: number;
  ttl?: number;
  ttlLeft?: number;
  /** Seconds the response was stored for after a miss (0: not stored). */
  storedTtl?: number;
}

export interface OriginTrace {
  /** The origin's name in the config (or its domain when a function switched it). */
  origin: string;
  method: string;
  url: string;
  requestHeaders: HeaderPairs;
  status?: number;
  responseHeaders?: HeaderPairs;
  error?: string;
}

export class Trip {
  readonly started = performance.now();
  /** One slot per stage, in CloudFront's order (no sorting on the request path). */
  private readonly slots: Array<StageTrace | undefined> = [undefined, undefined, undefined, undefined, undefined, undefined];
  cache?: CacheTrace;
  origin?: OriginTrace;

  get stages(): StageTrace[] {
    return this.slots.filter((s): s is StageTrace => s !== undefined);
  }

  /** Starts a stage; returns the function that ends it. */
  begin(stage: StageName, fn?: string): (state: StageTrace['state'], reason?: string) => void {
    const at = performance.now();
    return (state, reason) => {
      const end = performance.now();
      const t: StageTrace = { stage, state, startMs: round(at - this.started), durationMs: round(end - at) };
      if (reason !== undefined) t.reason = reason;
      if (fn !== undefined) t.function = fn;
      this.slots[STAGES.indexOf(stage)] = t;
    };
  }

  skip(stage: StageName, reason: string): void {
    this.slots[STAGES.indexOf(stage)] = { stage, state: 'skipped', reason };
  }

  /** Marks every stage not yet seen as skipped (the request ended before it). */
  complete(reason: string): void {
    for (let i = 0; i < STAGES.length; i++) if (this.slots[i] === undefined) this.slots[i] = { stage: STAGES[i]!, state: 'skipped', reason };
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
