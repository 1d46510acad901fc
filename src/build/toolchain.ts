/**
 * @module
 * Finds a Rust toolchain that can build `wasm32-unknown-unknown`. Order: an explicit
 * `LAMBDA_WASM_CARGO`/`LAMBDA_WASM_RUSTC`, rustup with the wasm32 target, then a system `rustc`
 * whose sysroot has the target (Debian's `rustc` + `libstd-rust-dev-wasm32`), with Debian's
 * offline crate registry when it is there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeError } from '../errors.js';

export const WASM_TARGET = 'wasm32-unknown-unknown';
/** Where Debian's `librust-*-dev` packages put their crate sources. */
export const DEBIAN_REGISTRY = '/usr/share/cargo/registry';

export interface Toolchain {
  /** How it was found, for messages. */
  origin: 'env' | 'rustup' | 'system';
  cargo: string;
  rustc: string;
  rustcVersion: string;
  /** A directory registry to use instead of crates.io, offline (Debian's packaged crates). */
  offlineRegistry: string | undefined;
}

export const TOOLCHAIN_HINT =
  'install one: with rustup, `rustup target add wasm32-unknown-unknown`; on Debian or Ubuntu, ' +
  '`apt-get install rustc cargo libstd-rust-dev-wasm32 lld-14 librust-serde-dev librust-serde-json-dev` ' +
  '(`npm run setup` in the lambda-wasm repo does this for you)';

function run(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function hasWasmStd(rustc: string): boolean {
  const sysroot = run(rustc, ['--print', 'sysroot']);
  return sysroot !== undefined && existsSync(join(sysroot, 'lib', 'rustlib', WASM_TARGET, 'lib'));
}

function describe(origin: Toolchain['origin'], cargo: string, rustc: string): Toolchain | undefined {
  const version = run(rustc, ['--version']);
  if (version === undefined || run(cargo, ['--version']) === undefined || !hasWasmStd(rustc)) return undefined;
  // rustup toolchains fetch from crates.io; a system toolchain without network uses the distro's crates.
  const offlineRegistry = origin !== 'rustup' && existsSync(DEBIAN_REGISTRY) ? DEBIAN_REGISTRY : undefined;
  return { origin, cargo, rustc, rustcVersion: version, offlineRegistry };
}

/** Returns the first usable toolchain, or undefined. */
export function detectToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain | undefined {
  if (env.LAMBDA_WASM_CARGO !== undefined) {
    const cargo = env.LAMBDA_WASM_CARGO;
    const rustc = env.LAMBDA_WASM_RUSTC ?? 'rustc';
    return describe('env', cargo, rustc);
  }
  const rustupRustc = run('rustup', ['which', 'rustc']);
  if (rustupRustc !== undefined) {
    const targets = run('rustup', ['target', 'list', '--installed']) ?? '';
    if (targets.split('\n').includes(WASM_TARGET)) {
      const rustupCargo = run('rustup', ['which', 'cargo']);
      if (rustupCargo !== undefined) {
        const found = describe('rustup', rustupCargo, rustupRustc);
        if (found !== undefined) return found;
      }
    }
  }
  // A distribution's toolchain lives in /usr/bin even when rustup's proxies come first on PATH.
  for (const dir of ['/usr/bin', '/usr/local/bin']) {
    const found = describe('system', join(dir, 'cargo'), join(dir, 'rustc'));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Like `detectToolchain`, but a missing toolchain is an error that says how to get one. */
export function requireToolchain(env: NodeJS.ProcessEnv = process.env): Toolchain {
  const found = detectToolchain(env);
  if (found === undefined) {
    throw new EdgeError('E_TOOLCHAIN_MISSING', `no Rust toolchain that can build ${WASM_TARGET} was found`, { hint: TOOLCHAIN_HINT });
  }
  // Debian's rustc links wasm32 through /usr/bin/rust-lld, a symlink into lld-14, which apt only recommends.
  const lld = join(found.rustc, '..', 'rust-lld');
  if (found.origin === 'system' && !existsSync(lld)) {
    throw new EdgeError('E_TOOLCHAIN_MISSING', `${found.rustc} links wasm32 with ${lld}, which is missing or a broken link`, {
      hint: 'install the linker: `apt-get install lld-14` (`npm run setup` does this for you)',
    });
  }
  return found;
}
