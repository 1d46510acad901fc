/**
 * @module
 * CloudFront's own words for a function it refuses, as users have quoted them
 * (docs/cloudfront-rules.md §2.4, §3, §5): the validator puts them in its violations, the local
 * CloudFront on its error pages, and the config and deploy checks in their messages.
 */
import { EDGE_FUNCTION_REGION } from './limits.js';
import type { Violation } from './violation.js';

export const CLOUDFRONT_MESSAGES = {
  notObject: 'The Lambda function returned invalid JSON: The JSON output must be an object type.',
  readOnly: 'The Lambda function result failed validation: The function tried to add, delete, or change a read-only header.',
  blacklisted: 'The Lambda function result failed validation: The function tried to add a blacklisted header.',
  /** Any other validation failure: CloudFront does not say more. */
  invalidResult: 'The Lambda function returned an invalid request or response to CloudFront.',
  /** A function that failed, timed out or was throttled (503 LambdaExecutionError). */
  executionError: "The Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions.",
  /** Associating a trigger with IncludeBody for an event that has no request body. */
  includeBody: 'The IncludeBody option can only be used with viewer-request or origin-request events.',
} as const;

/** CloudFront refusing to associate a function created in another Region. */
export function wrongEdgeRegionMessage(arn: string): string {
  return `The function must be in region '${EDGE_FUNCTION_REGION}'. ARN: ${arn}`;
}

/** The text CloudFront shows for a refused result: the words for its first violation's rule. */
export function validationErrorMessage(violations: readonly Violation[]): string {
  switch (violations[0]?.rule) {
    case 'result-type':
      return CLOUDFRONT_MESSAGES.notObject;
    case 'read-only-header':
      return CLOUDFRONT_MESSAGES.readOnly;
    case 'disallowed-header':
      return CLOUDFRONT_MESSAGES.blacklisted;
    default:
      return CLOUDFRONT_MESSAGES.invalidResult;
  }
}
