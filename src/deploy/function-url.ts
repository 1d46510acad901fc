/**
 * @module
 * Plain Lambda extras: an alias that follows each new version, and a Function URL. A public
 * (`NONE`) URL needs resource-policy statements letting anyone invoke it: since October 2025
 * AWS wants both `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction` (the latter limited to
 * calls made through the URL). An `AWS_IAM` URL needs none, so those statements are removed.
 */
import { awsFailure, isNotFound } from './aws-error.js';
import { call, type AwsContext } from './aws.js';
import type { FunctionPlan } from './plan.js';
import type { FunctionResult } from './lambda.js';

const PUBLIC_URL_SID = 'lambda-wasm-public-url';
const PUBLIC_INVOKE_SID = 'lambda-wasm-public-url-invoke';

export interface ExtrasResult {
  aliasArn: string | undefined;
  functionUrl: { url: string; authType: string } | undefined;
}

export async function deployExtras(ctx: AwsContext, plan: FunctionPlan, fn: FunctionResult): Promise<ExtrasResult> {
  const state = [`function ${fn.functionName} is deployed as version ${fn.version}`];
  let aliasArn: string | undefined;
  if (plan.alias !== undefined) {
    aliasArn = await ensureAlias(ctx, plan, plan.alias, fn.version).catch((error: unknown) => {
      throw awsFailure(`${plan.name}: pointing alias ${plan.alias} at version ${fn.version}`, error, { state });
    });
  }
  let functionUrl: ExtrasResult['functionUrl'];
  if (plan.functionUrl !== undefined) {
    functionUrl = await ensureUrl(ctx, plan, plan.functionUrl.authType).catch((error: unknown) => {
      throw awsFailure(`${plan.name}: setting up the Function URL`, error, { state: [...state, ...(aliasArn === undefined ? [] : [`alias ${plan.alias} → version ${fn.version}`])] });
    });
  }
  return { aliasArn, functionUrl };
}

async function ensureAlias(ctx: AwsContext, plan: FunctionPlan, alias: string, version: string): Promise<string> {
  const { lambda } = ctx.sdk;
  const FunctionName = plan.functionName;
  try {
    const current = await call(ctx, 'lambda:GetAlias', () => ctx.lambda.send(new lambda.GetAliasCommand({ FunctionName, Name: alias })));
    if (current.FunctionVersion === version) return current.AliasArn!;
    const updated = await call(ctx, 'lambda:UpdateAlias', () => ctx.lambda.send(new lambda.UpdateAliasCommand({ FunctionName, Name: alias, FunctionVersion: version })));
    return updated.AliasArn!;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const created = await call(ctx, 'lambda:CreateAlias', () => ctx.lambda.send(new lambda.CreateAliasCommand({ FunctionName, Name: alias, FunctionVersion: version })));
  return created.AliasArn!;
}

async function ensureUrl(ctx: AwsContext, plan: FunctionPlan, authType: 'AWS_IAM' | 'NONE'): Promise<{ url: string; authType: string }> {
  const { lambda } = ctx.sdk;
  const target = { FunctionName: plan.functionName, ...(plan.alias === undefined ? {} : { Qualifier: plan.alias }) };
  let url: string;
  try {
    const current = await call(ctx, 'lambda:GetFunctionUrlConfig', () => ctx.lambda.send(new lambda.GetFunctionUrlConfigCommand(target)));
    url = current.FunctionUrl!;
    if (current.AuthType !== authType) {
      await call(ctx, 'lambda:UpdateFunctionUrlConfig', () => ctx.lambda.send(new lambda.UpdateFunctionUrlConfigCommand({ ...target, AuthType: authType })));
    }
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const created = await call(ctx, 'lambda:CreateFunctionUrlConfig', () => ctx.lambda.send(new lambda.CreateFunctionUrlConfigCommand({ ...target, AuthType: authType })));
    url = created.FunctionUrl!;
  }
  const sids = await policyStatementIds(ctx, target);
  if (authType === 'NONE') {
    if (!sids.has(PUBLIC_URL_SID)) {
      await call(ctx, 'lambda:AddPermission', () =>
        ctx.lambda.send(
          new lambda.AddPermissionCommand({ ...target, StatementId: PUBLIC_URL_SID, Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }),
        ),
      );
    }
    if (!sids.has(PUBLIC_INVOKE_SID)) {
      await call(ctx, 'lambda:AddPermission', () =>
        ctx.lambda.send(
          new lambda.AddPermissionCommand({ ...target, StatementId: PUBLIC_INVOKE_SID, Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true }),
        ),
      );
    }
  } else {
    for (const sid of [PUBLIC_URL_SID, PUBLIC_INVOKE_SID].filter((s) => sids.has(s))) {
      await call(ctx, 'lambda:RemovePermission', () => ctx.lambda.send(new lambda.RemovePermissionCommand({ ...target, StatementId: sid })));
    }
  }
  ctx.progress({ phase: 'done', message: `Function URL ${url} (auth ${authType})`, function: plan.name });
  return { url, authType };
}

async function policyStatementIds(ctx: AwsContext, target: { FunctionName: string; Qualifier?: string }): Promise<Set<string>> {
  const { lambda } = ctx.sdk;
  try {
    const policy = await call(ctx, 'lambda:GetPolicy', () => ctx.lambda.send(new lambda.GetPolicyCommand(target)));
    const parsed = JSON.parse(policy.Policy ?? '{}') as { Statement?: Array<{ Sid?: string }> };
    return new Set((parsed.Statement ?? []).map((s) => s.Sid ?? ''));
  } catch (error) {
    if (isNotFound(error)) return new Set();
    throw error;
  }
}
