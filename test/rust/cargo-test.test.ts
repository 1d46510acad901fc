// The Rust side's own tests (serde round-trips of every fixture, the handler macro, no leaks, the
// examples' logic) run in `npm test` too, natively, with the toolchain `build` would pick.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cargoTest, toolchain } from '../helpers/cargo.js';

const crates = [
  'crates/lambda-wasm-guest',
  'examples/passthrough',
  'examples/redirect',
  'examples/security-headers',
  'examples/basic-auth',
  'examples/pi',
  'examples/geo-redirect',
  'examples/ab-test',
  'examples/image-format',
  'examples/signed-url',
];
/** The buildEnv values of the root config's defaults (`lambda-wasm test` sets them from the config itself). */
const buildEnv = { BASIC_AUTH_CREDENTIALS: 'admin:lambda-wasm', SIGNED_URL_SECRET: 'lambda-wasm-example-secret' };

describe(`cargo test (${toolchain.rustcVersion})`, () => {
  for (const crate of crates) {
    test(crate, { timeout: 600_000 }, () => {
      const r = cargoTest(crate, [], buildEnv);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /test result: ok\. [1-9]\d* passed/, 'ran at least one test');
    });
  }

  test('crates/lambda-wasm-guest with its log and getrandom features', { timeout: 600_000 }, () => {
    const r = cargoTest('crates/lambda-wasm-guest', ['--features', 'log getrandom', '--lib', 'the_log_facade_reaches_the_host']);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /test result: ok\. 1 passed/, 'the feature-gated test ran');
  });
});
