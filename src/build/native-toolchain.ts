/**
 * @module
 * The toolchain of `target: native`: a Rust toolchain with the standard library of the Linux
 * target (rustup's, or `LAMBDA_WASM_NATIVE_CARGO`), and zig as the linker through cargo-zigbuild,
 * which pins the glibc the binary may need to Amazon Linux 2023's 2.34 whatever the build machine
 * has. Both zig and cargo-zigbuild come from PyPI; the first native build installs them into a
 * virtualenv under the lambda-wasm package's `.cache/` (no system change), as cargo-lambda does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EdgeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { packageRoot } from './package-root.js';

export type NativeArchitecture = 'x86_64' | 'arm64';

/** Rust's target triple for each Lambda architecture. */
export const RUST_TARGETS: Record<NativeArchitecture, string> = {
  x86_64: 'x86_64-unknown-linux-gnu',
  arm64: 'aarch64-unknown-linux-gnu',
};

/** What zig links against: `provided.al2023` ships glibc 2.34. */
export const AL2023_GLIBC = '2.34';

/** Pinned, so a build is the same next month. */
const ZIGBUILD_REQUIREMENTS = ['cargo-zigbuild==0.24.1', 'ziglang==0.17.1'];

export interface NativeToolchain {
  cargo: string;
  rustc: string;
  rustcVersion: string;
  /** cargo-zigbuild, or undefined to link with the system's `cc` (then only the ELF check guards the glibc floor). */
  zigbuild: string | undefined;
  /** Folders to put first on PATH (the venv's, for `python -m ziglang`; the toolchain's). */
  path: string[];
}

function run(cmd: string, args: string[]): string | undefined {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export const NATIVE_TOOLCHAIN_HINT =
  'install Rust with rustup (https://rustup.rs) — its stable toolchain has the x86_64-unknown-linux-gnu standard library — ' +
  'or point LAMBDA_WASM_NATIVE_CARGO (and LAMBDA_WASM_NATIVE_RUSTC) at a cargo ≥ 1.64 that has it';

/** What to install for `"architecture": "arm64"` (docs/native.md, "arm64 (Graviton)"). */
export const ARM64_TOOLCHAIN_HINT =
  'with rustup: `rustup target add aarch64-unknown-linux-gnu`; with Debian\'s rustc: ' +
  '`sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install libstd-rust-dev:arm64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross` ' +
  '(add qemu-user to run it locally), or `node scripts/setup.mjs --test`';

/**
 * A cargo/rustc pair with the standard library of `target`, whose cargo has
 * `cargo rustc --crate-type` (1.64 and later): `LAMBDA_WASM_NATIVE_CARGO`, then `preferred` (the
 * toolchain that builds the Wasm guests, so both targets share one compiler and one Cargo.lock
 * format: Debian's cargo 1.65 cannot read the lock files of today's cargo), rustup's, the system's.
 */
export function findNativeRust(target: string, preferred?: { cargo: string; rustc: string }, env: NodeJS.ProcessEnv = process.env): { cargo: string; rustc: string; version: string } {
  const candidates: Array<{ cargo: string; rustc: string }> = [];
  if (env.LAMBDA_WASM_NATIVE_CARGO !== undefined) candidates.push({ cargo: env.LAMBDA_WASM_NATIVE_CARGO, rustc: env.LAMBDA_WASM_NATIVE_RUSTC ?? 'rustc' });
  if (preferred !== undefined) candidates.push(preferred);
  const rustupCargo = run('rustup', ['which', 'cargo']);
  const rustupRustc = run('rustup', ['which', 'rustc']);
  if (rustupCargo !== undefined && rustupRustc !== undefined) candidates.push({ cargo: rustupCargo, rustc: rustupRustc });
  for (const dir of ['/usr/bin', '/usr/local/bin']) candidates.push({ cargo: join(dir, 'cargo'), rustc: join(dir, 'rustc') });
  const seen: string[] = [];
  for (const c of candidates) {
    const version = run(c.rustc, ['--version']);
    const sysroot = run(c.rustc, ['--print', 'sysroot']);
    if (version === undefined || sysroot === undefined) continue;
    seen.push(`${c.rustc} (${version})`);
    if (!existsSync(join(sysroot, 'lib', 'rustlib', target, 'lib'))) continue;
    if (!(run(c.cargo, ['rustc', '--help']) ?? '').includes('--crate-type')) continue;
    return { ...c, version };
  }
  throw new EdgeError('E_TOOLCHAIN_MISSING', `no Rust toolchain with the ${target} standard library and a cargo ≥ 1.64 was found${seen.length > 0 ? ` (tried ${seen.join(', ')})` : ''}`, {
    hint: target === RUST_TARGETS.arm64 ? ARM64_TOOLCHAIN_HINT : NATIVE_TOOLCHAIN_HINT,
  });
}

/** The virtualenv that holds cargo-zigbuild and zig. */
export function zigVenv(): string {
  return join(packageRoot(), '.cache', 'native-venv');
}

/**
 * cargo-zigbuild: `LAMBDA_WASM_ZIGBUILD`, the venv's, or one on PATH; otherwise installed into
 * the venv now (needs python3 with venv and PyPI). `LAMBDA_WASM_ZIGBUILD=none` links with `cc`.
 */
export function ensureZigbuild(logger: Logger, env: NodeJS.ProcessEnv = process.env): { exe: string | undefined; path: string[] } {
  if (env.LAMBDA_WASM_ZIGBUILD === 'none') return { exe: undefined, path: [] };
  if (env.LAMBDA_WASM_ZIGBUILD !== undefined) return { exe: env.LAMBDA_WASM_ZIGBUILD, path: [dirname(env.LAMBDA_WASM_ZIGBUILD)] };
  const venv = zigVenv();
  const exe = join(venv, 'bin', 'cargo-zigbuild');
  // The marker is written last: an install that was interrupted is done again.
  const installed = join(venv, '.installed');
  if (existsSync(installed)) return { exe, path: [join(venv, 'bin')] };
  if (run('cargo-zigbuild', ['--version']) !== undefined && (run('zig', ['version']) !== undefined || run('python3', ['-m', 'ziglang', 'version']) !== undefined)) {
    return { exe: 'cargo-zigbuild', path: [] };
  }
  logger.info(`installing zig and cargo-zigbuild from PyPI into ${venv} (once; about 50 MB)`);
  try {
    execFileSync('python3', ['-m', 'venv', venv], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...ZIGBUILD_REQUIREMENTS], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
    writeFileSync(installed, `${ZIGBUILD_REQUIREMENTS.join('\n')}\n`);
  } catch (error) {
    throw new EdgeError('E_TOOLCHAIN_MISSING', `could not install zig and cargo-zigbuild into ${venv}: ${(error as Error).message.split('\n')[0]}`, {
      hint: 'native builds link with zig to keep to Amazon Linux 2023\'s glibc 2.34: `pip install cargo-zigbuild` (it brings zig), or set LAMBDA_WASM_ZIGBUILD=none to link with cc (the build then refuses a binary that needs a newer glibc)',
      cause: error,
    });
  }
  return { exe, path: [join(venv, 'bin')] };
}
