/**
 * @module
 * The CloudFront side: put a numbered function version on a cache behavior's trigger
 * (`GetDistributionConfig` → change → `UpdateDistribution` with the ETag as `If-Match`), then
 * wait until the distribution is deployed. All of a deployment's triggers on one distribution go
 * in one update, so the distribution changes once or not at all: nothing is left half-attached.
 */
import type { CacheBehavior, DefaultCacheBehavior, DistributionConfig, LambdaFunctionAssociation } from '@aws-sdk/client-cloudfront';
import { EDGE_FUNCTION_REGION } from '../config/limits.js';
import { EdgeError } from '../errors.js';
import { wrongEdgeRegionMessage } from '../events/index.js';
import { awsErrorName, awsFailure } from './aws-error.js';
import { call, pollUntil, type AwsContext } from './aws.js';
import type { AssociationPlan } from './plan.js';

export interface AssociationRequest {
  /** The function's name in the config. */
  function: string;
  plan: AssociationPlan;
  /** The numbered version to run. */
  versionArn: string;
}

export interface AssociationChange {
  function: string;
  pathPattern: string;
  eventType: string;
  includeBody: boolean;
  arn: string;
  /** What the trigger ran before (undefined when it was empty). */
  previousArn: string | undefined;
}

export interface DistributionResult {
  distributionId: string;
  /** Whether an UpdateDistribution was sent (false when every trigger already matched). */
  updated: boolean;
  /** `Deployed`, or `InProgress` when not waited for. */
  status: string;
  associations: AssociationChange[];
}

/** CloudFront accepts only numbered versions: refuse `$LATEST`, aliases and unqualified ARNs. */
export function assertNumberedVersionArn(arn: string): void {
  if (!/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+:\d+$/.test(arn)) {
    throw new EdgeError('E_PREFLIGHT', `The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: ${arn}`);
  }
  if (arn.split(':')[3] !== EDGE_FUNCTION_REGION) {
    throw new EdgeError('E_PREFLIGHT', wrongEdgeRegionMessage(arn));
  }
}

type Behavior = DefaultCacheBehavior | CacheBehavior;

/** Every cache behavior with its path pattern (`*` for the default one). */
export function behaviorsOf(config: DistributionConfig): Array<{ pathPattern: string; behavior: Behavior }> {
  const out: Array<{ pathPattern: string; behavior: Behavior }> = [];
  if (config.DefaultCacheBehavior !== undefined) out.push({ pathPattern: '*', behavior: config.DefaultCacheBehavior });
  for (const b of config.CacheBehaviors?.Items ?? []) out.push({ pathPattern: b.PathPattern ?? '', behavior: b });
  return out;
}

/** Sets the trigger of each request on its behavior; returns what changed (nothing when all matched). */
export function applyAssociations(config: DistributionConfig, requests: readonly AssociationRequest[], distributionId: string): AssociationChange[] {
  const behaviors = behaviorsOf(config);
  const changes: AssociationChange[] = [];
  for (const r of requests) {
    assertNumberedVersionArn(r.versionArn);
    const found = behaviors.find((b) => b.pathPattern === r.plan.pathPattern);
    if (found === undefined) {
      throw new EdgeError('E_CONFIG', `${r.function}: distribution ${distributionId} has no cache behavior with path pattern "${r.plan.pathPattern}"`, {
        hint: `its behaviors: ${behaviors.map((b) => b.pathPattern).join(', ')} ("*" is the default behavior); fix deploy.functions.${r.function}.pathPattern`,
      });
    }
    const cff = (found.behavior.FunctionAssociations?.Items ?? []).find((f) => f.EventType === r.plan.eventType);
    if (cff !== undefined) {
      throw new EdgeError('E_PREFLIGHT', `${r.function}: behavior "${r.plan.pathPattern}" of ${distributionId} already runs the CloudFront Function ${cff.FunctionARN} on ${r.plan.eventType}; a behavior has one function per event type`, {
        hint: 'remove the CloudFront Function association first, or use another behavior',
      });
    }
    const items: LambdaFunctionAssociation[] = [...(found.behavior.LambdaFunctionAssociations?.Items ?? [])];
    const index = items.findIndex((i) => i.EventType === r.plan.eventType);
    const previous = index >= 0 ? items[index] : undefined;
    if (previous?.LambdaFunctionARN === r.versionArn && (previous.IncludeBody ?? false) === r.plan.includeBody) continue;
    const next: LambdaFunctionAssociation = { LambdaFunctionARN: r.versionArn, EventType: r.plan.eventType, IncludeBody: r.plan.includeBody };
    if (index >= 0) items[index] = next;
    else items.push(next);
    found.behavior.LambdaFunctionAssociations = { Quantity: items.length, Items: items };
    changes.push({
      function: r.function,
      pathPattern: r.plan.pathPattern,
      eventType: r.plan.eventType,
      includeBody: r.plan.includeBody,
      arn: r.versionArn,
      previousArn: previous?.LambdaFunctionARN,
    });
  }
  return changes;
}

/** Removes every trigger that runs a version of `functionArn` (unqualified); returns the ARNs removed. */
export function removeAssociations(config: DistributionConfig, functionArn: string): string[] {
  const removed: string[] = [];
  for (const { behavior } of behaviorsOf(config)) {
    const items = behavior.LambdaFunctionAssociations?.Items ?? [];
    const keep = items.filter((i) => !isVersionOf(i.LambdaFunctionARN, functionArn));
    if (keep.length === items.length) continue;
    removed.push(...items.filter((i) => !keep.includes(i)).map((i) => i.LambdaFunctionARN!));
    behavior.LambdaFunctionAssociations = { Quantity: keep.length, Items: keep };
  }
  return removed;
}

/** Function ARNs (with version) that a distribution's triggers run. */
export function attachedArns(config: DistributionConfig): string[] {
  return behaviorsOf(config).flatMap(({ behavior }) => (behavior.LambdaFunctionAssociations?.Items ?? []).map((i) => i.LambdaFunctionARN ?? ''));
}

export function isVersionOf(arn: string | undefined, functionArn: string): boolean {
  return arn !== undefined && (arn === functionArn || arn.startsWith(`${functionArn}:`));
}

export interface UpdateOptions {
  /** Wait for `Deployed` (default true). */
  wait?: boolean;
  /** What AWS looks like if the update fails, for the error. */
  state: string[];
}

/**
 * Read–change–write with the ETag as If-Match. `change` edits the config in place and returns
 * whether it changed anything. If someone else updated the distribution in between
 * (`PreconditionFailed`), the config is read again and the change re-applied.
 */
export async function updateDistribution<T>(
  ctx: AwsContext,
  distributionId: string,
  change: (config: DistributionConfig) => { changed: boolean; value: T },
  options: UpdateOptions,
): Promise<{ updated: boolean; status: string; value: T }> {
  const { cloudfront } = ctx.sdk;
  for (let attempt = 1; ; attempt++) {
    const current = await call(ctx, 'cloudfront:GetDistributionConfig', () =>
      ctx.cloudfront.send(new cloudfront.GetDistributionConfigCommand({ Id: distributionId })),
    ).catch((error: unknown) => {
      throw awsFailure(`reading distribution ${distributionId}`, error, {
        state: options.state,
        ...(awsErrorName(error) === 'NoSuchDistribution' ? { hint: 'check deploy.functions.<name>.distributionId (and that the credentials are for the distribution\'s account)' } : {}),
      });
    });
    const config = current.DistributionConfig!;
    const { changed, value } = change(config);
    if (!changed) {
      const status = options.wait === false ? await distributionStatus(ctx, distributionId) : await waitForDistribution(ctx, distributionId, options.state);
      return { updated: false, status, value };
    }
    ctx.progress({ phase: 'step', message: `distribution ${distributionId}: updating` });
    try {
      await call(ctx, 'cloudfront:UpdateDistribution', () =>
        ctx.cloudfront.send(new cloudfront.UpdateDistributionCommand({ Id: distributionId, IfMatch: current.ETag, DistributionConfig: config })),
      );
    } catch (error) {
      if (awsErrorName(error) === 'PreconditionFailed' && attempt < 4) {
        ctx.progress({ phase: 'retry', message: `distribution ${distributionId} changed meanwhile (ETag); reading it again` });
        continue;
      }
      throw awsFailure(`updating distribution ${distributionId}`, error, { state: [`distribution ${distributionId} is unchanged`, ...options.state] });
    }
    const status = options.wait === false ? 'InProgress' : await waitForDistribution(ctx, distributionId, [`distribution ${distributionId} is updated`, ...options.state]);
    return { updated: true, status, value };
  }
}

async function distributionStatus(ctx: AwsContext, id: string): Promise<string> {
  const { cloudfront } = ctx.sdk;
  const d = await call(ctx, 'cloudfront:GetDistribution', () => ctx.cloudfront.send(new cloudfront.GetDistributionCommand({ Id: id })));
  return d.Distribution?.Status ?? 'unknown';
}

/** Polls until `Deployed`; replication to every edge location usually takes minutes. */
export async function waitForDistribution(ctx: AwsContext, id: string, state: string[]): Promise<string> {
  const result = await pollUntil(ctx, `distribution ${id} deploying`, ctx.wait.distributionTimeoutMs, async () => {
    const status = await distributionStatus(ctx, id);
    return { done: status === 'Deployed', status };
  }).catch((error: unknown) => {
    throw awsFailure(`waiting for distribution ${id}`, error, { state });
  });
  if (!result.done) {
    throw awsFailure(`waiting for distribution ${id}`, { name: 'Timeout', message: `still ${result.status} after ${Math.round(ctx.wait.distributionTimeoutMs / 1000)} s` }, {
      state: [...state, 'CloudFront accepted the change and finishes deploying it on its own'],
    });
  }
  ctx.progress({ phase: 'done', message: `distribution ${id}: Deployed` });
  return result.status;
}
