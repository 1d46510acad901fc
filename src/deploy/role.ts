/**
 * @module
 * The execution role. A role named in the config is used as is, after checking that it trusts
 * the services that must assume it (CloudFront refuses the association otherwise, minutes into
 * the deployment). Without one, `deploy` creates — or reuses — a role trusted by
 * `lambda.amazonaws.com` and `edgelambda.amazonaws.com` with the basic logging policy only,
 * tagged so later runs know it is theirs to repair.
 */
import { EdgeError } from '../errors.js';
import { awsFailure, isNotFound } from './aws-error.js';
import { call, type AwsContext } from './aws.js';
import { EDGE_LAMBDA_PRINCIPAL, LAMBDA_PRINCIPAL, type DeployPlan } from './plan.js';

export const MANAGED_TAG = { Key: 'lambda-wasm:managed', Value: 'true' };

export interface RoleResult {
  arn: string;
  name: string;
  created: boolean;
}

/** The IAM trust policy document for the principals given. */
export function trustPolicy(principals: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: [...principals] }, Action: 'sts:AssumeRole' }],
  });
}

/** Services a trust policy lets assume the role (IAM returns the document URL-encoded). */
export function trustedServices(document: string | undefined): string[] {
  if (document === undefined) return [];
  let parsed: { Statement?: unknown };
  try {
    parsed = JSON.parse(document.trimStart().startsWith('{') ? document : decodeURIComponent(document)) as { Statement?: unknown };
  } catch {
    return [];
  }
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : parsed.Statement === undefined ? [] : [parsed.Statement];
  const services: string[] = [];
  for (const s of statements as Array<{ Effect?: string; Action?: unknown; Principal?: { Service?: unknown } }>) {
    const actions = ([] as unknown[]).concat(s.Action ?? []);
    if (s.Effect !== 'Allow' || !actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*')) continue;
    services.push(...([] as unknown[]).concat(s.Principal?.Service ?? []).filter((x): x is string => typeof x === 'string'));
  }
  return services;
}

export async function ensureRole(ctx: AwsContext, plan: DeployPlan): Promise<RoleResult> {
  const { iam } = ctx.sdk;
  const needsEdge = plan.functions.some((f) => f.edge);
  const required = needsEdge ? [LAMBDA_PRINCIPAL, EDGE_LAMBDA_PRINCIPAL] : [LAMBDA_PRINCIPAL];
  const name = plan.role.name;
  ctx.progress({ phase: 'step', message: `role ${name}` });
  let existing: { Arn?: string; AssumeRolePolicyDocument?: string; Tags?: Array<{ Key?: string; Value?: string }> } | undefined;
  try {
    existing = (await call(ctx, 'iam:GetRole', () => ctx.iam.send(new iam.GetRoleCommand({ RoleName: name })))).Role;
  } catch (error) {
    if (!isNotFound(error)) throw awsFailure(`reading role ${name}`, error, { state: ['nothing was changed'] });
  }

  if (plan.role.arn !== undefined) {
    if (existing === undefined) {
      throw new EdgeError('E_PREFLIGHT', `the role ${plan.role.arn} named in deploy.role does not exist; nothing was changed`, {
        hint: 'fix deploy.role, or leave it out and deploy creates a role',
      });
    }
    assertTrusted(plan.role.arn, existing.AssumeRolePolicyDocument, required);
    return { arn: existing.Arn ?? plan.role.arn, name, created: false };
  }

  if (existing !== undefined) {
    const managed = (existing.Tags ?? []).some((t) => t.Key === MANAGED_TAG.Key);
    const missing = required.filter((p) => !trustedServices(existing.AssumeRolePolicyDocument).includes(p));
    if (missing.length > 0 && managed) {
      // Ours (tagged at creation): repair the trust rather than refuse.
      await call(ctx, 'iam:UpdateAssumeRolePolicy', () =>
        ctx.iam.send(new iam.UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: trustPolicy(plan.role.trustedBy) })),
      ).catch((error: unknown) => {
        throw awsFailure(`updating the trust policy of role ${name}`, error, { state: ['no function was changed'] });
      });
    } else {
      assertTrusted(existing.Arn ?? name, existing.AssumeRolePolicyDocument, required);
    }
    if (managed) await attachPolicies(ctx, plan, name);
    return { arn: existing.Arn!, name, created: false };
  }

  const created = await call(ctx, 'iam:CreateRole', () =>
    ctx.iam.send(
      new iam.CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: trustPolicy(plan.role.trustedBy),
        Description: 'Execution role of lambda-wasm functions (Lambda and Lambda@Edge): CloudWatch Logs only',
        Tags: [MANAGED_TAG],
      }),
    ),
  ).catch((error: unknown) => {
    throw awsFailure(`creating role ${name}`, error, { state: ['nothing was changed'] });
  });
  await attachPolicies(ctx, plan, name);
  ctx.progress({ phase: 'done', message: `role ${name} created` });
  return { arn: created.Role!.Arn!, name, created: true };
}

/** Attaches the planned policies the role lacks (all of them for a new role). */
async function attachPolicies(ctx: AwsContext, plan: DeployPlan, name: string): Promise<void> {
  const { iam } = ctx.sdk;
  const attached = await call(ctx, 'iam:ListAttachedRolePolicies', () => ctx.iam.send(new iam.ListAttachedRolePoliciesCommand({ RoleName: name }))).catch(
    (error: unknown) => {
      throw awsFailure(`listing the policies of role ${name}`, error, { state: ['no function was changed'] });
    },
  );
  const have = new Set((attached.AttachedPolicies ?? []).map((p) => p.PolicyArn));
  for (const policy of plan.role.policies.filter((p) => !have.has(p))) {
    await call(ctx, 'iam:AttachRolePolicy', () => ctx.iam.send(new iam.AttachRolePolicyCommand({ RoleName: name, PolicyArn: policy }))).catch((error: unknown) => {
      throw awsFailure(`attaching ${policy} to role ${name}`, error, {
        state: [`role ${name} exists without its logging policy (the next deploy attaches it)`, 'no function was changed'],
      });
    });
  }
}

function assertTrusted(role: string, document: string | undefined, required: readonly string[]): void {
  const trusted = trustedServices(document);
  if (required.every((p) => trusted.includes(p))) return;
  const message = required.includes(EDGE_LAMBDA_PRINCIPAL)
    ? `The function execution role must be assumable with edgelambda.amazonaws.com as well as lambda.amazonaws.com principals. Update the IAM role and try again. Role: ${role}`
    : `The role defined for the function cannot be assumed by Lambda. Role: ${role}`;
  throw new EdgeError('E_PREFLIGHT', message, {
    details: [`the role trusts: ${trusted.join(', ') || '(no service)'}`, 'nothing was changed'],
    hint: `add ${required.join(' and ')} to the role's trust policy, or leave deploy.role out and deploy creates a suitable role`,
  });
}
