/**
 * @module
 * Events from a few fields, with the rest filled in the way CloudFront fills it: lowercase header
 * names with the original spelling in `key`, a `requestId`, the distribution, the viewer's IP, the
 * headers CloudFront adds on the origin side, and an origin. Used by tests, `invoke --uri …` and
 * the local CloudFront.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EdgeError } from '../errors.js';
import { titleCase } from './header-rules.js';
import { INCLUDE_BODY_LIMITS } from './limits.js';
import type {
  CloudFrontEventOf,
  CloudFrontEventType,
  CloudFrontHeaders,
  CloudFrontOrigin,
  CloudFrontRequest,
  CloudFrontResponse,
  FunctionUrlEvent,
  OriginRequestEvent,
  OriginResponseEvent,
  ViewerRequestEvent,
  ViewerResponseEvent,
} from './types.js';

/** Headers as pairs (order and repeats kept), or as a record of one or more values. */
export type HeaderInput = ReadonlyArray<readonly [string, string]> | Readonly<Record<string, string | readonly string[]>>;

export interface RequestFields {
  uri?: string;
  method?: string;
  querystring?: string;
  headers?: HeaderInput;
  clientIp?: string;
  /** Request body as text; it reaches the function base64-encoded, as CloudFront sends it. */
  body?: string | Uint8Array;
  /** IncludeBody on the trigger (default: true when a body is given). */
  includeBody?: boolean;
  /** Origin for origin-side events (default: a custom origin at example.org). */
  origin?: CloudFrontOrigin;
  distributionId?: string;
  distributionDomainName?: string;
  requestId?: string;
}

export interface ResponseFields extends RequestFields {
  /** Origin status (default 200); a number is turned into CloudFront's string. */
  status?: string | number;
  statusDescription?: string;
  responseHeaders?: HeaderInput;
}

export const DEFAULT_DISTRIBUTION_ID = 'EDFDVBD6EXAMPLE';
export const DEFAULT_DISTRIBUTION_DOMAIN = 'd111111abcdef8.cloudfront.net';
export const DEFAULT_CLIENT_IP = '203.0.113.178';

/** CloudFront's shape of headers: lowercase names, each value an entry with the spelling it came with. */
export function toCloudFrontHeaders(input: HeaderInput | undefined): CloudFrontHeaders {
  const out: CloudFrontHeaders = {};
  if (input === undefined) return out;
  const pairs: ReadonlyArray<readonly [string, string]> = Array.isArray(input)
    ? (input as ReadonlyArray<readonly [string, string]>)
    : Object.entries(input as Record<string, string | readonly string[]>).flatMap(([k, v]) =>
        (typeof v === 'string' ? [v] : v).map((one) => [k, one] as const),
      );
  for (const [name, value] of pairs) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new EdgeError('E_EVENT_INVALID', `header name ${JSON.stringify(name)} is not a valid HTTP header name`);
    }
    const key = name === name.toLowerCase() ? titleCase(name) : name;
    const lower = name.toLowerCase();
    // An own property even for `__proto__` (a valid header name), never the prototype's.
    if (!Object.prototype.hasOwnProperty.call(out, lower)) Object.defineProperty(out, lower, { value: [], enumerable: true, writable: true, configurable: true });
    out[lower]!.push({ key, value });
  }
  return out;
}

/** The `body` CloudFront puts in a request event for these bytes: base64, cut at the side's limit, saying so. */
export function includedBody(bytes: Uint8Array, side: 'viewer' | 'origin'): NonNullable<CloudFrontRequest['body']> {
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept = all.subarray(0, INCLUDE_BODY_LIMITS[side]);
  return { action: 'read-only', data: kept.toString('base64'), encoding: 'base64', inputTruncated: kept.length < all.length };
}

const REQUEST_ID_BYTES = 42;
/**
 * Random bytes for request ids, drawn 64 ids at a time: one `randomBytes(42)` per request cost the
 * local CloudFront ~11 µs of its one event loop (a call into OpenSSL each time), ~15% of what a
 * request without triggers costs it; slicing a pool costs ~1 µs.
 */
let idPool = Buffer.alloc(0);
let idPoolAt = 0;

/** A fresh request id in CloudFront's form (base64 of random bytes, 56 characters). */
export function newCloudFrontRequestId(): string {
  if (idPoolAt + REQUEST_ID_BYTES > idPool.length) {
    idPool = randomBytes(REQUEST_ID_BYTES * 64);
    idPoolAt = 0;
  }
  const id = idPool.toString('base64', idPoolAt, (idPoolAt += REQUEST_ID_BYTES));
  return id.replace(/\+/g, '_').replace(/\//g, '-');
}

export const DEFAULT_CUSTOM_ORIGIN: CloudFrontOrigin = {
  custom: {
    customHeaders: {},
    domainName: 'example.org',
    keepaliveTimeout: 5,
    path: '',
    port: 443,
    protocol: 'https',
    readTimeout: 30,
    sslProtocols: ['TLSv1.2'],
  },
};

function config<T extends CloudFrontEventType>(eventType: T, f: RequestFields) {
  return {
    distributionDomainName: f.distributionDomainName ?? DEFAULT_DISTRIBUTION_DOMAIN,
    distributionId: f.distributionId ?? DEFAULT_DISTRIBUTION_ID,
    eventType,
    requestId: f.requestId ?? newCloudFrontRequestId(),
  };
}

function checkUri(uri: string): void {
  if (!uri.startsWith('/')) throw new EdgeError('E_EVENT_INVALID', `uri ${JSON.stringify(uri)} must start with /`);
}

function viewerSideRequest(f: RequestFields, withBody: boolean, side: 'viewer' | 'origin' = 'viewer'): CloudFrontRequest {
  const uri = f.uri ?? '/';
  checkUri(uri);
  const headers = toCloudFrontHeaders(f.headers);
  headers.host ??= [{ key: 'Host', value: f.distributionDomainName ?? DEFAULT_DISTRIBUTION_DOMAIN }];
  const request: CloudFrontRequest = {
    clientIp: f.clientIp ?? DEFAULT_CLIENT_IP,
    headers,
    method: (f.method ?? 'GET').toUpperCase(),
    querystring: (f.querystring ?? '').replace(/^\?/, ''),
    uri,
  };
  if (withBody && f.body !== undefined && f.includeBody !== false) {
    request.body = includedBody(typeof f.body === 'string' ? Buffer.from(f.body, 'utf8') : f.body, side);
  }
  return request;
}

/** On the origin side CloudFront has added X-Forwarded-For and Via, and set Host to the origin. */
function originSideRequest(f: RequestFields, withBody: boolean): CloudFrontRequest {
  const request = viewerSideRequest(f, withBody, 'origin');
  const origin = f.origin ?? DEFAULT_CUSTOM_ORIGIN;
  const headers = request.headers;
  headers['x-forwarded-for'] ??= [{ key: 'X-Forwarded-For', value: request.clientIp }];
  headers['user-agent'] ??= [{ key: 'User-Agent', value: 'Amazon CloudFront' }];
  headers.via ??= [{ key: 'Via', value: '2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)' }];
  if (!hasHeader(f.headers, 'host')) {
    headers.host = [{ key: 'Host', value: origin.custom?.domainName ?? origin.s3?.domainName ?? 'example.org' }];
  }
  request.origin = origin;
  return request;
}

function hasHeader(input: HeaderInput | undefined, name: string): boolean {
  if (input === undefined) return false;
  const names = Array.isArray(input) ? (input as ReadonlyArray<readonly [string, string]>).map(([k]) => k) : Object.keys(input);
  return names.some((k) => k.toLowerCase() === name);
}

function response(f: ResponseFields): CloudFrontResponse {
  const status = String(f.status ?? 200);
  if (!/^\d{3}$/.test(status)) throw new EdgeError('E_EVENT_INVALID', `status ${JSON.stringify(status)} is not a 3-digit HTTP status`);
  const headers = toCloudFrontHeaders(f.responseHeaders ?? [['Content-Type', 'text/html'], ['Content-Length', '0']]);
  return { headers, status, statusDescription: f.statusDescription ?? STATUS_TEXT[status] ?? '' };
}

const STATUS_TEXT: Record<string, string> = {
  '200': 'OK', '201': 'Created', '204': 'No Content', '301': 'Moved Permanently', '302': 'Found', '304': 'Not Modified',
  '400': 'Bad Request', '401': 'Unauthorized', '403': 'Forbidden', '404': 'Not Found', '500': 'Internal Server Error',
  '502': 'Bad Gateway', '503': 'Service Unavailable', '504': 'Gateway Timeout',
};

export function buildViewerRequestEvent(f: RequestFields = {}): ViewerRequestEvent {
  return { Records: [{ cf: { config: config('viewer-request', f), request: viewerSideRequest(f, true) } }] };
}

export function buildOriginRequestEvent(f: RequestFields = {}): OriginRequestEvent {
  return { Records: [{ cf: { config: config('origin-request', f), request: originSideRequest(f, true) } }] };
}

export function buildOriginResponseEvent(f: ResponseFields = {}): OriginResponseEvent {
  return { Records: [{ cf: { config: config('origin-response', f), request: originSideRequest(f, false), response: response(f) } }] };
}

export function buildViewerResponseEvent(f: ResponseFields = {}): ViewerResponseEvent {
  return { Records: [{ cf: { config: config('viewer-response', f), request: viewerSideRequest(f, false), response: response(f) } }] };
}

/** Any of the four, by type. */
export function buildEvent<T extends CloudFrontEventType>(eventType: T, fields: ResponseFields = {}): CloudFrontEventOf<T> {
  switch (eventType) {
    case 'viewer-request':
      return buildViewerRequestEvent(fields) as CloudFrontEventOf<T>;
    case 'origin-request':
      return buildOriginRequestEvent(fields) as CloudFrontEventOf<T>;
    case 'origin-response':
      return buildOriginResponseEvent(fields) as CloudFrontEventOf<T>;
    case 'viewer-response':
      return buildViewerResponseEvent(fields) as CloudFrontEventOf<T>;
  }
  throw new EdgeError('E_USAGE', `unknown CloudFront event type ${JSON.stringify(eventType)}`);
}

export interface FunctionUrlFields {
  uri?: string;
  method?: string;
  querystring?: string;
  headers?: HeaderInput;
  body?: string | Uint8Array;
  sourceIp?: string;
  /** The URL's id (the first label of its host name). */
  urlId?: string;
  region?: string;
}

/** A Function URL (HTTP API payload 2.0) event as Lambda builds it from an HTTP request. */
export function buildFunctionUrlEvent(f: FunctionUrlFields = {}): FunctionUrlEvent {
  const urlId = f.urlId ?? 'abcdefghijklmnopqrstuvwxyz0123456';
  const domainName = `${urlId}.lambda-url.${f.region ?? 'us-east-1'}.on.aws`;
  const rawPath = f.uri ?? '/';
  const rawQueryString = (f.querystring ?? '').replace(/^\?/, '');
  const headers: Record<string, string> = { host: domainName };
  const cookies: string[] = [];
  for (const [name, entries] of Object.entries(toCloudFrontHeaders(f.headers))) {
    const values = entries.map((e) => e.value);
    if (name === 'cookie') cookies.push(...values.flatMap((v) => v.split(/;\s*/)).filter((c) => c !== ''));
    else headers[name] = values.join(',');
  }
  const method = (f.method ?? 'GET').toUpperCase();
  const sourceIp = f.sourceIp ?? DEFAULT_CLIENT_IP;
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'https';
  headers['x-forwarded-port'] ??= '443';
  const now = new Date();
  const event: FunctionUrlEvent = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: urlId,
      domainName,
      domainPrefix: urlId,
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp, userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: formatApiTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  const params = queryParameters(rawQueryString);
  if (params !== undefined) event.queryStringParameters = params;
  if (f.body !== undefined) {
    const bytes = typeof f.body === 'string' ? Buffer.from(f.body, 'utf8') : Buffer.from(f.body);
    const text = isTextual(headers['content-type']);
    event.body = text ? bytes.toString('utf8') : bytes.toString('base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

/** Duplicate parameters are joined with commas, as Lambda does. */
function queryParameters(raw: string): Record<string, string> | undefined {
  if (raw === '') return undefined;
  const out: Record<string, string> = {};
  // Own properties only: `?constructor=1` or `?__proto__=x` are parameters like any other.
  for (const [k, v] of new URLSearchParams(raw)) {
    const had = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
    Object.defineProperty(out, k, { value: had === undefined ? v : `${had},${v}`, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isTextual(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  return /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i.test(contentType);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** `12/Mar/2020:19:03:58 +0000` */
function formatApiTime(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
