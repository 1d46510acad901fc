// build --target native: the zip holds one executable `bootstrap` (0755) that Amazon Linux 2023
// can start — x86_64, its dynamic loader, no glibc symbol newer than 2.34 — for every native
// function of the repo's config; and build refuses a binary that needs a newer glibc, naming
// the symbol. `npm test` builds dist/ (pi-native included) before this runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { build } from '../../src/build/build.js';
import { checkNativeBinary } from '../../src/build/native.js';
import { compareGlibc, readElf } from '../../src/build/native-elf.js';
import { readZip } from '../../src/build/zip.js';
import { loadConfig } from '../../src/config/load.js';
import { isEdgeError } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';
import { buildAll, hostGlibc, nativeProject, zipModes } from './_native.js';

const config = loadConfig({ cwd: repoRoot });
const natives = config.functions.filter((f) => f.target === 'native');
const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((c) => c()));

describe('the native zips build produces', () => {
  test('the repo has native functions to check', () => {
    assert.ok(natives.some((f) => f.name === 'pi-native'));
  });

  for (const fn of natives) {
    test(`${fn.name}: one bootstrap, mode 0755, x86_64 with AL2023's loader, glibc ≤ 2.34`, () => {
      const zip = readFileSync(join(config.outDir, `${fn.name}.zip`));
      assert.deepEqual([...zipModes(zip)], [['bootstrap', 0o100755]]);
      const bootstrap = readZip(zip).get('bootstrap')!;
      const elf = readElf(bootstrap);
      assert.equal(elf.architecture, 'x86_64');
      assert.ok(elf.interpreter === undefined || elf.interpreter === '/lib64/ld-linux-x86-64.so.2', elf.interpreter);
      for (const g of elf.glibc) assert.ok(compareGlibc(g.version, 'GLIBC_2.34') <= 0, `${g.version}: ${g.symbols.join(', ')}`);
      assert.ok(zip.length <= 50 * 1024 * 1024);
      // binutils, where installed, reads the same version needs.
      const readelf = spawnSync('readelf', ['-V', '-W', join(config.outDir, fn.name, 'bootstrap')], { encoding: 'utf8' });
      if (readelf.status === 0) {
        const theirs = [...new Set(readelf.stdout.match(/GLIBC_[0-9.]+/g) ?? [])].sort(compareGlibc);
        assert.deepEqual(elf.glibc.map((g) => g.version), theirs);
      }
      assert.doesNotThrow(() => checkNativeBinary(fn.name, bootstrap, 'x86_64'));
    });
  }

  test('building pi-native again gives the same zip bytes', { timeout: 600_000 }, async () => {
    const again = nativeProject({ 'pi-native': { crate: 'examples/pi', eventType: 'lambda', target: 'native' } });
    cleanups.push(again.remove);
    const [built] = await buildAll(again.config);
    assert.deepEqual(readFileSync(built!.zipPath), readFileSync(join(config.outDir, 'pi-native.zip')));
    assert.equal(built!.native?.architecture, 'x86_64');
    assert.equal(built!.native?.linker, 'zig');
  });
});

describe('what build refuses', () => {
  test('native is for plain Lambda only: an edge trigger says why, in the config and with --target', async () => {
    const edge = () => nativeProject({ r: { crate: 'examples/redirect', eventType: 'viewer-request', target: 'native' } });
    assert.throws(edge, /functions\.r\.target: "native" is for eventType "lambda" only: Lambda@Edge runs only Node\.js and Python/);
    await assert.rejects(build({ config, functions: ['redirect'], target: 'native' }), /cannot be built --target native: Lambda@Edge runs only Node\.js and Python/);
    assert.throws(() => nativeProject({ p: { wasm: 'x.wasm', eventType: 'lambda', target: 'native' } }), /"native" compiles a Rust crate/);
    assert.throws(() => nativeProject({ p: { crate: 'examples/pi', eventType: 'lambda', target: 'arm' } }), /target: must be "wasm" or "native"/);
  });

  test('a binary that is not x86_64 ELF for AL2023', () => {
    const real = readZip(readFileSync(join(config.outDir, 'pi-native.zip'))).get('bootstrap')!;
    assert.throws(() => checkNativeBinary('x', new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'x86_64'), /not an ELF executable/);
    const arm = Uint8Array.from(real);
    arm[18] = 183; // e_machine = EM_AARCH64
    assert.throws(() => checkNativeBinary('x', arm, 'x86_64'), /built for arm64, but the function is x86_64/);
    const elf32 = Uint8Array.from(real);
    elf32[4] = 1;
    assert.throws(() => checkNativeBinary('x', elf32, 'x86_64'), /32-bit/);
  });

  // arc4random arrived in glibc 2.36: linked by this machine's cc it needs GLIBC_2.36, which
  // Amazon Linux 2023 (2.34) lacks; linked by zig against 2.34 it does not link at all.
  const [major, minor] = hostGlibc();
  const newGlibc = major > 2 || (major === 2 && minor >= 36);
  test('a binary that needs a glibc symbol newer than 2.34 is refused, naming the symbol', { timeout: 900_000, skip: newGlibc ? false : `this machine has glibc ${major}.${minor}; the test needs ≥ 2.36` }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-glibc-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(join(dir, 'src'));
    writeFileSync(
      join(dir, 'Cargo.toml'),
      `[package]\nname = "needs-new-glibc"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nlambda-wasm-guest = { path = "${join(repoRoot, 'crates', 'lambda-wasm-guest')}" }\nserde_json = "1"\n`,
    );
    writeFileSync(
      join(dir, 'src', 'lib.rs'),
      'extern "C" {\n    fn arc4random() -> u32;\n}\n\nfn handler(_: serde_json::Value, _: &lambda_wasm_guest::Context) -> Result<u32, lambda_wasm_guest::Error> {\n    Ok(unsafe { arc4random() })\n}\n\nlambda_wasm_guest::export_handler!(handler);\n',
    );
    const project = nativeProject({ newer: { crate: dir, eventType: 'lambda', target: 'native' } });
    cleanups.push(project.remove);
    process.env.LAMBDA_WASM_ZIGBUILD = 'none';
    try {
      await assert.rejects(build({ config: project.config }), (error: unknown) => {
        assert.ok(isEdgeError(error) && error.code === 'E_COMPILE', String(error));
        assert.match(error.message, /needs a newer glibc than Amazon Linux 2023's 2\.34: arc4random from GLIBC_2\.36/);
        return true;
      });
    } finally {
      delete process.env.LAMBDA_WASM_ZIGBUILD;
    }
    await assert.rejects(build({ config: project.config }), (error: unknown) => {
      assert.ok(isEdgeError(error) && error.code === 'E_COMPILE', String(error));
      assert.match(`${error.message}\n${(error.details ?? []).join('\n')}`, /arc4random/);
      return true;
    });
  });
});
