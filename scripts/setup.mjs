// Makes a fresh clone ready: system packages (a wasm32 Rust toolchain when none is found, wabt,
// binaryen), npm packages, then the compiled library. Runs before node_modules exists, so it uses
// Node built-ins only. Idempotent and quick when everything is already there.
//   node scripts/setup.mjs          what `npm start` needs
//   node scripts/setup.mjs --test   plus what the tests need
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const forTests = process.argv.includes('--test');
const log = (m) => process.stderr.write(`[setup] ${m}\n`);

function has(cmd, args = ['--version']) {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** True when the command exists, whatever its exit status (wrk --version exits 1). */
function onPath(cmd) {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error === undefined;
}

function wasmToolchainFound() {
  // rustup with the target, or any rustc whose sysroot has the wasm32 standard library.
  const targets = spawnSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' });
  if (targets.status === 0 && targets.stdout.split('\n').includes('wasm32-unknown-unknown')) return true;
  for (const rustc of ['/usr/bin/rustc', '/usr/local/bin/rustc']) {
    const sysroot = spawnSync(rustc, ['--print', 'sysroot'], { encoding: 'utf8' });
    if (sysroot.status === 0 && existsSync(join(sysroot.stdout.trim(), 'lib/rustlib/wasm32-unknown-unknown/lib'))) {
      return existsSync(join(dirname(rustc), 'cargo'));
    }
  }
  return false;
}

const aptWanted = [];
if (!wasmToolchainFound()) {
  log('no Rust toolchain for wasm32-unknown-unknown: installing Debian\'s rustc, cargo and the wasm32 standard library');
  aptWanted.push('rustc', 'cargo', 'libstd-rust-dev-wasm32', 'lld-14', 'librust-serde-dev', 'librust-serde-json-dev', 'librust-serde-derive-dev');
} else if (existsSync('/usr/bin/rustc') && !existsSync('/usr/bin/rust-lld')) {
  // Debian's rustc links wasm32 with rust-lld, a symlink to lld-14 that is only "recommended":
  // without it every build fails with "linker `rust-lld` not found".
  aptWanted.push('lld-14');
}
// The examples' and the guest crate's optional dependencies, from Debian's offline registry:
// signed-url's hmac and sha2, the crate's `log` and `getrandom` features.
if (aptWanted.includes('cargo') || existsSync('/usr/share/cargo/registry')) {
  const registry = existsSync('/usr/share/cargo/registry') ? readdirSync('/usr/share/cargo/registry') : [];
  for (const [crate, pkg] of [['hmac-', 'librust-hmac-dev'], ['sha2-', 'librust-sha2-dev'], ['log-', 'librust-log-dev'], ['getrandom-', 'librust-getrandom-dev']]) {
    if (!registry.some((d) => d.startsWith(crate))) aptWanted.push(pkg);
  }
}
if (!has('wasm-opt')) aptWanted.push('binaryen');
if (forTests && !has('wat2wasm')) aptWanted.push('wabt');
// bench's wasm-bindgen baseline (bench-guests/, built by the bench test) uses Debian's wasm-bindgen crate.
// On a fresh machine Debian's registry appears only with the toolchain installed just above, so
// the check must count that install too.
const debianRegistry = aptWanted.includes('rustc') || existsSync('/usr/share/cargo/registry');
if (forTests && debianRegistry && !existsSync('/usr/share/cargo/registry/wasm-bindgen-0.2.83')) {
  aptWanted.push('librust-wasm-bindgen-dev', 'librust-wasm-bindgen+serde-serialize-dev');
}
// bench's B6 (run by the tests) drives the local CloudFront with wrk; the API tests use curl.
if (forTests && !onPath('wrk')) aptWanted.push('wrk');
if (forTests && !has('curl')) aptWanted.push('curl');
// The inspector page's browser tests drive Debian's Chromium with playwright-core (no browser download).
if (forTests && !existsSync('/usr/bin/chromium') && process.env.CHROMIUM_PATH === undefined) aptWanted.push('chromium');
// aws-lambda-ric (AWS's runtime interface client, installed below for the tests only) compiles
// native code on install.
if (forTests && !(has('autoreconf') && has('cmake') && has('make') && has('g++') && has('libtoolize', ['--version']))) {
  aptWanted.push('autoconf', 'automake', 'libtool', 'cmake', 'make', 'g++');
}
// arm64 (Graviton) native functions: the aarch64 standard library for Debian's rustc (a multiarch
// package), a cross gcc and glibc, and qemu-user to run the bootstrap here. Only for the tests or
// when the project's config has an arm64 function, so `npm start` stays lean.
const foreignArchitectures = [];
if (forTests || configWantsArm64()) {
  const arm64Wanted = [];
  if (!arm64StdFound()) arm64Wanted.push('libstd-rust-dev:arm64', 'gcc-aarch64-linux-gnu', 'libc6-dev-arm64-cross');
  if (!has('qemu-aarch64')) arm64Wanted.push('qemu-user');
  if (!existsSync('/usr/aarch64-linux-gnu/lib') && !arm64Wanted.includes('libc6-dev-arm64-cross')) arm64Wanted.push('libc6-dev-arm64-cross');
  if (arm64Wanted.some((p) => p.endsWith(':arm64'))) foreignArchitectures.push('arm64');
  if (arm64Wanted.length > 0) log(`arm64 native builds: installing ${arm64Wanted.join(' ')}`);
  aptWanted.push(...arm64Wanted);
}

function configWantsArm64() {
  try {
    const config = JSON.parse(readFileSync(join(root, 'lambda-wasm.config.json'), 'utf8'));
    return Object.values(config.functions ?? {}).some((f) => f?.architecture === 'arm64');
  } catch {
    return false;
  }
}

function arm64StdFound() {
  const targets = spawnSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' });
  if (targets.status === 0 && targets.stdout.split('\n').includes('aarch64-unknown-linux-gnu')) return true;
  return existsSync('/usr/lib/rustlib/aarch64-unknown-linux-gnu/lib') && has('aarch64-linux-gnu-gcc');
}

if (aptWanted.length > 0) aptInstall(aptWanted);

function aptInstall(packages) {
  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? [] : has('sudo', ['-n', 'true']) ? ['sudo', '-n'] : undefined;
  if (sudo === undefined) {
    log(`missing system packages: ${packages.join(' ')}`);
    log(`install them with: sudo apt-get install ${packages.join(' ')}   (or, with rustup: rustup target add wasm32-unknown-unknown)`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const run = (args) => execFileSync(sudo[0] ?? args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), { stdio: 'inherit', env });
  log(`apt-get install ${packages.join(' ')} (first time only; usually 1–3 minutes)`);
  try {
    for (const arch of foreignArchitectures) run(['dpkg', '--add-architecture', arch]);
    run(['apt-get', 'update', '-qq']);
    run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages]);
  } catch {
    log('apt-get failed; install the packages above by hand and run again');
    process.exit(1);
  }
}

// npm packages: install when node_modules is missing or older than the lock file.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  log('installing npm packages (npm ci; about a minute the first time, faster from npm\'s cache)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

// AWS's runtime interface client, which the tests run every example under. Not a dev dependency:
// it compiles native code on install (autoconf, cmake, g++), and `npm start` must work on a machine
// without them. --no-save keeps package.json and the lock file as they are; `npm ci` removes it
// again, so it is checked on every test run. A failure stops here: the ric tests must not be skipped.
const RIC = 'aws-lambda-ric@3.3.0';
if (forTests && !existsSync(join(root, 'node_modules', 'aws-lambda-ric', 'bin', 'index.mjs'))) {
  log(`installing ${RIC} for the tests (compiles native code: 1–3 minutes the first time)`);
  const started = Date.now();
  const r = spawnSync('npm', ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', RIC], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    log(`npm install ${RIC} failed; it needs autoconf, automake, libtool, cmake, make and g++`);
    process.exit(1);
  }
  log(`${RIC} installed in ${Math.round((Date.now() - started) / 1000)} s`);
}

// The compiled library and the bundled adapter; rebuilt every time (a few seconds) so lib/ never lags src/.
log('compiling TypeScript and bundling the runtime adapter');
execFileSync(process.execPath, [join(root, 'scripts', 'compile.mjs')], { cwd: root, stdio: 'inherit' });

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
log(`ready (lambda-wasm ${pkg.version}, node ${process.version})`);
