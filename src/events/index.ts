/**
 * @module
 * CloudFront events: types, builders and the result validator. Pure: no I/O, nothing outside
 * this folder but `errors.ts`, so the emulator, `invoke` and users' tests share it.
 */
import { CLOUDFRONT_EVENT_TYPES, type CloudFrontEventType } from './types.js';

export * from './types.js';
export * from './builders.js';
export { CLOUDFRONT_REQUEST_LIMITS, EDGE_FUNCTION_REGION, INCLUDE_BODY_EVENTS, INCLUDE_BODY_LIMITS, mayIncludeBody } from './limits.js';
export { completeCloudFrontEvent, describeAssumed, isCloudFrontShaped, type CompletedEvent } from './complete-event.js';
export { validateResult } from './validate.js';
export { CLOUDFRONT_MESSAGES, validationErrorMessage, wrongEdgeRegionMessage } from './cloudfront-messages.js';
export { formatViolation, type Violation, type RuleId } from './violation.js';
export { DEFAULT_CLOUDFRONT_SETTINGS, type CloudFrontSettings } from './settings.js';
export { isDisallowedHeader, isReadOnlyHeader, isDeniedCustomHeader, titleCase, READ_ONLY_HEADERS } from './header-rules.js';

/** The event type of a CloudFront event, or undefined when the value is not one. */
export function eventTypeOf(event: unknown): CloudFrontEventType | undefined {
  const type = (event as { Records?: Array<{ cf?: { config?: { eventType?: unknown } } }> } | null)?.Records?.[0]?.cf?.config?.eventType;
  return (CLOUDFRONT_EVENT_TYPES as readonly unknown[]).includes(type) ? (type as CloudFrontEventType) : undefined;
}

/** In request events, a result with a status is a response CloudFront sends without the origin. */
export function isGeneratedResponse(result: unknown): result is { status: string } {
  return typeof result === 'object' && result !== null && (result as { status?: unknown }).status !== undefined;
}
