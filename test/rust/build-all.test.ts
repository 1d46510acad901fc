// `build` builds every function and reports all failures at the end; compile errors name the
// toolchain and where its crates come from.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { build } from '../../src/build/build.js';
import { compileHint } from '../../src/build/cargo.js';
import { loadConfig } from '../../src/config/load.js';
import { EdgeError } from '../../src/errors.js';
import { compileWat } from '../helpers/wat.js';

describe('build: every function, every failure', () => {
  test('two broken functions are both reported, and the good one is still packaged', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-build-all-'));
    try {
      writeFileSync(
        join(dir, 'lambda-wasm.config.json'),
        JSON.stringify({
          functions: {
            first: { wasm: 'missing-1.wasm', eventType: 'viewer-request' },
            good: { wasm: compileWat('echo'), eventType: 'viewer-request' },
            second: { wasm: 'missing-2.wasm', eventType: 'origin-request' },
          },
        }),
      );
      const config = loadConfig({ cwd: dir });
      await assert.rejects(build({ config, noOptimize: true }), (error: unknown) => {
        assert.ok(error instanceof EdgeError);
        assert.match(error.message, /^2 functions failed to build: first, second \(built: good\)$/);
        assert.ok(error.details.some((l) => /^first: .*missing-1\.wasm does not exist/.test(l)), error.details.join('\n'));
        assert.ok(error.details.some((l) => /^second: .*missing-2\.wasm does not exist/.test(l)), error.details.join('\n'));
        return true;
      });
      assert.ok(existsSync(join(config.outDir, 'good.zip')), 'the function that builds is packaged');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('compile hints', () => {
  test("an offline Debian toolchain is named with its registry and how to find Debian's crates", () => {
    const hint = compileHint({ origin: 'system', cargo: '/usr/bin/cargo', rustc: '/usr/bin/rustc', rustcVersion: 'rustc 1.63.0', offlineRegistry: '/usr/share/cargo/registry' });
    assert.match(hint, /rustc 1\.63\.0 \(\/usr\/bin\/rustc, the system's\)/);
    assert.match(hint, /only the crates in \/usr\/share\/cargo\/registry/);
    assert.match(hint, /apt-cache search librust-/);
    assert.doesNotMatch(hint, /serde and serde_json only/);
  });

  test('a rustup toolchain takes crates from crates.io', () => {
    const hint = compileHint({ origin: 'rustup', cargo: 'cargo', rustc: '/r/rustc', rustcVersion: 'rustc 1.80.0', offlineRegistry: undefined });
    assert.match(hint, /rustc 1\.80\.0 \(\/r\/rustc, rustup\), with crates from crates\.io/);
  });
});
