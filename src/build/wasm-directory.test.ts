// A `wasm` path that names a directory (`x.wasm/`) is a configuration mistake with a clear
// message, not a raw EISDIR from reading it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../config/load.js';
import { build } from './build.js';

test('a directory named x.wasm is refused with what to point at instead', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-eisdir-'));
  try {
    mkdirSync(join(dir, 'x.wasm'));
    writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify({ functions: { fn: { wasm: 'x.wasm', eventType: 'viewer-request' } } }));
    const config = loadConfig({ cwd: dir });
    await assert.rejects(build({ config, noOptimize: true }), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_CONFIG');
      assert.match(e.message, /functions\.fn\.wasm: .*x\.wasm is a directory, not a \.wasm file/);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
