/**
 * @module
 * One viewer request through the distribution, in CloudFront's order: limits → behavior →
 * viewer-request → cache → (miss) origin-request → origin → origin-response → cache store →
 * viewer-response → CloudFront's response headers.
 */
import { performance } from 'node:perf_hooks';
import { CLOUDFRONT_REQUEST_LIMITS } from '../config/limits.js';
import type { ProjectCloudFrontSettings } from '../config/load.js';
import { includedBody, newCloudFrontRequestId, toCloudFrontHeaders, type CloudFrontRequest, type CloudFrontResponse } from '../events/index.js';
import { rangeOf } from './byte-range.js';
import { cacheKey, ttlFor, type EdgeCache } from './cache.js';
import { behaviorFor, type BehaviorConfig, type DistributionConfig, type OriginConfig } from './config.js';
import { errorPage } from './error-page.js';
import { serveFolder } from './folder-origin.js';
import type { FunctionPool } from '../lambda-api/function-pool.js';
import { fetchOrigin } from './http-origin.js';
import { fromCfHeaders, getHeader, headerBytes, removeHeader, setHeader, type HeaderPairs, type HttpResponse, type ViewerRequest } from '../http-types.js';
import { Trip } from './inspector/trip.js';
import { pathForMatching } from './request-path.js';
import { bodyForOrigin, cloudFrontEvent, requestFromResult, responseFromResult, runTrigger, type RequestFailure, type StageContext, type TriggerRun } from './triggers.js';
import { originSideRequest, RESPONSE_VIA, viewerOf, type Viewer } from './viewer.js';

export interface PipelineContext {
  dist: DistributionConfig;
  pool: FunctionPool;
  cache: EdgeCache;
  settings: ProjectCloudFrontSettings;
  /** Record each request's trip (stages, cache, origin, each trigger's event and result): the inspector. */
  recordTrips?: boolean;
}

/** What happened to one request: for the access log, and for tests. */
export interface Exchange {
  requestId: string;
  method: string;
  path: string;
  status: number;
  behavior: string;
  /** CloudFront's X-Cache value. */
  xCache: string;
  triggers: TriggerRun[];
  durationMs: number;
  originRequests: number;
  /** Why CloudFront answered with an error page it generated (a trigger failed, the origin failed, a limit). */
  failure?: RequestFailure;
  /** Only with `recordTrips`: the stages, the cache lookup, the origin exchange. */
  trip?: Trip;
  /** Only with `recordTrips`: the headers the viewer got. */
  responseHeaders?: HeaderPairs;
}

const URL_LIMIT = CLOUDFRONT_REQUEST_LIMITS.urlChars;
const HEADER_LIMIT = CLOUDFRONT_REQUEST_LIMITS.headerBytes;
const POP = 'LCL50-P1';

export async function handleRequest(ctx: PipelineContext, req: ViewerRequest & { clientPort?: number; secure?: boolean }): Promise<{ response: HttpResponse; exchange: Exchange }> {
  const started = performance.now();
  const requestId = newCloudFrontRequestId();
  const trip = ctx.recordTrips === true ? new Trip() : undefined;
  const stage: StageContext = { pool: ctx.pool, settings: ctx.settings, distributionId: ctx.dist.id, distributionDomainName: ctx.dist.domainName, requestId, runs: [], ...(trip === undefined ? {} : { trip }) };
  const exchange: Exchange = { requestId, method: req.method, path: req.path, status: 0, behavior: '', xCache: '', triggers: stage.runs, durationMs: 0, originRequests: 0 };
  const finish = (response: HttpResponse, xCache: string, age?: number) => {
    const out = finalize(response, xCache, requestId, req.method, age);
    exchange.status = out.status;
    exchange.xCache = getHeader(out.headers, 'x-cache') ?? xCache;
    exchange.durationMs = performance.now() - started;
    if (stage.failure !== undefined) exchange.failure = stage.failure;
    if (trip !== undefined) {
      trip.complete(stage.failure === undefined ? 'the request ended before it' : `${stage.failure.stage} failed`);
      exchange.trip = trip;
      exchange.responseHeaders = out.headers;
    }
    return { response: out, exchange };
  };
  const limit = (status: number, failure: Parameters<typeof errorPage>[1], message: string, detail: string | undefined) => {
    stage.failure = { status, stage: 'limits', kind: 'limit', message, details: detail === undefined ? [] : [detail] };
    return finish(errorPage(status, failure, message, requestId, detail), 'Error');
  };

  const url = req.querystring === '' ? req.path : `${req.path}?${req.querystring}`;
  if (url.length > URL_LIMIT) return limit(414, 'UrlTooLong', 'Bad request. The URL is too long.', `${url.length} characters; CloudFront's limit is ${URL_LIMIT}`);
  const lineAndHeaders = req.method.length + url.length + 11 + headerBytes(req.headers);
  if (lineAndHeaders > HEADER_LIMIT) return limit(494, 'HeadersTooLarge', 'Bad request. The request headers are too large.', `${lineAndHeaders} bytes; CloudFront's limit is ${HEADER_LIMIT}`);
  if (!req.path.startsWith('/')) return limit(400, 'BadRequest', 'Bad request.', undefined);

  // The default root object replaces a request for the root URL only, before anything else sees it.
  if (req.path === '/' && ctx.dist.defaultRootObject !== undefined) req = { ...req, path: `/${ctx.dist.defaultRootObject}` };
  const behavior = behaviorFor(ctx.dist, pathForMatching(req.path));
  exchange.behavior = behavior.pathPattern;
  const { viewer, headers } = viewerOf(req.headers, req.clientIp, req.clientPort ?? 0, req.secure === true);

  // viewer-request
  let request: CloudFrontRequest = { clientIp: req.clientIp, headers: toCloudFrontHeaders(headers), method: req.method, querystring: req.querystring, uri: req.path };
  const vr = behavior.triggers['viewer-request'];
  if (vr !== undefined) {
    const event = cloudFrontEvent(stage, 'viewer-request', vr.includeBody ? withBody(request, req.body, 'viewer') : request);
    const end = trip?.begin('viewer-request', vr.function.name);
    const out = await runTrigger(stage, vr, event);
    if (!out.ok) {
      end?.('failed', stage.failure?.kind);
      return finish(out.response, '');
    }
    if (out.result.status !== undefined) {
      end?.('generated', 'the function generated the response');
      trip?.complete('viewer-request generated the response');
      // Generated in viewer-request: straight to the viewer, never cached, no viewer-response.
      return finish(responseFromResult(out.result), 'LambdaGeneratedResponse from cloudfront');
    }
    end?.('ran');
    request = requestFromResult(request, out.result, false);
  } else {
    trip?.skip('viewer-request', 'no viewer-request trigger on this behavior');
  }

  const cacheable = request.method === 'GET' || request.method === 'HEAD';
  const viewerPairs = fromCfHeaders(request.headers);
  const key = cacheKey(behavior.cachePolicy, {
    behavior: behavior.pathPattern,
    method: request.method,
    uri: request.uri,
    querystring: request.querystring,
    headers: keyHeaders(viewerPairs, viewer),
    cookies: cookiesOf(getHeader(viewerPairs, 'cookie')),
  });
  const endLookup = trip?.begin('cache');
  const hit = cacheable ? ctx.cache.get(key) : undefined;
  if (trip !== undefined) {
    const lookup = !cacheable ? 'not-cacheable' : hit === undefined ? 'miss' : hit.fresh ? 'hit' : 'stale';
    trip.cache = { key, lookup, uri: request.uri, ...(hit === undefined ? {} : { age: hit.age, ttl: hit.entry.ttl, ttlLeft: Math.max(0, hit.entry.ttl - hit.age) }) };
    endLookup?.('ran', lookup === 'not-cacheable' ? `${request.method} is not cached` : lookup === 'stale' ? 'stale: revalidating with the origin' : lookup);
  }
  let response: HttpResponse;
  let xCache: string;
  let age: number | undefined;
  if (hit?.fresh === true) {
    response = hit.entry.response;
    xCache = 'Hit from cloudfront';
    age = hit.age;
    for (const s of ['origin-request', 'origin', 'origin-response'] as const) trip?.skip(s, 'cache hit');
  } else {
    const fromOrigin = await originStage(ctx, stage, behavior, request, req.body, viewer, hit === undefined ? undefined : hit.entry.response, exchange);
    if ('failed' in fromOrigin) return finish(fromOrigin.failed, '');
    response = fromOrigin.response;
    xCache = fromOrigin.refreshed ? 'RefreshHit from cloudfront' : 'Miss from cloudfront';
    const ttl = ttlFor(behavior.cachePolicy, response);
    if (fromOrigin.refreshed) ctx.cache.refresh(key, ttl);
    else if (cacheable) ctx.cache.put(key, request.uri, response, ttl);
    if (trip?.cache !== undefined) trip.cache.storedTtl = cacheable ? Math.max(0, ttl) : 0;
  }

  // viewer-response: not for origin errors (status >= 400), and it cannot change the status.
  const vres = behavior.triggers['viewer-response'];
  if (vres !== undefined && response.status < 400) {
    const { body: _omitted, ...viewerRequest } = request;
    const event = cloudFrontEvent(stage, 'viewer-response', viewerRequest, cfResponse(response));
    const end = trip?.begin('viewer-response', vres.function.name);
    const out = await runTrigger(stage, vres, event);
    end?.(out.ok ? 'ran' : 'failed', out.ok ? undefined : stage.failure?.kind);
    if (!out.ok) return finish(out.response, '');
    response = responseFromResult({ ...out.result, status: response.status }, response.body);
  } else {
    trip?.skip('viewer-response', vres === undefined ? 'no viewer-response trigger on this behavior' : `status ${response.status} ≥ 400: CloudFront does not run viewer-response`);
  }
  // CloudFront serves a byte range of a whole object itself.
  const served = (req.method === 'GET' ? rangeOf(response, getHeader(req.headers, 'range')) : undefined) ?? response;
  // An error status from the origin (or the cache holding one) is an Error, not a Miss or a Hit.
  return finish(served, served.status >= 400 ? 'Error from cloudfront' : xCache, age);
}

/**
 * The headers the cache key is built from: the viewer's, with the CloudFront-* ones replaced by
 * CloudFront's own values (it adds them after viewer-request and overwrites a viewer's copy), so
 * a policy naming CloudFront-Viewer-Country keys on the viewer's country.
 */
function keyHeaders(viewerPairs: HeaderPairs, viewer: Viewer): HeaderPairs {
  const out: HeaderPairs = viewerPairs.filter(([k]) => !k.toLowerCase().startsWith('cloudfront-'));
  for (const [name, value] of viewer.cloudfrontHeaders) out.push([name, value]);
  return out;
}

type OriginOutcome = { response: HttpResponse; refreshed: boolean } | { failed: HttpResponse };

async function originStage(
  ctx: PipelineContext,
  stage: StageContext,
  behavior: BehaviorConfig,
  viewerRequest: CloudFrontRequest,
  viewerBody: Buffer,
  viewer: ReturnType<typeof viewerOf>['viewer'],
  stale: HttpResponse | undefined,
  exchange: Exchange,
): Promise<OriginOutcome> {
  let request = originSideRequest(behavior, viewerRequest, viewer);
  let body = bodyForOrigin(viewerRequest, viewerBody);
  const trip = stage.trip;
  const or = behavior.triggers['origin-request'];
  if (or !== undefined) {
    const event = cloudFrontEvent(stage, 'origin-request', or.includeBody ? withBody(request, body, 'origin') : request);
    const end = trip?.begin('origin-request', or.function.name);
    const out = await runTrigger(stage, or, event);
    if (!out.ok) {
      end?.('failed', stage.failure?.kind);
      return { failed: out.response };
    }
    // Generated in origin-request: cached like an origin response; origin-response does not run.
    if (out.result.status !== undefined) {
      end?.('generated', 'the function generated the response');
      trip?.skip('origin', 'origin-request generated the response');
      trip?.skip('origin-response', 'origin-request generated the response');
      return { response: responseFromResult(out.result), refreshed: false };
    }
    end?.('ran');
    request = requestFromResult(request, out.result, true);
    body = bodyForOrigin(request, body);
  } else {
    trip?.skip('origin-request', 'no origin-request trigger on this behavior');
  }
  const conditional = stale === undefined ? undefined : validators(stale);
  exchange.originRequests++;
  const endOrigin = trip?.begin('origin');
  const fetched = await fetchFromOrigin(ctx.dist, request, body, conditional, trip);
  if ('failed' in fetched) {
    endOrigin?.('failed', fetched.detail);
    stage.failure = { status: fetched.status, stage: 'origin', kind: 'origin-error', message: fetched.message, details: [fetched.detail] };
    return { failed: errorPage(fetched.status, 'OriginConnectError', fetched.message, stage.requestId, fetched.detail) };
  }
  endOrigin?.('ran', `${fetched.status}`);
  if (stale !== undefined && fetched.status === 304) {
    trip?.skip('origin-response', 'the origin answered 304 Not Modified: the cached object is served');
    return { response: stale, refreshed: true };
  }
  let response = fetched;
  const ors = behavior.triggers['origin-response'];
  if (ors !== undefined) {
    const { body: _omitted, ...originRequest } = request;
    const event = cloudFrontEvent(stage, 'origin-response', originRequest, cfResponse(response));
    const end = trip?.begin('origin-response', ors.function.name);
    const out = await runTrigger(stage, ors, event);
    end?.(out.ok ? 'ran' : 'failed', out.ok ? undefined : stage.failure?.kind);
    if (!out.ok) return { failed: out.response };
    response = responseFromResult(out.result, response.body);
  } else {
    trip?.skip('origin-response', 'no origin-response trigger on this behavior');
  }
  return { response, refreshed: false };
}

function validators(stale: HttpResponse): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const etag = getHeader(stale.headers, 'etag');
  const lastModified = getHeader(stale.headers, 'last-modified');
  if (etag !== undefined) out.push(['If-None-Match', etag]);
  if (lastModified !== undefined) out.push(['If-Modified-Since', lastModified]);
  return out;
}

type Fetched = HttpResponse | { failed: true; status: number; message: string; detail: string };

/** Sends the request to the origin it names now (a function may have switched it). */
async function fetchFromOrigin(dist: DistributionConfig, request: CloudFrontRequest, body: Buffer, conditional: Array<[string, string]> | undefined, trip?: Trip): Promise<Fetched> {
  const fetched = await fetchFromOriginUntraced(dist, request, body, conditional, trip);
  if (trip?.origin !== undefined) {
    if ('failed' in fetched) trip.origin.error = fetched.detail;
    else Object.assign(trip.origin, { status: fetched.status, responseHeaders: fetched.headers });
  }
  return fetched;
}

async function fetchFromOriginUntraced(dist: DistributionConfig, request: CloudFrontRequest, body: Buffer, conditional: Array<[string, string]> | undefined, trip?: Trip): Promise<Fetched> {
  const headers = fromCfHeaders(request.headers);
  for (const [k, v] of conditional ?? []) setHeader(headers, k, v);
  const origin = request.origin;
  const s3 = origin?.s3;
  const custom = origin?.custom;
  for (const [name, entries] of Object.entries((s3 ?? custom)?.customHeaders ?? {})) for (const e of entries) headers.push([e.key ?? name, e.value]);
  if (trip !== undefined) {
    const domain = (s3 ?? custom)?.domainName ?? '(none)';
    const named = [...dist.origins.values()].find((o) => o.domainName === domain);
    const qs = request.querystring === '' ? '' : `?${request.querystring}`;
    const where = s3 !== undefined ? `s3://${domain}${s3.path}` : custom !== undefined ? `${custom.protocol}://${domain}:${custom.port}${custom.path}` : '';
    trip.origin = { origin: named?.name ?? domain, method: request.method, url: `${where}${request.uri}${qs}`, requestHeaders: headers };
  }
  if (s3 !== undefined) {
    const folder = [...dist.origins.values()].find((o): o is Extract<OriginConfig, { kind: 'folder' }> => o.kind === 'folder' && o.domainName === s3.domainName);
    if (folder === undefined) {
      return { failed: true, status: 502, message: "CloudFront wasn't able to connect to the origin.", detail: `no folder origin has the domain ${s3.domainName}` };
    }
    return serveFolder(folder.path, { method: request.method, uri: `${s3.path}${request.uri}`, headers });
  }
  if (custom === undefined) return { failed: true, status: 502, message: "CloudFront wasn't able to connect to the origin.", detail: 'the request has no origin' };
  const configured = [...dist.origins.values()].find((o) => o.kind === 'http' && o.domainName === custom.domainName);
  const host = configured?.kind === 'http' ? configured.url.hostname : custom.domainName;
  const qs = request.querystring === '' ? '' : `?${request.querystring}`;
  const result = await fetchOrigin({
    protocol: custom.protocol,
    host,
    port: custom.port,
    path: `${custom.path}${request.uri}${qs}`,
    method: request.method,
    headers,
    body,
    readTimeoutMs: custom.readTimeout * 1000,
  });
  if ('failed' in result) {
    return result.failed === 'timeout'
      ? { failed: true, status: 504, message: 'CloudFront attempted to establish a connection with the origin, but either the attempt failed or the origin closed the connection.', detail: result.message }
      : { failed: true, status: 502, message: "CloudFront wasn't able to connect to the origin.", detail: result.message };
  }
  return result;
}

function withBody(request: CloudFrontRequest, body: Buffer, side: 'viewer' | 'origin'): CloudFrontRequest {
  if (body.length === 0 && request.method !== 'POST' && request.method !== 'PUT' && request.method !== 'PATCH') return request;
  return { ...request, body: includedBody(body, side) };
}

function cfResponse(r: HttpResponse): CloudFrontResponse {
  return { headers: toCloudFrontHeaders(r.headers), status: String(r.status), statusDescription: r.statusDescription ?? '' };
}

function cookiesOf(header: string | undefined): Array<[string, string]> {
  if (header === undefined) return [];
  return header.split(/;\s*/).filter((c) => c !== '').map((c) => {
    const eq = c.indexOf('=');
    return eq < 0 ? [c, ''] : [c.slice(0, eq), c.slice(eq + 1)];
  });
}

/** The headers CloudFront adds to every response, and the framing for the socket. */
function finalize(response: HttpResponse, xCache: string, requestId: string, method: string, age?: number): HttpResponse {
  const headers = response.headers.filter(([k]) => !/^(connection|keep-alive|transfer-encoding|content-length)$/i.test(k));
  if (xCache !== '') setHeader(headers, 'X-Cache', xCache);
  else if (getHeader(headers, 'x-cache') === undefined) setHeader(headers, 'X-Cache', 'Error from cloudfront');
  removeHeader(headers, 'via');
  headers.push(['Via', RESPONSE_VIA], ['X-Amz-Cf-Pop', POP], ['X-Amz-Cf-Id', requestId]);
  if (age !== undefined) setHeader(headers, 'Age', String(age));
  headers.push(['Content-Length', String(response.body.length)]);
  return { ...response, headers, body: method === 'HEAD' ? Buffer.alloc(0) : response.body };
}
