#!/usr/bin/env node
/**
 * Builds the bench's wasm-bindgen baseline (issue 5): the usual wasm-bindgen kind of guest, a Rust crate using
 * wasm-bindgen with serde conversion of `JsValue`, in `bench-guests/bindgen-passthrough/`.
 *
 *   1. builds the crate for wasm32 with Debian's rustc/cargo 1.63 and Debian's offline crate
 *      registry (librust-wasm-bindgen-dev + librust-wasm-bindgen+serde-serialize-dev), release;
 *   2. makes sure `wasm-bindgen-cli` of exactly the crate's wasm-bindgen version is in
 *      `.cache/wasm-bindgen-cli/bin` (built from crates.io with rustup's cargo when missing);
 *   3. runs `wasm-bindgen --target nodejs` into `.cache/bindgen-passthrough/pkg`;
 *   4. writes `.cache/bindgen-passthrough/index.mjs`, an ESM `handler(event, context)` over the
 *      CommonJS package.
 *
 * Node built-ins only. Idempotent: a second run is a no-op cargo build and nothing else.
 * On failure it exits 1 and its last stderr line starts with `build-bindgen-baseline: ` and says
 * which step failed and why (src/bench/bindgen.ts shows that line as the reason).
 *
 * Why a rustc wrapper for the CLI: rustc ≥ 1.84 refuses to compile any crate *named*
 * `wasm_bindgen` whose Cargo version is below 0.2.88 ("older versions of the `wasm-bindgen` crate
 * are incompatible with current versions of Rust"; rustc_metadata `report_future_incompatible_deps`
 * reads CARGO_PKG_VERSION_{MAJOR,MINOR,PATCH}). The check is meant for the wasm32 *library* (the
 * wasm C ABI changed), but it also hits the CLI's native *binary* target, which is named
 * `wasm-bindgen` too. The wrapper hides the split version variables from that one native
 * compilation only (rustc then takes it as "not built by Cargo" and skips the check);
 * CARGO_PKG_VERSION itself stays, so `wasm-bindgen --version` still prints the real version.
 * Our guest is compiled by rustc 1.63, which predates both the check and the ABI change.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const CRATE = join(ROOT, 'bench-guests', 'bindgen-passthrough');
const TARGET_DIR = join(ROOT, 'target', 'bindgen');
const CLI_ROOT = join(ROOT, '.cache', 'wasm-bindgen-cli');
const CLI = join(CLI_ROOT, 'bin', 'wasm-bindgen');
const OUT = join(ROOT, '.cache', 'bindgen-passthrough');
const PKG = join(OUT, 'pkg');
const REGISTRY = '/usr/share/cargo/registry';
const WASM_TARGET = 'wasm32-unknown-unknown';
const DEBIAN_CARGO = process.env.LAMBDA_WASM_CARGO ?? '/usr/bin/cargo';
const DEBIAN_RUSTC = process.env.LAMBDA_WASM_RUSTC ?? '/usr/bin/rustc';
const quiet = process.argv.includes('--quiet');

class StepError extends Error {
  constructor(step, why, details = []) {
    super(`${step} failed: ${why}`);
    this.details = details;
  }
}

function log(line) {
  if (!quiet) process.stderr.write(`${line}\n`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  return { code: result.error ? -1 : (result.status ?? 1), stdout: result.stdout ?? '', stderr: result.stderr ?? '', error: result.error };
}

/**
 * Like `run`, but passes the command's stderr on line by line as it comes (cargo's `Compiling …`
 * lines are the progress of a step that takes minutes), unless `--quiet`.
 */
function runStreaming(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') log(`  ${line.trim()}`);
    });
    child.on('error', (error) => resolve({ code: -1, stdout, stderr, error }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr, error: undefined }));
  });
}

function lastLines(text, n) {
  return text.split('\n').filter((l) => l.trim() !== '').slice(-n);
}

function firstError(text) {
  return text.split('\n').find((l) => /^error/.test(l.trim()))?.trim();
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

// ---- step 1: the guest crate, with Debian's toolchain ----------------------------------------

async function buildCrate() {
  const step = `cargo build of ${CRATE} (Debian ${DEBIAN_RUSTC}, ${WASM_TARGET}, release)`;
  if (!existsSync(DEBIAN_CARGO) || !existsSync(DEBIAN_RUSTC)) {
    throw new StepError(step, `${DEBIAN_CARGO} or ${DEBIAN_RUSTC} is missing; install them: apt-get install rustc cargo libstd-rust-dev-wasm32 lld-14`);
  }
  const bindgenCrates = existsSync(REGISTRY) ? readdirSync(REGISTRY).filter((d) => /^wasm-bindgen-\d/.test(d)) : [];
  if (bindgenCrates.length === 0) {
    throw new StepError(step, `Debian's offline registry ${REGISTRY} has no wasm-bindgen crate; install it: apt-get install librust-wasm-bindgen-dev librust-wasm-bindgen+serde-serialize-dev librust-serde-dev librust-serde-json-dev`);
  }
  const args = [
    'build', '--release', '--target', WASM_TARGET,
    '--manifest-path', join(CRATE, 'Cargo.toml'),
    '--target-dir', TARGET_DIR,
    '--message-format', 'json-render-diagnostics',
    '--offline',
    '--config', 'source.crates-io.replace-with="lambda-wasm-offline"',
    '--config', `source.lambda-wasm-offline.directory="${REGISTRY}"`,
  ];
  log(`build-bindgen-baseline: ${DEBIAN_CARGO} ${args.join(' ')}`);
  const r = await runStreaming(DEBIAN_CARGO, args, { env: { ...process.env, RUSTC: DEBIAN_RUSTC } });
  if (r.code !== 0) {
    throw new StepError(step, r.error ? `could not run ${DEBIAN_CARGO}: ${r.error.message}` : (firstError(r.stderr) ?? `cargo exited with ${r.code}`), lastLines(r.stderr, 30));
  }
  let wasm;
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason === 'compiler-artifact' && (msg.target?.crate_types ?? []).includes('cdylib')) {
      wasm = (msg.filenames ?? []).find((f) => f.endsWith('.wasm')) ?? wasm;
    }
  }
  if (wasm === undefined) throw new StepError(step, 'cargo succeeded but reported no .wasm artifact');
  return wasm;
}

/** The wasm-bindgen version cargo resolved for the crate (the CLI must be exactly this). */
function bindgenVersion() {
  const lock = join(CRATE, 'Cargo.lock');
  const text = existsSync(lock) ? readFileSync(lock, 'utf8') : '';
  const m = /\[\[package\]\]\s*name = "wasm-bindgen"\s*version = "([^"]+)"/.exec(text);
  if (!m) throw new StepError('reading the wasm-bindgen version', `${lock} has no wasm-bindgen package entry`);
  return m[1];
}

// ---- step 2: wasm-bindgen-cli of the same version ----------------------------------------------

function cliVersion() {
  if (!existsSync(CLI)) return undefined;
  const r = run(CLI, ['--version']);
  return r.code === 0 ? r.stdout.trim().split(/\s+/)[1] : undefined;
}

function rustupCargo() {
  if (process.env.LAMBDA_WASM_CLI_CARGO) return process.env.LAMBDA_WASM_CLI_CARGO;
  const r = run('rustup', ['which', 'cargo']);
  if (r.code === 0 && r.stdout.trim() !== '') return r.stdout.trim();
  const home = join(homedir(), '.cargo', 'bin', 'cargo');
  return existsSync(home) ? home : 'cargo';
}

function writeRustcWrapper() {
  mkdirSync(CLI_ROOT, { recursive: true });
  const wrapper = join(CLI_ROOT, 'rustc-wrapper.mjs');
  writeFileSync(
    wrapper,
    `#!${process.execPath}
// Written by scripts/build-bindgen-baseline.mjs: see the comment there. Skips rustc's
// "older wasm-bindgen" check for the native crate named wasm_bindgen (the CLI binary) only.
import { spawnSync } from 'node:child_process';
const [rustc, ...args] = process.argv.slice(2);
const env = { ...process.env };
const at = args.indexOf('--crate-name');
const wasm32 = args.some((a) => a === '${WASM_TARGET}' || a === '--target=${WASM_TARGET}');
if (at >= 0 && args[at + 1] === 'wasm_bindgen' && !wasm32) {
  delete env.CARGO_PKG_VERSION_MAJOR;
  delete env.CARGO_PKG_VERSION_MINOR;
  delete env.CARGO_PKG_VERSION_PATCH;
}
const r = spawnSync(rustc, args, { stdio: 'inherit', env });
if (r.error) { console.error(String(r.error)); process.exit(1); }
process.exit(r.status ?? 1);
`,
  );
  chmodSync(wrapper, 0o755);
  return wrapper;
}

async function ensureCli(version) {
  const have = cliVersion();
  if (have === version) return;
  const step = `building wasm-bindgen-cli ${version} into ${CLI_ROOT}`;
  const cargo = rustupCargo();
  const wrapper = writeRustcWrapper();
  log(`build-bindgen-baseline: ${have ? `found wasm-bindgen ${have}, need ${version}; ` : ''}${step} with ${cargo} (once; about 7 minutes on 2 cores — cargo's progress follows)`);
  const attempts = [];
  for (const locked of [true, false]) {
    const args = ['install', 'wasm-bindgen-cli', '--version', `=${version}`, '--root', CLI_ROOT, '--force'];
    if (locked) args.push('--locked');
    const env = { ...process.env, RUSTC_WRAPPER: wrapper };
    delete env.RUSTC; // the native build uses rustup's rustc, not Debian's
    delete env.CARGO_TARGET_DIR;
    const started = Date.now();
    const r = await runStreaming(cargo, args, { env });
    log(`build-bindgen-baseline: cargo install ${locked ? '--locked ' : ''}took ${Math.round((Date.now() - started) / 1000)} s`);
    if (r.code === 0 && cliVersion() === version) return;
    const why = r.error ? `could not run ${cargo}: ${r.error.message}` : (firstError(r.stderr) ?? `cargo install exited with ${r.code}`);
    attempts.push({ locked, why, tail: lastLines(r.stderr, 25) });
    log(`build-bindgen-baseline: cargo install ${locked ? 'with' : 'without'} --locked failed: ${why}`);
  }
  throw new StepError(
    step,
    attempts.map((a) => `${a.locked ? 'with' : 'without'} --locked: ${a.why}`).join('; '),
    attempts.flatMap((a) => [`--- cargo install ${a.locked ? '--locked' : '(unlocked)'} ---`, ...a.tail]),
  );
}

// ---- step 3 and 4: the nodejs package and the ESM wrapper -------------------------------------

function runBindgen(wasm, version) {
  const out = join(PKG, 'bindgen_passthrough_bg.wasm');
  const stamp = join(PKG, '.built-from');
  const fresh = existsSync(out) && existsSync(join(PKG, 'bindgen_passthrough.js')) && mtime(out) >= mtime(wasm)
    && existsSync(stamp) && readFileSync(stamp, 'utf8') === `${wasm}\n${version}\n`;
  if (!fresh) {
    const step = `wasm-bindgen ${version} --target nodejs on ${wasm}`;
    mkdirSync(PKG, { recursive: true });
    const r = run(CLI, ['--target', 'nodejs', '--out-dir', PKG, wasm]);
    if (r.code !== 0) {
      throw new StepError(step, r.error ? `could not run ${CLI}: ${r.error.message}` : (lastLines(r.stderr, 1)[0] ?? `exited with ${r.code}`), lastLines(r.stderr, 30));
    }
    writeFileSync(stamp, `${wasm}\n${version}\n`);
  }
  // wasm-bindgen writes CommonJS but no package.json; the repo's package.json says "type": "module".
  // Written in wasm-pack's shape, so the folder also works as a `"wasmPack"` source.
  const manifest = `${JSON.stringify({ name: 'bindgen-passthrough', version: '0.1.0', type: 'commonjs', main: 'bindgen_passthrough.js', files: ['bindgen_passthrough.js', 'bindgen_passthrough_bg.wasm'] }, null, 2)}\n`;
  writeIfChanged(join(PKG, 'package.json'), manifest);
}

function writeWrapper() {
  writeIfChanged(
    join(OUT, 'index.mjs'),
    `// Written by scripts/build-bindgen-baseline.mjs: the wasm-bindgen baseline's handler as ESM.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('./pkg/bindgen_passthrough.js');

export const handler = async (event, context) => pkg.handler(event, context);
`,
  );
}

function writeIfChanged(path, text) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text);
}

try {
  const wasm = await buildCrate();
  const version = bindgenVersion();
  await ensureCli(version);
  runBindgen(wasm, version);
  writeWrapper();
  log(`build-bindgen-baseline: ok: ${join(OUT, 'index.mjs')} (wasm-bindgen ${version})`);
} catch (error) {
  if (error instanceof StepError) {
    for (const line of error.details) process.stderr.write(`  ${line}\n`);
    process.stderr.write(`build-bindgen-baseline: ${error.message}\n`);
  } else {
    process.stderr.write(`build-bindgen-baseline: unexpected failure: ${error?.stack ?? error}\n`);
  }
  process.exit(1);
}
