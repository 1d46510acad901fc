/**
 * @module
 * CloudFront's edge cache for one distribution: the key from the cache policy, the TTL from
 * Cache-Control/Expires bounded by the policy's min/default/max, error responses cached for 10 s,
 * revalidation of stale objects, invalidation by path pattern.
 */
import type { CachePolicy } from './config.js';
import { getHeader, type HeaderPairs, type HttpResponse } from '../http-types.js';

export interface CacheEntry {
  response: HttpResponse;
  storedAt: number;
  /** Seconds. */
  ttl: number;
  uri: string;
}

/** CloudFront caches these statuses by TTL; error statuses for the error-caching minimum TTL (10 s). */
const CACHEABLE = new Set([200, 203, 206, 300, 301, 410]);
const ERROR_CACHED = new Set([400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504]);
export const ERROR_CACHING_MIN_TTL = 10;

export interface KeyParts {
  behavior: string;
  method: string;
  uri: string;
  querystring: string;
  headers: HeaderPairs;
  cookies: Array<[string, string]>;
}

export function cacheKey(policy: CachePolicy, p: KeyParts): string {
  const params = new URLSearchParams(p.querystring);
  const qs =
    policy.queryStrings === 'none'
      ? ''
      : [...params].filter(([k]) => policy.queryStrings === 'all' || (policy.queryStrings as readonly string[]).includes(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
  const headers = policy.headers.map((h) => `${h}:${getHeader(p.headers, h) ?? ''}`).join('\n');
  const cookies =
    policy.cookies === 'none' ? '' : p.cookies.filter(([k]) => policy.cookies === 'all' || (policy.cookies as readonly string[]).includes(k)).sort().map(([k, v]) => `${k}=${v}`).join(';');
  // GET and HEAD share an entry; Accept-Encoding is normalised to what CloudFront compresses with.
  const method = p.method === 'HEAD' ? 'GET' : p.method;
  const enc = normalizedEncoding(getHeader(p.headers, 'accept-encoding'));
  return [p.behavior, method, p.uri, qs, headers, cookies, enc].join('\u0000');
}

export function normalizedEncoding(acceptEncoding: string | undefined): string {
  const v = (acceptEncoding ?? '').toLowerCase();
  return v.includes('br') ? 'br,gzip' : v.includes('gzip') ? 'gzip' : '';
}

/** Seconds to keep `response`, or 0 not to cache it. */
export function ttlFor(policy: CachePolicy, response: HttpResponse): number {
  if (ERROR_CACHED.has(response.status)) return ERROR_CACHING_MIN_TTL;
  if (!CACHEABLE.has(response.status)) return 0;
  const cc = (getHeader(response.headers, 'cache-control') ?? '').toLowerCase();
  const directive = (name: string) => new RegExp(`(?:^|,)\\s*${name}\\s*(?:=\\s*"?(\\d+)"?)?\\s*(?:,|$)`).exec(cc);
  if (directive('no-store') || directive('no-cache') || directive('private')) return policy.minTTL;
  const sMaxAge = directive('s-maxage')?.[1];
  const maxAge = directive('max-age')?.[1];
  let ttl: number;
  if (sMaxAge !== undefined) ttl = Number(sMaxAge);
  else if (maxAge !== undefined) ttl = Number(maxAge);
  else {
    const expires = getHeader(response.headers, 'expires');
    ttl = expires !== undefined && !Number.isNaN(Date.parse(expires)) ? Math.max(0, Math.round((Date.parse(expires) - Date.now()) / 1000)) : policy.defaultTTL;
  }
  return Math.min(policy.maxTTL, Math.max(policy.minTTL, ttl));
}

export class EdgeCache {
  private readonly entries = new Map<string, CacheEntry>();
  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): { entry: CacheEntry; fresh: boolean; age: number } | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    const age = Math.floor((this.now() - entry.storedAt) / 1000);
    return { entry, fresh: age < entry.ttl, age };
  }

  put(key: string, uri: string, response: HttpResponse, ttl: number): void {
    if (ttl <= 0) return;
    this.entries.set(key, { response, storedAt: this.now(), ttl, uri });
  }

  /** Keeps the object another TTL after the origin said it has not changed (a RefreshHit). */
  refresh(key: string, ttl: number): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) this.entries.set(key, { ...entry, storedAt: this.now(), ttl: Math.max(ttl, 1) });
  }

  /** CloudFront's invalidation paths: exact, or ending in `*` as a prefix. Returns how many went. */
  invalidate(paths: readonly string[]): number {
    let n = 0;
    for (const [key, entry] of this.entries) {
      if (paths.some((p) => (p.endsWith('*') ? entry.uri.startsWith(p.slice(0, -1)) : entry.uri === p))) {
        this.entries.delete(key);
        n++;
      }
    }
    return n;
  }

  get size(): number {
    return this.entries.size;
  }
}
