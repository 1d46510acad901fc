/**
 * @module
 * Runs `cargo build` for one guest crate and returns the `.wasm` it produced. Release settings
 * for small, fast guests are passed as environment, so a user's crate needs no profile section.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
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

/** Release profile for guests: no unwinding (a panic traps after the hook reports it), one codegen unit, LTO. */
const PROFILE_ENV: Record<string, string> = {
  CARGO_PROFILE_RELEASE_LTO: 'true',
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS: '1',
  CARGO_PROFILE_RELEASE_PANIC: 'abort',
  CARGO_PROFILE_RELEASE_DEBUG: 'false',
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
  if (toolchain.offlineRegistry !== undefined) {
    args.push(
      '--offline',
      '--config',
      'source.crates-io.replace-with="lambda-wasm-offline"',
      '--config',
      `source.lambda-wasm-offline.directory="${toolchain.offlineRegistry}"`,
    );
  }
  const env = { ...process.env, ...PROFILE_ENV, CARGO_PROFILE_RELEASE_OPT_LEVEL: OPT_LEVEL[options.optimize ?? 'speed'], ...options.buildEnv, RUSTC: toolchain.rustc };
  options.logger.debug(`${toolchain.cargo} ${args.join(' ')}`);
  const { code, stdout, stderr } = await spawnCollect(toolchain.cargo, args, env);
  if (code !== 0) {
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    const errors = lines.filter((l) => /^error/.test(l));
    throw new EdgeError('E_COMPILE', `cargo could not build ${crateDir}${errors[0] ? `: ${errors[0]}` : ''}`, {
      details: lines.slice(-40),
      hint: toolchain.offlineRegistry !== undefined
        ? `this toolchain (${toolchain.rustcVersion}) builds offline from ${toolchain.offlineRegistry}: guests may depend on serde and serde_json only, and must build with Rust 1.63`
        : 'fix the compiler errors above and build again',
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

function spawnCollect(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (error) =>
      reject(new EdgeError('E_TOOLCHAIN_MISSING', `could not run ${cmd}: ${error.message}`, { cause: error })),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
