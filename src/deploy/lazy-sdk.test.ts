// `--help`, `new`, `--dry-run` and `--emit` must not load the AWS SDK (it takes ~300 ms): every
// @aws-sdk import outside `import type` has to be a dynamic import().
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const repoRoot = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = join(dir, e);
    return statSync(full).isDirectory() ? files(full) : e.endsWith('.ts') && !e.endsWith('.test.ts') ? [full] : [];
  });
}

test('src/ imports @aws-sdk/* statically only as types', () => {
  const eager: string[] = [];
  for (const file of files(join(repoRoot, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"](@aws-sdk\/[^'"]+)['"]/gm)) eager.push(`${relative(repoRoot, file)}: ${m[2]}`);
  }
  assert.deepEqual(eager, []);
});

test('a dry run loads no AWS SDK module; a real run does', async () => {
  // The SDK's packages load as CommonJS (their "node" export), so they show in require.cache.
  const { createRequire } = await import('node:module');
  const cache = createRequire(import.meta.url).cache;
  const sdkLoaded = () => Object.keys(cache).some((k) => k.includes('@aws-sdk/client-'));
  const { makeProject } = await import('./project.test-helper.js');
  const { deploy } = await import('./deploy.js');
  const p = makeProject({});
  try {
    await deploy({ config: p.config, dryRun: true });
    assert.equal(sdkLoaded(), false);
    const { createAwsContext, destroyAwsContext } = await import('./aws.js');
    destroyAwsContext(await createAwsContext({ region: 'us-east-1' }));
    assert.equal(sdkLoaded(), true, 'the check can see the SDK once it is loaded');
  } finally {
    p.remove();
  }
});
