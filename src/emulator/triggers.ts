/**
 * @module
 * Runs one trigger the way CloudFront does: the event for its stage, the function in its own
 * environment, the result through the validator; a failure becomes CloudFront's 502 or 503 page.
 */
import type { ProjectCloudFrontSettings } from '../config/load.js';
import type { EdgeEventType } from '../config/limits.js';
import type { CloudFrontRequest, CloudFrontResponse, Violation } from '../events/index.js';
import { CLOUDFRONT_MESSAGES, formatViolation, validateResult, validationErrorMessage } from '../events/index.js';
import type { InvocationRecord } from '../lambda/index.js';
import type { TriggerAssociation } from './config.js';
import type { Trip } from './inspector/trip.js';
import { errorPage } from './error-page.js';
import type { FunctionPool } from '../lambda-api/function-pool.js';
import { fromCfHeaders, type HttpResponse } from '../http-types.js';

export interface TriggerRun {
  eventType: EdgeEventType;
  function: string;
  outcome: 'ok' | 'generated-response' | 'validation-error' | 'execution-error';
  durationMs: number;
  coldStart: boolean;
  violations?: Violation[];
  error?: { errorType: string; errorMessage: string };
  /** The rest only when the request's trip is recorded (the inspector is on). */
  event?: unknown;
  result?: unknown;
  /** START, the function's lines, END, REPORT. */
  logs?: string[];
  awsRequestId?: string;
  initDurationMs?: number;
  billedDurationMs?: number;
  maxMemoryUsedMB?: number;
  timedOut?: boolean;
  /** CloudFront's words for the failure (the error page's text). */
  cloudFrontMessage?: string;
}

/** Why a request ended in an error CloudFront generated: for the terminal and the inspector. */
export interface RequestFailure {
  status: number;
  /** The trigger's stage, or `origin`. */
  stage: string;
  function?: string;
  kind: 'validation-error' | 'execution-error' | 'timeout' | 'origin-error' | 'limit';
  /** CloudFront's words. */
  message: string;
  /** What exactly: the violations, the error type and message, the origin's failure. */
  details: string[];
}

export interface StageContext {
  pool: FunctionPool;
  settings: ProjectCloudFrontSettings;
  distributionId: string;
  distributionDomainName: string;
  /** CloudFront's request id: the event's `requestId` and the `X-Amz-Cf-Id` header. */
  requestId: string;
  runs: TriggerRun[];
  /** Set when the trip is recorded. */
  trip?: Trip;
  /** Set by the stage that ended the request with an error. */
  failure?: RequestFailure;
}

export type StageResult = { ok: true; result: Record<string, unknown> } | { ok: false; response: HttpResponse };

export function cloudFrontEvent(ctx: StageContext, eventType: EdgeEventType, request: CloudFrontRequest, response?: CloudFrontResponse): unknown {
  const config = { distributionDomainName: ctx.distributionDomainName, distributionId: ctx.distributionId, eventType, requestId: ctx.requestId };
  return { Records: [{ cf: response === undefined ? { config, request } : { config, request, response } }] };
}

export async function runTrigger(ctx: StageContext, assoc: TriggerAssociation, event: unknown): Promise<StageResult> {
  const record: InvocationRecord = await ctx.pool.invoke(assoc.function, event);
  const run: TriggerRun = { eventType: assoc.eventType, function: assoc.function.name, outcome: 'ok', durationMs: record.durationMs, coldStart: record.coldStart };
  ctx.runs.push(run);
  if (ctx.trip !== undefined) {
    // References only: the event was serialised for the function and the result parsed from its output.
    Object.assign(run, {
      event,
      result: record.result,
      logs: record.logs,
      awsRequestId: record.requestId,
      billedDurationMs: record.billedDurationMs,
      maxMemoryUsedMB: record.maxMemoryUsedMB,
      timedOut: record.timedOut,
      ...(record.initDurationMs === undefined ? {} : { initDurationMs: record.initDurationMs }),
    });
  }
  if (!record.ok) {
    run.outcome = 'execution-error';
    run.error = { errorType: record.error?.errorType ?? 'Unknown', errorMessage: record.error?.errorMessage ?? '' };
    const status = ctx.settings.executionErrorStatus;
    const text = record.timedOut ? 'timed out' : `failed: ${run.error.errorType}: ${run.error.errorMessage}`;
    const message = CLOUDFRONT_MESSAGES.executionError;
    run.cloudFrontMessage = message;
    ctx.failure = {
      status,
      stage: assoc.eventType,
      function: assoc.function.name,
      kind: record.timedOut ? 'timeout' : 'execution-error',
      message,
      details: [record.timedOut ? `the function timed out after ${assoc.function.timeout} s` : `${run.error.errorType}: ${run.error.errorMessage}`],
    };
    return {
      ok: false,
      response: errorPage(status, 'LambdaExecutionError', message, ctx.requestId, `${assoc.eventType} ${assoc.function.name} ${text}`),
    };
  }
  const violations = validateResult(assoc.eventType, record.result, event, ctx.settings);
  if (violations.length > 0) {
    run.outcome = 'validation-error';
    run.violations = violations;
    const message = validationErrorMessage(violations);
    run.cloudFrontMessage = message;
    ctx.failure = { status: 502, stage: assoc.eventType, function: assoc.function.name, kind: 'validation-error', message, details: violations.map(formatViolation) };
    return {
      ok: false,
      response: errorPage(502, 'LambdaValidationError', message, ctx.requestId, `${assoc.eventType} ${assoc.function.name}: ${violations.map(formatViolation).join('; ')}`),
    };
  }
  const result = record.result as Record<string, unknown>;
  if ((assoc.eventType === 'viewer-request' || assoc.eventType === 'origin-request') && result.status !== undefined) run.outcome = 'generated-response';
  return { ok: true, result };
}

/** A response a function generated or replaced, as bytes for the viewer. */
export function responseFromResult(result: Record<string, unknown>, previousBody?: Buffer): HttpResponse {
  const body =
    typeof result.body === 'string' ? Buffer.from(result.body, result.bodyEncoding === 'base64' ? 'base64' : 'utf8') : (previousBody ?? Buffer.alloc(0));
  return {
    status: Number(result.status),
    ...(typeof result.statusDescription === 'string' ? { statusDescription: result.statusDescription } : {}),
    headers: fromCfHeaders(result.headers as never),
    body,
  };
}

/** The request a request trigger returned: what it may change (uri, querystring, headers, body, origin). */
export function requestFromResult(before: CloudFrontRequest, result: Record<string, unknown>, allowOrigin: boolean): CloudFrontRequest {
  const next: CloudFrontRequest = {
    ...before,
    uri: result.uri as string,
    querystring: typeof result.querystring === 'string' ? result.querystring : before.querystring,
    headers: result.headers as CloudFrontRequest['headers'],
  };
  const body = result.body as CloudFrontRequest['body'] | undefined;
  if (body !== undefined && body.action === 'replace') next.body = body;
  if (allowOrigin && result.origin !== undefined) next.origin = result.origin as CloudFrontRequest['origin'];
  return next;
}

/** The request body the origin gets: the viewer's, or the function's replacement. */
export function bodyForOrigin(request: CloudFrontRequest, original: Buffer): Buffer {
  const b = request.body;
  if (b === undefined || b.action !== 'replace') return original;
  return Buffer.from(b.data, b.encoding === 'base64' ? 'base64' : 'utf8');
}
