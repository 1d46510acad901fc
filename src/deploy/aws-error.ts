/**
 * @module
 * Turns an SDK error into an `EdgeError` that says which call failed, what AWS answered and —
 * most important after a partial deployment — what state AWS is left in. Credentials never
 * appear: only the error's name, message and request id are used, and key-like strings are
 * masked in case a message echoes one.
 */
import { EdgeError } from '../errors.js';

interface SdkError {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** AWS error name (`ResourceNotFoundException`, `NoSuchEntity`…), or undefined for non-AWS errors. */
export function awsErrorName(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as SdkError;
  return e.Code ?? e.name;
}

export function isNotFound(error: unknown): boolean {
  const name = awsErrorName(error);
  return name === 'ResourceNotFoundException' || name === 'NoSuchEntity' || name === 'NoSuchEntityException' || name === 'NoSuchDistribution';
}

/** Masks access key ids and anything that looks like a secret, should a message ever carry one. */
export function redact(text: string): string {
  return text
    .replace(/\b(AKIA|ASIA)[A-Z0-9]{12,}\b/g, '$1****************')
    .replace(/(secret[_-]?access[_-]?key|session[_-]?token|x-amz-security-token)(["'\s:=]+)[^\s"',]+/gi, '$1$2****');
}

export interface AwsFailureOptions {
  /** Lines describing what is already done and what is untouched. */
  state?: string[];
  hint?: string;
}

export function awsFailure(what: string, error: unknown, options: AwsFailureOptions = {}): EdgeError {
  if (error instanceof EdgeError) return error;
  const e = (error ?? {}) as SdkError;
  const name = awsErrorName(error) ?? 'Error';
  const message = redact(e.message ?? String(error));
  const details: string[] = [];
  if (e.$metadata?.requestId !== undefined) details.push(`AWS request id: ${e.$metadata.requestId}`);
  if (options.state !== undefined && options.state.length > 0) details.push('state of AWS now:', ...options.state.map((s) => `  ${s}`));
  return new EdgeError('E_AWS', `${what} failed: ${name}: ${message}`, {
    cause: error,
    details,
    hint: options.hint ?? hintFor(name, message),
  });
}

function hintFor(name: string, message: string): string | undefined {
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE (or --profile), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run `aws sso login`';
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException') return 'the session has expired: log in again (`aws sso login`) and re-run';
  if (name.startsWith('AccessDenied') || name === 'UnauthorizedOperation') {
    return 'the caller needs lambda:* on the function, iam:GetRole/CreateRole/AttachRolePolicy/PassRole, and for Lambda@Edge lambda:GetFunction, lambda:EnableReplication* and iam:CreateServiceLinkedRole, plus cloudfront:GetDistributionConfig/UpdateDistribution';
  }
  if (name === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return 'nothing answers at the endpoint: check --endpoint-url';
  return undefined;
}
