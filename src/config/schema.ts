/**
 * @module
 * The one definition of `lambda-wasm.config.json`. From it come the TypeScript types, the
 * validation (every problem at once, each with its key path), and the JSON Schema shipped in
 * `schema/lambda-wasm.config.schema.json` for editor completion. Rules that tie sections together
 * (a function's limits under `cloudfront.viewerLimits`, triggers naming functions, deploy settings
 * for a function's kind) are checked at the end, on the parts that are valid on their own.
 */
import { z } from 'zod';
import { CLOUDFRONT_MESSAGES, DEFAULT_CLOUDFRONT_SETTINGS } from '../events/index.js';
import { deployProblems, deploySchema } from './deploy-schema.js';
import { distributionSchema, triggerProblems } from './distribution-schema.js';
import {
  FUNCTION_KINDS,
  LIMITS,
  MAX_GENERATED_RESPONSE_SETTING,
  MAX_ORIGIN_TIMEOUT,
  MIN_MEMORY,
  isFunctionKind,
  largestLimit,
  limitsFor,
  mayIncludeBody,
  type FunctionKind,
} from './limits.js';
import { fallbackMessage, problemsOf, type ConfigProblem } from './problems.js';
import { flag, isObject, oneOf, says, stringMap, strict, text, wholeNumber } from './schema-kit.js';

/** Where a project made by `lambda-wasm new` finds this schema. */
export const SCHEMA_REF = './node_modules/lambda-wasm/schema/lambda-wasm.config.schema.json';

const GUEST_SOURCES = ['crate', 'wasm', 'wasmPack'] as const;
/** `optimize`: what a crate guest's release build favours (src/build/cargo.ts). */
export const OPTIMIZE_GOALS = ['speed', 'size'] as const;
/** Edge functions may be raised at most to origin triggers' limits. */
const EDGE_CEILING = LIMITS['origin-request'];

export const functionSchema = strict({
  crate: text('a path to a Rust crate folder').optional().describe('A Rust crate folder with a cdylib guest (relative to the config file).'),
  wasm: text('a path to a .wasm file').optional().describe('A built ABI v1 .wasm guest.'),
  wasmPack: text('a path to a wasm-pack folder').optional().describe('A `wasm-pack build --target nodejs` output folder.'),
  eventType: oneOf(FUNCTION_KINDS).describe('The CloudFront event the function answers, or "lambda" for a plain Lambda function.'),
  memorySize: wholeNumber(MIN_MEMORY, largestLimit('maxMemory'), ' of MB')
    .optional()
    .describe(`MB; default ${LIMITS.lambda.defaultMemory}. Viewer triggers: at most ${LIMITS['viewer-request'].maxMemory} (cloudfront.viewerLimits).`),
  timeout: z
    .number(says(`must be a number of seconds above 0 and at most ${largestLimit('maxTimeout')}`))
    .positive()
    .max(largestLimit('maxTimeout'))
    .optional()
    .describe(
      `Seconds. Viewer triggers: at most ${LIMITS['viewer-request'].maxTimeout} (the default); origin triggers: at most ${LIMITS['origin-request'].maxTimeout} (the default); plain Lambda: at most ${LIMITS.lambda.maxTimeout}, default ${LIMITS.lambda.defaultTimeout}.`,
    ),
  includeBody: flag().default(false).describe('Give the function the request body (viewer-request and origin-request only).'),
  fixture: text('a path to an event JSON file').optional().describe('A sample event for `invoke`, `bench` and `dev` (relative to the config file).'),
  buildEnv: stringMap()
    .optional()
    .describe('Environment for the compiler (Rust env!/option_env!): Lambda@Edge has no run-time environment. ${NAME} and ${NAME:-default} are substituted.'),
  description: z.string(says('must be a string')).optional().describe('What the function does (for people; deploy has its own description).'),
  target: oneOf(['wasm', 'native'] as const, 'must be "wasm" or "native"')
    .default('wasm')
    .describe('"native" compiles the crate to a `bootstrap` for plain Lambda (provided.al2023; docs/native.md); "wasm" (the default) runs it as Wasm on Node.js.'),
  architecture: oneOf(['x86_64', 'arm64'] as const)
    .optional()
    .describe('The CPU a "native" bootstrap is built for: "x86_64" (the default) or "arm64" (Graviton); docs/native.md. Wasm packages run on either.'),
  optimize: oneOf(OPTIMIZE_GOALS)
    .optional()
    .describe('What the release build of a "crate" guest favours: "speed" (the default: opt-level 2, wasm-opt -Os, the name section kept for readable traps; the fastest warm calls) or "size" (opt-level "z", wasm-opt -Oz, names stripped: about a third smaller and a little cheaper to start, but warm calls about 40% slower). docs/cold-start.md has the measurements.'),
}).superRefine(
  (fn: unknown, ctx) => {
    // Runs even when other keys have errors, so it reads the value warily.
    if (!isObject(fn)) return;
    const sources = GUEST_SOURCES.filter((k) => fn[k] !== undefined);
    if (sources.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of "crate" (a Rust crate folder), "wasm" (a built ABI v1 .wasm) or "wasmPack" (a wasm-pack --target nodejs folder)' });
    }
    if (fn.includeBody === true && isFunctionKind(fn.eventType) && !mayIncludeBody(fn.eventType)) ctx.addIssue({ code: 'custom', path: ['includeBody'], message: CLOUDFRONT_MESSAGES.includeBody });
    if (fn.target === 'native' && isFunctionKind(fn.eventType) && fn.eventType !== 'lambda') {
      ctx.addIssue({ code: 'custom', path: ['target'], message: `"native" is for eventType "lambda" only: Lambda@Edge runs only Node.js and Python, so ${fn.eventType} functions run as Wasm on Node.js; remove "target", or make it a plain Lambda function` });
    }
    if (fn.architecture !== undefined && fn.target !== 'native') {
      ctx.addIssue({ code: 'custom', path: ['architecture'], message: '"architecture" chooses the CPU of a native bootstrap: set "target": "native" too, or remove it (a Wasm package runs on either)' });
    }
    if (fn.target === 'native' && fn.crate === undefined && sources.length === 1) {
      ctx.addIssue({ code: 'custom', path: ['target'], message: '"native" compiles a Rust crate: set "crate", not "wasm" or "wasmPack"' });
    }
  },
  { when: () => true },
);

const generatedBytes = wholeNumber(1, MAX_GENERATED_RESPONSE_SETTING);

export const cloudfrontSchema = strict({
  executionErrorStatus: z
    .literal([503, 500], says("must be 503 (today's CloudFront) or 500 (older documentation)"))
    .default(DEFAULT_CLOUDFRONT_SETTINGS.executionErrorStatus)
    .describe("The viewer's status when a function throws or times out."),
  readOnlyFields: oneOf(['reject', 'allow'], 'must be "reject" or "allow"')
    .default(DEFAULT_CLOUDFRONT_SETTINGS.readOnlyFields)
    .describe('A function that changes a read-only field (method, clientIp): reject the result, or let it through.'),
  maxOriginTimeout: wholeNumber(1, MAX_ORIGIN_TIMEOUT)
    .default(DEFAULT_CLOUDFRONT_SETTINGS.maxOriginTimeout)
    .describe('Largest origin readTimeout/keepaliveTimeout a function may set, in seconds.'),
  maxGeneratedResponseBytes: strict({
    viewer: generatedBytes.default(DEFAULT_CLOUDFRONT_SETTINGS.maxGeneratedResponseBytes.viewer),
    origin: generatedBytes.default(DEFAULT_CLOUDFRONT_SETTINGS.maxGeneratedResponseBytes.origin),
  })
    .prefault({})
    .describe('Largest response (headers + body) a function may generate, in bytes.'),
  viewerLimits: strict({
    maxMemory: wholeNumber(MIN_MEMORY, EDGE_CEILING.maxMemory).default(LIMITS['viewer-request'].maxMemory),
    maxTimeout: wholeNumber(1, EDGE_CEILING.maxTimeout).default(LIMITS['viewer-request'].maxTimeout),
    maxZipBytes: wholeNumber(1, EDGE_CEILING.maxZipBytes).default(LIMITS['viewer-request'].maxZipBytes),
  })
    .prefault({})
    .describe("Viewer-trigger limits, should AWS's quotas change (docs/validator.md)."),
})
  .prefault({})
  .describe("CloudFront's disputed rules and viewer limits; the defaults are today's CloudFront.");

const functionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, {
  error: 'a function name may use letters, digits, - and _ only, at most 64 characters (as AWS Lambda requires)',
});

export const configSchema = strict({
  $schema: z.string(says('must be a string')).optional().describe('The JSON Schema of this file, for editors.'),
  outDir: text().default('dist').describe('Where built functions go (relative to the config file).'),
  functions: z
    .record(functionName, functionSchema, says('must be an object mapping function names to their settings', 'is required: an object mapping function names to their settings'))
    .describe('The functions of this project, by name.'),
  cloudfront: cloudfrontSchema,
  distribution: distributionSchema.optional(),
  deploy: deploySchema.optional(),
})
  .superRefine(crossSectionRules, { when: () => true })
  .meta({ title: 'lambda-wasm.config.json', description: 'A lambda-wasm project: its functions, the local CloudFront for `dev`, and `deploy` settings.' });

/** The config file as written (optional keys optional). */
export type ConfigFileInput = z.input<typeof configSchema>;
/** The config file after validation, with static defaults filled in. */
export type ConfigFile = z.output<typeof configSchema>;
export type FunctionSection = z.output<typeof functionSchema>;
export type CloudFrontSection = z.output<typeof cloudfrontSchema>;

/** Checks a parsed config file against the schema: the file with its defaults, or every problem. */
export function validateConfig(raw: unknown): { ok: true; value: ConfigFile } | { ok: false; problems: ConfigProblem[] } {
  const parsed = configSchema.safeParse(raw, { error: fallbackMessage });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problems: problemsOf(parsed.error.issues) };
}

/**
 * Rules between sections. zod runs this even when other keys have errors, so every problem is
 * reported at once; it therefore only trusts the parts that pass their own schema.
 */
function crossSectionRules(value: unknown, ctx: z.RefinementCtx): void {
  if (!isObject(value)) return;
  const cloudfront = cloudfrontSchema.safeParse(value.cloudfront);
  const viewerLimits = (cloudfront.success ? cloudfront.data : cloudfrontSchema.parse(undefined)).viewerLimits;
  const kinds = new Map<string, FunctionKind>();
  const allNames = isObject(value.functions) ? Object.keys(value.functions) : [];
  for (const [name, raw] of Object.entries(isObject(value.functions) ? value.functions : {})) {
    const fn = functionSchema.safeParse(raw);
    if (!fn.success) continue;
    kinds.set(name, fn.data.eventType);
    const kind = fn.data.eventType;
    const limits = limitsFor(kind, viewerLimits);
    const at = ['functions', name];
    if (fn.data.memorySize !== undefined && fn.data.memorySize > limits.maxMemory) {
      ctx.addIssue({ code: 'custom', path: [...at, 'memorySize'], message: `must be a whole number of MB from ${MIN_MEMORY} to ${limits.maxMemory} for ${kind} functions (got ${fn.data.memorySize})`, input: fn.data.memorySize });
    }
    if (fn.data.timeout !== undefined && fn.data.timeout > limits.maxTimeout) {
      ctx.addIssue({ code: 'custom', path: [...at, 'timeout'], message: `must be a number of seconds above 0 and at most ${limits.maxTimeout} for ${kind} functions (got ${fn.data.timeout})`, input: fn.data.timeout });
    }
  }
  for (const problem of triggerProblems(value.distribution, kinds, allNames)) ctx.addIssue({ code: 'custom', ...problem });
  for (const problem of deployProblems(value.deploy, kinds, allNames)) ctx.addIssue({ code: 'custom', ...problem });
}
