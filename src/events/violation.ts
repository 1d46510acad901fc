/**
 * @module
 * What the validator reports: one violation per broken rule, with where, which rule, CloudFront's
 * own words where they are known, and what the viewer would get.
 */

export type RuleId =
  | 'result-type'
  | 'result-shape'
  | 'status'
  | 'status-description'
  | 'status-read-only'
  | 'headers-shape'
  | 'header-name'
  | 'header-key'
  | 'header-value'
  | 'header-value-characters'
  | 'disallowed-header'
  | 'read-only-header'
  | 'viewer-country-header'
  | 'body-encoding'
  | 'body-base64'
  | 'body-with-204'
  | 'generated-response-size'
  | 'request-body'
  | 'request-body-size'
  | 'uri'
  | 'url-length'
  | 'querystring'
  | 'read-only-field'
  | 'origin-not-writable'
  | 'origin';

export interface Violation {
  /** Where in the result, e.g. `headers.via[0].value` or `origin.custom.port`. */
  path: string;
  rule: RuleId;
  message: string;
  /** What CloudFront answers the viewer with. */
  status: 502;
  errorClass: 'LambdaValidationError';
}

/** `headers.via: The function tried to add, delete, or change a read-only header. [read-only-header]` */
export function formatViolation(v: Violation): string {
  return `${v.path === '' ? '(result)' : v.path}: ${v.message} [${v.rule}]`;
}
