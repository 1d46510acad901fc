/**
 * @module
 * `validateResult`: every reason CloudFront would answer 502 LambdaValidationError to a function's
 * result (docs/cloudfront-rules.md §2–§4, choices in §8). It never throws on any JSON value:
 * the local CloudFront runs it on every invocation, and a result is untrusted guest output.
 */
import { EdgeError } from '../errors.js';
import { CLOUDFRONT_MESSAGES } from './cloudfront-messages.js';
import { CLOUDFRONT_REQUEST_LIMITS } from './limits.js';
import { isDeniedCustomHeader, isDisallowedHeader, READ_ONLY_HEADERS } from './header-rules.js';
import { DEFAULT_CLOUDFRONT_SETTINGS, type CloudFrontSettings } from './settings.js';
import { CLOUDFRONT_EVENT_TYPES, type CloudFrontEventType } from './types.js';
import type { RuleId, Violation } from './violation.js';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k) && o[k] !== undefined;
const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v)?.slice(0, 80) ?? String(v));
const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const QUERY_FORBIDDEN = /[\s#\u0000-\u001f\u007f]/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const SSL_PROTOCOLS = new Set(['TLSv1.2', 'TLSv1.1', 'TLSv1', 'SSLv3']);
// HTTP's reason phrase (RFC 9112 §4): tab, space, visible ASCII and obs-text (0x80–0xFF) — one byte
// a character on the status line, so nothing above Latin-1, and no CR, LF or other control character.
const REASON_PHRASE_FORBIDDEN = /[^\t\x20-\x7e\x80-\xff]/u;
// A field value (RFC 9110 §5.5) holds no control character but tab. Characters above Latin-1 are
// allowed: CloudFront's header values are UTF-8.
const FIELD_VALUE_FORBIDDEN = /[\x00-\x08\x0a-\x1f\x7f]/;

/** The part of an event the validator compares with: what the function was given. */
interface Input {
  request: Obj | undefined;
  response: Obj | undefined;
}

class Report {
  readonly list: Violation[] = [];
  add(path: string, rule: RuleId, message: string): void {
    this.list.push({ path, rule, message, status: 502, errorClass: 'LambdaValidationError' });
  }
}

/**
 * Everything CloudFront would reject in `result`, the value a function returned for an event of
 * `eventType`. `event` is the event the function was given: read-only headers, the status in
 * viewer-response and `method`/`clientIp` are compared with it. Without it those comparisons are
 * skipped (a generated response is still checked: it had no headers before).
 */
export function validateResult(
  eventType: CloudFrontEventType,
  result: unknown,
  event?: unknown,
  settings: CloudFrontSettings = DEFAULT_CLOUDFRONT_SETTINGS,
): Violation[] {
  if (!(CLOUDFRONT_EVENT_TYPES as readonly string[]).includes(eventType)) {
    throw new EdgeError('E_USAGE', `unknown CloudFront event type ${show(eventType)}; expected one of ${CLOUDFRONT_EVENT_TYPES.join(', ')}`);
  }
  const report = new Report();
  if (!isObj(result)) {
    report.add('', 'result-type', `${CLOUDFRONT_MESSAGES.notObject} (it returned ${kindOf(result)})`);
    return report.list;
  }
  const input = inputOf(event);
  const ctx: Ctx = { eventType, settings, report, input, viewer: eventType.startsWith('viewer') };
  if (eventType === 'viewer-request' || eventType === 'origin-request') {
    // An object with `status` is a generated response; anything else is the (changed) request.
    if (has(result, 'status')) checkGeneratedResponse(ctx, result);
    else checkRequest(ctx, result);
  } else {
    checkResponse(ctx, result);
  }
  return report.list;
}

interface Ctx {
  eventType: CloudFrontEventType;
  settings: CloudFrontSettings;
  report: Report;
  input: Input | undefined;
  viewer: boolean;
}

function inputOf(event: unknown): Input | undefined {
  if (!isObj(event) || !Array.isArray(event.Records)) return undefined;
  const cf = isObj(event.Records[0]) ? event.Records[0].cf : undefined;
  if (!isObj(cf)) return undefined;
  return { request: isObj(cf.request) ? cf.request : undefined, response: isObj(cf.response) ? cf.response : undefined };
}

// ---------------------------------------------------------------------------------------------
// The three kinds of result

function checkGeneratedResponse(ctx: Ctx, r: Obj): void {
  checkStatus(ctx, r.status, 'status');
  checkStatusDescription(ctx, r);
  // Nothing was there before a generated response, so any read-only header in it is "added".
  if (has(r, 'headers')) checkHeaders(ctx, r.headers, 'headers', { before: null, readOnly: true });
  checkResponseBody(ctx, r);
  if (ctx.eventType === 'viewer-request' && String(r.status) === '204' && typeof r.body === 'string' && r.body !== '') {
    ctx.report.add('body', 'body-with-204', 'a 204 (No Content) response generated in viewer-request cannot have a body');
  }
}

function checkRequest(ctx: Ctx, r: Obj): void {
  const before = ctx.input?.request;
  if (typeof r.uri !== 'string') {
    ctx.report.add('uri', 'result-shape', `a returned request needs a string uri (got ${kindOf(r.uri)}); return the event's request, changed, or a response with a status`);
  } else if (!r.uri.startsWith('/')) {
    ctx.report.add('uri', 'uri', `uri must start with / (got ${show(r.uri)})`);
  }
  if (!has(r, 'headers')) {
    ctx.report.add('headers', 'result-shape', "a returned request needs its headers object; return the event's request, changed");
  } else {
    checkHeaders(ctx, r.headers, 'headers', { before: before === undefined ? undefined : (before.headers ?? null), readOnly: true });
  }
  if (has(r, 'querystring')) {
    if (typeof r.querystring !== 'string') {
      ctx.report.add('querystring', 'querystring', `querystring must be a string without the leading ? (got ${kindOf(r.querystring)})`);
    } else if (r.querystring !== before?.querystring && QUERY_FORBIDDEN.test(r.querystring)) {
      ctx.report.add('querystring', 'querystring', `a query string the function sets may not contain spaces, control characters or # (got ${show(r.querystring)}); percent-encode them`);
    }
  }
  if (typeof r.uri === 'string') {
    const qs = typeof r.querystring === 'string' && r.querystring !== '' ? `?${r.querystring}` : '';
    const length = r.uri.length + qs.length;
    if (length >= CLOUDFRONT_REQUEST_LIMITS.urlChars) {
      ctx.report.add('uri', 'url-length', `uri plus query string must be under ${CLOUDFRONT_REQUEST_LIMITS.urlChars.toLocaleString('en-US')} characters (got ${length})`);
    }
  }
  if (ctx.settings.readOnlyFields === 'reject' && before !== undefined) {
    for (const field of ['method', 'clientIp'] as const) {
      if (has(r, field) && r[field] !== before[field]) {
        ctx.report.add(field, 'read-only-field', `${field} is read-only: it was ${show(before[field])}, the result has ${show(r[field])}`);
      }
    }
  }
  if (has(r, 'body')) checkRequestBody(ctx, r.body);
  if (has(r, 'origin')) {
    if (ctx.eventType !== 'origin-request') {
      ctx.report.add('origin', 'origin-not-writable', 'origin can only be set by an origin-request function; viewer-request functions cannot choose the origin');
    } else {
      checkOrigin(ctx, r.origin, isObj(r.headers) ? r.headers : {});
    }
  }
}

function checkResponse(ctx: Ctx, r: Obj): void {
  const before = ctx.input?.response;
  if (!has(r, 'status')) {
    ctx.report.add('status', 'status', "the response needs its status (a string such as \"200\"); return the event's response, changed");
  } else {
    checkStatus(ctx, r.status, 'status');
    if (ctx.eventType === 'viewer-response' && before !== undefined && r.status !== before.status) {
      ctx.report.add('status', 'status-read-only', `a viewer-response function cannot change the status (it was ${show(before.status)}, the result has ${show(r.status)})`);
    }
  }
  checkStatusDescription(ctx, r);
  if (has(r, 'headers')) {
    checkHeaders(ctx, r.headers, 'headers', { before: before === undefined ? undefined : (before.headers ?? null), readOnly: true });
  }
  checkResponseBody(ctx, r);
}

// ---------------------------------------------------------------------------------------------
// Parts

function checkStatus(ctx: Ctx, status: unknown, path: string): void {
  if (typeof status === 'number') {
    ctx.report.add(path, 'status', `status must be a string such as "${status}", not a number`);
  } else if (typeof status !== 'string' || !/^\d{3}$/.test(status)) {
    ctx.report.add(path, 'status', `status must be a string holding an HTTP status code (got ${show(status)})`);
  } else if (Number(status) < 200 || Number(status) > 599) {
    ctx.report.add(path, 'status', `status must be between 200 and 599 (got "${status}")`);
  }
}

function checkStatusDescription(ctx: Ctx, r: Obj): void {
  if (!has(r, 'statusDescription')) return;
  if (typeof r.statusDescription !== 'string') {
    ctx.report.add('statusDescription', 'status-description', `statusDescription must be a string (got ${kindOf(r.statusDescription)})`);
    return;
  }
  const bad = REASON_PHRASE_FORBIDDEN.exec(r.statusDescription);
  if (bad !== null) {
    ctx.report.add(
      'statusDescription',
      'status-description',
      `statusDescription goes on the HTTP status line, which holds tab, space, visible ASCII and Latin-1 characters only: invalid character ${charCode(bad[0])} at ${bad.index}`,
    );
  }
}

/** `%0D` for a byte, `U+2713` above Latin-1 (CloudFront's own messages use the `%0D` form). */
function charCode(c: string): string {
  const code = c.codePointAt(0)!;
  return code <= 0xff ? `'%${code.toString(16).toUpperCase().padStart(2, '0')}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

interface HeaderCheck {
  /** The same map in the input: undefined when unknown (no event given), null when there was none. */
  before: unknown;
  readOnly: boolean;
  /** Origin custom headers: CloudFront's denylist applies instead of the read-only list. */
  custom?: boolean;
}

function checkHeaders(ctx: Ctx, headers: unknown, path: string, opts: HeaderCheck): void {
  const { report } = ctx;
  if (!isObj(headers)) {
    report.add(path, 'headers-shape', `headers must be an object of lowercase names to arrays of {key, value} (got ${kindOf(headers)})`);
    return;
  }
  const before = isObj(opts.before) ? opts.before : undefined;
  for (const [name, entries] of Object.entries(headers)) {
    const at = `${path}.${name}`;
    if (name !== name.toLowerCase()) {
      report.add(at, 'header-name', `header names in the map must be lowercase: use "${name.toLowerCase()}" and keep "${name}" in key`);
    } else if (!TOKEN.test(name)) {
      report.add(at, 'header-name', `${show(name)} is not a valid HTTP header name`);
    }
    if (!Array.isArray(entries)) {
      report.add(at, 'headers-shape', `each header must be an array of {key, value} entries, one per value (got ${kindOf(entries)})`);
      continue;
    }
    entries.forEach((entry: unknown, i) => checkHeaderEntry(ctx, name, entry, `${at}[${i}]`));
    const unchanged = before !== undefined && sameValues(before[name], entries);
    if (isDisallowedHeader(name) && !unchanged) {
      report.add(at, 'disallowed-header', `${CLOUDFRONT_MESSAGES.blacklisted} (${name} is one of the headers CloudFront keeps to itself)`);
    }
    if (opts.custom === true && isDeniedCustomHeader(name)) {
      report.add(at, 'origin', `${name} cannot be an origin custom header (CloudFront's denylist)`);
    }
    if (ctx.eventType === 'viewer-request' && !opts.custom && name === 'cloudfront-viewer-country' && !(before !== undefined && has(before, name))) {
      report.add(at, 'viewer-country-header', 'a viewer-request function cannot add CloudFront-Viewer-Country (CloudFront adds it after viewer-request)');
    }
  }
  if (!opts.readOnly || opts.before === undefined) return;
  for (const name of READ_ONLY_HEADERS[ctx.eventType]) {
    const was = before?.[name];
    const now = headers[name];
    if (was === undefined && now === undefined) continue;
    if (!sameValues(was, now)) {
      const what = was === undefined ? 'added' : now === undefined ? 'deleted' : 'changed';
      report.add(`${path}.${name}`, 'read-only-header', `${CLOUDFRONT_MESSAGES.readOnly} (${name} is read-only in ${ctx.eventType} and was ${what})`);
    }
  }
}

function checkHeaderEntry(ctx: Ctx, name: string, entry: unknown, at: string): void {
  const { report } = ctx;
  if (!isObj(entry)) {
    report.add(at, 'headers-shape', `each header entry must be an object {key, value} (got ${kindOf(entry)})`);
    return;
  }
  if (has(entry, 'key')) {
    if (typeof entry.key !== 'string') report.add(`${at}.key`, 'header-key', `key must be a string (got ${kindOf(entry.key)})`);
    else if (entry.key.toLowerCase() !== name) report.add(`${at}.key`, 'header-key', `key ${show(entry.key)} is not a spelling of the header name "${name}"`);
  }
  if (typeof entry.value !== 'string') {
    report.add(
      `${at}.value`,
      'header-value',
      `The Lambda function returned an invalid entry in the headers object, the value of each header value must be of string or array of string type, header :${name} has one or more entries whose value is neither string nor array of strings.`,
    );
  } else {
    const bad = FIELD_VALUE_FORBIDDEN.exec(entry.value);
    if (bad !== null) {
      const key = typeof entry.key === 'string' ? entry.key : name;
      report.add(`${at}.value`, 'header-value-characters', `Lambda function result validation failed, the function returned an invalid header, invalid character : ${charCode(bad[0])} in header value, headerName : ${key}.`);
    }
  }
}

function sameValues(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  return a.every((e: unknown, i) => isObj(e) && isObj(b[i]) && e.value === (b[i] as Obj).value);
}

/** body/bodyEncoding of a generated or changed response, and its size with the headers. */
function checkResponseBody(ctx: Ctx, r: Obj): void {
  const { report } = ctx;
  if (has(r, 'bodyEncoding') && r.bodyEncoding !== 'text' && r.bodyEncoding !== 'base64') {
    report.add('bodyEncoding', 'body-encoding', `bodyEncoding must be "text" or "base64" (got ${show(r.bodyEncoding)})`);
  }
  if (!has(r, 'body')) return;
  if (typeof r.body !== 'string') {
    report.add('body', 'body-encoding', `body must be a string (got ${kindOf(r.body)}); use bodyEncoding "base64" for bytes`);
    return;
  }
  if (r.bodyEncoding === 'base64' && !BASE64.test(r.body)) {
    report.add('body', 'body-base64', 'bodyEncoding is "base64" but body is not valid base64');
  }
  const limit = ctx.settings.maxGeneratedResponseBytes[ctx.viewer ? 'viewer' : 'origin'];
  const size = headerBytes(r.headers) + Buffer.byteLength(r.body);
  if (size > limit) {
    report.add('body', 'generated-response-size', `the response is ${size} bytes (headers + body), over CloudFront's ${limit}-byte limit for ${ctx.eventType} responses`);
  }
}

function headerBytes(headers: unknown): number {
  if (!isObj(headers)) return 0;
  let n = 0;
  for (const [name, entries] of Object.entries(headers)) {
    if (!Array.isArray(entries)) continue;
    for (const e of entries) {
      if (isObj(e) && typeof e.value === 'string') n += Buffer.byteLength(name) + Buffer.byteLength(e.value) + 4; // ": " and CRLF
    }
  }
  return n;
}

function checkRequestBody(ctx: Ctx, body: unknown): void {
  const { report } = ctx;
  if (!isObj(body)) {
    report.add('body', 'request-body', `body must be an object {action, encoding, data} (got ${kindOf(body)})`);
    return;
  }
  const action = body.action ?? 'read-only';
  if (action !== 'read-only' && action !== 'replace') {
    report.add('body.action', 'request-body', `body.action must be "read-only" or "replace" (got ${show(body.action)})`);
  }
  if (has(body, 'encoding') && body.encoding !== 'base64' && body.encoding !== 'text') {
    report.add('body.encoding', 'request-body', `body.encoding must be "base64" or "text" (got ${show(body.encoding)})`);
  }
  if (has(body, 'data') && typeof body.data !== 'string') {
    report.add('body.data', 'request-body', `body.data must be a string (got ${kindOf(body.data)})`);
  }
  if (has(body, 'inputTruncated') && typeof body.inputTruncated !== 'boolean') {
    report.add('body.inputTruncated', 'request-body', 'body.inputTruncated is read-only and must stay a boolean');
  }
  // With read-only, CloudFront ignores encoding and data; only a replacement is checked further.
  if (action !== 'replace' || typeof body.data !== 'string') return;
  const encoding = body.encoding === 'text' ? 'text' : 'base64';
  if (encoding === 'base64' && !BASE64.test(body.data)) {
    report.add('body.data', 'body-base64', 'body.encoding is "base64" but body.data is not valid base64');
  }
  const limit = ctx.settings.maxReplacedBodyBytes[ctx.viewer ? 'viewer' : 'origin'][encoding];
  const size = Buffer.byteLength(body.data);
  if (size > limit) {
    report.add('body.data', 'request-body-size', `the replacement body is ${size} bytes, over CloudFront's ${limit}-byte limit for ${encoding} bodies in ${ctx.eventType}`);
  }
}

function checkOrigin(ctx: Ctx, origin: unknown, requestHeaders: Obj): void {
  const { report } = ctx;
  if (!isObj(origin)) {
    report.add('origin', 'origin', `origin must be an object with either custom or s3 (got ${kindOf(origin)})`);
    return;
  }
  const custom = has(origin, 'custom');
  const s3 = has(origin, 's3');
  if (custom === s3) {
    report.add('origin', 'origin', custom ? 'origin has both custom and s3; keep exactly one' : 'origin needs either custom or s3');
    return;
  }
  const path = custom ? 'origin.custom' : 'origin.s3';
  const o = custom ? origin.custom : origin.s3;
  if (!isObj(o)) {
    report.add(path, 'origin', `${path} must be an object (got ${kindOf(o)})`);
    return;
  }
  const bad = (field: string, message: string) => report.add(`${path}.${field}`, 'origin', message);
  const domain = o.domainName;
  if (typeof domain !== 'string' || domain === '') bad('domainName', 'domainName must be a non-empty string');
  else if (custom) {
    if (domain.includes(':')) bad('domainName', `domainName cannot contain ":" (got ${show(domain)}); set the port in port`);
    else if (IPV4.test(domain)) bad('domainName', `domainName cannot be an IP address (got ${show(domain)}); use a DNS name`);
    else if (domain.length > 253) bad('domainName', `domainName is ${domain.length} characters, over 253`);
  } else {
    if (domain !== domain.toLowerCase()) bad('domainName', `an S3 domainName is all lowercase (got ${show(domain)})`);
    if (domain.length > 128) bad('domainName', `an S3 domainName is at most 128 characters (got ${domain.length})`);
  }
  checkOriginPath(o.path, (m) => bad('path', m), custom);
  if (has(o, 'customHeaders')) {
    checkHeaders(ctx, o.customHeaders, `${path}.customHeaders`, { before: undefined, readOnly: false, custom: true });
    if (isObj(o.customHeaders)) {
      for (const name of Object.keys(o.customHeaders)) {
        if (has(requestHeaders, name.toLowerCase())) bad(`customHeaders.${name}`, `${name} is both an origin custom header and a request header; keep one`);
      }
    }
  }
  if (custom) {
    const port = o.port;
    if (!Number.isInteger(port) || !(port === 80 || port === 443 || ((port as number) >= 1024 && (port as number) <= 65535))) {
      bad('port', `port must be 80, 443 or 1024–65535 (got ${show(port)})`);
    }
    if (o.protocol !== 'http' && o.protocol !== 'https') bad('protocol', `protocol must be "http" or "https" (got ${show(o.protocol)})`);
    const max = ctx.settings.maxOriginTimeout;
    if (has(o, 'keepaliveTimeout') && !intIn(o.keepaliveTimeout, 1, max)) bad('keepaliveTimeout', `keepaliveTimeout must be a whole number of seconds from 1 to ${max} (got ${show(o.keepaliveTimeout)})`);
    if (has(o, 'readTimeout') && !intIn(o.readTimeout, 4, max)) bad('readTimeout', `readTimeout must be a whole number of seconds from 4 to ${max} (got ${show(o.readTimeout)})`);
    if (has(o, 'sslProtocols')) {
      const list = o.sslProtocols;
      if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === 'string' && SSL_PROTOCOLS.has(p))) {
        bad('sslProtocols', `sslProtocols must be a non-empty list drawn from ${[...SSL_PROTOCOLS].join(', ')} (got ${show(list)})`);
      }
    }
  } else {
    if (o.authMethod !== 'origin-access-identity' && o.authMethod !== 'none') {
      bad('authMethod', `authMethod must be "origin-access-identity" or "none" (got ${show(o.authMethod)}); origin access control (OAC) cannot be set from a function`);
    } else if (o.authMethod === 'origin-access-identity' && (typeof o.region !== 'string' || o.region === '')) {
      bad('region', 'region is required when authMethod is "origin-access-identity"');
    }
  }
}

function checkOriginPath(path: unknown, bad: (m: string) => void, custom: boolean): void {
  if (path === undefined || path === '') return;
  if (typeof path !== 'string') return bad(`path must be a string (got ${kindOf(path)})`);
  if (!path.startsWith('/')) return bad(`path must start with / (got ${show(path)})`);
  if (path.endsWith('/')) return bad(`path must not end with / (got ${show(path)})`);
  if (/[\s#?]/.test(path)) return bad(`path must be URL-encoded (got ${show(path)})`);
  if (custom && path.length > 255) bad(`path is ${path.length} characters, over 255`);
}

function intIn(v: unknown, min: number, max: number): boolean {
  return Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
}
