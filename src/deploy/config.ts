/**
 * @module
 * The deploy settings of a project: the config's `deploy` section, which its schema
 * (`config/deploy-schema.ts`) validates when the config is read, with the values that depend on the
 * functions filled in (AWS names with the prefix, a settings entry for every function). Rules that
 * AWS itself enforces (us-east-1, runtimes, limits) are checked by `preflight.ts`, so they are
 * reported together and with AWS's own wording.
 */
import { DEFAULT_REGION, DEFAULT_ROLE_NAME, DEFAULT_RUNTIME } from '../config/deploy-schema.js';
import type { ProjectConfig } from '../config/load.js';
import { deploySection } from '../config/sections.js';

export { DEFAULT_REGION, DEFAULT_RUNTIME, DEFAULT_ROLE_NAME };

export type FunctionUrlAuthType = 'AWS_IAM' | 'NONE';

export interface DeployFunctionSettings {
  /** The Lambda function's name in AWS (default: the config name, with the prefix). */
  functionName: string;
  description: string | undefined;
  /** Edge functions: the distribution whose cache behavior gets the trigger. */
  distributionId: string | undefined;
  /** `*` is the default cache behavior; anything else must match a behavior's PathPattern. */
  pathPattern: string;
  /** Plain Lambda only. */
  functionUrl: { authType: FunctionUrlAuthType } | undefined;
  /** Plain Lambda only: an alias moved to each new version. */
  alias: string | undefined;
  /** Run-time environment variables; refused for edge functions by the pre-flight. */
  environment: Record<string, string>;
}

export interface DeployConfig {
  region: string;
  runtime: string;
  /** A role ARN to use as is; undefined means "create or reuse `roleName`". */
  roleArn: string | undefined;
  roleName: string;
  functionPrefix: string;
  /** Settings per function in the config (every function has an entry, defaults filled in). */
  functions: Record<string, DeployFunctionSettings>;
}

/** The deploy settings of a project; throws E_CONFIG naming each bad key. */
export function parseDeployConfig(config: ProjectConfig): DeployConfig {
  const d = deploySection(config);
  const prefix = d.functionPrefix ?? '';
  const functions: Record<string, DeployFunctionSettings> = {};
  for (const fn of config.functions) {
    const f = d.functions[fn.name] ?? {};
    functions[fn.name] = {
      functionName: f.functionName ?? `${prefix}${fn.name}`,
      description: f.description,
      distributionId: f.distributionId,
      pathPattern: f.pathPattern ?? '*',
      functionUrl: f.functionUrl === undefined ? undefined : f.functionUrl === true ? { authType: 'AWS_IAM' } : { authType: f.functionUrl.authType },
      alias: f.alias,
      environment: { ...f.environment },
    };
  }
  return { region: d.region, runtime: d.runtime, roleArn: d.role, roleName: d.roleName, functionPrefix: prefix, functions };
}
