/**
 * @module
 * Refuses, before any AWS call, what AWS would refuse later (docs/cloudfront-rules.md §4.1, §4.4) —
 * usually minutes later, when CloudFront checks the association after the function was already
 * created. Messages reuse the texts CloudFront and Lambda answer with, so they can be searched.
 */
import { EDGE_FUNCTION_REGION, mayIncludeBody } from '../config/limits.js';
import { limitsOf, type ProjectConfig } from '../config/load.js';
import { EdgeError } from '../errors.js';
import { CLOUDFRONT_MESSAGES, wrongEdgeRegionMessage } from '../events/index.js';
import type { DeployPlan, FunctionPlan } from './plan.js';
import { NATIVE_HANDLER, NATIVE_RUNTIME } from './native.js';
import { creatableRuntimes, isRuntimeUsable, runtimeInfo } from './runtimes.js';

export interface PreflightProblem {
  /** The function's name in the config. */
  function: string;
  rule: 'region' | 'runtime' | 'memory' | 'timeout' | 'code-size' | 'environment' | 'include-body';
  message: string;
}

/** Every problem with the plan; empty when AWS should accept it. `now` decides runtime deprecation. */
export function preflightProblems(plan: DeployPlan, config: Pick<ProjectConfig, 'cloudfront'>, now: Date = new Date()): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  for (const f of plan.functions) {
    const add = (rule: PreflightProblem['rule'], message: string) => problems.push({ function: f.name, rule, message });
    const arn = displayArn(f);
    if (f.edge) {
      if (f.region !== EDGE_FUNCTION_REGION) add('region', wrongEdgeRegionMessage(arn));
      const limits = limitsOf(config, f.kind);
      if (f.memorySize > limits.maxMemory) {
        add('memory', `The function memory size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: ${f.memorySize} Max allowed: ${limits.maxMemory} Function: ${arn}`);
      }
      if (f.timeout > limits.maxTimeout) {
        add('timeout', `The function timeout is larger than the maximum allowed for functions that are triggered by a CloudFront event: ${f.timeout} Max allowed: ${limits.maxTimeout} Function: ${arn}`);
      }
      if (f.zip.bytes > limits.maxZipBytes) {
        add('code-size', `The function code size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: ${f.zip.bytes} Max allowed: ${limits.maxZipBytes} Function: ${arn}`);
      }
      if (Object.keys(f.environment).length > 0) {
        add('environment', `The function cannot have environment variables. Function: ${arn} (compile values in with the function's "buildEnv" instead)`);
      }
      if (f.association?.includeBody === true && !mayIncludeBody(f.kind)) {
        add('include-body', CLOUDFRONT_MESSAGES.includeBody);
      }
    } else if (f.zip.bytes > f.zip.limitBytes) {
      add('code-size', `the zip is ${f.zip.bytes} bytes; Lambda accepts at most ${f.zip.limitBytes} bytes uploaded directly. Function: ${arn}`);
    }
    const runtime = runtimeProblem(f, now);
    if (runtime !== undefined) add('runtime', runtime);
  }
  return problems;
}

/** Throws E_PREFLIGHT listing every problem; nothing has been sent to AWS at that point. */
export function assertPreflight(plan: DeployPlan, config: Pick<ProjectConfig, 'cloudfront'>, now?: Date): void {
  const problems = preflightProblems(plan, config, now);
  if (problems.length === 0) return;
  throw new EdgeError('E_PREFLIGHT', `AWS would refuse this deployment (${problems.length} problem${problems.length > 1 ? 's' : ''}); nothing was changed`, {
    details: problems.map((p) => `${p.function}: ${p.message}`),
    hint: hintFor(problems),
  });
}

function runtimeProblem(f: FunctionPlan, now: Date): string | undefined {
  // A native bootstrap is built for this OS-only runtime (docs/native.md); nothing to deprecate yet.
  if (f.runtime === NATIVE_RUNTIME && f.handler === NATIVE_HANDLER && !f.edge) return undefined;
  const usable = creatableRuntimes(now);
  const recommended = usable[usable.length - 1] ?? 'nodejs24.x';
  if (runtimeInfo(f.runtime) === undefined) {
    if (f.edge) {
      return `The function has a runtime that is not supported by Lambda@Edge: ${f.runtime} Function: ${displayArn(f)} Supported runtimes: [${usable.join(', ')}]`;
    }
    return `runtime ${f.runtime} cannot run the adapter, a Node.js ES module; use one of ${usable.join(', ')}`;
  }
  if (isRuntimeUsable(f.runtime, now)) return undefined;
  if (f.edge) {
    return `The function has a runtime that is not supported by Lambda@Edge: ${f.runtime} Function: ${displayArn(f)} Supported runtimes: [${usable.join(', ')}]`;
  }
  // Lambda's own wording for a runtime past its block-create date.
  return `The runtime parameter of ${f.runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use the new runtime (${recommended}) while creating or updating functions.`;
}

/** The ARN is not known before the first deploy; name the function the way AWS would. */
function displayArn(f: FunctionPlan): string {
  return `arn:aws:lambda:${f.region}:<account>:function:${f.functionName}`;
}

function hintFor(problems: PreflightProblem[]): string {
  const rules = new Set(problems.map((p) => p.rule));
  if (rules.has('region')) return 'Lambda@Edge functions live in us-east-1: set deploy.region to "us-east-1" (CloudFront replicates them worldwide)';
  if (rules.has('runtime')) return 'set deploy.runtime to "nodejs22.x" (the default) or "nodejs24.x"';
  if (rules.has('environment')) return 'remove deploy.functions.<name>.environment for edge functions; use buildEnv to compile values in';
  if (rules.has('memory') || rules.has('timeout')) return 'viewer triggers allow 128 MB and 5 s, origin triggers 30 s: lower memorySize/timeout in the function\'s config';
  return 'fix the config and run `lambda-wasm deploy --dry-run` again';
}
