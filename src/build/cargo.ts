/**
 * @module
 * Runs `cargo build` for one guest crate and returns the `.wasm` it produced. Release settings
 * for small, fast guests are passed as environment, so a user's crate needs no profile section.
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { WASM_TARGET, type Toolchain } from './toolchain.js';

export interface CargoBuildOptions {
  crateDir: string;
  targetDir: string;
  toolchain: Toolchain;
  /** Compile-time environment (the function's `buildEnv`). */
  buildEnv: Record<string, string>;
  /** Default "speed". */
  optimize?: OptimizeGoal;
  logger: Logger;
}

/**
 * The release profile every guest is built with, Wasm or native: LTO, one codegen unit, no debug
 * info, and no unwinding (the panic hook reports a panic first; then a Wasm guest traps and a
 * native environment is replaced).
 */
export const RELEASE_PROFILE_ENV: Readonly<Record<string, string>> = {
  CARGO_PROFILE_RELEASE_LTO: 'true',
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS: '1',
  CARGO_PROFILE_RELEASE_PANIC: 'abort',
  CARGO_PROFILE_RELEASE_DEBUG: 'false',
};

/** The Wasm guests' profile. */
const PROFILE_ENV: Record<string, string> = {
  ...RELEASE_PROFILE_ENV,
  // Keep the name section: traps then name the Rust function instead of wasm-function[123].
  // (A "size" build drops it afterwards, with wasm-opt.)
  CARGO_PROFILE_RELEASE_STRIP: 'debuginfo',
};

/** What `"optimize"` changes in the profile; docs/cold-start.md has the measurements behind the choice. */
export const OPT_LEVEL: Record<OptimizeGoal, string> = {
  speed: '2', // measured: '3' is 2% faster warm but 4% larger, 's' 13% slower
  size: 'z',
};

export type OptimizeGoal = 'speed' | 'size';

interface CargoMessage {
  reason?: string;
  target?: { kind?: string[]; crate_types?: string[] };
  filenames?: string[];
}

export async function cargoBuild(options: CargoBuildOptions): Promise<string> {
  const { crateDir, toolchain } = options;
  const manifest = join(crateDir, 'Cargo.toml');
  if (!existsSync(manifest)) {
    throw new EdgeError('E_CONFIG', `${crateDir} has no Cargo.toml`, { hint: 'point "crate" at the folder of the guest crate' });
  }
  const args = [
    'build',
    '--release',
    '--target',
    WASM_TARGET,
    '--manifest-path',
    manifest,
    '--target-dir',
    options.targetDir,
    '--message-format',
    'json-render-diagnostics',
  ];
  args.push(...registryArgs(toolchain));
  const env = { ...process.env, ...PROFILE_ENV, CARGO_PROFILE_RELEASE_OPT_LEVEL: OPT_LEVEL[options.optimize ?? 'speed'], ...options.buildEnv, RUSTC: toolchain.rustc };
  options.logger.debug(`${toolchain.cargo} ${args.join(' ')}`);
  const { code, stdout, stderr } = await runWithLockRetry(crateDir, options.logger, () => spawnCollect(toolchain.cargo, args, env));
  if (code !== 0) {
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    const errors = lines.filter((l) => /^error/.test(l));
    throw new EdgeError('E_COMPILE', `cargo could not build ${crateDir}${errors[0] ? `: ${errors[0]}` : ''}`, {
      details: lines.slice(-40),
      hint: compileHint(toolchain),
    });
  }
  const wasm = findArtifact(stdout);
  if (wasm === undefined) {
    throw new EdgeError('E_COMPILE', `cargo built ${crateDir} but produced no .wasm`, {
      hint: 'the crate needs `[lib] crate-type = ["cdylib"]` in its Cargo.toml',
    });
  }
  return wasm;
}

/** The flags that point cargo at the toolchain's offline registry (Debian's), if it has one. */
export function registryArgs(toolchain: Toolchain): string[] {
  if (toolchain.offlineRegistry === undefined) return [];
  return [
    '--offline',
    '--config',
    'source.crates-io.replace-with="lambda-wasm-offline"',
    '--config',
    `source.lambda-wasm-offline.directory="${toolchain.offlineRegistry}"`,
  ];
}

/**
 * What cargo says when Cargo.lock was written against another registry: Debian's packaged crates
 * carry other checksums (and versions) than crates.io's, so a lock from rustup's cargo breaks a
 * Debian build and the other way round.
 */
const FOREIGN_LOCK = /checksum for `[^`]+` changed between lock files|is the same as when the lockfile was generated|failed to select a version for the requirement `[^`]+ = "=/;

/**
 * Runs cargo; when it fails only because Cargo.lock came from the other registry, moves the lock
 * aside to Cargo.lock.other-registry (kept for the other toolchain) and runs it once more.
 */
export async function runWithLockRetry(
  crateDir: string,
  logger: Logger,
  runCargo: () => Promise<{ code: number; stdout: string; stderr: string }>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const first = await runCargo();
  const lock = join(crateDir, 'Cargo.lock');
  if (first.code === 0 || !FOREIGN_LOCK.test(first.stderr) || !existsSync(lock)) return first;
  const aside = `${lock}.other-registry`;
  renameSync(lock, aside);
  logger.warn(`${lock} was written with another crate registry; moved it to ${aside} and resolved again`);
  return runCargo();
}

/** Names what actually limits the guest: the compiler in use and where its crates come from. */
export function compileHint(toolchain: Toolchain): string {
  const compiler = `${toolchain.rustcVersion} (${toolchain.rustc}, ${toolchain.origin === 'rustup' ? 'rustup' : toolchain.origin === 'env' ? 'LAMBDA_WASM_CARGO' : 'the system\'s'})`;
  if (toolchain.offlineRegistry === undefined) {
    return `fix the compiler errors above and build again; the compiler is ${compiler}, with crates from crates.io`;
  }
  return (
    `the compiler is ${compiler}, building offline with only the crates in ${toolchain.offlineRegistry}: ` +
    'a dependency that is not there, or needs a newer Rust, fails to resolve or compile. ' +
    "Debian packages crates as librust-<name>-dev (`apt-cache search librust-` lists them, `ls " +
    `${toolchain.offlineRegistry}\` shows what is installed); or install rustup with ` +
    '`rustup target add wasm32-unknown-unknown`, which lambda-wasm prefers and which takes any crate from crates.io'
  );
}

function findArtifact(stdout: string): string | undefined {
  let found: string | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line) as CargoMessage;
    if (msg.reason !== 'compiler-artifact' || !(msg.target?.crate_types ?? []).includes('cdylib')) continue;
    found = msg.filenames?.find((f) => f.endsWith('.wasm')) ?? found;
  }
  return found;
}

export function spawnCollect(cmd: string, args: string[], env: NodeJS.ProcessEnv, onOutput?: (chunk: string) => void): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      onOutput?.(d);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      onOutput?.(d);
    });
    child.on('error', (error) =>
      reject(new EdgeError('E_TOOLCHAIN_MISSING', `could not run ${cmd}: ${error.message}`, { cause: error })),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
