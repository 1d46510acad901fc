/**
 * @module
 * `destroy()`: detach a project's functions from their distributions, then delete them.
 *
 * Lambda@Edge keeps copies (replicas) of each associated version in every Region CloudFront
 * used. Lambda refuses to delete a version while replicas exist ("… because it is a replicated
 * function"), and CloudFront removes them only some hours after the association is gone. So
 * `destroy` detaches first, deletes what it can, and reports the rest as "run again later" —
 * running it again is safe and finishes the job.
 */
import { awsErrorName, awsFailure, isNotFound } from './aws-error.js';
import { call, contextOptions, createAwsContext, destroyAwsContext, type AwsConnectionOptions, type AwsContext } from './aws.js';
import { removeAssociations, updateDistribution } from './cloudfront.js';
import { planDeployment, type FunctionPlan } from './plan.js';
import type { ProjectConfig } from '../config/load.js';

export const REPLICA_NOTE =
  'Lambda@Edge versions can be deleted only after CloudFront has removed their replicas, which takes a few hours after the association is removed; run the command again later';

export interface DestroyOptions extends AwsConnectionOptions {
  config: ProjectConfig;
  functions?: readonly string[];
  region?: string;
  /** Say what would be done, with no AWS call. */
  dryRun?: boolean;
}

export interface DestroyedFunction {
  name: string;
  functionName: string;
  /** `replicas-remain`: detached, but Lambda still refuses the deletion (see REPLICA_NOTE). */
  status: 'deleted' | 'not-found' | 'replicas-remain' | 'planned';
  /** Distribution triggers removed (or, in a dry run, to be removed). */
  detached: Array<{ distributionId: string; arns: string[] }>;
}

export interface DestroyResult {
  dryRun: boolean;
  functions: DestroyedFunction[];
  /** The execution role is shared by every function and project, so it is left in place. */
  notes: string[];
}

export async function destroy(options: DestroyOptions): Promise<DestroyResult> {
  const plan = planDeployment({
    config: options.config,
    withoutCode: true,
    ...(options.functions === undefined ? {} : { functions: options.functions }),
    ...(options.region === undefined ? {} : { region: options.region }),
  });
  const notes = [`the execution role ${plan.role.arn ?? plan.role.name} is kept (other functions may use it)`];
  if (options.dryRun === true) {
    return {
      dryRun: true,
      functions: plan.functions.map((f) => ({
        name: f.name,
        functionName: f.functionName,
        status: 'planned',
        detached: f.association === undefined ? [] : [{ distributionId: f.association.distributionId, arns: [`every version of ${f.functionName}`] }],
      })),
      notes,
    };
  }
  const ctx = await createAwsContext(contextOptions(options, plan.region));
  try {
    const functions: DestroyedFunction[] = [];
    for (const f of plan.functions) functions.push(await destroyOne(ctx, f));
    if (functions.some((f) => f.status === 'replicas-remain')) notes.push(REPLICA_NOTE);
    return { dryRun: false, functions, notes };
  } finally {
    destroyAwsContext(ctx);
  }
}

async function destroyOne(ctx: AwsContext, f: FunctionPlan): Promise<DestroyedFunction> {
  const { lambda } = ctx.sdk;
  const result: DestroyedFunction = { name: f.name, functionName: f.functionName, status: 'deleted', detached: [] };
  let functionArn: string;
  try {
    const got = await call(ctx, 'lambda:GetFunction', () => ctx.lambda.send(new lambda.GetFunctionCommand({ FunctionName: f.functionName })));
    functionArn = got.Configuration!.FunctionArn!;
  } catch (error) {
    if (isNotFound(error)) return { ...result, status: 'not-found' };
    throw awsFailure(`${f.name}: reading the function`, error, { state: ['nothing was changed'] });
  }
  ctx.progress({ phase: 'step', message: `destroying ${f.functionName}`, function: f.name });
  if (f.association !== undefined) {
    const id = f.association.distributionId;
    const { value } = await updateDistribution(
      ctx,
      id,
      (config) => {
        const arns = removeAssociations(config, functionArn);
        return { changed: arns.length > 0, value: arns };
      },
      { state: [`${f.functionName} still exists and is still attached to ${id}`] },
    );
    if (value.length > 0) result.detached.push({ distributionId: id, arns: value });
  }
  try {
    await call(ctx, 'lambda:DeleteFunction', () => ctx.lambda.send(new lambda.DeleteFunctionCommand({ FunctionName: f.functionName })));
  } catch (error) {
    if (isReplicaError(error)) {
      ctx.progress({ phase: 'warn', message: `${f.functionName}: replicas remain; ${REPLICA_NOTE}`, function: f.name });
      return { ...result, status: 'replicas-remain' };
    }
    if (isNotFound(error)) return { ...result, status: 'not-found' };
    throw awsFailure(`${f.name}: deleting the function`, error, {
      state: [result.detached.length > 0 ? `${f.functionName} is detached from ${result.detached.map((d) => d.distributionId).join(', ')} but still exists` : `${f.functionName} still exists`],
    });
  }
  ctx.progress({ phase: 'done', message: `${f.functionName} deleted`, function: f.name });
  return result;
}

/** Lambda's answer for a version CloudFront still has replicas of. */
export function isReplicaError(error: unknown): boolean {
  return awsErrorName(error) === 'InvalidParameterValueException' && /replicated function/i.test((error as Error).message ?? '');
}
