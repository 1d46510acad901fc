/**
 * @module
 * The one retry policy of `deploy`: exponential back-off with full jitter on throttling and on
 * Lambda's "an update is in progress" conflicts. The SDK clients are created with
 * `maxAttempts: 1` so every retry goes through here and can be reported.
 */

export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 20_000 };

/** Error names AWS uses for "slow down" (Lambda, IAM, CloudFront) and for a transient server fault. */
const RETRYABLE = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequests',
  'ServiceException',
  'ServiceUnavailable',
  'InternalFailure',
  'InternalError',
]);

export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e === null || typeof e !== 'object') return false;
  if (e.name !== undefined && RETRYABLE.has(e.name)) return true;
  // Lambda refuses a change while the previous one is still being applied ("An update is in
  // progress for resource…"); that clears by itself. Other conflicts (a name taken) do not.
  if (e.name === 'ResourceConflictException') return /in progress/i.test(e.message ?? '');
  if (e.$retryable !== undefined) return true;
  const status = e.$metadata?.httpStatusCode;
  return status === 429 || status === 502 || status === 503 || status === 504;
}

export interface RetryHooks {
  /** Told before each wait, so progress can say why nothing happens. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  /** Injected by tests; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Extra errors worth retrying for this call (e.g. a just-created role not yet visible to Lambda). */
  retryIf?: (error: unknown) => boolean;
  random?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY, hooks: RetryHooks = {}): Promise<T> {
  const wait = hooks.sleep ?? sleep;
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable = isRetryable(error) || hooks.retryIf?.(error) === true;
      if (!retryable || attempt >= policy.maxAttempts) throw error;
      // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): spreads retries of parallel callers.
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(ceiling * (0.5 + random() / 2));
      hooks.onRetry?.({ attempt, delayMs, error });
      await wait(delayMs);
    }
  }
}
