/**
 * @module
 * The parts of Lambda the local CloudFront also serves: the Invoke API
 * (`POST /2015-03-31/functions/{name}/invocations`, as the AWS CLI and `@aws-sdk/client-lambda`
 * call it with an endpoint override) and Function URLs (payload 2.0) for plain Lambda functions.
 */
import { randomUUID } from 'node:crypto';
import { LAMBDA_PAYLOAD_LIMITS } from '../config/limits.js';
import type { FunctionConfig, ProjectConfig } from '../config/load.js';
import { buildFunctionUrlEvent, type FunctionUrlEvent } from '../events/index.js';
import { DEFAULT_REGION, LATEST, LOCAL_ACCOUNT, unqualifiedArn } from '../lambda/identity.js';
import { localVersion } from '../lambda/from-config.js';
import type { InvocationRecord } from '../lambda/index.js';
import type { FunctionPool } from './function-pool.js';
import { getHeader, type HeaderPairs, type HttpResponse, type ViewerRequest } from '../http-types.js';

const ACCOUNT = LOCAL_ACCOUNT;
const REGION = DEFAULT_REGION;
const MAX_CLIENT_CONTEXT = 3583;

export const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

function awsError(status: number, type: string, message: string): HttpResponse {
  const body = Buffer.from(JSON.stringify({ Type: 'User', message }));
  return { status, headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', type], ['x-amzn-RequestId', randomUUID()]], body };
}

export interface InvokeApiContext {
  config: ProjectConfig;
  pool: FunctionPool;
  /** Invocations started with InvocationType Event, so tests and shutdown can wait for them. */
  background: Set<Promise<unknown>>;
}

/** A throttled invocation, as the Invoke API answers it. */
function throttled(): HttpResponse {
  const body = Buffer.from(JSON.stringify({ Reason: 'ConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' }));
  return { status: 429, headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', 'TooManyRequestsException'], ['x-amzn-RequestId', randomUUID()]], body };
}

/**
 * A full or partial ARN names an account and maybe a region: another region's function is not
 * reachable from this endpoint, and another account's is not ours to invoke (no resource policy).
 */
function foreignArn(decoded: string): HttpResponse | undefined {
  const full = /^arn:aws:lambda:([^:]*):([^:]*):function:(.*)$/.exec(decoded);
  const partial = /^(\d+):function:(.*)$/.exec(decoded);
  const region = full?.[1];
  const account = full?.[2] ?? partial?.[1];
  if (region !== undefined && region !== REGION) {
    return awsError(404, 'ResourceNotFoundException', `Functions from '${region}' are not reachable in this region ('${REGION}')`);
  }
  if (account !== undefined && account !== ACCOUNT) {
    const resource = full !== null ? decoded : `arn:aws:lambda:${REGION}:${decoded}`;
    return awsError(403, 'AccessDeniedException', `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: lambda:InvokeFunction on resource: ${resource} because no resource-based policy allows the lambda:InvokeFunction action`);
  }
  return undefined;
}

export async function handleInvoke(ctx: InvokeApiContext, name: string, req: ViewerRequest): Promise<HttpResponse> {
  if (req.method !== 'POST') return awsError(405, 'UnsupportedOperationException', `${req.method} is not supported on the invocations resource; use POST`);
  const decoded = decodeURIComponent(name);
  const foreign = foreignArn(decoded);
  if (foreign !== undefined) return foreign;
  // A function may be named by name, partial ARN or full ARN; the qualifier may ride on the name.
  const bare = decoded.replace(/^arn:aws:lambda:[^:]+:\d+:function:/, '').replace(/^\d+:function:/, '').split(':')[0]!;
  const fn = ctx.config.functions.find((f) => f.name === bare);
  if (fn === undefined) return awsError(404, 'ResourceNotFoundException', `Function not found: ${unqualifiedArn(bare)}`);
  const qualifier = new URLSearchParams(req.querystring).get('Qualifier') ?? decoded.split(':').slice(decoded.startsWith('arn:') ? 7 : 1)[0];
  const version = localVersion(fn);
  if (qualifier !== undefined && qualifier !== '' && qualifier !== version && qualifier !== LATEST) {
    return awsError(404, 'ResourceNotFoundException', `Function not found: ${unqualifiedArn(bare)}:${qualifier}`);
  }
  const type = getHeader(req.headers, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) {
    return awsError(400, 'InvalidParameterValueException', `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`);
  }
  if (type === 'Event' && req.body.length > LAMBDA_PAYLOAD_LIMITS.asyncRequestBytes) {
    const limit = LAMBDA_PAYLOAD_LIMITS.asyncRequestBytes;
    return awsError(413, 'RequestEntityTooLargeException', `${req.body.length} byte payload is too large for the Event invocation type (limit ${limit} bytes)`);
  }
  if (req.body.length > LAMBDA_PAYLOAD_LIMITS.syncRequestBytes) {
    return awsError(413, 'RequestEntityTooLargeException', `Request must be smaller than ${LAMBDA_PAYLOAD_LIMITS.syncRequestBytes} bytes for the InvokeFunction operation`);
  }
  let event: unknown = {};
  const text = req.body.toString('utf8');
  if (text.trim() !== '') {
    try {
      event = JSON.parse(text);
    } catch (e) {
      return awsError(400, 'InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`);
    }
  }
  const clientContext = getHeader(req.headers, 'x-amz-client-context');
  if (clientContext !== undefined && clientContext.length > MAX_CLIENT_CONTEXT) {
    return awsError(400, 'InvalidParameterValueException', `Client context must be at most ${MAX_CLIENT_CONTEXT} bytes (base64)`);
  }
  const base: HeaderPairs = [['x-amzn-RequestId', randomUUID()], ['X-Amz-Executed-Version', version]];
  if (type === 'DryRun') return { status: 204, headers: base, body: Buffer.alloc(0) };
  // The body goes to the function as it came (Lambda does not re-serialise the payload).
  const payload = text.trim() === '' ? '{}' : text;
  const run = ctx.pool.invoke(fn, event, { payload, ...(clientContext === undefined ? {} : { clientContext: Buffer.from(clientContext, 'base64').toString('utf8') }) });
  if (type === 'Event') {
    const p = run.catch(() => undefined).finally(() => ctx.background.delete(p));
    ctx.background.add(p);
    return { status: 202, headers: base.filter(([k]) => k !== 'X-Amz-Executed-Version'), body: Buffer.alloc(0) };
  }
  const record = await run;
  if (record.throttled === true) return throttled();
  const headers: HeaderPairs = [...base, ['Content-Type', 'application/json']];
  if (getHeader(req.headers, 'x-amz-log-type') === 'Tail') headers.push(['X-Amz-Log-Result', tail(record.logs)]);
  if (!record.ok) {
    headers.push(['X-Amz-Function-Error', 'Unhandled']);
    const error = record.timedOut ? { errorMessage: record.error?.errorMessage ?? 'Task timed out', errorType: 'Sandbox.Timedout' } : record.error;
    return { status: 200, headers, body: Buffer.from(JSON.stringify(error)) };
  }
  return { status: 200, headers, body: Buffer.from(JSON.stringify(record.result ?? null)) };
}

/** The last 4 KB of the log, base64, as `X-Amz-Log-Result`. */
function tail(lines: string[]): string {
  const all = Buffer.from(`${lines.join('\n')}\n`);
  return all.subarray(Math.max(0, all.length - 4096)).toString('base64');
}

/** `<fn>.lambda-url.localhost[:port]`, or the path prefix `/_lambda-url/<fn>/` for clients that cannot set Host. */
export function functionUrlTarget(config: ProjectConfig, req: ViewerRequest): { fn: FunctionConfig; path: string } | undefined {
  const host = (getHeader(req.headers, 'host') ?? '').split(':')[0]!;
  const m = /^([A-Za-z0-9_-]+)\.lambda-url\.localhost$/.exec(host);
  if (m !== null) {
    const fn = config.functions.find((f) => f.name === m[1] && f.kind === 'lambda');
    return fn === undefined ? undefined : { fn, path: req.path };
  }
  const p = /^\/_lambda-url\/([A-Za-z0-9_-]+)(\/.*)?$/.exec(req.path);
  if (p === null) return undefined;
  const fn = config.functions.find((f) => f.name === p[1] && f.kind === 'lambda');
  return fn === undefined ? undefined : { fn, path: p[2] ?? '/' };
}

export async function handleFunctionUrl(pool: FunctionPool, fn: FunctionConfig, path: string, req: ViewerRequest): Promise<HttpResponse> {
  const event = functionUrlEvent(fn, path, req);
  const payload = JSON.stringify(event);
  if (Buffer.byteLength(payload) > LAMBDA_PAYLOAD_LIMITS.syncRequestBytes) {
    return { status: 413, headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', 'RequestEntityTooLargeException']], body: Buffer.from('{"Message":"Request Entity Too Large"}') };
  }
  const record: InvocationRecord = await pool.invoke(fn, event, { payload });
  if (record.throttled === true) {
    return { status: 429, headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', 'TooManyRequestsException']], body: Buffer.from('{"Message":"Rate Exceeded."}') };
  }
  if (!record.ok) {
    return { status: 502, headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', 'Function.Unhandled']], body: Buffer.from('{"Message":"Internal Server Error"}') };
  }
  return functionUrlResponse(record.result);
}

/** The payload 2.0 event Lambda makes of the HTTP request (the same builder `invoke --uri` uses). */
function functionUrlEvent(fn: FunctionConfig, path: string, req: ViewerRequest): FunctionUrlEvent {
  return buildFunctionUrlEvent({
    uri: path,
    method: req.method,
    querystring: req.querystring,
    headers: req.headers.filter(([k]) => k.toLowerCase() !== 'host'),
    ...(req.body.length > 0 ? { body: req.body } : {}),
    sourceIp: req.clientIp,
    urlId: fn.name.toLowerCase(),
    region: REGION,
  });
}

/** Lambda's rules: a result without statusCode is 200 JSON of the whole value. */
export function functionUrlResponse(result: unknown): HttpResponse {
  const r = result as { statusCode?: unknown; headers?: unknown; body?: unknown; cookies?: unknown; isBase64Encoded?: unknown } | null;
  if (r === null || typeof r !== 'object' || typeof r.statusCode !== 'number') {
    return { status: 200, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(result)) };
  }
  const headers: HeaderPairs = [];
  if (typeof r.headers === 'object' && r.headers !== null) for (const [k, v] of Object.entries(r.headers as Record<string, unknown>)) headers.push([k, String(v)]);
  if (Array.isArray(r.cookies)) for (const c of r.cookies) headers.push(['Set-Cookie', String(c)]);
  const body = typeof r.body === 'string' ? Buffer.from(r.body, r.isBase64Encoded === true ? 'base64' : 'utf8') : Buffer.alloc(0);
  return { status: r.statusCode, headers, body };
}
