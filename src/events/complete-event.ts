/**
 * @module
 * AWS's sample CloudFront events — the Lambda console's test templates, `sam local generate-event
 * cloudfront …`, the Lambda developer guide — leave out what CloudFront always sends: their `config`
 * often holds only `distributionId` (no `eventType`, `requestId`, `distributionDomainName`), the
 * request may lack `querystring`, and one template has a `response` and no `request`. Those are the
 * events users have at hand, so a function whose trigger is known runs them with the missing parts
 * filled in the way CloudFront fills them, and the caller says what was assumed.
 */
import { EdgeError } from '../errors.js';
import {
  DEFAULT_DISTRIBUTION_DOMAIN,
  DEFAULT_DISTRIBUTION_ID,
  buildEvent,
  newCloudFrontRequestId,
} from './builders.js';
import { CLOUDFRONT_EVENT_TYPES, type CloudFrontEvent, type CloudFrontEventType } from './types.js';

export interface CompletedEvent {
  event: CloudFrontEvent;
  /** What was filled in, as `path = value` (empty when the event was complete). */
  assumed: string[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** True for `{Records: [{cf: {request and/or response}}]}`: the shape every CloudFront event has. */
export function isCloudFrontShaped(event: unknown): boolean {
  if (!isObject(event) || !Array.isArray(event.Records)) return false;
  const cf = (event.Records[0] as Json | undefined)?.cf;
  return isObject(cf) && (isObject(cf.request) || isObject(cf.response));
}

/**
 * The event as CloudFront would send it to a `eventType` trigger, or undefined when it is not
 * CloudFront-shaped at all. A complete event comes back unchanged (a copy) with nothing assumed; an
 * `eventType` the event names itself is kept, even when it differs (the caller reports that).
 */
export function completeCloudFrontEvent(event: unknown, eventType: CloudFrontEventType): CompletedEvent | undefined {
  if (!isCloudFrontShaped(event)) return undefined;
  const copy = structuredClone(event) as Json;
  const cf = ((copy.Records as Json[])[0] as Json).cf as Json;
  const assumed: string[] = [];
  const fill = (target: Json, key: string, path: string, value: unknown, shown: string = JSON.stringify(value)) => {
    if (target[key] !== undefined) return;
    target[key] = value;
    assumed.push(`${path} = ${shown}`);
  };

  if (cf.config === undefined) cf.config = {};
  if (!isObject(cf.config)) throw new EdgeError('E_EVENT_INVALID', 'Records[0].cf.config must be an object');
  const config = cf.config;
  if (config.eventType !== undefined && !(CLOUDFRONT_EVENT_TYPES as readonly unknown[]).includes(config.eventType)) {
    throw new EdgeError('E_EVENT_INVALID', `Records[0].cf.config.eventType ${JSON.stringify(config.eventType)} is not a CloudFront event type`, {
      hint: `one of ${CLOUDFRONT_EVENT_TYPES.join(', ')}, or leave it out to take the function's`,
    });
  }
  const type = (config.eventType as CloudFrontEventType | undefined) ?? eventType;
  const isResponse = type === 'origin-response' || type === 'viewer-response';
  if (!isResponse && cf.response !== undefined) {
    throw new EdgeError('E_EVENT_INVALID', `the event has a response, but CloudFront sends none to a ${type} trigger`, {
      hint: 'give a request event (Records[0].cf.request only), or invoke a function on an origin-response or viewer-response trigger',
    });
  }
  fill(config, 'eventType', 'config.eventType', type);
  fill(config, 'distributionId', 'config.distributionId', DEFAULT_DISTRIBUTION_ID);
  fill(config, 'distributionDomainName', 'config.distributionDomainName', DEFAULT_DISTRIBUTION_DOMAIN);
  fill(config, 'requestId', 'config.requestId', newCloudFrontRequestId(), '(a new one)');

  // What the builders give an event of this type with nothing specified: CloudFront's defaults.
  const defaults = buildEvent(type, { distributionDomainName: config.distributionDomainName as string }).Records[0].cf as unknown as Json;
  if (cf.request === undefined) {
    cf.request = defaults.request;
    assumed.push(`request = ${describeRequest(defaults.request as Json)}`);
  } else if (!isObject(cf.request)) {
    throw new EdgeError('E_EVENT_INVALID', 'Records[0].cf.request must be an object');
  } else {
    const request = cf.request;
    const d = defaults.request as Json;
    for (const key of ['clientIp', 'method', 'uri', 'querystring', 'headers']) fill(request, key, `request.${key}`, d[key]);
  }
  if (isResponse) {
    const d = defaults.response as Json;
    if (cf.response === undefined) {
      cf.response = d;
      assumed.push(`response = ${JSON.stringify(`${d.status as string} ${d.statusDescription as string}`)}`);
    } else if (!isObject(cf.response)) {
      throw new EdgeError('E_EVENT_INVALID', 'Records[0].cf.response must be an object');
    } else {
      const response = cf.response;
      fill(response, 'status', 'response.status', d.status);
      fill(response, 'statusDescription', 'response.statusDescription', d.statusDescription);
      fill(response, 'headers', 'response.headers', {}, '{}');
    }
  }
  return { event: copy as unknown as CloudFrontEvent, assumed };
}

function describeRequest(request: Json): string {
  return JSON.stringify(`${request.method as string} ${request.uri as string}`);
}

/** The one-line note for a completed event, e.g. for `invoke`'s stderr; undefined when nothing was assumed. */
export function describeAssumed(assumed: readonly string[], why: string): string | undefined {
  if (assumed.length === 0) return undefined;
  return `the event is not complete (as AWS's sample events are not); ${why}, assumed ${assumed.join(', ')}`;
}
