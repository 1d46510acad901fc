// The deploy/destroy/prune/new commands end to end: flags, exit codes and output, run from the
// TypeScript sources in a child process against moto.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { startMoto, useDummyCredentials, type Moto } from '../helpers/moto.js';
import { repoRoot } from '../helpers/paths.js';
import { makeProject, type TestProject } from '../../src/deploy/project.test-helper.js';

let moto: Moto;
let p: TestProject;
const main = pathToFileURL(join(repoRoot, 'src', 'cli', 'main.ts')).href;
const tsx = import.meta.resolve('tsx');

before(async () => {
  useDummyCredentials();
  moto = await startMoto();
  p = makeProject({ functionPrefix: 'cli-', functions: { api: { functionUrl: { authType: 'NONE' } } } }, { api: { wasm: 'g.wasm', eventType: 'lambda' } });
});
after(async () => {
  p?.remove();
  await moto?.stop();
});

function cli(args: string[], cwd = p.dir): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', tsx, '--input-type=module', '-e', `const { run } = await import(${JSON.stringify(main)}); process.exitCode = await run(process.argv.slice(1));`, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('deploy --dry-run --json prints the plan and exits 0 without AWS', () => {
  const r = cli(['deploy', '--dry-run', '--json', '--endpoint-url', 'http://127.0.0.1:9']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { dryRun: boolean; plan: { functions: Array<{ functionName: string; functionUrl: unknown }> } };
  assert.equal(out.dryRun, true);
  assert.deepEqual(out.plan.functions.map((f) => [f.functionName, f.functionUrl]), [['cli-api', { authType: 'NONE' }]]);
});

test('deploy prints the version and the URL; progress goes to stderr', () => {
  const r = cli(['deploy', '--endpoint-url', moto.endpoint]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /✓ api → arn:aws:lambda:us-east-1:\d{12}:function:cli-api:1 {2}created/);
  assert.match(r.stdout, /https:\/\/\S+\.lambda-url\.us-east-1\.on\.aws {2}auth NONE/);
  assert.match(r.stderr, /✓ role lambda-wasm-execution created/);
});

test('--emit cloudformation writes a template and calls nothing', () => {
  const r = cli(['deploy', '--emit', 'cloudformation', '-o', 'stack.json']);
  assert.equal(r.status, 0, r.stderr);
  const t = JSON.parse(readFileSync(join(p.dir, 'stack.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
  assert.ok(Object.values(t.Resources).some((x) => x.Type === 'AWS::Lambda::Url'));
  assert.equal(cli(['deploy', '--emit', 'terraform']).status, 2);
});

test('mistakes: unknown flags exit 2, destroy without --yes refuses (2), a bad config key is named', () => {
  assert.equal(cli(['deploy', '--dryrun']).status, 2);
  const r = cli(['destroy']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /add --yes to confirm/);
  const q = makeProject({ regoin: 'us-east-1' }, { api: { wasm: 'g.wasm', eventType: 'lambda' } });
  try {
    const bad = cli(['deploy', '--dry-run'], q.dir);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /deploy\.regoin: unknown key/);
  } finally {
    q.remove();
  }
});

test('prune and destroy --yes', () => {
  const pr = cli(['prune', '--endpoint-url', moto.endpoint, '--dry-run']);
  assert.equal(pr.status, 0, pr.stderr);
  assert.match(pr.stdout, /cli-api: would delete no version\n {2}kept 1 \(newest\)/);
  const r = cli(['destroy', '--yes', '--endpoint-url', moto.endpoint]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /✓ cli-api deleted/);
});

test('new writes a project and refuses to write over it', () => {
  const r = cli(['new', 'site', '--template', 'origin-response']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(join(p.dir, 'site')).sort(), ['.gitignore', 'Cargo.toml', 'README.md', 'events', 'lambda-wasm.config.json', 'package.json', 'public', 'src']);
  assert.ok(existsSync(join(p.dir, 'site', 'events', 'origin-response.json')));
  const again = cli(['new', 'site']);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already has Cargo\.toml, src\/lib\.rs/);
  assert.equal(cli(['new', 'x', '--template', 'edge']).status, 2);
});
