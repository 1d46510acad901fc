/**
 * @module
 * `deploy()`: plan → pre-flight → role → functions and versions → one CloudFront update per
 * distribution → wait until deployed. The order is what keeps failures harmless: CloudFront is
 * touched last, in a single update per distribution, so a failure before it leaves the old
 * versions serving; a failure during it leaves the distribution unchanged.
 *
 * @example
 * ```ts
 * import { loadConfig, deploy } from 'lambda-wasm';
 * const plan = await deploy({ config: loadConfig(), dryRun: true });   // no AWS call
 * const result = await deploy({ config: loadConfig(), onProgress: (e) => console.error(e.message) });
 * ```
 */
import type { ProjectConfig } from '../config/load.js';
import { isEdgeError } from '../errors.js';
import { contextOptions, createAwsContext, destroyAwsContext, type AwsConnectionOptions, type AwsContext } from './aws.js';
import { applyAssociations, updateDistribution, type AssociationChange, type AssociationRequest, type DistributionResult } from './cloudfront.js';
import { deployExtras, type ExtrasResult } from './function-url.js';
import { deployFunction, type FunctionResult } from './lambda.js';
import { planDeployment, type DeployPlan, type FunctionPlan } from './plan.js';
import { assertPreflight } from './preflight.js';
import { ensureRole, type RoleResult } from './role.js';

export interface DeployOptions extends AwsConnectionOptions {
  config: ProjectConfig;
  /** Function names; all when empty or absent. */
  functions?: readonly string[];
  /** Overrides `deploy.region`. */
  region?: string;
  /** Plan and pre-flight only: no AWS call at all. */
  dryRun?: boolean;
  /** Wait until CloudFront reports `Deployed` (default true). */
  waitForDistribution?: boolean;
  /** "Today", for runtime deprecation dates (tests pin it). */
  now?: Date;
}

export type DeployedFunction = FunctionResult & ExtrasResult;

export interface DeployResult {
  plan: DeployPlan;
  dryRun: boolean;
  role: RoleResult | undefined;
  functions: DeployedFunction[];
  distributions: DistributionResult[];
}

export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const plan = planDeployment({
    config: options.config,
    ...(options.functions === undefined ? {} : { functions: options.functions }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  });
  assertPreflight(plan, options.config, options.now);
  if (options.dryRun === true) return { plan, dryRun: true, role: undefined, functions: [], distributions: [] };

  const ctx = await createAwsContext(contextOptions(options, plan.region));
  try {
    return await execute(ctx, plan, options.waitForDistribution !== false);
  } finally {
    destroyAwsContext(ctx);
  }
}

async function execute(ctx: AwsContext, plan: DeployPlan, wait: boolean): Promise<DeployResult> {
  const role = await ensureRole(ctx, plan);
  const done: DeployedFunction[] = [];
  // What is already true in AWS, added to any later error so the user knows where things stand.
  const state = (): string[] => [
    ...(role.created ? [`role ${role.name} was created`] : []),
    ...done.map((f) => `${f.name}: ${f.functionName} version ${f.version} is published${f.aliasArn === undefined && f.functionUrl === undefined ? '' : ' (alias/URL set)'}`),
  ];
  for (const fp of plan.functions) {
    try {
      const fn = await deployFunction(ctx, fp, role.arn, role.created);
      const extras = fp.edge ? { aliasArn: undefined, functionUrl: undefined } : await deployExtras(ctx, fp, fn);
      done.push({ ...fn, ...extras });
    } catch (error) {
      throw withState(error, [...state(), 'no CloudFront distribution was changed']);
    }
    if (fp.edge && fp.association === undefined) {
      ctx.progress({ phase: 'warn', message: `${fp.name}: version published but not associated with a distribution (no deploy.functions.${fp.name}.distributionId)`, function: fp.name });
    }
  }

  const distributions: DistributionResult[] = [];
  for (const [distributionId, requests] of groupByDistribution(plan.functions, done)) {
    try {
      const result = await updateDistribution<AssociationChange[]>(
        ctx,
        distributionId,
        (config) => {
          const changes = applyAssociations(config, requests, distributionId);
          return { changed: changes.length > 0, value: changes };
        },
        {
          wait,
          state: [...state(), ...distributions.map((d) => `distribution ${d.distributionId} is updated`), 'the new versions are not attached to this distribution'],
        },
      );
      distributions.push({ distributionId, updated: result.updated, status: result.status, associations: result.value });
    } catch (error) {
      throw withState(error, [...state(), ...distributions.map((d) => `distribution ${d.distributionId} is updated (${d.status})`)]);
    }
  }
  return { plan, dryRun: false, role, functions: done, distributions };
}

function groupByDistribution(plans: readonly FunctionPlan[], done: readonly DeployedFunction[]): Map<string, AssociationRequest[]> {
  const groups = new Map<string, AssociationRequest[]>();
  for (const fp of plans) {
    if (fp.association === undefined) continue;
    const fn = done.find((d) => d.name === fp.name)!;
    const list = groups.get(fp.association.distributionId) ?? [];
    list.push({ function: fp.name, plan: fp.association, versionArn: fn.versionArn });
    groups.set(fp.association.distributionId, list);
  }
  return groups;
}

/** Adds the "state of AWS now" lines an error does not have yet. */
function withState(error: unknown, state: string[]): unknown {
  if (!isEdgeError(error) || state.length === 0) return error;
  if (!error.details.includes('state of AWS now:')) error.details.push('state of AWS now:');
  for (const line of state.map((s) => `  ${s}`)) if (!error.details.includes(line)) error.details.push(line);
  return error;
}
