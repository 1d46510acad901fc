/**
 * @module
 * CloudFront's request limits that the event code itself needs (docs/cloudfront-rules.md §4). They
 * live here because `events/` imports nothing outside itself (users' tests load it alone);
 * `config/limits.ts` re-exports them, and the rest of the code imports them from there.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html
 */
import type { RequestEventType } from './types.js';

/** Lambda@Edge functions are created in US East (N. Virginia); their replicas log as `us-east-1.<name>`. */
export const EDGE_FUNCTION_REGION = 'us-east-1';

/** CloudFront's request limits: the URL (path and query string) in characters, the request line and headers in bytes. */
export const CLOUDFRONT_REQUEST_LIMITS = { urlChars: 8192, headerBytes: 20_480 } as const;

/** IncludeBody: CloudFront cuts the body it hands a function at 40 KB (viewer) or 1 MB (origin). */
export const INCLUDE_BODY_LIMITS = { viewer: 40 * 1024, origin: 1024 * 1024 } as const;

/** The events that can include the request body: the request events. */
export const INCLUDE_BODY_EVENTS: readonly RequestEventType[] = ['viewer-request', 'origin-request'];

/** Whether a trigger on `eventType` (or a plain Lambda function, `lambda`) may have IncludeBody. */
export function mayIncludeBody(eventType: string): boolean {
  return (INCLUDE_BODY_EVENTS as readonly string[]).includes(eventType);
}
