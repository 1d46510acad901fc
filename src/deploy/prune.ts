/**
 * @module
 * `prune()`: delete old numbered versions of a project's functions. Kept: the newest `keep`
 * versions, every version a trigger of the configured distribution runs, and every version an
 * alias points at. A detached edge version may still have replicas; Lambda then refuses to
 * delete it and prune skips it with the reason (see `REPLICA_NOTE`). A dry run reads from AWS
 * but changes nothing.
 */
import type { ProjectConfig } from '../config/load.js';
import { awsFailure, isNotFound } from './aws-error.js';
import { call, contextOptions, createAwsContext, destroyAwsContext, type AwsConnectionOptions, type AwsContext } from './aws.js';
import { attachedArns } from './cloudfront.js';
import { isReplicaError, REPLICA_NOTE } from './destroy.js';
import { planDeployment, type FunctionPlan } from './plan.js';

export interface PruneOptions extends AwsConnectionOptions {
  config: ProjectConfig;
  functions?: readonly string[];
  region?: string;
  /** Newest versions always kept (default 3). */
  keep?: number;
  dryRun?: boolean;
}

export interface PrunedFunction {
  name: string;
  functionName: string;
  /** Versions deleted (or, in a dry run, that would be). */
  deleted: string[];
  kept: Array<{ version: string; reason: 'newest' | 'attached' | 'alias' }>;
  /** Versions Lambda refused to delete, with why. */
  skipped: Array<{ version: string; reason: string }>;
}

export interface PruneResult {
  dryRun: boolean;
  functions: PrunedFunction[];
  notes: string[];
}

export async function prune(options: PruneOptions): Promise<PruneResult> {
  const plan = planDeployment({
    config: options.config,
    withoutCode: true,
    ...(options.functions === undefined ? {} : { functions: options.functions }),
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  const keep = options.keep ?? 3;
  const ctx = await createAwsContext(contextOptions(options, plan.region));
  try {
    const functions: PrunedFunction[] = [];
    for (const f of plan.functions) functions.push(await pruneOne(ctx, f, keep, options.dryRun === true));
    const notes = functions.some((f) => f.skipped.length > 0) ? [REPLICA_NOTE] : [];
    return { dryRun: options.dryRun === true, functions, notes };
  } finally {
    destroyAwsContext(ctx);
  }
}

async function pruneOne(ctx: AwsContext, f: FunctionPlan, keep: number, dryRun: boolean): Promise<PrunedFunction> {
  const { lambda, cloudfront } = ctx.sdk;
  const out: PrunedFunction = { name: f.name, functionName: f.functionName, deleted: [], kept: [], skipped: [] };
  const versions: string[] = [];
  const aliased = new Set<string>();
  let functionArn = '';
  try {
    let marker: string | undefined;
    do {
      const page = await call(ctx, 'lambda:ListVersionsByFunction', () =>
        ctx.lambda.send(new lambda.ListVersionsByFunctionCommand({ FunctionName: f.functionName, ...(marker === undefined ? {} : { Marker: marker }) })),
      );
      for (const v of page.Versions ?? []) {
        if (v.Version === '$LATEST') functionArn = v.FunctionArn?.replace(/:\$LATEST$/, '') ?? '';
        else if (v.Version !== undefined) versions.push(v.Version);
      }
      marker = page.NextMarker;
    } while (marker !== undefined);
    const aliases = await call(ctx, 'lambda:ListAliases', () => ctx.lambda.send(new lambda.ListAliasesCommand({ FunctionName: f.functionName })));
    for (const a of aliases.Aliases ?? []) {
      if (a.FunctionVersion !== undefined) aliased.add(a.FunctionVersion);
      for (const v of Object.keys(a.RoutingConfig?.AdditionalVersionWeights ?? {})) aliased.add(v);
    }
  } catch (error) {
    if (isNotFound(error)) return out;
    throw awsFailure(`${f.name}: listing versions`, error, { state: ['nothing was deleted'] });
  }
  const attached = new Set<string>();
  if (f.association !== undefined) {
    const id = f.association.distributionId;
    const config = await call(ctx, 'cloudfront:GetDistributionConfig', () => ctx.cloudfront.send(new cloudfront.GetDistributionConfigCommand({ Id: id }))).catch(
      (error: unknown) => {
        throw awsFailure(`${f.name}: reading distribution ${id}`, error, { state: ['nothing was deleted'] });
      },
    );
    for (const arn of attachedArns(config.DistributionConfig!)) {
      if (arn.startsWith(`${functionArn}:`)) attached.add(arn.slice(functionArn.length + 1));
    }
  }
  const newestFirst = versions.sort((a, b) => Number(b) - Number(a));
  for (const [i, v] of newestFirst.entries()) {
    if (i < keep) out.kept.push({ version: v, reason: 'newest' });
    else if (attached.has(v)) out.kept.push({ version: v, reason: 'attached' });
    else if (aliased.has(v)) out.kept.push({ version: v, reason: 'alias' });
    else if (dryRun) out.deleted.push(v);
    else {
      try {
        await call(ctx, 'lambda:DeleteFunction', () => ctx.lambda.send(new lambda.DeleteFunctionCommand({ FunctionName: f.functionName, Qualifier: v })));
        out.deleted.push(v);
      } catch (error) {
        if (!isReplicaError(error)) {
          throw awsFailure(`${f.name}: deleting version ${v}`, error, { state: [`deleted so far: ${out.deleted.join(', ') || 'none'}`] });
        }
        out.skipped.push({ version: v, reason: 'CloudFront still has replicas of it' });
      }
    }
  }
  ctx.progress({ phase: 'done', message: `${f.functionName}: ${dryRun ? 'would delete' : 'deleted'} ${out.deleted.length} version(s)`, function: f.name });
  return out;
}
