/**
 * @module
 * Lambda@Edge and Lambda limits per kind of function, from `docs/cloudfront-rules.md` §4 and
 * §6.6. One place, so build, invoke, dev and deploy enforce the same numbers.
 */

import { CLOUDFRONT_EVENT_TYPES, DEFAULT_CLOUDFRONT_SETTINGS, INCLUDE_BODY_LIMITS, type CloudFrontEventType } from '../events/index.js';

// CloudFront's limits that events/ needs for itself are defined there (it imports nothing outside
// its folder) and re-exported here, so the rest of the code has this one place to import limits from.
export { CLOUDFRONT_REQUEST_LIMITS, EDGE_FUNCTION_REGION, INCLUDE_BODY_EVENTS, INCLUDE_BODY_LIMITS, mayIncludeBody } from '../events/index.js';

export const EDGE_EVENT_TYPES = CLOUDFRONT_EVENT_TYPES;
export type EdgeEventType = CloudFrontEventType;
/** `lambda` is a plain (regional) Lambda function: Function URL, API Gateway or any JSON event. */
export type FunctionKind = EdgeEventType | 'lambda';
export const FUNCTION_KINDS: readonly FunctionKind[] = [...EDGE_EVENT_TYPES, 'lambda'];

export interface KindLimits {
  /** Largest timeout in seconds. */
  maxTimeout: number;
  defaultTimeout: number;
  /** Largest memory size in MB (Lambda's MB are MiB). */
  maxMemory: number;
  defaultMemory: number;
  /** Largest zipped package in bytes. */
  maxZipBytes: number;
  /** Largest unzipped package in bytes. */
  maxUnzippedBytes: number;
  /** Largest generated response (headers + body) in bytes; undefined for plain Lambda. */
  maxGeneratedResponseBytes: number | undefined;
  /** IncludeBody truncation in bytes; undefined where there is no request body. */
  bodyTruncationBytes: number | undefined;
}

const MB = 1024 * 1024;

/** Lambda's smallest memory size, in MB, for every kind of function. */
export const MIN_MEMORY = 128;
/** Largest origin read / keep-alive timeout in seconds (an origin's settings, `cloudfront.maxOriginTimeout`). */
export const MAX_ORIGIN_TIMEOUT = 120;
/** Upper bound of the `cloudfront.maxGeneratedResponseBytes` settings. */
export const MAX_GENERATED_RESPONSE_SETTING = 50 * MB;

const viewer: KindLimits = {
  maxTimeout: 5,
  defaultTimeout: 5,
  maxMemory: 128,
  defaultMemory: 128,
  maxZipBytes: 1 * MB,
  maxUnzippedBytes: 250 * MB,
  maxGeneratedResponseBytes: DEFAULT_CLOUDFRONT_SETTINGS.maxGeneratedResponseBytes.viewer,
  bodyTruncationBytes: INCLUDE_BODY_LIMITS.viewer,
};

const origin: KindLimits = {
  maxTimeout: 30,
  defaultTimeout: 30,
  maxMemory: 10240,
  defaultMemory: 128,
  maxZipBytes: 50 * MB,
  maxUnzippedBytes: 250 * MB,
  maxGeneratedResponseBytes: DEFAULT_CLOUDFRONT_SETTINGS.maxGeneratedResponseBytes.origin,
  bodyTruncationBytes: INCLUDE_BODY_LIMITS.origin,
};

export const LIMITS: Readonly<Record<FunctionKind, KindLimits>> = {
  'viewer-request': viewer,
  'viewer-response': { ...viewer, bodyTruncationBytes: undefined },
  'origin-request': origin,
  'origin-response': { ...origin, bodyTruncationBytes: undefined },
  lambda: {
    maxTimeout: 900,
    defaultTimeout: 3,
    maxMemory: 10240,
    defaultMemory: 128,
    maxZipBytes: 50 * MB,
    maxUnzippedBytes: 250 * MB,
    maxGeneratedResponseBytes: undefined,
    bodyTruncationBytes: undefined,
  },
};

/** The viewer-trigger limits a project may set (`cloudfront.viewerLimits`). */
export interface ViewerLimits {
  maxMemory: number;
  maxTimeout: number;
  maxZipBytes: number;
}

/** The limits of a kind of function, with the project's viewer-trigger limits applied. */
export function limitsFor(kind: FunctionKind, viewerLimits: ViewerLimits): KindLimits {
  const base = LIMITS[kind];
  if (kind !== 'viewer-request' && kind !== 'viewer-response') return base;
  const v = viewerLimits;
  return { ...base, maxMemory: v.maxMemory, maxTimeout: v.maxTimeout, defaultTimeout: Math.min(base.defaultTimeout, v.maxTimeout), maxZipBytes: v.maxZipBytes };
}

/** The largest value a limit has for any kind: the bound a key has before its function's kind is known. */
export function largestLimit(key: 'maxMemory' | 'maxTimeout' | 'maxZipBytes'): number {
  return Math.max(...FUNCTION_KINDS.map((kind) => LIMITS[kind][key]));
}

export function isEdgeEventType(value: unknown): value is EdgeEventType {
  return typeof value === 'string' && (EDGE_EVENT_TYPES as readonly string[]).includes(value);
}

export function isFunctionKind(value: unknown): value is FunctionKind {
  return typeof value === 'string' && (FUNCTION_KINDS as readonly string[]).includes(value);
}

/**
 * Lambda's invocation payload quotas in bytes (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html):
 * a synchronous request up to 6 MB and an asynchronous (`Event`) one up to 1 MB (256 KB before
 * October 2025), answered `RequestEntityTooLargeException` (413); a response over 6 MB fails the
 * invocation with `Function.ResponseSizeTooLarge`, whose message names 6291556 bytes.
 */
export const LAMBDA_PAYLOAD_LIMITS = {
  syncRequestBytes: 6 * MB,
  asyncRequestBytes: 1 * MB,
  responseBytes: 6 * MB + 100,
} as const;

/** Lambda's init phase: 10 s, after which the init is retried inside the invocation, under its timeout. */
export const LAMBDA_INIT_TIMEOUT_MS = 10_000;
