/**
 * @module
 * Reads `lambda-wasm.config.json` once, validates it against the schema (`schema.ts`), and returns a
 * `ProjectConfig` in which paths are absolute and defaults are filled in. Everything downstream
 * trusts this object.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { EdgeError } from '../errors.js';
import { DEFAULT_CLOUDFRONT_SETTINGS, type CloudFrontSettings } from '../events/index.js';
import type { DeploySectionInput } from './deploy-schema.js';
import type { DistributionSectionInput } from './distribution-schema.js';
import { LIMITS, limitsFor, type FunctionKind, type KindLimits, type ViewerLimits } from './limits.js';
import { configError, type ConfigProblem } from './problems.js';
import { validateConfig, type FunctionSection } from './schema.js';

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
  /** `wasm` (absent): the guest on Node.js; `native`: a `bootstrap` for provided.al2023 (docs/native.md). */
  target?: 'wasm' | 'native';
  /** The CPU of a native `bootstrap`; x86_64 when absent (docs/native.md). */
  architecture?: 'x86_64' | 'arm64';
  /** What a crate guest's release build favours; "speed" when absent (src/build/cargo.ts). */
  optimize?: 'speed' | 'size';
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
  /**
   * Sections that `dev` and `deploy` resolve (`emulator/config.ts`, `deploy/config.ts`). `loadConfig`
   * validates them with the rest; a config built in code is validated when they are resolved.
   */
  distribution: DistributionSectionInput | undefined;
  deploy: DeploySectionInput | undefined;
}

export interface ProjectCloudFrontSettings extends CloudFrontSettings {
  /** The viewer-trigger limits the live quota page no longer shows (docs/validator.md). */
  viewerLimits: ViewerLimits;
}

export const DEFAULT_PROJECT_CLOUDFRONT: ProjectCloudFrontSettings = {
  ...DEFAULT_CLOUDFRONT_SETTINGS,
  viewerLimits: { maxMemory: LIMITS['viewer-request'].maxMemory, maxTimeout: LIMITS['viewer-request'].maxTimeout, maxZipBytes: LIMITS['viewer-request'].maxZipBytes },
};

/** The limits of a kind of function under the project's settings. */
export function limitsOf(config: Pick<ProjectConfig, 'cloudfront'>, kind: FunctionKind): KindLimits {
  return limitsFor(kind, config.cloudfront.viewerLimits);
}

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

/**
 * Validates a parsed config object against the schema (`schema.ts`) and resolves it: absolute
 * paths, tier defaults, `${NAME}` substitution. Every problem is reported at once, each naming its key.
 */
export function parseConfig(raw: unknown, ctx: ParseConfigContext): ProjectConfig {
  const where = ctx.file ?? 'config';
  const checked = validateConfig(raw);
  if (!checked.ok) throw configError(where, checked.problems);
  const file = checked.value;
  const cloudfront: ProjectCloudFrontSettings = { ...DEFAULT_CLOUDFRONT_SETTINGS, ...file.cloudfront };
  const problems: ConfigProblem[] = [];
  const functions = Object.entries(file.functions).map(([name, fn]) => resolveFunction(name, fn, ctx, limitsOf({ cloudfront }, fn.eventType), problems));
  if (problems.length > 0) throw configError(where, problems);
  return {
    root: ctx.root,
    file: ctx.file,
    outDir: resolve(ctx.root, file.outDir),
    functions,
    cloudfront,
    distribution: file.distribution,
    deploy: file.deploy,
  };
}

function resolveFunction(name: string, fn: FunctionSection, ctx: ParseConfigContext, limits: KindLimits, problems: ConfigProblem[]): FunctionConfig {
  // The schema guarantees exactly one source.
  const source: GuestSource =
    fn.crate !== undefined
      ? { kind: 'crate', path: resolve(ctx.root, fn.crate) }
      : fn.wasm !== undefined
        ? { kind: 'wasm', path: resolve(ctx.root, fn.wasm) }
        : { kind: 'wasm-pack', path: resolve(ctx.root, fn.wasmPack!) };
  const buildEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries(fn.buildEnv ?? {})) {
    buildEnv[key] = substituteEnv(value, ctx.env, (variable) =>
      problems.push({ path: `functions.${name}.buildEnv.${key}`, message: `uses \${${variable}}, which is not set; set ${variable} in the environment, or give a default: \${${variable}:-value}` }),
    );
  }
  return {
    name,
    kind: fn.eventType,
    source,
    memorySize: fn.memorySize ?? limits.defaultMemory,
    timeout: fn.timeout ?? limits.defaultTimeout,
    includeBody: fn.includeBody,
    fixture: fn.fixture === undefined ? undefined : isAbsolute(fn.fixture) ? fn.fixture : resolve(ctx.root, fn.fixture),
    buildEnv,
    target: fn.target,
    ...(fn.architecture === undefined ? {} : { architecture: fn.architecture }),
    ...(fn.optimize === undefined ? {} : { optimize: fn.optimize }),
  };
}

/** `${NAME}` and `${NAME:-default}`, as in a shell; an unset variable without default is reported to `unset`. */
export function substituteEnv(value: string, env: Record<string, string | undefined>, unset: (name: string) => void): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
    if (fallback !== undefined) return fallback;
    unset(name);
    return '';
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

