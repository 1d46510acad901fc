/**
 * @module
 * `target: native`: the guest crate compiled to a Linux executable named `bootstrap`, a Lambda
 * custom runtime for `provided.al2023` (the crate's `native-runtime` feature makes
 * `export_handler!` define `main`, a Runtime API loop). The crate stays a library: cargo is asked
 * for a binary of it with `cargo rustc --crate-type bin`. Then the binary is checked the way
 * Amazon Linux 2023 would load it (docs/native.md).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionConfig, ProjectConfig } from '../config/load.js';
import { EdgeError } from '../errors.js';
import type { Logger } from '../logger.js';
import { RELEASE_PROFILE_ENV, spawnCollect } from './cargo.js';
import { compareGlibc, ElfError, readElf, type ElfInfo } from './native-elf.js';
import { AL2023_GLIBC, ensureZigbuild, findNativeRust, RUST_TARGETS, type NativeArchitecture } from './native-toolchain.js';
import { detectToolchain } from './toolchain.js';

/** Speed over size natively (opt-level 3), one codegen unit, no symbols: the pi bootstrap zips to ~0.25 MB. */
const NATIVE_PROFILE_ENV: Record<string, string> = {
  ...RELEASE_PROFILE_ENV,
  CARGO_PROFILE_RELEASE_OPT_LEVEL: '3',
  CARGO_PROFILE_RELEASE_STRIP: 'symbols',
};

/** The dynamic loader of each architecture on Amazon Linux 2023. */
const AL2023_INTERPRETER: Record<NativeArchitecture, string> = {
  x86_64: '/lib64/ld-linux-x86-64.so.2',
  arm64: '/lib/ld-linux-aarch64.so.1',
};

export interface NativeBuild {
  bootstrap: Uint8Array;
  architecture: NativeArchitecture;
  /** The newest `GLIBC_x.y` the binary needs; undefined when static. */
  glibc: string | undefined;
  linker: 'zig' | 'cc';
}

export async function buildNative(fn: FunctionConfig, config: ProjectConfig, logger: Logger, architecture: NativeArchitecture = fn.architecture ?? 'x86_64'): Promise<NativeBuild> {
  const crateDir = fn.source.path;
  const manifest = join(crateDir, 'Cargo.toml');
  if (!existsSync(manifest)) throw new EdgeError('E_CONFIG', `${crateDir} has no Cargo.toml`, { hint: 'point "crate" at the folder of the guest crate' });
  if (!/^\s*lambda-wasm-guest\s*=/m.test(readFileSync(manifest, 'utf8'))) {
    throw new EdgeError('E_CONFIG', `${fn.name}: ${manifest} does not depend on lambda-wasm-guest directly`, {
      hint: 'a native build turns on lambda-wasm-guest\'s "native-runtime" feature, which makes export_handler! define main: add lambda-wasm-guest to [dependencies]',
    });
  }
  const triple = RUST_TARGETS[architecture];
  const wasmToolchain = detectToolchain();
  const rust = findNativeRust(triple, wasmToolchain);
  const zig = ensureZigbuild(logger);
  const args = [
    'rustc',
    '--release',
    '--lib',
    '--crate-type',
    'bin',
    '--features',
    'lambda-wasm-guest/native-runtime',
    '--target',
    zig.exe === undefined ? triple : `${triple}.${AL2023_GLIBC}`,
    '--manifest-path',
    manifest,
    '--target-dir',
    join(config.root, 'target'),
    '--message-format',
    'json-render-diagnostics',
  ];
  // The same dependency versions as the Wasm build: both resolve from Debian's registry when that one does.
  const offline = wasmToolchain?.offlineRegistry;
  if (offline !== undefined) {
    args.push('--offline', '--config', 'source.crates-io.replace-with="lambda-wasm-offline"', '--config', `source.lambda-wasm-offline.directory="${offline}"`);
  }
  const cargoDir = join(rust.cargo, '..');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...NATIVE_PROFILE_ENV,
    ...fn.buildEnv,
    RUSTC: rust.rustc,
    CARGO: rust.cargo,
    PATH: [...zig.path, ...(rust.cargo.includes('/') ? [cargoDir] : []), process.env.PATH ?? ''].join(':'),
    ...crossLinker(architecture, zig.exe === undefined),
  };
  const cmd = zig.exe ?? rust.cargo;
  logger.debug(`${cmd} ${args.join(' ')}`);
  const { code, stdout, stderr } = await spawnCollect(cmd, args, env);
  if (code !== 0) {
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    const errors = lines.filter((l) => /^error/.test(l));
    throw new EdgeError('E_COMPILE', `cargo could not build ${crateDir} for ${triple}${errors[0] ? `: ${errors[0]}` : ''}`, {
      details: lines.slice(-40),
      hint: errors.some((l) => /undefined symbol/.test(l))
        ? `a symbol the code needs is not in glibc ${AL2023_GLIBC}, the newest Amazon Linux 2023 has`
        : 'fix the compiler errors above and build again',
    });
  }
  const path = findBinary(stdout);
  if (path === undefined) throw new EdgeError('E_COMPILE', `cargo built ${crateDir} but reported no binary`, { hint: 'please report this with `--verbose` output' });
  const bootstrap = readFileSync(path);
  const checked = checkNativeBinary(`${fn.name}: ${path}`, bootstrap, architecture);
  return { bootstrap, architecture, glibc: checked.glibc, linker: zig.exe === undefined ? 'cc' : 'zig' };
}

/**
 * Without zig, an arm64 binary built on another machine needs a cross linker: Debian's
 * `aarch64-linux-gnu-gcc` (it links against the cross glibc, so the ELF check still guards 2.34).
 */
function crossLinker(architecture: NativeArchitecture, withCc: boolean): Record<string, string> {
  if (!withCc || architecture !== 'arm64' || process.arch === 'arm64') return {};
  const key = 'CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER';
  const linker = process.env[key] ?? 'aarch64-linux-gnu-gcc';
  if (spawnSync(linker, ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new EdgeError('E_TOOLCHAIN_MISSING', `linking arm64 without zig needs a cross linker, and ${linker} was not found`, {
      hint: `install gcc-aarch64-linux-gnu and libc6-dev-arm64-cross (apt), set ${key}, or let zig link (unset LAMBDA_WASM_ZIGBUILD=none)`,
    });
  }
  return { [key]: linker };
}

function findBinary(stdout: string): string | undefined {
  let found: string | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line) as { reason?: string; target?: { crate_types?: string[] }; filenames?: string[] };
    if (msg.reason === 'compiler-artifact' && (msg.target?.crate_types ?? []).includes('bin')) found = msg.filenames?.[0] ?? found;
  }
  return found;
}

/**
 * Refuses an executable that would not start on `provided.al2023`: not a 64-bit little-endian
 * ELF, another architecture, a foreign dynamic loader, or a glibc symbol newer than 2.34 (the
 * message names the symbols). Returns the newest glibc version it needs (undefined when static).
 */
export function checkNativeBinary(what: string, bytes: Uint8Array, architecture: NativeArchitecture): { glibc: string | undefined; elf: ElfInfo } {
  let elf: ElfInfo;
  try {
    elf = readElf(bytes);
  } catch (error) {
    if (!(error instanceof ElfError)) throw error;
    throw new EdgeError('E_COMPILE', `${what} is ${error.message}`, { hint: 'a native function\'s bootstrap must be a Linux executable' });
  }
  if (elf.architecture !== architecture) {
    throw new EdgeError('E_COMPILE', `${what} is built for ${elf.architecture}, but the function is ${architecture}`, {
      hint: `build for ${RUST_TARGETS[architecture]}`,
    });
  }
  if (elf.interpreter !== undefined && elf.interpreter !== AL2023_INTERPRETER[architecture]) {
    throw new EdgeError('E_COMPILE', `${what} asks for the loader ${elf.interpreter}, which Amazon Linux 2023 does not have (it has ${AL2023_INTERPRETER[architecture]})`, {
      hint: 'link against glibc (the -gnu targets) or statically',
    });
  }
  const floor = `GLIBC_${AL2023_GLIBC}`;
  const tooNew = elf.glibc.filter((g) => compareGlibc(g.version, floor) > 0);
  if (tooNew.length > 0) {
    const named = tooNew.map((g) => `${g.symbols.length > 0 ? g.symbols.join(', ') : '(a version need)'} from ${g.version}`).join('; ');
    throw new EdgeError('E_COMPILE', `${what} needs a newer glibc than Amazon Linux 2023's ${AL2023_GLIBC}: ${named}`, {
      hint: 'it would fail to start on provided.al2023 ("version `GLIBC_…\' not found"): build with zig as the linker (the default; do not set LAMBDA_WASM_ZIGBUILD=none), or avoid the symbol',
    });
  }
  const newest = elf.glibc.filter((g) => /^GLIBC_\d/.test(g.version)).at(-1)?.version;
  return { glibc: newest?.replace(/^GLIBC_/, ''), elf };
}
