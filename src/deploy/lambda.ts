/**
 * @module
 * The Lambda side of a deployment: create or update the function (only what differs), wait
 * until Lambda has applied it, publish a numbered version. Publishing is idempotent: Lambda
 * returns the last version when neither code nor configuration changed, so deploying twice
 * gives the same version and CloudFront is left alone.
 */
import { readFileSync } from 'node:fs';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import { awsFailure, awsErrorName, isNotFound } from './aws-error.js';
import { call, pollUntil, type AwsContext } from './aws.js';
import type { FunctionPlan } from './plan.js';

export interface FunctionResult {
  name: string;
  functionName: string;
  functionArn: string;
  action: 'created' | 'updated' | 'unchanged';
  /** What an update changed: `configuration`, `code`. */
  changes: string[];
  version: string;
  /** The numbered version's ARN: what CloudFront is given. */
  versionArn: string;
  codeSha256: string;
}

export async function deployFunction(ctx: AwsContext, plan: FunctionPlan, roleArn: string, roleJustCreated: boolean): Promise<FunctionResult> {
  const { lambda } = ctx.sdk;
  const name = plan.functionName;
  const fail = (what: string, state: string[]) => (error: unknown) => {
    throw awsFailure(`${plan.name}: ${what}`, error, { state });
  };
  ctx.progress({ phase: 'step', message: `function ${name}`, function: plan.name });
  let current: FunctionConfiguration | undefined;
  try {
    current = (await call(ctx, 'lambda:GetFunction', () => ctx.lambda.send(new lambda.GetFunctionCommand({ FunctionName: name })))).Configuration;
  } catch (error) {
    if (!isNotFound(error)) fail('reading the function', ['nothing was changed for this function'])(error);
  }
  const zip = readFileSync(plan.zip.path);
  const desired = desiredConfiguration(plan, roleArn);
  let action: FunctionResult['action'] = 'unchanged';
  const changes: string[] = [];

  if (current === undefined) {
    current = await call(
      ctx,
      'lambda:CreateFunction',
      () =>
        ctx.lambda.send(
          new lambda.CreateFunctionCommand({ ...desired, Code: { ZipFile: zip }, PackageType: 'Zip', Architectures: [plan.architecture], Publish: false }),
        ),
      // A role created seconds ago is not yet visible to Lambda (IAM is eventually consistent).
      { retryIf: (e) => roleJustCreated && awsErrorName(e) === 'InvalidParameterValueException' && /cannot be assumed/i.test((e as Error).message) },
    ).catch(fail('creating the function', ['the function does not exist; nothing is attached to CloudFront']));
    action = 'created';
    await waitForFunction(ctx, plan, undefined);
  } else {
    const differences = configurationDifferences(current, desired);
    if (differences.length > 0) {
      await waitForFunction(ctx, plan, undefined);
      // An empty Variables map is sent only to clear variables that are there (e.g. added by hand).
      const update = differences.includes('environment') ? { ...desired, Environment: { Variables: plan.environment } } : desired;
      await call(ctx, 'lambda:UpdateFunctionConfiguration', () => ctx.lambda.send(new lambda.UpdateFunctionConfigurationCommand(update))).catch(
        fail(`updating the configuration (${differences.join(', ')})`, [`the function's published versions are unchanged; CloudFront still runs the version associated before`]),
      );
      await waitForFunction(ctx, plan, undefined);
      changes.push('configuration');
    }
    if (current.CodeSha256 !== plan.zip.sha256) {
      await waitForFunction(ctx, plan, undefined);
      await call(ctx, 'lambda:UpdateFunctionCode', () => ctx.lambda.send(new lambda.UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip, Architectures: [plan.architecture] }))).catch(
        fail('uploading the code', [
          `$LATEST${changes.length > 0 ? ' has the new configuration but' : ''} still has the old code; published versions are unchanged; CloudFront still runs the version associated before`,
        ]),
      );
      await waitForFunction(ctx, plan, undefined);
      changes.push('code');
    }
    if (changes.length > 0) action = 'updated';
  }

  // CodeSha256 makes Lambda refuse to publish if someone uploaded other code in the meantime.
  const published = await call(ctx, 'lambda:PublishVersion', () =>
    ctx.lambda.send(new lambda.PublishVersionCommand({ FunctionName: name, CodeSha256: plan.zip.sha256, Description: `lambda-wasm ${plan.zip.sha256}` })),
  ).catch(fail('publishing a version', [`$LATEST is ${action === 'unchanged' ? 'unchanged' : 'up to date'} but no new version exists; CloudFront still runs the version associated before`]));
  const version = published.Version!;
  await waitForFunction(ctx, plan, version);
  ctx.progress({ phase: 'done', message: `function ${name}: ${action}${changes.length > 0 ? ` (${changes.join(', ')})` : ''}, version ${version}`, function: plan.name });
  return {
    name: plan.name,
    functionName: name,
    functionArn: (current.FunctionArn ?? published.FunctionArn!).replace(/:\d+$|:\$LATEST$/, ''),
    action,
    changes,
    version,
    versionArn: published.FunctionArn!,
    codeSha256: published.CodeSha256 ?? plan.zip.sha256,
  };
}

type Desired = {
  FunctionName: string;
  Runtime: 'nodejs22.x';
  Role: string;
  Handler: string;
  MemorySize: number;
  Timeout: number;
  Description: string;
  Environment?: { Variables: Record<string, string> };
};

function desiredConfiguration(plan: FunctionPlan, roleArn: string): Desired {
  return {
    FunctionName: plan.functionName,
    // The SDK types Runtime as a union of today's names; the pre-flight has already checked it.
    Runtime: plan.runtime as 'nodejs22.x',
    Role: roleArn,
    Handler: plan.handler,
    MemorySize: plan.memorySize,
    Timeout: plan.timeout,
    Description: plan.description,
    // Left out when empty: an edge function must not carry an Environment block at all.
    ...(Object.keys(plan.environment).length > 0 ? { Environment: { Variables: plan.environment } } : {}),
  };
}

/** The settings that differ between what Lambda has and what the plan wants. */
export function configurationDifferences(current: FunctionConfiguration, desired: Desired): string[] {
  const diff: string[] = [];
  if (current.Runtime !== desired.Runtime) diff.push('runtime');
  if (current.Role !== desired.Role) diff.push('role');
  if (current.Handler !== desired.Handler) diff.push('handler');
  if (current.MemorySize !== desired.MemorySize) diff.push('memory');
  if (current.Timeout !== desired.Timeout) diff.push('timeout');
  if ((current.Description ?? '') !== desired.Description) diff.push('description');
  const env = current.Environment?.Variables ?? {};
  const want = desired.Environment?.Variables ?? {};
  if (Object.keys(env).length !== Object.keys(want).length || Object.entries(want).some(([k, v]) => env[k] !== v)) diff.push('environment');
  return diff;
}

/** Waits until the function (or one version) is Active and no update is in progress. */
export async function waitForFunction(ctx: AwsContext, plan: FunctionPlan, qualifier: string | undefined): Promise<void> {
  const { lambda } = ctx.sdk;
  const what = `${plan.functionName}${qualifier === undefined ? '' : `:${qualifier}`}`;
  const result = await pollUntil(
    ctx,
    `waiting for ${what}`,
    ctx.wait.functionTimeoutMs,
    async () => {
      const c = await call(ctx, 'lambda:GetFunctionConfiguration', () =>
        ctx.lambda.send(new lambda.GetFunctionConfigurationCommand({ FunctionName: plan.functionName, ...(qualifier === undefined ? {} : { Qualifier: qualifier }) })),
      );
      if (c.State === 'Failed' || c.LastUpdateStatus === 'Failed') {
        return { done: false, status: 'Failed', failed: c.StateReason ?? c.LastUpdateStatusReason ?? 'Lambda reports the function as Failed' };
      }
      const busy = c.State === 'Pending' || c.LastUpdateStatus === 'InProgress';
      return { done: !busy, status: `State ${c.State ?? '?'}, LastUpdateStatus ${c.LastUpdateStatus ?? '?'}` };
    },
    plan.name,
  ).catch((error: unknown) => {
    throw awsFailure(`${plan.name}: waiting for ${what}`, error);
  });
  if (result.failed !== undefined) {
    throw awsFailure(`${plan.name}: ${what}`, { name: 'FunctionFailed', message: result.failed }, { state: ['the function exists but Lambda could not apply the change; CloudFront still runs the version associated before'] });
  }
  if (!result.done) {
    throw awsFailure(`${plan.name}: waiting for ${what}`, { name: 'Timeout', message: `still ${result.status} after ${ctx.wait.functionTimeoutMs / 1000} s` }, {
      state: ['Lambda is still applying the change; run deploy again once it is done'],
    });
  }
}
