// A config with several mistakes, through the real CLI: one run names them all (exit 1), each with
// its key path and, for a typo, the key meant.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

test('every config problem is reported in one run', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-config-errors-'));
  try {
    const config = {
      $schema: './node_modules/lambda-wasm/schema/lambda-wasm.config.schema.json',
      functions: { edge: { crate: 'edge', eventType: 'viewer-request', memorySize: 512, timeuot: 3 } },
      cloudfront: { viewerLimits: { maxMemry: 256 } },
      distribution: { origins: { site: { folder: 'public' } }, defaultBehavior: { triggers: { 'viewer-request': 'egde' } }, behaviors: [{ pathPattern: '/a/*', ttl: 1 }] },
      deploy: { regoin: 'us-east-1' },
    };
    writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify(config, null, 2));
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'build'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 50_000 });
    assert.equal(r.status, 1, r.stderr);
    const problems = r.stderr.split('\n').filter((line) => line.startsWith('  ')).map((line) => line.trim());
    assert.deepEqual(
      problems.map((line) => line.slice(0, line.indexOf(':'))),
      ['functions.edge.timeuot', 'cloudfront.viewerLimits.maxMemry', 'distribution.behaviors[0].ttl', 'deploy.regoin', 'functions.edge.memorySize', 'distribution.defaultBehavior.triggers.viewer-request'],
      r.stderr,
    );
    assert.match(r.stderr, /has 6 problems:/);
    assert.match(r.stderr, /functions\.edge\.timeuot: unknown key; did you mean "timeout"\?/);
    assert.match(r.stderr, /functions\.edge\.memorySize: must be a whole number of MB from 128 to 128 for viewer-request functions \(got 512\)/);
    assert.match(r.stderr, /viewer-request: no function named "egde" \(functions: edge\); did you mean "edge"\?/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
