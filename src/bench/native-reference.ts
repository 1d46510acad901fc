/**
 * @module
 * B8's reference: a `lambda_runtime` (AWS's Rust runtime crate, on tokio) hello-world from
 * `bench-guests/lambda-runtime-hello`, built on first use into `.cache/lambda-runtime-hello/`
 * with rustup's cargo (its crates come from crates.io) and cargo-zigbuild — the way
 * `cargo lambda build` builds. Returns the folder holding `bootstrap`, or why it could not.
 */
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCollect } from '../build/cargo.js';
import { AL2023_GLIBC, ensureZigbuild, findNativeRust, RUST_TARGETS } from '../build/native-toolchain.js';
import type { Logger } from '../logger.js';

export async function lambdaRuntimeHello(root: string, logger: Logger, build = true): Promise<{ dir: string } | { reason: string }> {
  const crate = join(root, 'bench-guests', 'lambda-runtime-hello');
  const out = join(root, '.cache', 'lambda-runtime-hello');
  const bootstrap = join(out, 'bootstrap');
  const sources = [join(crate, 'Cargo.toml'), join(crate, 'src', 'main.rs')];
  if (existsSync(bootstrap) && sources.every((s) => statSync(s).mtimeMs <= statSync(bootstrap).mtimeMs)) return { dir: out };
  if (!build) return { reason: 'not built yet; a full `bench` (without --quick) builds it once' };
  try {
    // lambda_runtime needs today's Rust (not Debian's 1.63) and crates.io.
    const rust = findNativeRust(RUST_TARGETS.x86_64);
    const zig = ensureZigbuild(logger);
    if (zig.exe === undefined) return { reason: 'cargo-zigbuild is turned off (LAMBDA_WASM_ZIGBUILD=none)' };
    logger.info('B8: building the lambda_runtime hello-world (once; crates.io, a few minutes)…');
    const target = join(root, '.cache', 'lambda-runtime-hello-target');
    const env = { ...process.env, CARGO: rust.cargo, RUSTC: rust.rustc, PATH: [...zig.path, join(rust.cargo, '..'), process.env.PATH ?? ''].join(':') };
    const args = ['build', '--release', '--target', `${RUST_TARGETS.x86_64}.${AL2023_GLIBC}`, '--manifest-path', join(crate, 'Cargo.toml'), '--target-dir', target];
    const r = await spawnCollect(zig.exe, args, env);
    if (r.code !== 0) return { reason: `cargo zigbuild failed: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}` };
    mkdirSync(out, { recursive: true });
    copyFileSync(join(target, RUST_TARGETS.x86_64, 'release', 'bootstrap'), bootstrap);
    return { dir: out };
  } catch (error) {
    return { reason: (error as Error).message };
  }
}
