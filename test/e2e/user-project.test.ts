// lambda-wasm in a user's own project, the way a user gets there: the package packed as it would be
// published, installed from the tarball into a fresh npm project in a temporary folder outside this
// repository, then `new .` for every template, `npm run build`, `invoke`, `npm test`, `dev` over
// HTTP and `deploy --dry-run`, each through `npx` in that project. No path the commands use points
// into the repository: PATH loses the repository's node_modules/.bin, and npm's own variables from
// `npm test` are dropped, so the user's npm and node are the ones that run.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { TEMPLATE_NAMES, TEMPLATES } from '../../src/new/templates.js';
import { repoRoot } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'lambda-wasm-user-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The environment of a user's shell: no npm_* variables, nothing on PATH from this repository. */
const userEnv: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries({
    ...process.env,
    PATH: (process.env.PATH ?? '').split(delimiter).filter((p) => p !== '' && !p.startsWith(repoRoot)).join(delimiter),
    NO_COLOR: '1',
    // deploy --dry-run makes no AWS call: no credentials, and nothing to find on an instance.
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_PROFILE: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
  }).filter(([key, value]) => value !== undefined && !key.toLowerCase().startsWith('npm_') && key !== 'INIT_CWD'),
);

const execFileAsync = promisify(execFile);

/** Runs a command as the user would; fails the test with its output when it exits non-zero. */
async function sh(cwd: string, command: string, args: string[], timeoutMs = 10 * 60_000): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { cwd, env: userEnv, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    assert.fail(`${command} ${args.join(' ')} (in ${cwd}) failed with ${String(e.code)}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

let tarball = '';

test('the package packs with what a user needs', { timeout: 5 * 60_000 }, async () => {
  const dest = join(work, 'pack');
  mkdirSync(dest);
  // --ignore-scripts: `prepack` would recompile lib/ under the other test files running beside this
  // one; the set-up before `npm test` has just compiled it.
  const listing = JSON.parse(await sh(repoRoot, 'npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest])) as Array<{ filename: string; files: Array<{ path: string }> }>;
  const files = new Set(listing[0]!.files.map((f) => f.path));
  for (const needed of ['bin/lambda-wasm.js', 'lib/cli/main.js', 'lib/runtime/adapter.mjs', 'crates/lambda-wasm-guest/Cargo.toml', 'templates/common/gitignore', 'templates/http/src/lib.rs', 'docs/new.md']) {
    assert.ok(files.has(needed), `${needed} is not in the package`);
  }
  assert.ok(![...files].some((f) => f.startsWith('src/') || f.startsWith('test/') || f.includes('/target/')), 'sources, tests or build output in the package');
  tarball = join(dest, readdirSync(dest).find((f) => f.endsWith('.tgz'))!);
});

// The native templates are built natively and as Wasm by test/native/templates.test.ts; here the
// Wasm templates go the whole way a user goes.
for (const template of TEMPLATE_NAMES.filter((name) => TEMPLATES[name].target === undefined)) {
  test(`a user's project: npm install the tarball, new . --template ${template}, build, invoke, test, dev, bench, deploy --dry-run`, { timeout: 20 * 60_000 }, async (t) => {
    assert.ok(tarball !== '', 'the package was not packed');
    const dir = join(work, `${template}-app`);
    mkdirSync(dir);
    await sh(dir, 'npm', ['init', '-y']);
    await sh(dir, 'npm', ['install', '-D', tarball, '--prefer-offline', '--no-audit', '--no-fund']);
    if (template === TEMPLATE_NAMES[0]) {
      // What a user pays on disk for lambda-wasm alone (its AWS SDK clients are most of it).
      const du = await sh(dir, 'du', ['-sh', 'node_modules']);
      t.diagnostic(`install size for a user (du -sh node_modules): ${du.trim().split(/\s+/)[0]}`);
    }

    const created = JSON.parse(await sh(dir, 'npx', ['lambda-wasm', 'new', '.', '--template', template, '--json'])) as { name: string; files: string[]; merged: string[] };
    const name = created.name;
    assert.deepEqual(created.merged, ['package.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; scripts: Record<string, string> };
    assert.match(pkg.devDependencies['lambda-wasm']!, /^file:.*lambda-wasm-[\d.]+\.tgz$/, 'the spec it was installed from is kept');
    assert.deepEqual(Object.keys(pkg.scripts).sort(), ['build', 'dev', 'test']);
    const cargo = readFileSync(join(dir, 'Cargo.toml'), 'utf8');
    assert.match(cargo, /lambda-wasm-guest = \{ path = "node_modules\/lambda-wasm\/crates\/lambda-wasm-guest" \}/, 'a relative path into the installed package');
    const config = JSON.parse(readFileSync(join(dir, 'lambda-wasm.config.json'), 'utf8')) as { $schema: string };
    assert.equal(config.$schema, './node_modules/lambda-wasm/schema/lambda-wasm.config.schema.json');
    assert.ok(existsSync(join(dir, '.gitignore')) && existsSync(join(dir, 'README.md')));

    await sh(dir, 'npm', ['run', 'build'], 15 * 60_000);
    assert.ok(existsSync(join(dir, 'dist', `${name}.zip`)));

    const invoked = JSON.parse(await sh(dir, 'npx', ['lambda-wasm', 'invoke', name, '--json'])) as { verdict: string; result: unknown };
    assert.equal(invoked.verdict, 'ok', JSON.stringify(invoked));
    checkResult(TEMPLATES[template].eventType, invoked.result);

    await sh(dir, 'npm', ['test']);

    await checkDev(dir, name, TEMPLATES[template].eventType);

    // bench on the user's own function: real B1–B5 figures (B2 needs a request body: not on response triggers).
    await sh(dir, 'npx', ['lambda-wasm', 'bench', '--quick', name, '--json', 'bench.json'], 10 * 60_000);
    const report = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as { figures: Array<{ id: string; group: string; value: number }> };
    const kind = TEMPLATES[template].eventType;
    const wanted = kind.endsWith('-response') ? ['B1', 'B3', 'B4', 'B5'] : ['B1', 'B2', 'B3', 'B4', 'B5'];
    for (const id of wanted) {
      const figures = report.figures.filter((f) => f.id === id && f.group === name);
      assert.ok(figures.length > 0, `bench measured no ${id} for ${name}`);
      for (const f of figures) assert.ok(Number.isFinite(f.value) && f.value > 0, `${id} of ${name}: ${f.value}`);
    }
    // The Wasm floor (the same adapter with a guest that only does what this one did observably) ran from the installed package too.
    const b3 = report.figures.find((f) => f.id === 'B3' && f.group === name) as { extra?: { floor?: { wallMs: number } | null } } | undefined;
    assert.ok((b3?.extra?.floor?.wallMs ?? 0) > 0, `B3 of ${name} has no Wasm floor`);

    const plan = JSON.parse(await sh(dir, 'npx', ['lambda-wasm', 'deploy', '--dry-run', '--json'])) as { dryRun: boolean; plan: { functions: Array<{ name: string }> } };
    assert.equal(plan.dryRun, true);
    assert.deepEqual(plan.plan.functions.map((f) => f.name), [name]);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm run dev` on a free port, one request through the function, and the server stopped again. */
async function checkDev(dir: string, name: string, kind: string): Promise<void> {
  const port = await freePort();
  // Its own process group, so the whole npm → sh → node chain is stopped at the end.
  const child = spawn('npm', ['run', 'dev', '--', '--no-build', '--port', String(port)], { cwd: dir, env: userEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const base = `http://127.0.0.1:${port}`;
    const path = kind === 'lambda' ? `/_lambda-url/${name}/hello?name=dev` : kind === 'viewer-request' ? '/docs/' : '/index.html?utm_source=test';
    let res: Response | undefined;
    for (let i = 0; i < 120 && res === undefined; i++) {
      if (child.exitCode !== null) assert.fail(`dev exited early:\n${output}`);
      res = await fetch(`${base}${path}`).catch(() => undefined);
      if (res === undefined) await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(res !== undefined, `dev did not answer on ${base}:\n${output}`);
    const body = await res.text();
    assert.equal(res.status, 200, `${path}: ${body}\n${output}`);
    switch (kind) {
      case 'viewer-request':
        // The trigger appended index.html: the folder origin has no object /docs/ itself.
        assert.match(body, /docs\/index\.html/);
        assert.equal(await (await fetch(`${base}/healthz`)).text(), 'ok');
        break;
      case 'origin-response':
        assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=/);
        break;
      case 'viewer-response':
        assert.equal(res.headers.get('x-frame-options'), 'DENY');
        break;
      case 'lambda':
        assert.equal((JSON.parse(body) as { message: string }).message, 'hello, dev');
        break;
    }
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
    if (!stopped) process.kill(-child.pid!, 'SIGKILL');
  }
}

/** What each template is meant to do, on its own fixture. */
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
