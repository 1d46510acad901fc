/**
 * @module
 * Reads `lambda-wasm.config.json` once, checks every key, and returns a `ProjectConfig` in which
 * paths are absolute and defaults are filled in. Everything downstream trusts this object.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { EdgeError } from '../errors.js';
import { DEFAULT_CLOUDFRONT_SETTINGS, type CloudFrontSettings } from '../events/index.js';
import { FUNCTION_KINDS, LIMITS, isFunctionKind, type FunctionKind, type KindLimits } from './limits.js';

export const CONFIG_FILE = 'lambda-wasm.config.json';

/** Where the guest comes from: exactly one per function. */
export type GuestSource =
  | { kind: 'crate'; path: string }
  | { kind: 'wasm'; path: string }
  | { kind: 'wasm-pack'; path: string };

export interface FunctionConfig {
  name: string;
  kind: FunctionKind;
  source: GuestSource;
  /** MB. */
  memorySize: number;
  /** Seconds. */
  timeout: number;
  includeBody: boolean;
  /** Absolute path of the function's sample event, if any. */
  fixture: string | undefined;
  /**
   * Environment for the compiler, resolved. Lambda@Edge has no environment variables, so values a
   * guest needs at run time are compiled in (Rust `env!`/`option_env!`).
   */
  buildEnv: Record<string, string>;
}

export interface ProjectConfig {
  /** Folder of the config file; relative paths are resolved against it. */
  root: string;
  /** The config file, or undefined when built from options alone. */
  file: string | undefined;
  /** Where built functions go (`dist/` by default). */
  outDir: string;
  functions: FunctionConfig[];
  /** CloudFront's disputed rules and viewer limits, with today's defaults (docs/validator.md). */
  cloudfront: ProjectCloudFrontSettings;
  /** Sections owned by `dev` and `deploy`; they validate them. */
  distribution: unknown;
  deploy: unknown;
}

export interface ProjectCloudFrontSettings extends CloudFrontSettings {
  /** The viewer-trigger limits the live quota page no longer shows (docs/cloudfront-rules.md §4.1). */
  viewerLimits: { maxMemory: number; maxTimeout: number; maxZipBytes: number };
}

export const DEFAULT_PROJECT_CLOUDFRONT: ProjectCloudFrontSettings = {
  ...DEFAULT_CLOUDFRONT_SETTINGS,
  viewerLimits: { maxMemory: LIMITS['viewer-request'].maxMemory, maxTimeout: LIMITS['viewer-request'].maxTimeout, maxZipBytes: LIMITS['viewer-request'].maxZipBytes },
};

/** The limits of a kind of function under the project's settings. */
export function limitsOf(config: Pick<ProjectConfig, 'cloudfront'>, kind: FunctionKind): KindLimits {
  const base = LIMITS[kind];
  if (kind !== 'viewer-request' && kind !== 'viewer-response') return base;
  const v = config.cloudfront.viewerLimits;
  return { ...base, maxMemory: v.maxMemory, maxTimeout: v.maxTimeout, defaultTimeout: Math.min(base.defaultTimeout, v.maxTimeout), maxZipBytes: v.maxZipBytes };
}

const TOP_KEYS = ['$schema', 'outDir', 'functions', 'cloudfront', 'distribution', 'deploy'];
const FUNCTION_KEYS = ['crate', 'wasm', 'wasmPack', 'eventType', 'memorySize', 'timeout', 'includeBody', 'fixture', 'buildEnv', 'description'];

/** Finds the config file from `cwd` upwards. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface LoadConfigOptions {
  /** Start of the search for the config file (default `process.cwd()`). */
  cwd?: string;
  /** An explicit config file; no search. */
  configFile?: string;
  /** Used for `${NAME}` substitution in `buildEnv` (default `process.env`). */
  env?: Record<string, string | undefined>;
}

export function loadConfig(options: LoadConfigOptions = {}): ProjectConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = options.configFile !== undefined ? resolve(cwd, options.configFile) : findConfigFile(cwd);
  if (file === undefined) {
    throw new EdgeError('E_CONFIG', `no ${CONFIG_FILE} found in ${resolve(cwd)} or any folder above it`, {
      hint: 'run `lambda-wasm new <dir>` to start a project, or pass --config <file>',
    });
  }
  if (!existsSync(file)) {
    throw new EdgeError('E_CONFIG', `config file ${file} does not exist`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EdgeError('E_CONFIG', `${file} is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return parseConfig(raw, { root: dirname(file), file, env: options.env ?? process.env });
}

export interface ParseConfigContext {
  root: string;
  file: string | undefined;
  env: Record<string, string | undefined>;
}

/** Validates a parsed config object; every message names the key to fix. */
export function parseConfig(raw: unknown, ctx: ParseConfigContext): ProjectConfig {
  const where = ctx.file ?? 'config';
  const fail = (key: string, message: string, hint?: string): never => {
    throw new EdgeError('E_CONFIG', `${where}: ${key}: ${message}`, hint === undefined ? {} : { hint });
  };
  if (!isObject(raw)) fail('(top level)', 'must be a JSON object');
  const top = raw as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!TOP_KEYS.includes(key)) fail(key, `unknown key (known keys: ${TOP_KEYS.join(', ')})`);
  }
  const outDir = top.outDir === undefined ? 'dist' : top.outDir;
  if (typeof outDir !== 'string' || outDir === '') fail('outDir', 'must be a non-empty string');
  if (!isObject(top.functions)) fail('functions', 'must be an object mapping function names to their settings');
  const cloudfront = parseCloudFront(top.cloudfront, fail);
  const functions: FunctionConfig[] = [];
  for (const [name, value] of Object.entries(top.functions as Record<string, unknown>)) {
    functions.push(parseFunction(name, value, ctx, fail, limitsOf({ cloudfront }, kindOf(value))));
  }
  return {
    root: ctx.root,
    file: ctx.file,
    outDir: resolve(ctx.root, outDir as string),
    functions,
    cloudfront,
    distribution: top.distribution,
    deploy: top.deploy,
  };
}

type Fail = (key: string, message: string, hint?: string) => never;

function kindOf(value: unknown): FunctionKind {
  const kind = isObject(value) ? (value as Record<string, unknown>).eventType : undefined;
  return isFunctionKind(kind) ? kind : 'lambda';
}

/** `cloudfront`: each key optional; numbers must be positive, choices one of the listed values. */
function parseCloudFront(raw: unknown, fail: Fail): ProjectCloudFrontSettings {
  const d = DEFAULT_PROJECT_CLOUDFRONT;
  if (raw === undefined) return d;
  if (!isObject(raw)) fail('cloudfront', 'must be an object');
  const c = raw as Record<string, unknown>;
  const known = ['executionErrorStatus', 'readOnlyFields', 'maxOriginTimeout', 'maxGeneratedResponseBytes', 'viewerLimits'];
  for (const key of Object.keys(c)) if (!known.includes(key)) fail(`cloudfront.${key}`, `unknown key (known keys: ${known.join(', ')})`);
  const num = (key: string, v: unknown, fallback: number, min: number, max: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(`cloudfront.${key}`, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
    return v as number;
  };
  const sub = (key: string): Record<string, unknown> => {
    const v = c[key];
    if (v === undefined) return {};
    if (!isObject(v)) fail(`cloudfront.${key}`, 'must be an object');
    return v as Record<string, unknown>;
  };
  if (c.executionErrorStatus !== undefined && c.executionErrorStatus !== 500 && c.executionErrorStatus !== 503) {
    fail('cloudfront.executionErrorStatus', `must be 503 (today's CloudFront) or 500 (older documentation) (got ${JSON.stringify(c.executionErrorStatus)})`);
  }
  if (c.readOnlyFields !== undefined && c.readOnlyFields !== 'reject' && c.readOnlyFields !== 'allow') {
    fail('cloudfront.readOnlyFields', `must be "reject" or "allow" (got ${JSON.stringify(c.readOnlyFields)})`);
  }
  const gen = sub('maxGeneratedResponseBytes');
  const viewer = sub('viewerLimits');
  return {
    ...d,
    executionErrorStatus: (c.executionErrorStatus as 500 | 503 | undefined) ?? d.executionErrorStatus,
    readOnlyFields: (c.readOnlyFields as 'reject' | 'allow' | undefined) ?? d.readOnlyFields,
    maxOriginTimeout: num('maxOriginTimeout', c.maxOriginTimeout, d.maxOriginTimeout, 1, 120),
    maxGeneratedResponseBytes: {
      viewer: num('maxGeneratedResponseBytes.viewer', gen.viewer, d.maxGeneratedResponseBytes.viewer, 1, 50 * 1024 * 1024),
      origin: num('maxGeneratedResponseBytes.origin', gen.origin, d.maxGeneratedResponseBytes.origin, 1, 50 * 1024 * 1024),
    },
    viewerLimits: {
      maxMemory: num('viewerLimits.maxMemory', viewer.maxMemory, d.viewerLimits.maxMemory, 128, 10240),
      maxTimeout: num('viewerLimits.maxTimeout', viewer.maxTimeout, d.viewerLimits.maxTimeout, 1, 30),
      maxZipBytes: num('viewerLimits.maxZipBytes', viewer.maxZipBytes, d.viewerLimits.maxZipBytes, 1, 50 * 1024 * 1024),
    },
  };
}

function parseFunction(name: string, value: unknown, ctx: ParseConfigContext, fail: Fail, limits: KindLimits): FunctionConfig {
  const at = `functions.${name}`;
  // Lambda function names: letters, digits, hyphens and underscores, at most 64 characters.
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    fail(at, 'a function name may use letters, digits, - and _ only, at most 64 characters (as AWS Lambda requires)');
  }
  if (!isObject(value)) fail(at, 'must be an object');
  const fn = value as Record<string, unknown>;
  for (const key of Object.keys(fn)) {
    if (!FUNCTION_KEYS.includes(key)) fail(`${at}.${key}`, `unknown key (known keys: ${FUNCTION_KEYS.join(', ')})`);
  }
  if (!isFunctionKind(fn.eventType)) {
    fail(`${at}.eventType`, `must be one of ${FUNCTION_KINDS.join(', ')} (got ${JSON.stringify(fn.eventType)})`);
  }
  const kind = fn.eventType as FunctionKind;

  const sources = (['crate', 'wasm', 'wasmPack'] as const).filter((k) => fn[k] !== undefined);
  if (sources.length !== 1) {
    fail(at, 'needs exactly one of "crate" (a Rust crate folder), "wasm" (a built ABI v1 .wasm) or "wasmPack" (a wasm-pack --target nodejs folder)');
  }
  const sourceKey = sources[0]!;
  const sourcePath = fn[sourceKey];
  if (typeof sourcePath !== 'string' || sourcePath === '') fail(`${at}.${sourceKey}`, 'must be a path');
  const absSource = resolve(ctx.root, sourcePath as string);
  const source: GuestSource =
    sourceKey === 'crate'
      ? { kind: 'crate', path: absSource }
      : sourceKey === 'wasm'
        ? { kind: 'wasm', path: absSource }
        : { kind: 'wasm-pack', path: absSource };

  const memorySize = fn.memorySize === undefined ? limits.defaultMemory : fn.memorySize;
  if (typeof memorySize !== 'number' || !Number.isInteger(memorySize) || memorySize < 128 || memorySize > limits.maxMemory) {
    fail(`${at}.memorySize`, `must be a whole number of MB from 128 to ${limits.maxMemory} for ${kind} functions (got ${JSON.stringify(memorySize)})`);
  }
  const timeout = fn.timeout === undefined ? limits.defaultTimeout : fn.timeout;
  if (typeof timeout !== 'number' || !(timeout > 0) || timeout > limits.maxTimeout) {
    fail(`${at}.timeout`, `must be a number of seconds above 0 and at most ${limits.maxTimeout} for ${kind} functions (got ${JSON.stringify(timeout)})`);
  }
  const includeBody = fn.includeBody === undefined ? false : fn.includeBody;
  if (typeof includeBody !== 'boolean') fail(`${at}.includeBody`, 'must be true or false');
  if (includeBody === true && kind !== 'viewer-request' && kind !== 'origin-request') {
    fail(`${at}.includeBody`, 'The IncludeBody option can only be used with viewer-request or origin-request events.');
  }
  let fixture: string | undefined;
  if (fn.fixture !== undefined) {
    if (typeof fn.fixture !== 'string') fail(`${at}.fixture`, 'must be a path to an event JSON file');
    fixture = isAbsolute(fn.fixture as string) ? (fn.fixture as string) : resolve(ctx.root, fn.fixture as string);
  }
  const buildEnv: Record<string, string> = {};
  if (fn.buildEnv !== undefined) {
    if (!isObject(fn.buildEnv)) fail(`${at}.buildEnv`, 'must be an object of NAME: "value" strings');
    for (const [key, v] of Object.entries(fn.buildEnv as Record<string, unknown>)) {
      if (typeof v !== 'string') fail(`${at}.buildEnv.${key}`, 'must be a string');
      buildEnv[key] = substituteEnv(v as string, ctx.env, `${at}.buildEnv.${key}`, fail);
    }
  }
  return { name, kind, source, memorySize: memorySize as number, timeout: timeout as number, includeBody: includeBody as boolean, fixture, buildEnv };
}

/** `${NAME}` and `${NAME:-default}`, as in a shell; an unset variable without default is an error. */
export function substituteEnv(value: string, env: Record<string, string | undefined>, key: string, fail: Fail): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    return fail(key, `uses \${${name}}, which is not set`, `set ${name} in the environment, or give a default: \${${name}:-value}`);
  });
}

/** Looks a function up by name, with the list of known names in the error. */
export function getFunction(config: ProjectConfig, name: string): FunctionConfig {
  const fn = config.functions.find((f) => f.name === name);
  if (fn === undefined) {
    const known = config.functions.map((f) => f.name).join(', ') || '(none)';
    throw new EdgeError('E_FUNCTION_UNKNOWN', `unknown function "${name}"`, {
      hint: `functions in ${config.file ?? 'the config'}: ${known}`,
    });
  }
  return fn;
}

/** Selects functions by name (all when `names` is empty). */
export function selectFunctions(config: ProjectConfig, names: readonly string[]): FunctionConfig[] {
  return names.length === 0 ? config.functions : names.map((n) => getFunction(config, n));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
