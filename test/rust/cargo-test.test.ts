// The Rust side's own tests (serde round-trips of every fixture, the handler macro, no leaks, the
// examples' logic) run in `npm test` too, natively, with the toolchain `build` would pick.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cargoTest, toolchain } from '../helpers/cargo.js';

const crates = ['crates/lambda-wasm-guest', 'examples/passthrough', 'examples/redirect', 'examples/security-headers', 'examples/basic-auth', 'examples/pi'];

describe(`cargo test (${toolchain.rustcVersion})`, () => {
  for (const crate of crates) {
    test(crate, { timeout: 600_000 }, () => {
      const r = cargoTest(crate, [], { BASIC_AUTH_CREDENTIALS: 'admin:lambda-wasm' });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /test result: ok\. [1-9]\d* passed/, 'ran at least one test');
    });
  }
});
