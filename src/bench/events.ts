/**
 * @module
 * The events a function is measured on: its own fixture when the config names one, otherwise an
 * event of its type built by the library's builders; and the same event grown by a request body
 * (B2) where the function's type carries one.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { FunctionConfig } from '../config/load.js';
import { LIMITS, isEdgeEventType } from '../config/limits.js';
import { EdgeError } from '../errors.js';
import { DEFAULT_DISTRIBUTION_DOMAIN, buildEvent, buildFunctionUrlEvent } from '../events/index.js';

export interface BenchEvent {
  event: unknown;
  /** Where it came from, for the report: `fixtures/x.json`, or `a built viewer-request event`. */
  source: string;
}

export function benchEvent(fn: FunctionConfig, root: string): BenchEvent {
  if (fn.fixture !== undefined) {
    let text: string;
    try {
      text = readFileSync(fn.fixture, 'utf8');
    } catch (cause) {
      throw new EdgeError('E_CONFIG', `${fn.name}: its fixture ${fn.fixture} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, {
        hint: `fix "fixture" of ${fn.name} in the config, or remove it to bench on a built ${fn.kind} event`,
        cause,
      });
    }
    try {
      return { event: JSON.parse(text) as unknown, source: relative(root, fn.fixture) };
    } catch (cause) {
      throw new EdgeError('E_CONFIG', `${fn.name}: its fixture ${fn.fixture} is not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  if (isEdgeEventType(fn.kind)) {
    return { event: buildEvent(fn.kind, { uri: '/index.html', headers: { host: DEFAULT_DISTRIBUTION_DOMAIN, 'user-agent': 'lambda-wasm-bench', accept: '*/*' } }), source: `a built ${fn.kind} event` };
  }
  return { event: buildFunctionUrlEvent({ uri: '/', headers: { 'user-agent': 'lambda-wasm-bench', accept: '*/*' } }), source: 'a built Function URL event' };
}

export interface BodySize {
  label: string;
  bytes: number;
}

const SIZES: readonly BodySize[] = [
  { label: '1 KB', bytes: 1024 },
  { label: '40 KB', bytes: 40 * 1024 },
  { label: '1 MB', bytes: 1024 * 1024 },
];

type CfRequestEvent = { Records: Array<{ cf: { request?: Record<string, unknown> } }> };
type UrlEvent = { requestContext?: { http?: { method?: string } }; body?: unknown; isBase64Encoded?: boolean };

/**
 * The body sizes B2 measures for a function on `event`, up to what its trigger can receive
 * (include-body: 40 KB at the viewer, 1 MB at the origin); none for response triggers, or for a
 * plain Lambda whose event is not a Function URL (HTTP payload 2.0) request.
 */
export function bodySizes(fn: FunctionConfig, event: unknown): readonly BodySize[] {
  if (fn.kind === 'viewer-request' || fn.kind === 'origin-request') {
    const max = LIMITS[fn.kind].bodyTruncationBytes ?? 0;
    return hasCfRequest(event) ? SIZES.filter((s) => s.bytes <= max) : [];
  }
  if (fn.kind === 'lambda') return isUrlEvent(event) ? SIZES : [];
  return [];
}

/** Why `bodySizes` is empty, for the report. */
export function noBodyReason(fn: FunctionConfig): string {
  if (fn.kind === 'lambda') return `${fn.name}'s event is not a Function URL request, so it has no body to grow`;
  return `${fn.name} is ${fn.kind.startsWith('origin') ? 'an' : 'a'} ${fn.kind} trigger: CloudFront gives it no request body`;
}

function hasCfRequest(event: unknown): boolean {
  const r = (event as CfRequestEvent | null)?.Records?.[0]?.cf?.request;
  return typeof r === 'object' && r !== null;
}

function isUrlEvent(event: unknown): boolean {
  const http = (event as UrlEvent | null)?.requestContext?.http;
  return typeof http === 'object' && http !== null;
}

/** `event` with a POST body of `bytes` raw bytes, base64 as CloudFront (include-body) and Function URLs send binary bodies. */
export function withBody(event: unknown, bytes: number): unknown {
  const raw = Buffer.alloc(bytes, 'lambda-wasm body ');
  const data = raw.toString('base64');
  const copy = JSON.parse(JSON.stringify(event)) as CfRequestEvent & UrlEvent;
  if (isUrlEvent(copy)) {
    copy.body = data;
    copy.isBase64Encoded = true;
    copy.requestContext!.http!.method = 'POST';
    return copy;
  }
  const request = copy.Records[0]!.cf.request!;
  request.body = { inputTruncated: false, action: 'read-only', encoding: 'base64', data };
  request.method = 'POST';
  return copy;
}
