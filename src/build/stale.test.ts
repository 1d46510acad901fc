import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FunctionConfig } from '../config/load.js';
import { staleZip } from './stale.js';

/** A crate folder and a zip, with mtimes set by hand: minutes apart, so no clock resolution matters. */
function project() {
  const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-stale-'));
  const crate = join(root, 'guest');
  mkdirSync(join(crate, 'src', 'nested'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  const files = {
    lib: join(crate, 'src', 'lib.rs'),
    nested: join(crate, 'src', 'nested', 'mod.rs'),
    manifest: join(crate, 'Cargo.toml'),
    config: join(root, 'lambda-wasm.config.json'),
    zip: join(root, 'dist', 'hello.zip'),
    target: join(crate, 'target-file-outside-src'),
  };
  for (const f of Object.values(files)) writeFileSync(f, 'x');
  const at = (path: string, minutes: number) => utimesSync(path, new Date(2026, 0, 1, 12, minutes), new Date(2026, 0, 1, 12, minutes));
  for (const f of Object.values(files)) at(f, 0);
  at(files.zip, 10);
  const fn = (buildEnv: Record<string, string> = {}): FunctionConfig => ({
    name: 'hello', kind: 'viewer-request', source: { kind: 'crate', path: crate }, memorySize: 128, timeout: 5, includeBody: false, fixture: undefined, buildEnv,
  });
  const config = { root, file: files.config, outDir: join(root, 'dist') };
  return { root, files, at, fn, config, remove: () => rmSync(root, { recursive: true, force: true }) };
}

test('a zip newer than every source is not stale; one older than an edited source is, newest edit first', () => {
  const p = project();
  try {
    assert.equal(staleZip(p.config, p.fn()), undefined);
    p.at(p.files.target, 20);
    assert.equal(staleZip(p.config, p.fn()), undefined, 'files outside src/ and the manifest do not count');
    p.at(p.files.lib, 20);
    p.at(p.files.nested, 30);
    p.at(p.files.manifest, 25);
    assert.deepEqual(staleZip(p.config, p.fn())?.newer, [join('guest', 'src', 'nested', 'mod.rs'), join('guest', 'Cargo.toml'), join('guest', 'src', 'lib.rs')]);
  } finally {
    p.remove();
  }
});

test('the config counts only when the function has a buildEnv (compiled into the guest)', () => {
  const p = project();
  try {
    p.at(p.files.config, 20);
    assert.equal(staleZip(p.config, p.fn()), undefined);
    assert.deepEqual(staleZip(p.config, p.fn({ GREETING: 'hi' }))?.newer, ['lambda-wasm.config.json']);
  } finally {
    p.remove();
  }
});

test('no zip at all is not "stale" (invoke says it is not built)', () => {
  const p = project();
  try {
    rmSync(p.files.zip);
    p.at(p.files.lib, 20);
    assert.equal(staleZip(p.config, p.fn()), undefined);
  } finally {
    p.remove();
  }
});
