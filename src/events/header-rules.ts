/**
 * @module
 * CloudFront's header lists (docs/cloudfront-rules.md §3): disallowed, read-only per event
 * type, and the origin custom-header denylist. Names are lowercase; `*` entries are prefixes.
 */
import type { CloudFrontEventType } from './types.js';

const DISALLOWED = new Set([
  'connection', 'expect', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'trailer', 'upgrade',
  'x-accel-buffering', 'x-accel-charset', 'x-accel-limit-rate', 'x-accel-redirect', 'x-amzn-auth', 'x-amzn-cf-billing',
  'x-amzn-cf-id', 'x-amzn-cf-xff', 'x-amzn-errortype', 'x-amzn-fle-profile', 'x-amzn-header-count', 'x-amzn-header-order',
  'x-amzn-lambda-integration-tag', 'x-amzn-requestid', 'x-cache', 'x-forwarded-proto', 'x-real-ip',
]);
const DISALLOWED_PREFIXES = ['x-amz-cf-', 'x-edge-'];

/** Headers a function may not add, change or delete (§3.1, the current list with CDN-Loop etc.). */
export const READ_ONLY_HEADERS: Readonly<Record<CloudFrontEventType, ReadonlySet<string>>> = {
  'viewer-request': new Set(['cdn-loop', 'content-length', 'host', 'transfer-encoding', 'via']),
  'origin-request': new Set([
    'accept-encoding', 'cdn-loop', 'content-length', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
    'transfer-encoding', 'via',
  ]),
  'origin-response': new Set(['transfer-encoding', 'via']),
  'viewer-response': new Set(['warning', 'via', 'content-length', 'content-encoding', 'transfer-encoding']),
};

const CUSTOM_HEADER_DENYLIST = new Set([
  'cache-control', 'connection', 'content-length', 'cookie', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range',
  'if-unmodified-since', 'max-forwards', 'pragma', 'proxy-authorization', 'proxy-connection', 'range', 'request-range', 'te',
  'trailer', 'transfer-encoding', 'upgrade', 'via', 'x-real-ip',
]);
const CUSTOM_HEADER_DENYLIST_PREFIXES = ['x-amz-', 'x-edge-'];

export function isDisallowedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return DISALLOWED.has(lower) || DISALLOWED_PREFIXES.some((p) => lower.startsWith(p));
}

export function isReadOnlyHeader(eventType: CloudFrontEventType, name: string): boolean {
  return READ_ONLY_HEADERS[eventType].has(name.toLowerCase());
}

export function isDeniedCustomHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return CUSTOM_HEADER_DENYLIST.has(lower) || CUSTOM_HEADER_DENYLIST_PREFIXES.some((p) => lower.startsWith(p));
}

/** How CloudFront spells a header it fills in a `key` for: `user-agent` → `User-Agent`. */
export function titleCase(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
