/**
 * @module
 * `build()`: Rust crate → wasm32 → optimised `guest.wasm` + the runtime adapter → `dist/<fn>/` and a
 * deterministic `dist/<fn>.zip`, checked against the size limits of the function's event type.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { FunctionConfig, ProjectConfig } from '../config/load.js';
import { limitsOf, selectFunctions } from '../config/load.js';
import type { FunctionKind } from '../config/limits.js';
import { EdgeError } from '../errors.js';
import { ABI_VERSION, foreignImports, isAbiExport, misfitExportsProblem, missingExports, type ModuleEntry } from '../runtime/abi-contract.js';
import { noopLogger, type Logger } from '../logger.js';
import { cargoBuild, type OptimizeGoal } from './cargo.js';
import { buildNative, type NativeBuild } from './native.js';
import { adapterPath } from './package-root.js';
import { requireToolchain, type Toolchain } from './toolchain.js';
import { filterExports, wasmSectionSizes } from './wasm-sections.js';
import { createZip } from './zip.js';

export interface BuildOptions {
  config: ProjectConfig;
  /** Function names; all functions when empty or absent. */
  functions?: readonly string[];
  logger?: Logger;
  /** Skip wasm-opt even when it is installed. */
  noOptimize?: boolean;
  /** Called when a function starts and finishes, for progress output. */
  onProgress?: (event: { name: string; phase: 'compile' | 'package' | 'done' }) => void;
  /** Overrides each function's `target` (`--target native`; plain Lambda functions only). */
  target?: 'wasm' | 'native';
}

export interface PackagePart {
  /** A path inside the zip, or `guest.wasm:<section>` for the parts of the module. */
  name: string;
  bytes: number;
}

export interface BuiltFunction {
  name: string;
  kind: FunctionKind;
  /** The unzipped package: exactly what the zip holds. */
  dir: string;
  zipPath: string;
  zipBytes: number;
  unzippedBytes: number;
  /** The Lambda@Edge / Lambda limits for this kind of function. */
  zipLimitBytes: number;
  unzippedLimitBytes: number;
  /** Base64 SHA-256 of the zip, as AWS reports `CodeSha256`. */
  sha256: string;
  /** Files in the zip and sections of guest.wasm, largest first. */
  parts: PackagePart[];
  /** Whether wasm-opt ran. */
  optimized: boolean;
  /** `native`: the zip holds a `bootstrap` for provided.al2023 (docs/native.md). */
  target?: 'wasm' | 'native';
  native?: Omit<NativeBuild, 'bootstrap'>;
}

export interface BuildResult {
  functions: BuiltFunction[];
  toolchain: Toolchain | undefined;
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const { config } = options;
  const logger = options.logger ?? noopLogger;
  const selected = selectFunctions(config, options.functions ?? []);
  if (selected.length === 0) {
    throw new EdgeError('E_CONFIG', `${config.file ?? 'the config'} lists no functions`, { hint: 'add one under "functions"' });
  }
  const targetOf = (fn: FunctionConfig) => resolveTarget(fn, options.target);
  const toolchain = selected.some((f) => f.source.kind === 'crate' && targetOf(f) === 'wasm') ? requireToolchain() : undefined;
  if (toolchain !== undefined) logger.debug(`toolchain: ${toolchain.rustcVersion} (${toolchain.origin})`);
  const wasmOpt = options.noOptimize === true ? undefined : findWasmOpt();
  const built: BuiltFunction[] = [];
  // One function's compile error should not hide the others': build them all, report at the end.
  const failures: Array<{ name: string; error: EdgeError }> = [];
  for (const fn of selected) {
    try {
      options.onProgress?.({ name: fn.name, phase: 'compile' });
      if (targetOf(fn) === 'native') {
        const native = await buildNative(fn, config, logger);
        options.onProgress?.({ name: fn.name, phase: 'package' });
        const { bootstrap, ...info } = native;
        const b: BuiltFunction = { ...writePackage(fn, config, new Map([['bootstrap', bootstrap]]), false, ['bootstrap']), target: 'native', native: info };
        assertWithinLimits(b);
        built.push(b);
      } else {
        const files = await collectFiles(fn, config, toolchain, wasmOpt, logger);
        options.onProgress?.({ name: fn.name, phase: 'package' });
        const b = writePackage(fn, config, files.files, files.optimized);
        assertWithinLimits(b);
        built.push(b);
      }
      options.onProgress?.({ name: fn.name, phase: 'done' });
    } catch (error) {
      if (!(error instanceof EdgeError)) throw error;
      failures.push({ name: fn.name, error });
    }
  }
  if (failures.length === 1) throw failures[0]!.error;
  if (failures.length > 1) throw combinedFailure(failures, built);
  return { functions: built, toolchain };
}

/** Every failure in one error: each function's message, details and hint, in build order. */
function combinedFailure(failures: Array<{ name: string; error: EdgeError }>, built: BuiltFunction[]): EdgeError {
  const names = failures.map((f) => f.name).join(', ');
  const done = built.length === 0 ? '' : ` (built: ${built.map((b) => b.name).join(', ')})`;
  const details = failures.flatMap(({ name, error }) => [
    `${name}: ${error.message}`,
    ...error.details.map((line) => `  ${line}`),
    ...(error.hint === undefined ? [] : [`  hint: ${error.hint}`]),
  ]);
  return new EdgeError(failures[0]!.error.code, `${failures.length} functions failed to build: ${names}${done}`, {
    details,
    hint: 'fix each function above and build again; `lambda-wasm build <name>` rebuilds one',
  });
}

interface Collected {
  files: Map<string, Uint8Array>;
  optimized: boolean;
}

async function collectFiles(
  fn: FunctionConfig,
  config: ProjectConfig,
  toolchain: Toolchain | undefined,
  wasmOpt: string | undefined,
  logger: Logger,
): Promise<Collected> {
  const files = new Map<string, Uint8Array>();
  if (fn.source.kind === 'wasm-pack') {
    const pkg = fn.source.path;
    if (!existsSync(join(pkg, 'package.json'))) {
      throw new EdgeError('E_CONFIG', `functions.${fn.name}.wasmPack: ${pkg} is not a wasm-pack package (no package.json)`, {
        hint: 'run `wasm-pack build --target nodejs` and point "wasmPack" at its pkg/ folder',
      });
    }
    for (const file of listFiles(pkg)) {
      if (file === '.gitignore') continue;
      files.set(`pkg/${file}`, readFileSync(join(pkg, file)));
    }
    files.set('index.mjs', readFileSync(adapterPath('wasm-pack')));
    return { files, optimized: false };
  }
  let wasmPath: string;
  if (fn.source.kind === 'wasm') {
    wasmPath = fn.source.path;
    if (!existsSync(wasmPath)) throw new EdgeError('E_CONFIG', `functions.${fn.name}.wasm: ${wasmPath} does not exist`);
    if (!statSync(wasmPath).isFile()) {
      throw new EdgeError('E_CONFIG', `functions.${fn.name}.wasm: ${wasmPath} is a directory, not a .wasm file`, {
        hint: 'point "wasm" at the compiled module (e.g. target/wasm32-unknown-unknown/release/<crate>.wasm), or use "crate" for a Rust crate folder',
      });
    }
  } else {
    wasmPath = await cargoBuild({
      crateDir: fn.source.path,
      targetDir: join(config.root, 'target'),
      toolchain: toolchain!,
      buildEnv: fn.buildEnv,
      optimize: fn.optimize ?? 'speed',
      logger,
    });
  }
  let wasm: Uint8Array = readFileSync(wasmPath);
  let optimized = false;
  if (wasmOpt !== undefined && fn.source.kind === 'crate') {
    wasm = optimize(wasmOpt, wasm, fn.optimize ?? 'speed', logger);
    optimized = true;
  }
  checkGuest(fn, wasmPath, wasm);
  files.set('guest.wasm', filterExports(wasm, isAbiExport));
  files.set('index.mjs', readFileSync(adapterPath('abi')));
  return { files, optimized };
}

// The library's lib settings leave WebAssembly out (the runtime has its own); these calls are all build needs.
const Wasm = (globalThis as unknown as {
  WebAssembly: {
    validate(b: Uint8Array): boolean;
    Module: { new (b: Uint8Array): object; exports(m: object): ModuleEntry[]; imports(m: object): ModuleEntry[] };
  };
}).WebAssembly;

/**
 * A package must never hold a module that cannot load: refuse here, with what is wrong, whatever
 * the adapter would refuse at cold start (the same contract, src/runtime/abi-contract.ts).
 */
function checkGuest(fn: FunctionConfig, path: string, wasm: Uint8Array): void {
  if (!Wasm.validate(wasm)) {
    throw new EdgeError('E_COMPILE', `${fn.name}: ${path} is not a valid WebAssembly module`, { hint: 'rebuild the guest; a truncated or non-wasm file cannot be packaged' });
  }
  const module = new Wasm.Module(wasm);
  const exports = Wasm.Module.exports(module);
  const missing = missingExports(exports);
  if (missing.length > 0) {
    throw new EdgeError('E_COMPILE', `${fn.name}: ${path} is not a lambda-wasm ABI v${ABI_VERSION} guest (missing exports: ${missing.join(', ')})`, {
      hint: 'build it with the lambda-wasm-guest crate and export_handler!, or see docs/abi.md',
    });
  }
  const misfit = misfitExportsProblem(exports);
  if (misfit !== undefined) {
    throw new EdgeError('E_COMPILE', `${fn.name}: ${path} ${misfit}`, {
      hint: 'build it with the lambda-wasm-guest crate and export_handler!, or see docs/abi.md',
    });
  }
  const foreign = foreignImports(Wasm.Module.imports(module));
  if (foreign !== undefined) {
    throw new EdgeError('E_COMPILE', `${fn.name}: ${path} ${foreign}: the adapter would refuse it at cold start`, {
      hint: 'build the guest for wasm32-unknown-unknown (not wasm32-wasi) without wasm-bindgen, calling the host only through the lambda-wasm-guest crate (docs/abi.md)',
    });
  }
}

/** The function's target, with `--target` applied; edge functions cannot be native. */
function resolveTarget(fn: FunctionConfig, override: 'wasm' | 'native' | undefined): 'wasm' | 'native' {
  const target = override ?? fn.target ?? 'wasm';
  if (target === 'native' && fn.kind !== 'lambda') {
    throw new EdgeError('E_USAGE', `${fn.name} is a ${fn.kind} trigger and cannot be built --target native: Lambda@Edge runs only Node.js and Python`, {
      hint: 'native targets plain Lambda (eventType "lambda"); build edge functions as Wasm (the default)',
    });
  }
  if (target === 'native' && fn.source.kind !== 'crate') {
    throw new EdgeError('E_USAGE', `${fn.name} has no Rust crate to compile natively (it is a prebuilt ${fn.source.kind === 'wasm' ? '.wasm' : 'wasm-pack package'})`, { hint: 'set "crate" in the config' });
  }
  return target;
}

function writePackage(fn: FunctionConfig, config: ProjectConfig, files: Map<string, Uint8Array>, optimized: boolean, executable: readonly string[] = []): BuiltFunction {
  const outDir = config.outDir;
  const dir = join(outDir, fn.name);
  rmSync(dir, { recursive: true, force: true });
  for (const [name, bytes] of files) {
    const target = join(dir, name);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, bytes, executable.includes(name) ? { mode: 0o755 } : {});
  }
  const zip = createZip(files, { executable });
  const zipPath = join(outDir, `${fn.name}.zip`);
  writeFileSync(zipPath, zip);
  const parts: PackagePart[] = [...files].map(([name, bytes]) => ({ name, bytes: bytes.length }));
  const wasm = files.get('guest.wasm');
  if (wasm !== undefined) {
    for (const s of wasmSectionSizes(wasm)) parts.push({ name: `guest.wasm:${s.section}`, bytes: s.bytes });
  }
  const limits = limitsOf(config, fn.kind);
  return {
    name: fn.name,
    kind: fn.kind,
    dir,
    zipPath,
    zipBytes: zip.length,
    unzippedBytes: [...files.values()].reduce((n, b) => n + b.length, 0),
    zipLimitBytes: limits.maxZipBytes,
    unzippedLimitBytes: limits.maxUnzippedBytes,
    sha256: createHash('sha256').update(zip).digest('base64'),
    parts: parts.sort((a, b) => b.bytes - a.bytes),
    optimized,
  };
}

function assertWithinLimits(b: BuiltFunction): void {
  const over: string[] = [];
  if (b.zipBytes > b.zipLimitBytes) over.push(`zipped ${b.zipBytes} bytes > ${b.zipLimitBytes} allowed for ${b.kind} functions`);
  if (b.unzippedBytes > b.unzippedLimitBytes) over.push(`unzipped ${b.unzippedBytes} bytes > ${b.unzippedLimitBytes} allowed`);
  if (over.length === 0) return;
  throw new EdgeError('E_PACKAGE_TOO_LARGE', `${b.name}: the package is too large (${over.join('; ')})`, {
    details: ['largest parts:', ...b.parts.slice(0, 8).map((p) => `  ${p.name}: ${p.bytes} bytes`)],
    hint:
      b.kind.startsWith('viewer-')
        ? 'viewer triggers allow 1 MB zipped: drop dependencies, or move the work to an origin trigger (50 MB)'
        : 'drop dependencies or large embedded data from the guest',
  });
}

function findWasmOpt(): string | undefined {
  try {
    execFileSync('wasm-opt', ['--version'], { stdio: 'ignore' });
    return 'wasm-opt';
  } catch {
    return undefined;
  }
}

/**
 * wasm-opt passes per `"optimize"` goal. "speed" keeps the name section (-g: traps name the Rust
 * function); "size" drops it too (about 10% of a guest). DWARF and producer notes are never needed.
 *
 * Both cap the inlining of functions that have one caller (binaryen's -Os and -Oz inline them
 * whatever their size): merged into one caller, a guest's serde visitors made a single 33–55 KB
 * function, and V8, which compiles Wasm lazily one function at a time, then compiled all of it —
 * code paths the event never takes included — at the first call: 4.5–8 ms instead of ~2 ms
 * (docs/cold-start.md). Warm calls and sizes measured about the same either way.
 */
const INLINE_CAP = ['--one-caller-inline-max-function-size', '200'];
export const WASM_OPT_FLAGS: Record<OptimizeGoal, readonly string[]> = {
  speed: ['-Os', ...INLINE_CAP, '-g', '--strip-dwarf', '--strip-producers'],
  size: ['-Oz', ...INLINE_CAP, '--strip-debug', '--strip-producers'],
};

export function optimize(wasmOpt: string, wasm: Uint8Array, goal: OptimizeGoal, logger: Logger): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-opt-'));
  try {
    const input = join(dir, 'in.wasm');
    const output = join(dir, 'out.wasm');
    writeFileSync(input, wasm);
    execFileSync(wasmOpt, [input, ...WASM_OPT_FLAGS[goal], '-o', output], { stdio: ['ignore', 'ignore', 'pipe'] });
    const optimized = readFileSync(output);
    logger.debug(`wasm-opt: ${wasm.length} → ${optimized.length} bytes`);
    return optimized;
  } catch (error) {
    logger.warn(`wasm-opt failed, shipping the unoptimised module: ${(error as Error).message.split('\n')[0]}`);
    return wasm;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    const rel = prefix === '' ? entry : `${prefix}/${entry}`;
    if (statSync(full).isDirectory()) out.push(...listFiles(full, rel));
    else out.push(rel);
  }
  return out;
}

/** Relative path for display. */
export function displayPath(config: ProjectConfig, path: string): string {
  return relative(config.root, path) || '.';
}
