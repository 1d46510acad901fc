/**
 * @module
 * The AWS side of `deploy`: SDK v3 clients, loaded only when a command really talks to AWS (so
 * `--help`, `--dry-run` and `--emit` never pay for the SDK), plus the call wrapper that applies
 * the retry policy and reports progress. Credentials come from the SDK's standard chain
 * (environment, shared config/profiles, SSO, container/instance roles).
 */
import type { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { noopLogger, type Logger } from '../logger.js';
import { noProgress, type ProgressListener } from './progress.js';
import { DEFAULT_RETRY, sleep, withRetry, type RetryHooks, type RetryPolicy } from './retry.js';

export type LambdaSdk = typeof import('@aws-sdk/client-lambda');
export type IamSdk = typeof import('@aws-sdk/client-iam');
export type CloudFrontSdk = typeof import('@aws-sdk/client-cloudfront');

export interface AwsOptions {
  /** Region of the functions (CloudFront and IAM are global and always use us-east-1). */
  region: string;
  /** An emulator or private endpoint for all three services (`--endpoint-url`). */
  endpoint?: string;
  /** A profile from ~/.aws/config (otherwise AWS_PROFILE or the default). */
  profile?: string;
}

export interface WaitSettings {
  /** Between two polls. */
  pollMs: number;
  functionTimeoutMs: number;
  /** CloudFront usually deploys in 2–5 minutes, sometimes up to 15 (docs/cloudfront-rules.md §4.4). */
  distributionTimeoutMs: number;
}

export const DEFAULT_WAIT: WaitSettings = { pollMs: 5_000, functionTimeoutMs: 5 * 60_000, distributionTimeoutMs: 25 * 60_000 };

/** Everything a deploy step needs: clients, their modules (for the command classes), policies, listeners. */
export interface AwsContext {
  lambda: LambdaClient;
  iam: IAMClient;
  cloudfront: CloudFrontClient;
  sdk: { lambda: LambdaSdk; iam: IamSdk; cloudfront: CloudFrontSdk };
  retry: RetryPolicy;
  wait: WaitSettings;
  sleep: (ms: number) => Promise<void>;
  progress: ProgressListener;
  logger: Logger;
}

export interface ContextOptions extends AwsOptions {
  retry?: RetryPolicy;
  wait?: Partial<WaitSettings>;
  sleep?: (ms: number) => Promise<void>;
  progress?: ProgressListener;
  logger?: Logger;
}

export interface AwsConnectionOptions {
  /** `--endpoint-url`: an emulator such as moto, or a private endpoint. */
  endpoint?: string;
  /** A named profile of the shared AWS config. */
  profile?: string;
  retry?: RetryPolicy;
  wait?: Partial<WaitSettings>;
  /** Injected by tests to make waits instant. */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: ProgressListener;
  logger?: Logger;
}

export function contextOptions(options: AwsConnectionOptions, region: string): ContextOptions {
  return {
    region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.wait === undefined ? {} : { wait: options.wait }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    ...(options.onProgress === undefined ? {} : { progress: options.onProgress }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
}

export async function createAwsContext(options: ContextOptions): Promise<AwsContext> {
  const [lambda, iam, cloudfront] = await Promise.all([
    import('@aws-sdk/client-lambda'),
    import('@aws-sdk/client-iam'),
    import('@aws-sdk/client-cloudfront'),
  ]);
  // maxAttempts 1: retries happen in withRetry, where they are reported and configured once.
  const common = {
    maxAttempts: 1,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  };
  return {
    lambda: new lambda.LambdaClient({ ...common, region: options.region }),
    iam: new iam.IAMClient({ ...common, region: 'us-east-1' }),
    cloudfront: new cloudfront.CloudFrontClient({ ...common, region: 'us-east-1' }),
    sdk: { lambda, iam, cloudfront },
    retry: options.retry ?? DEFAULT_RETRY,
    wait: { ...DEFAULT_WAIT, ...options.wait },
    sleep: options.sleep ?? sleep,
    progress: options.progress ?? noProgress,
    logger: options.logger ?? noopLogger,
  };
}

export function destroyAwsContext(ctx: AwsContext): void {
  ctx.lambda.destroy();
  ctx.iam.destroy();
  ctx.cloudfront.destroy();
}

/** Sends one command through the retry policy; `what` names the call in progress and errors. */
export function call<T>(ctx: AwsContext, what: string, send: () => Promise<T>, hooks: Pick<RetryHooks, 'retryIf'> = {}): Promise<T> {
  return withRetry(send, ctx.retry, {
    ...hooks,
    sleep: ctx.sleep,
    onRetry: ({ attempt, delayMs, error }) =>
      ctx.progress({ phase: 'retry', message: `${what}: ${(error as Error).name ?? 'error'}, retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${ctx.retry.maxAttempts})` }),
  });
}

export interface PollResult {
  done: boolean;
  /** Shown in progress, e.g. `InProgress`. */
  status: string;
  /** Set when AWS says the wait can never succeed (a failed function update). */
  failed?: string;
}

/**
 * Polls until `check` says done. Used instead of the SDK waiters so progress can show the
 * status after each poll, and so tests against an emulator can poll every few milliseconds.
 */
export async function pollUntil(ctx: AwsContext, what: string, timeoutMs: number, check: () => Promise<PollResult>, fn?: string): Promise<PollResult> {
  const started = Date.now();
  for (;;) {
    const result = await check();
    const elapsedMs = Date.now() - started;
    if (result.done || result.failed !== undefined) return result;
    if (elapsedMs >= timeoutMs) return result;
    ctx.progress({ phase: 'wait', message: `${what}: ${result.status}`, elapsedMs, ...(fn === undefined ? {} : { function: fn }) });
    await ctx.sleep(ctx.wait.pollMs);
  }
}
