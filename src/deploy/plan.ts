/**
 * @module
 * `planDeployment()`: what `deploy` will do, worked out from the config and the built zips alone
 * (no AWS call, no credentials). The same object is printed by `--dry-run`, checked by the
 * pre-flight, executed by the real run and turned into a CloudFormation template.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { limitsOf, selectFunctions, type ProjectConfig } from '../config/load.js';
import { isEdgeEventType, type EdgeEventType, type FunctionKind } from '../config/limits.js';
import { EdgeError } from '../errors.js';
import { parseDeployConfig, type FunctionUrlAuthType } from './config.js';
import { NATIVE_HANDLER, NATIVE_RUNTIME, nativeArchitecture } from './native.js';

/** The AWS managed policy for CloudWatch Logs, all a wasm guest needs. */
export const BASIC_EXECUTION_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';
export const LAMBDA_PRINCIPAL = 'lambda.amazonaws.com';
export const EDGE_LAMBDA_PRINCIPAL = 'edgelambda.amazonaws.com';
/** The adapter's module and export inside every zip (src/runtime). */
export const HANDLER = 'index.handler';

export interface RolePlan {
  /** A role named in the config, used as is (its trust is checked before anything changes). */
  arn: string | undefined;
  /** The role created (or reused) when none is named. */
  name: string;
  /** Services the created role trusts; edge functions need both. */
  trustedBy: string[];
  /** Policies attached to a created role: the basic logging policy only. */
  policies: string[];
}

export interface AssociationPlan {
  distributionId: string;
  /** `*` for the default cache behavior. */
  pathPattern: string;
  eventType: EdgeEventType;
  includeBody: boolean;
}

export interface FunctionPlan {
  /** The name in lambda-wasm.config.json. */
  name: string;
  /** The Lambda function's name in AWS. */
  functionName: string;
  kind: FunctionKind;
  edge: boolean;
  region: string;
  runtime: string;
  handler: string;
  /**
   * Lambda@Edge allows x86_64 only and the Wasm guest does not care, so Wasm functions use it; a
   * native function uses its bootstrap's (src/deploy/native.ts).
   */
  architecture: 'x86_64' | 'arm64';
  memorySize: number;
  timeout: number;
  description: string;
  environment: Record<string, string>;
  zip: { path: string; bytes: number; sha256: string; limitBytes: number };
  /** Every deploy publishes a numbered version (AWS reuses the last one when nothing changed). */
  publishVersion: true;
  association: AssociationPlan | undefined;
  functionUrl: { authType: FunctionUrlAuthType } | undefined;
  alias: string | undefined;
}

export interface DeployPlan {
  region: string;
  /** Set when deploying to an emulator or a private endpoint. */
  endpoint: string | undefined;
  role: RolePlan;
  functions: FunctionPlan[];
}

export interface PlanOptions {
  config: ProjectConfig;
  /** Function names; all when empty. */
  functions?: readonly string[];
  /** Overrides `deploy.region`. */
  region?: string;
  endpoint?: string;
  /** `destroy` needs no code: skip reading the zips (their size and hash are then 0 and ""). */
  withoutCode?: boolean;
}

export function planDeployment(options: PlanOptions): DeployPlan {
  const { config } = options;
  const settings = parseDeployConfig(config);
  const region = options.region ?? settings.region;
  const selected = selectFunctions(config, options.functions ?? []);
  if (selected.length === 0) throw new EdgeError('E_CONFIG', `${config.file ?? 'the config'} lists no functions to deploy`);
  const anyEdge = selected.some((f) => isEdgeEventType(f.kind));
  const role: RolePlan = {
    arn: settings.roleArn,
    name: settings.roleArn === undefined ? settings.roleName : settings.roleArn.replace(/^.*:role\/(?:.*\/)?/, ''),
    trustedBy: anyEdge || settings.roleArn === undefined ? [LAMBDA_PRINCIPAL, EDGE_LAMBDA_PRINCIPAL] : [LAMBDA_PRINCIPAL],
    policies: [BASIC_EXECUTION_POLICY_ARN],
  };
  const functions = selected.map((fn): FunctionPlan => {
    const s = settings.functions[fn.name]!;
    const edge = isEdgeEventType(fn.kind);
    const native = fn.target === 'native';
    const zip =
      options.withoutCode === true
        ? { path: join(config.outDir, `${fn.name}.zip`), bytes: 0, sha256: '', limitBytes: limitsOf(config, fn.kind).maxZipBytes }
        : readZip(config, fn.name, limitsOf(config, fn.kind).maxZipBytes);
    return {
      name: fn.name,
      functionName: s.functionName,
      kind: fn.kind,
      edge,
      region,
      runtime: native ? NATIVE_RUNTIME : settings.runtime,
      handler: native ? NATIVE_HANDLER : HANDLER,
      architecture: native && options.withoutCode !== true ? nativeArchitecture(fn.name, zip.path) : 'x86_64',
      memorySize: fn.memorySize,
      timeout: fn.timeout,
      description: s.description ?? `lambda-wasm ${edge ? `Lambda@Edge ${fn.kind} trigger` : 'function'} ${fn.name}`,
      environment: s.environment,
      zip,
      publishVersion: true,
      association:
        edge && s.distributionId !== undefined
          ? { distributionId: s.distributionId, pathPattern: s.pathPattern, eventType: fn.kind as EdgeEventType, includeBody: fn.includeBody }
          : undefined,
      functionUrl: s.functionUrl,
      alias: s.alias,
    };
  });
  return { region, endpoint: options.endpoint, role, functions };
}

function readZip(config: ProjectConfig, name: string, limitBytes: number): FunctionPlan['zip'] {
  const path = join(config.outDir, `${name}.zip`);
  if (!existsSync(path)) {
    throw new EdgeError('E_NOT_BUILT', `${name} is not built: ${path} does not exist`, { hint: `run \`lambda-wasm build ${name}\` first` });
  }
  const bytes = readFileSync(path);
  // Base64 SHA-256 is how Lambda reports CodeSha256, so the plan and AWS can be compared directly.
  return { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('base64'), limitBytes };
}

/** Plain-text rendering of a plan, one block per function (the CLI's `--dry-run` output). */
export function formatPlan(plan: DeployPlan): string[] {
  const lines: string[] = [];
  lines.push(`region ${plan.region}${plan.endpoint === undefined ? '' : `  (endpoint ${plan.endpoint})`}`);
  lines.push(
    plan.role.arn !== undefined
      ? `role   ${plan.role.arn} (named in the config; its trust is checked)`
      : `role   ${plan.role.name}: created if missing, trusted by ${plan.role.trustedBy.join(' and ')}, policy AWSLambdaBasicExecutionRole only`,
  );
  for (const f of plan.functions) {
    lines.push('');
    lines.push(`${f.name} → Lambda function ${f.functionName} (${f.edge ? `Lambda@Edge ${f.kind}` : 'plain Lambda'})`);
    lines.push(`  runtime ${f.runtime}, ${f.architecture}, handler ${f.handler}, memory ${f.memorySize} MB, timeout ${f.timeout} s`);
    lines.push(`  zip ${f.zip.bytes} bytes of ${f.zip.limitBytes} allowed, sha256 ${f.zip.sha256}`);
    lines.push('  version: a new numbered version is published (the last one is reused when nothing changed)');
    if (f.association !== undefined) {
      const a = f.association;
      lines.push(
        `  distribution ${a.distributionId}, behavior ${a.pathPattern === '*' ? '* (default)' : a.pathPattern}: ${a.eventType} → the new version, include-body ${a.includeBody}`,
      );
    } else if (f.edge) {
      lines.push(`  no distribution: the version is published but not associated (set deploy.functions.${f.name}.distributionId)`);
    }
    if (f.functionUrl !== undefined) lines.push(`  Function URL, auth ${f.functionUrl.authType}${f.alias === undefined ? '' : ` (on alias ${f.alias})`}`);
    if (f.alias !== undefined) lines.push(`  alias ${f.alias} → the new version`);
    const env = Object.keys(f.environment);
    if (env.length > 0) lines.push(`  environment: ${env.join(', ')}`);
  }
  return lines;
}
