// `lambda-wasm new` with every template, then the real toolchain: build (one cargo target dir for
// all five, so serde compiles once) and invoke each project's own fixture through its zip.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { after, test } from 'node:test';
import { build } from '../../src/build/build.js';
import { createEmulator } from '../../src/emulator/index.js';
import { loadConfig, type ProjectConfig } from '../../src/config/load.js';
import { planDeployment } from '../../src/deploy/plan.js';
import { isEdgeError } from '../../src/errors.js';
import { invoke } from '../../src/invoke/invoke.js';
import { createProject } from '../../src/new/scaffold.js';
import { TEMPLATE_NAMES } from '../../src/new/templates.js';
import { repoRoot } from '../helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'lambda-wasm-new-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('refuses a folder that is not empty, and an unknown template', () => {
  const dir = join(tmp, 'busy');
  mkdirSync(dir);
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  assert.throws(() => createProject({ dir, template: 'viewer-request' }), (e: unknown) => isEdgeError(e) && e.code === 'E_USAGE' && /is not empty \(notes\.txt\)/.test(e.message));
  assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'mine');
  assert.throws(() => createProject({ dir: join(tmp, 'x'), template: 'edge' as never }), /unknown template "edge"/);
});

test('an empty folder is fine; names come from the folder', () => {
  const dir = join(tmp, 'My Site.edge');
  mkdirSync(dir);
  const result = createProject({ dir });
  assert.equal(result.name, 'my-site-edge');
  assert.deepEqual(result.files, ['Cargo.toml', 'src/lib.rs', 'lambda-wasm.config.json', 'events/viewer-request.json', 'public/index.html', 'public/docs/index.html', 'README.md', '.gitignore']);
});

test('every template builds, invoking its fixture gives verdict ok, and dev serves it', { timeout: 15 * 60_000 }, async () => {
  const projects = TEMPLATE_NAMES.map((template) => createProject({ dir: join(tmp, 'projects', `t-${template}`), template }));
  const configs = projects.map((p) => loadConfig({ cwd: p.dir }));
  for (const [i, c] of configs.entries()) {
    assert.equal(c.functions.length, 1);
    assert.equal(c.functions[0]!.name, projects[i]!.name);
    // Outside the package the guest crate is referenced by an absolute path into it.
    const cargo = readFileSync(join(projects[i]!.dir, 'Cargo.toml'), 'utf8');
    const path = /lambda-wasm-guest = \{ path = "([^"]+)" \}/.exec(cargo)![1]!;
    assert.ok(isAbsolute(path) && path === join(repoRoot, 'crates', 'lambda-wasm-guest'), path);
    // The generated deploy section is valid and plans (after the build below).
  }
  // One project holding all five functions: one cargo target dir, one build call.
  const all: ProjectConfig = { ...configs[0]!, root: tmp, file: undefined, outDir: join(tmp, 'dist'), functions: configs.flatMap((c) => c.functions), distribution: undefined, deploy: undefined };
  const built = await build({ config: all });
  assert.equal(built.functions.length, TEMPLATE_NAMES.length);
  for (const fn of all.functions) {
    const event = JSON.parse(readFileSync(fn.fixture!, 'utf8')) as unknown;
    const result = await invoke({ config: all, function: fn.name, event });
    assert.equal(result.verdict, 'ok', `${fn.name}: ${JSON.stringify(result.record.error ?? result.violations)}`);
    checkResult(fn.kind, result.record.result);
  }
  // Each project's own deploy section plans as written (zips copied where that project builds them).
  for (const c of configs) {
    mkdirSync(c.outDir, { recursive: true });
    writeFileSync(join(c.outDir, `${c.functions[0]!.name}.zip`), readFileSync(join(all.outDir, `${c.functions[0]!.name}.zip`)));
    const plan = planDeployment({ config: c });
    assert.equal(plan.functions[0]!.runtime, 'nodejs22.x');
    assert.equal(plan.functions[0]!.functionUrl?.authType, c.functions[0]!.kind === 'lambda' ? 'AWS_IAM' : undefined);
  }
  // `dev` serves each edge project unchanged: its public/ folder through its trigger, over HTTP.
  for (const c of configs.filter((x) => x.functions[0]!.kind !== 'lambda')) await checkDev(c);
});

async function checkDev(config: ProjectConfig): Promise<void> {
  const kind = config.functions[0]!.kind;
  const emulator = createEmulator({ config, port: 0, maxEnvironments: 1 });
  try {
    const base = await emulator.ready;
    const page = await fetch(`${base}/docs/`);
    const body = await page.text();
    if (kind === 'viewer-request') {
      // The trigger appended index.html; without it the folder origin has no object /docs/.
      assert.equal(page.status, 200, body);
      assert.match(body, /docs\/index\.html/);
      const health = await fetch(`${base}/healthz`);
      assert.equal(await health.text(), 'ok');
    } else {
      const index = await fetch(`${base}/index.html?utm_source=test`);
      assert.equal(index.status, 200, `${kind}: ${await index.text()}`);
      if (kind === 'origin-response') assert.match(index.headers.get('strict-transport-security') ?? '', /max-age=/);
      if (kind === 'viewer-response') assert.equal(index.headers.get('x-frame-options'), 'DENY');
    }
  } finally {
    await emulator.close();
  }
}

/** What each template is meant to do, on its fixture. */
function checkResult(kind: string, result: unknown): void {
  const r = result as Record<string, any>;
  switch (kind) {
    case 'viewer-request':
      assert.equal(r.uri, '/docs/index.html');
      break;
    case 'origin-request':
      assert.equal(r.querystring, 'page=2');
      assert.deepEqual(r.headers['x-viewer-country'], [{ key: 'X-Viewer-Country', value: 'unknown' }]);
      break;
    case 'origin-response':
      assert.equal(r.headers['cache-control'][0].value, 'public, max-age=300');
      assert.ok(r.headers['strict-transport-security']);
      break;
    case 'viewer-response':
      assert.equal(r.headers['x-frame-options'][0].value, 'DENY');
      break;
    case 'lambda':
      assert.equal(r.statusCode, 200);
      assert.deepEqual(JSON.parse(r.body), { message: 'hello, wasm', method: 'GET', path: '/hello' });
      break;
    default:
      // A new template kind must say here what it is meant to do; it is never passed unchecked.
      assert.fail(`no check for a template of kind ${JSON.stringify(kind)}: add one to checkResult`);
  }
}
