/**
 * @module
 * The `deploy` section of the config: the AWS Region, runtime, role and per-function settings for
 * `lambda-wasm deploy`. Rules AWS itself enforces at deploy time (us-east-1 for Lambda@Edge,
 * runtimes, package limits) are checked by `deploy/preflight.ts`, with AWS's wording; what is
 * checked here is what the config file alone can get wrong. `deploy/config.ts` fills in the
 * values that depend on the functions (names with the prefix).
 */
import { z } from 'zod';
import { EDGE_FUNCTION_REGION, type FunctionKind } from './limits.js';
import { isObject, says, stringMap, strict, text } from './schema-kit.js';
import { didYouMean } from './suggest.js';

/** A function's Region when `deploy.region` does not say: Lambda@Edge's, so edge and plain functions deploy together. */
export const DEFAULT_REGION = EDGE_FUNCTION_REGION;
export const DEFAULT_RUNTIME = 'nodejs22.x';
/** The role `deploy` creates when none is named; one per account is enough for every project. */
export const DEFAULT_ROLE_NAME = 'lambda-wasm-execution';

const LAMBDA_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const functionUrl = z
  .union(
    [
      z.literal(true),
      strict({ authType: z.enum(['AWS_IAM', 'NONE'], says('must be "AWS_IAM" (the default) or "NONE" (public)')).default('AWS_IAM').describe('AWS_IAM: signed requests only; NONE: public.') }),
    ],
    says('must be true or an object {"authType": "AWS_IAM" | "NONE"}'),
  )
  .optional()
  .describe('Plain Lambda only: give the function a Function URL (true means AWS_IAM).');

const deployFunction = strict({
  functionName: text().optional().describe("The Lambda function's name in AWS (default: functionPrefix + the config name)."),
  description: text().optional().describe("The Lambda function's description."),
  distributionId: text()
    // Real IDs are 14 characters starting with E; emulators make other uppercase ones.
    .regex(/^[A-Z0-9]{10,20}$/, { error: (iss) => `${JSON.stringify(iss.input)} is not a CloudFront distribution ID (uppercase letters and digits, e.g. E2QWRUHAPOMQZL)` })
    .optional()
    .describe('Lambda@Edge only: the distribution whose cache behavior gets the trigger.'),
  pathPattern: text().optional().describe('Lambda@Edge only: the cache behavior to associate with ("*", the default, is the default behavior).'),
  functionUrl,
  alias: text()
    .regex(/^(?!^\d+$)[A-Za-z0-9_-]{1,128}$/, { error: (iss) => `${JSON.stringify(iss.input)} is not an alias name (letters, digits, - and _, not only digits)` })
    .optional()
    .describe('Plain Lambda only: an alias moved to each new version.'),
  environment: stringMap({ pattern: /^[A-Za-z][A-Za-z0-9_]*$/, message: 'a variable name starts with a letter and uses letters, digits and _ only' })
    .optional()
    .describe('Plain Lambda only: run-time environment variables (Lambda@Edge has none).'),
});

export const deploySchema = strict({
  region: text()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { error: (iss) => `"${String(iss.input)}" is not an AWS Region name such as us-east-1` })
    .default(DEFAULT_REGION)
    .describe('The AWS Region (Lambda@Edge functions live in us-east-1).'),
  runtime: text().default(DEFAULT_RUNTIME).describe('The Node.js runtime of the functions, e.g. nodejs22.x.'),
  role: text()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/, { error: (iss) => `must be an IAM role ARN, arn:aws:iam::<account>:role/<name> (got "${String(iss.input)}"); leave "role" out and deploy creates one` })
    .optional()
    .describe('An execution role ARN to use as is; without it, deploy creates or reuses roleName.'),
  roleName: text()
    .regex(/^[\w+=,.@-]{1,64}$/, { error: 'an IAM role name uses letters, digits and +=,.@_- only, at most 64 characters' })
    .default(DEFAULT_ROLE_NAME)
    .describe('The execution role deploy creates or reuses when "role" is not given.'),
  functionPrefix: text().optional().describe('Prepended to every function name in AWS, e.g. "shop-".'),
  functions: z.record(z.string(), deployFunction, says('must be an object mapping function names to their AWS settings')).default({}).describe('AWS settings per function of this project.'),
}).describe('Settings for `lambda-wasm deploy`.');

/** The section as written (what code that builds a config by hand gives). */
export type DeploySectionInput = z.input<typeof deploySchema>;
/** The section validated, with its static defaults. */
export type DeploySection = z.output<typeof deploySchema>;

type Issue = { path: (string | number)[]; message: string };

/**
 * What the deploy section gets wrong about the project's functions: unknown names, settings for the
 * other kind of function, AWS names too long once prefixed. `kinds` holds the functions whose own
 * settings are valid; `deploy` is the section as given (it may have errors of its own).
 */
export function deployProblems(deploy: unknown, kinds: ReadonlyMap<string, FunctionKind>, allNames: readonly string[]): Issue[] {
  if (!isObject(deploy)) return [];
  const problems: Issue[] = [];
  const at = (...path: (string | number)[]) => ['deploy', ...path];
  const prefix = typeof deploy.functionPrefix === 'string' ? deploy.functionPrefix : '';
  const given = isObject(deploy.functions) ? deploy.functions : {};
  for (const name of Object.keys(given)) {
    if (!allNames.includes(name)) {
      problems.push({ path: at('functions', name), message: `is not a function of this project (functions: ${allNames.join(', ') || '(none)'})${didYouMean(name, allNames)}` });
    }
  }
  for (const [name, kind] of kinds) {
    const f = isObject(given[name]) ? given[name] : {};
    // An empty functionName is its own schema's problem; only a name it accepts is checked whole.
    const functionName = typeof f.functionName === 'string' ? f.functionName : `${prefix}${name}`;
    if (functionName !== '' && !LAMBDA_NAME.test(functionName)) {
      problems.push({ path: at('functions', name, 'functionName'), message: `"${functionName}" is not a Lambda function name (letters, digits, - and _, at most 64 characters; the prefix counts)` });
    }
    const plain = kind === 'lambda';
    if (plain) {
      for (const key of ['distributionId', 'pathPattern'] as const) {
        if (f[key] !== undefined) problems.push({ path: at('functions', name, key), message: 'only Lambda@Edge functions are associated with a distribution; this one has eventType "lambda"' });
      }
    } else {
      if (f.functionUrl !== undefined) problems.push({ path: at('functions', name, 'functionUrl'), message: 'Function URLs are for plain Lambda functions (eventType "lambda"); CloudFront calls edge functions' });
      if (f.alias !== undefined) problems.push({ path: at('functions', name, 'alias'), message: 'CloudFront needs a numbered version, never an alias; aliases are for plain Lambda functions' });
    }
  }
  return problems;
}
