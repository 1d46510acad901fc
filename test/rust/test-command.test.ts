// `lambda-wasm test`: each guest crate's cargo test, natively, with build's toolchain, registry
// and buildEnv; a Cargo.lock written against the other registry does not break it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, test } from 'node:test';
import { testFunctions } from '../../src/build/cargo-test.js';
import { loadConfig } from '../../src/config/load.js';
import type { Logger } from '../../src/logger.js';
import { repoRoot } from '../helpers/paths.js';

const run = promisify(execFile);

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} } as unknown as Logger & { warnings: string[] };
}

describe('lambda-wasm test', () => {
  test('runs the crates of the named functions and counts their tests', { timeout: 900_000 }, async () => {
    const config = loadConfig({ cwd: repoRoot });
    const { results } = await testFunctions({ config, functions: ['passthrough', 'basic-auth'] });
    assert.deepEqual(results.map((r) => r.name), ['passthrough', 'basic-auth']);
    for (const r of results) {
      assert.ok(r.ok, r.output);
      assert.ok(r.passed > 0 && r.failed === 0, `${r.name}: ${r.passed} passed, ${r.failed} failed`);
    }
  });

  test('a Cargo.lock from the other registry is moved aside and the tests still run', { timeout: 900_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-test-lock-'));
    try {
      cpSync(join(repoRoot, 'examples', 'passthrough', 'src'), join(dir, 'examples', 'guest', 'src'), { recursive: true });
      const manifest = readFileSync(join(repoRoot, 'examples', 'passthrough', 'Cargo.toml'), 'utf8').replace(
        'path = "../../crates/lambda-wasm-guest"',
        `path = ${JSON.stringify(join(repoRoot, 'crates', 'lambda-wasm-guest'))}`,
      );
      writeFileSync(join(dir, 'examples', 'guest', 'Cargo.toml'), manifest);
      // The fixture the test reads, at the path it expects (../../../fixtures from src/).
      cpSync(join(repoRoot, 'fixtures'), join(dir, 'fixtures'), { recursive: true });
      writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify({ functions: { guest: { crate: 'examples/guest', eventType: 'viewer-request' } } }));
      const config = loadConfig({ cwd: dir });
      const logger = recordingLogger();
      // First a lock that matches this toolchain, then the same lock with another registry's checksum.
      const first = await testFunctions({ config, logger });
      assert.ok(first.results[0]!.ok, first.results[0]!.output);
      const lock = join(dir, 'examples', 'guest', 'Cargo.lock');
      const text = readFileSync(lock, 'utf8');
      const foreign = text.replace(/checksum = "[0-9a-f]{64}"/, `checksum = "${'0'.repeat(64)}"`);
      assert.notEqual(foreign, text, 'the lock has a registry checksum to change');
      writeFileSync(lock, foreign);
      const second = await testFunctions({ config, logger });
      assert.ok(second.results[0]!.ok, second.results[0]!.output);
      assert.ok(existsSync(`${lock}.other-registry`));
      assert.ok(logger.warnings.some((w) => /another crate registry/.test(w)), logger.warnings.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the CLI prints a line per function and exits 0', { timeout: 900_000 }, async () => {
    const { stdout } = await run(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'test', 'redirect', '--quiet'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.match(stdout, /^✓ redirect {2}\d+ passed$/m);
  });
});
