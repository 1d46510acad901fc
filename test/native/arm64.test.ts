// "architecture": "arm64": the pi example built for Graviton (aarch64-unknown-linux-gnu, with
// Debian's multiarch standard library or rustup's, linked by zig against glibc 2.34) is an aarch64
// executable with AL2023's loader, runs here under qemu-aarch64 behind the local Runtime API and
// answers exactly as the x86_64 pi-native does; deploy plans it as arm64. The toolchain comes
// from `node scripts/setup.mjs --test`; under CI=true a missing piece fails instead of skipping.
// The function lives in a temporary project (not the repo's config) so `npm test` builds it once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkNativeBinary } from '../../src/build/native.js';
import { compareGlibc, readElf } from '../../src/build/native-elf.js';
import { readZip } from '../../src/build/zip.js';
import { loadConfig, type ProjectConfig } from '../../src/config/load.js';
import { cloudFormationTemplate } from '../../src/deploy/cloudformation.js';
import { planDeployment } from '../../src/deploy/plan.js';
import { buildFunctionUrlEvent } from '../../src/events/index.js';
import { invoke } from '../../src/invoke/invoke.js';
import { repoRoot } from '../helpers/paths.js';
import { buildAll, nativeProject, zipModes } from './_native.js';

const repo = loadConfig({ cwd: repoRoot });
const rustcSysroot = spawnSync('/usr/bin/rustc', ['--print', 'sysroot'], { encoding: 'utf8' }).stdout?.trim() ?? '';
const rustupTargets = spawnSync('rustup', ['target', 'list', '--installed'], { encoding: 'utf8' }).stdout ?? '';
const missing = [
  ...(existsSync(join(rustcSysroot, 'lib/rustlib/aarch64-unknown-linux-gnu/lib')) || rustupTargets.split('\n').includes('aarch64-unknown-linux-gnu') ? [] : ['the aarch64-unknown-linux-gnu standard library (libstd-rust-dev:arm64)']),
  ...(process.arch === 'arm64' || spawnSync('qemu-aarch64', ['--version'], { stdio: 'ignore' }).status === 0 ? [] : ['qemu-aarch64 (qemu-user)']),
  ...(process.arch === 'arm64' || existsSync('/usr/aarch64-linux-gnu/lib') ? [] : ['/usr/aarch64-linux-gnu (libc6-dev-arm64-cross)']),
];
// On a developer's machine without the packages the tests say why they skip; in CI they fail.
const skip = missing.length > 0 && process.env.CI !== 'true' ? `missing ${missing.join(', ')}: run \`node scripts/setup.mjs --test\`` : false;

let project: { config: ProjectConfig; remove: () => void } | undefined;
let zip: Uint8Array;

before(async () => {
  if (skip !== false) return;
  project = nativeProject({ 'pi-native-arm64': { crate: 'examples/pi', eventType: 'lambda', target: 'native', architecture: 'arm64', timeout: 60, memorySize: 256 } });
  const [built] = await buildAll(project.config);
  assert.equal(built!.native?.architecture, 'arm64');
  zip = readFileSync(built!.zipPath);
}, { timeout: 900_000 });
after(() => project?.remove());

test('the arm64 toolchain is installed (setup --test installs it)', { skip }, () => {
  assert.deepEqual(missing, [], `missing ${missing.join(', ')}: run \`node scripts/setup.mjs --test\``);
});

describe('pi-native-arm64: built for Graviton', { skip }, () => {
  test('one bootstrap, mode 0755, aarch64 with AL2023\'s loader, glibc ≤ 2.34', () => {
    assert.deepEqual([...zipModes(zip)], [['bootstrap', 0o100755]]);
    const bootstrap = readZip(zip).get('bootstrap')!;
    const elf = readElf(bootstrap);
    assert.equal(elf.architecture, 'arm64');
    assert.ok(elf.interpreter === undefined || elf.interpreter === '/lib/ld-linux-aarch64.so.1', elf.interpreter);
    assert.ok(elf.glibc.length > 0);
    for (const g of elf.glibc) assert.ok(compareGlibc(g.version, 'GLIBC_2.34') <= 0, `${g.version}: ${g.symbols.join(', ')}`);
    assert.doesNotThrow(() => checkNativeBinary('pi-native-arm64', bootstrap, 'arm64'));
    assert.throws(() => checkNativeBinary('pi-native-arm64', bootstrap, 'x86_64'), /built for arm64, but the function is x86_64/);
    const x86 = readZip(readFileSync(join(repo.outDir, 'pi-native.zip'))).get('bootstrap')!;
    assert.throws(() => checkNativeBinary('pi-native', x86, 'arm64'), /built for x86_64, but the function is arm64/);
  });

  const events: Array<[string, unknown]> = [
    ['the fixture', JSON.parse(readFileSync(join(repoRoot, 'fixtures', 'events', 'pi.json'), 'utf8'))],
    ['a Function URL event', buildFunctionUrlEvent({ uri: '/', querystring: 'digits=50' })],
    ['negative digits (an error)', { digits: -1 }],
  ];
  for (const [what, event] of events) {
    test(`under qemu-aarch64 it answers as the x86_64 pi-native does: ${what}`, { timeout: 120_000 }, async () => {
      const arm = await invoke({ config: project!.config, function: 'pi-native-arm64', event });
      const x86 = await invoke({ config: repo, function: 'pi-native', event });
      assert.equal(arm.record.ok, x86.record.ok, JSON.stringify(arm.record.error));
      assert.deepEqual(arm.record.result, x86.record.result);
      const shape = (e: { errorType: string; errorMessage: string } | undefined) => e && { errorType: e.errorType, errorMessage: e.errorMessage };
      assert.deepEqual(shape(arm.record.error), shape(x86.record.error));
      if (arm.record.ok) assert.match(JSON.stringify(arm.record.result), /31415926535/);
    });
  }

  test('without the emulator\'s sysroot, invoke says what to install', { timeout: 60_000, skip: process.arch === 'arm64' ? 'this machine runs arm64 natively' : false }, async () => {
    process.env.QEMU_LD_PREFIX = '/nonexistent-aarch64-sysroot';
    try {
      const r = await invoke({ config: project!.config, function: 'pi-native-arm64', event: { digits: 5 } });
      assert.equal(r.record.ok, false);
      assert.equal(r.record.error?.errorType, 'Runtime.InvalidEntrypoint');
      assert.match(r.record.error?.errorMessage ?? '', /is an arm64 executable and this machine is x64: running it needs qemu-aarch64 and \/usr\/aarch64-linux-gnu \(apt-get install qemu-user/);
    } finally {
      delete process.env.QEMU_LD_PREFIX;
    }
  });

  test('deploy plans it as arm64, read from the zip', () => {
    const plan = planDeployment({ config: project!.config });
    const fn = plan.functions.find((f) => f.name === 'pi-native-arm64')!;
    assert.equal(fn.runtime, 'provided.al2023');
    assert.equal(fn.architecture, 'arm64');
    const template = JSON.stringify(cloudFormationTemplate(plan));
    assert.match(template, /"Architectures":\["arm64"\]/);
  });
});

test('"architecture" belongs to native functions', () => {
  assert.throws(() => nativeProject({ p: { crate: 'examples/pi', eventType: 'lambda', architecture: 'arm64' } }), /"architecture" chooses the CPU of a native bootstrap: set "target": "native"/);
  assert.throws(() => nativeProject({ p: { crate: 'examples/pi', eventType: 'lambda', target: 'native', architecture: 'aarch64' } }), /architecture: must be one of x86_64, arm64/);
});
