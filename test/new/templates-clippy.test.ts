// Every `new` template is a crate a user starts from, so it must pass clippy with warnings denied
// (their first `cargo clippy` should be clean). Clippy comes with rustup's toolchain; the guest
// crate and the templates also compile for the host, which is what clippy checks here. Locally a
// missing clippy is a visible skip; on CI (CI=true) it is a failure.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createProject, TEMPLATE_NAMES } from '../../src/new/index.js';
import { repoRoot } from '../helpers/paths.js';

const run = promisify(execFile);

function rustupCargo(): string | undefined {
  try {
    const cargo = execFileSync('rustup', ['which', 'cargo'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    execFileSync(cargo, ['clippy', '--version'], { stdio: 'ignore' });
    return cargo;
  } catch {
    return undefined;
  }
}

const cargo = rustupCargo();
const work = mkdtempSync(join(tmpdir(), 'lambda-wasm-clippy-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('new templates pass clippy', () => {
  for (const template of TEMPLATE_NAMES) {
    test(template, { timeout: 600_000 }, async (t) => {
      if (cargo === undefined) {
        if (process.env.CI === 'true') assert.fail('cargo clippy (rustup) is missing: the templates would go unchecked; install rustup with clippy');
        return void t.skip('cargo clippy (rustup) is missing');
      }
      const dir = join(work, template);
      createProject({ dir, template, name: `tpl-${template}`, packageSpec: 'file:../lambda-wasm' });
      // The project points at node_modules/lambda-wasm/crates/…; here the guest crate is this repository's.
      const manifest = join(dir, 'Cargo.toml');
      const text = readFileSync(manifest, 'utf8');
      const pointed = text.replace(/lambda-wasm-guest = \{ path = "[^"]*"/, `lambda-wasm-guest = { path = ${JSON.stringify(join(repoRoot, 'crates', 'lambda-wasm-guest'))}`);
      assert.notEqual(pointed, text, 'the template names the guest crate by path');
      writeFileSync(manifest, pointed);
      try {
        await run(cargo, ['clippy', '--quiet', '--all-targets', '--', '-D', 'warnings'], {
          cwd: dir,
          env: { ...process.env, CARGO_TARGET_DIR: join(repoRoot, '.cache', 'clippy-target') },
          maxBuffer: 16 * 1024 * 1024,
        });
      } catch (error) {
        const e = error as { stderr?: string; message: string };
        assert.fail(`clippy refused the ${template} template:\n${e.stderr ?? e.message}`);
      }
    });
  }
});
