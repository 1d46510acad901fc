// The Rust side's own tests (serde round-trips of every fixture, the handler macro, no leaks, the
// examples' logic) run in `npm test` too, natively, with the toolchain `build` would pick.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { requireToolchain } from '../../src/build/toolchain.js';
import { repoRoot } from '../helpers/paths.js';

const toolchain = requireToolchain();
const crates = ['crates/lambda-wasm-guest', 'examples/passthrough', 'examples/redirect', 'examples/security-headers', 'examples/basic-auth', 'examples/pi'];

describe(`cargo test (${toolchain.rustcVersion})`, () => {
  for (const crate of crates) {
    test(crate, { timeout: 600_000 }, () => {
      const args = ['test', '--quiet', '--manifest-path', join(repoRoot, crate, 'Cargo.toml'), '--target-dir', join(repoRoot, 'target', 'native')];
      if (toolchain.offlineRegistry !== undefined) {
        args.push('--offline', '--config', 'source.crates-io.replace-with="lambda-wasm-offline"', '--config', `source.lambda-wasm-offline.directory="${toolchain.offlineRegistry}"`);
      }
      const r = spawnSync(toolchain.cargo, args, {
        encoding: 'utf8',
        env: { ...process.env, RUSTC: toolchain.rustc, RUSTDOC: join(dirname(toolchain.rustc), 'rustdoc'), BASIC_AUTH_CREDENTIALS: 'admin:lambda-wasm' },
      });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /test result: ok\. [1-9]\d* passed/, 'ran at least one test');
    });
  }
});
