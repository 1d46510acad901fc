/**
 * @module
 * The flags that describe an event (`--uri --method --header --querystring --body --status`),
 * shared by `invoke` (build the event instead of reading one) and `event` (print it).
 */
import type { ArgsDef } from 'citty';
import type { FunctionKind } from '../config/limits.js';
import { isEdgeEventType } from '../config/limits.js';
import { EdgeError } from '../errors.js';
import { buildEvent, buildFunctionUrlEvent } from '../events/index.js';
import { repeatedFlag } from './args.js';

export const EVENT_FLAGS = {
  uri: { type: 'string', description: 'request URI (default /)' },
  method: { type: 'string', description: 'HTTP method (default GET)' },
  header: { type: 'string', description: 'a request header, name:value (repeatable)' },
  querystring: { type: 'string', description: 'query string without ?' },
  body: { type: 'string', description: 'request body (text)' },
  status: { type: 'string', description: 'origin status of a response event (default 200)' },
} as const satisfies ArgsDef;

type Args = Record<string, unknown>;

/** Whether any of the event flags was given. */
export function eventFlagsGiven(args: Args, rawArgs: readonly string[]): boolean {
  return repeatedFlag(rawArgs, 'header').length > 0 || ['uri', 'method', 'querystring', 'body', 'status'].some((k) => args[k] !== undefined);
}

/** The event a `kind` function gets for these flags, built the way CloudFront (or a Function URL) builds it. */
export function eventFromFlags(kind: FunctionKind, args: Args, rawArgs: readonly string[]): unknown {
  const headers = repeatedFlag(rawArgs, 'header').map(parseHeader);
  const isResponse = kind === 'origin-response' || kind === 'viewer-response';
  if (typeof args.status === 'string' && !isResponse) {
    throw new EdgeError('E_USAGE', `--status is the origin's status in a response event; a ${kind} event has none`, {
      hint: 'use it with origin-response or viewer-response',
    });
  }
  if (typeof args.body === 'string' && isResponse) {
    throw new EdgeError('E_USAGE', `CloudFront gives a ${kind} trigger no body (IncludeBody is for request triggers)`, {
      hint: 'use --body with viewer-request, origin-request or lambda',
    });
  }
  const common = {
    ...(typeof args.uri === 'string' ? { uri: args.uri } : {}),
    ...(typeof args.method === 'string' ? { method: args.method.toUpperCase() } : {}),
    ...(typeof args.querystring === 'string' ? { querystring: args.querystring } : {}),
    ...(typeof args.body === 'string' ? { body: args.body, includeBody: true } : {}),
    headers,
  };
  if (!isEdgeEventType(kind)) return buildFunctionUrlEvent(common);
  return buildEvent(kind, { ...common, ...(typeof args.status === 'string' ? { status: args.status } : {}) });
}

export function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  if (colon <= 0) throw new EdgeError('E_USAGE', `--header ${JSON.stringify(text)} is not name:value`, { hint: 'e.g. --header "accept: text/html"' });
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}
