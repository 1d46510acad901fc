/**
 * @module
 * How Lambda names a function and its logs: the invoked function ARN (with the version qualifier
 * when the version is not `$LATEST`), the function name a Lambda@Edge replica runs under, its log
 * group and log stream. One place for the process, worker-thread and custom-runtime environments,
 * the local Invoke API and `logs`, so a guest sees the same identity however it is run.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html
 */

import { EDGE_FUNCTION_REGION } from '../config/limits.js';

/** The account every local ARN names (AWS's documentation account). */
export const LOCAL_ACCOUNT = '123456789012';
/** Lambda@Edge's Region (its functions live there), and the local platform's default Region. */
export const DEFAULT_REGION = EDGE_FUNCTION_REGION;
/** The version a function runs when none is named. */
export const LATEST = '$LATEST';

/** What a function's identity is made of. */
export interface FunctionIdentity {
  name: string;
  /** Default `$LATEST`. */
  version?: string;
  /** Default us-east-1. */
  region?: string;
  /** A Lambda@Edge replica: it runs and logs as `us-east-1.<name>`. */
  edge?: boolean;
}

/** `arn:aws:lambda:<region>:<account>:function:<name>`, without a qualifier. */
export function unqualifiedArn(name: string, region: string = DEFAULT_REGION): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${name}`;
}

/** The ARN the function was invoked by: qualified with its version unless that is `$LATEST`. */
export function invokedFunctionArn(fn: FunctionIdentity): string {
  const version = fn.version ?? LATEST;
  return `${unqualifiedArn(fn.name, fn.region)}${version === LATEST ? '' : `:${version}`}`;
}

/** The name the function runs under (`AWS_LAMBDA_FUNCTION_NAME`): a replica's has the `us-east-1.` prefix. */
export function runningFunctionName(fn: Pick<FunctionIdentity, 'name' | 'edge'>): string {
  return fn.edge === true ? `${EDGE_FUNCTION_REGION}.${fn.name}` : fn.name;
}

/** `/aws/lambda/<name>`, or `/aws/lambda/us-east-1.<name>` for Lambda@Edge (in every Region it ran). */
export function logGroupName(fn: Pick<FunctionIdentity, 'name' | 'edge'>): string {
  return `/aws/lambda/${runningFunctionName(fn)}`;
}

/** `YYYY/MM/DD/[<version>]<environment id>`, as Lambda names an execution environment's stream. */
export function logStreamName(fn: Pick<FunctionIdentity, 'version'>, environmentId: string, now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[${fn.version ?? LATEST}]${environmentId}`;
}
