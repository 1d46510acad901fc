/**
 * @module
 * One request's trip through the local CloudFront, as the pipeline notes it when someone keeps
 * the record (the inspector): each stage in CloudFront's order with when it started and how long
 * it took, the stages that did not run and why, the cache lookup, what went to the origin and came
 * back. The pipeline only fills a `Trip` when it is given one, so without the inspector the
 * request path does no extra work.
 */
import { performance } from 'node:perf_hooks';
import type { HeaderPairs } from '../http-types.js';

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
  /** The cache key's parts, readable: behavior | method | uri | query | headers | cookies | encoding. */
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
  readonly stages: StageTrace[] = [];
  cache?: CacheTrace;
  origin?: OriginTrace;

  /** Starts a stage; returns the function that ends it. */
  begin(stage: StageName, fn?: string): (state: StageTrace['state'], reason?: string) => void {
    const at = performance.now();
    return (state, reason) => {
      const end = performance.now();
      this.stages.push({ stage, state, startMs: round(at - this.started), durationMs: round(end - at), ...(reason === undefined ? {} : { reason }), ...(fn === undefined ? {} : { function: fn }) });
    };
  }

  skip(stage: StageName, reason: string): void {
    this.stages.push({ stage, state: 'skipped', reason });
  }

  /** Marks every stage not yet seen as skipped (the request ended before it), in CloudFront's order. */
  complete(reason: string): void {
    const seen = new Set(this.stages.map((s) => s.stage));
    for (const stage of STAGES) if (!seen.has(stage)) this.stages.push({ stage, state: 'skipped', reason });
    this.stages.sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage));
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
