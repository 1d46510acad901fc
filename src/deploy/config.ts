/**
 * @module
 * The `deploy` section of `lambda-wasm.config.json`. `config/load.ts` leaves it as `unknown`;
 * this file checks every key and fills in defaults, with messages that name the key to fix.
 * Rules that AWS itself enforces (us-east-1, runtimes, limits) are *not* checked here but in
 * `preflight.ts`, so they are reported together and with AWS's own wording.
 */
import type { ProjectConfig } from '../config/load.js';
import { EdgeError } from '../errors.js';

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_RUNTIME = 'nodejs22.x';
/** The role `deploy` creates when none is named; one per account is enough for every project. */
export const DEFAULT_ROLE_NAME = 'lambda-wasm-execution';

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

const TOP_KEYS = ['region', 'runtime', 'role', 'roleName', 'functionPrefix', 'functions'];
const FUNCTION_KEYS = ['functionName', 'description', 'distributionId', 'pathPattern', 'functionUrl', 'alias', 'environment'];

/** Parses `config.deploy`; throws E_CONFIG naming the bad key. */
export function parseDeployConfig(config: ProjectConfig): DeployConfig {
  const where = config.file ?? 'config';
  const fail = (key: string, message: string, hint?: string): never => {
    throw new EdgeError('E_CONFIG', `${where}: deploy.${key}: ${message}`, hint === undefined ? {} : { hint });
  };
  const raw = config.deploy ?? {};
  if (!isObject(raw)) throw new EdgeError('E_CONFIG', `${where}: deploy: must be an object`);
  for (const key of Object.keys(raw)) if (!TOP_KEYS.includes(key)) fail(key, `unknown key (known keys: ${TOP_KEYS.join(', ')})`);

  const region = optionalString(raw, 'region', fail) ?? DEFAULT_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) fail('region', `"${region}" is not an AWS Region name such as us-east-1`);
  const runtime = optionalString(raw, 'runtime', fail) ?? DEFAULT_RUNTIME;
  const roleArn = optionalString(raw, 'role', fail);
  if (roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(roleArn)) {
    fail('role', `must be an IAM role ARN, arn:aws:iam::<account>:role/<name> (got "${roleArn}")`, 'leave "role" out and deploy creates one');
  }
  const roleName = optionalString(raw, 'roleName', fail) ?? DEFAULT_ROLE_NAME;
  if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) fail('roleName', 'an IAM role name uses letters, digits and +=,.@_- only, at most 64 characters');
  const functionPrefix = optionalString(raw, 'functionPrefix', fail) ?? '';

  const given = raw.functions ?? {};
  if (!isObject(given)) fail('functions', 'must be an object mapping function names to their AWS settings');
  const known = config.functions.map((f) => f.name);
  for (const name of Object.keys(given)) {
    if (!known.includes(name)) fail(`functions.${name}`, `is not a function of this project (functions: ${known.join(', ') || '(none)'})`);
  }
  const functions: Record<string, DeployFunctionSettings> = {};
  for (const fn of config.functions) {
    functions[fn.name] = parseFunction(fn.name, fn.kind === 'lambda', (given as Record<string, unknown>)[fn.name], functionPrefix, fail);
  }
  return { region, runtime, roleArn, roleName, functionPrefix, functions };
}

type Fail = (key: string, message: string, hint?: string) => never;

function parseFunction(name: string, plain: boolean, raw: unknown, prefix: string, fail: Fail): DeployFunctionSettings {
  const at = `functions.${name}`;
  const f = raw ?? {};
  if (!isObject(f)) return fail(at, 'must be an object');
  for (const key of Object.keys(f)) if (!FUNCTION_KEYS.includes(key)) fail(`${at}.${key}`, `unknown key (known keys: ${FUNCTION_KEYS.join(', ')})`);
  const failAt: Fail = (k, m, h) => fail(`${at}.${k}`, m, h);

  const functionName = optionalString(f, 'functionName', failAt) ?? `${prefix}${name}`;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(functionName)) {
    fail(`${at}.functionName`, `"${functionName}" is not a Lambda function name (letters, digits, - and _, at most 64 characters; the prefix counts)`);
  }
  const distributionId = optionalString(f, 'distributionId', failAt);
  // Real IDs are 14 characters starting with E; emulators make other uppercase ones.
  if (distributionId !== undefined && !/^[A-Z0-9]{10,20}$/.test(distributionId)) {
    fail(`${at}.distributionId`, `"${distributionId}" is not a CloudFront distribution ID (uppercase letters and digits, e.g. E2QWRUHAPOMQZL)`);
  }
  const pathPattern = optionalString(f, 'pathPattern', failAt) ?? '*';
  if (plain && (distributionId !== undefined || f.pathPattern !== undefined)) {
    fail(`${at}.${distributionId !== undefined ? 'distributionId' : 'pathPattern'}`, 'only Lambda@Edge functions are associated with a distribution; this one has eventType "lambda"');
  }

  let functionUrl: DeployFunctionSettings['functionUrl'];
  if (f.functionUrl !== undefined) {
    if (!plain) fail(`${at}.functionUrl`, 'Function URLs are for plain Lambda functions (eventType "lambda"); CloudFront calls edge functions');
    if (f.functionUrl === true) functionUrl = { authType: 'AWS_IAM' };
    else if (isObject(f.functionUrl)) {
      for (const key of Object.keys(f.functionUrl)) if (key !== 'authType') fail(`${at}.functionUrl.${key}`, 'unknown key (known keys: authType)');
      const auth = f.functionUrl.authType ?? 'AWS_IAM';
      if (auth !== 'AWS_IAM' && auth !== 'NONE') fail(`${at}.functionUrl.authType`, `must be "AWS_IAM" (the default) or "NONE" (public) (got ${JSON.stringify(auth)})`);
      functionUrl = { authType: auth as FunctionUrlAuthType };
    } else fail(`${at}.functionUrl`, 'must be true or an object {"authType": "AWS_IAM" | "NONE"}');
  }

  const alias = optionalString(f, 'alias', failAt);
  if (alias !== undefined) {
    if (!plain) fail(`${at}.alias`, 'CloudFront needs a numbered version, never an alias; aliases are for plain Lambda functions');
    if (!/^(?!^\d+$)[A-Za-z0-9_-]{1,128}$/.test(alias) || alias === '$LATEST') fail(`${at}.alias`, `"${alias}" is not an alias name (letters, digits, - and _, not only digits)`);
  }

  const environment: Record<string, string> = {};
  if (f.environment !== undefined) {
    if (!isObject(f.environment)) fail(`${at}.environment`, 'must be an object of NAME: "value" strings');
    for (const [key, value] of Object.entries(f.environment as Record<string, unknown>)) {
      if (typeof value !== 'string') fail(`${at}.environment.${key}`, 'must be a string');
      if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(key)) fail(`${at}.environment.${key}`, 'a variable name starts with a letter and uses letters, digits and _ only');
      environment[key] = value as string;
    }
  }
  const description = optionalString(f, 'description', failAt);
  return { functionName, description, distributionId, pathPattern, functionUrl, alias, environment };
}

function optionalString(obj: Record<string, unknown>, key: string, fail: Fail): string | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') return fail(key, `must be a non-empty string (got ${JSON.stringify(value)})`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
