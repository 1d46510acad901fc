// `lambda-wasm new`: what it writes, what it merges into an existing npm project, what it refuses,
// and the question it asks on a terminal. Building, invoking and serving every template in a
// user's own project (installed from the packed tarball) is test/e2e/user-project.test.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { isEdgeError } from '../../src/errors.js';
import { createProject } from '../../src/new/scaffold.js';
import { TEMPLATE_NAMES } from '../../src/new/templates.js';
import { repoRoot } from '../helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'lambda-wasm-new-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

test('a new folder: package.json, crate, config, fixture, site, README, .gitignore; paths relative into node_modules', () => {
  const dir = join(tmp, 'My Site.edge');
  const result = createProject({ dir });
  assert.equal(result.name, 'my-site-edge');
  assert.deepEqual(result.files, ['package.json', 'Cargo.toml', 'src/lib.rs', 'lambda-wasm.config.json', 'events/viewer-request.json', 'public/index.html', 'public/docs/index.html', 'README.md', '.gitignore']);
  assert.deepEqual(result.merged, []);
  const pkg = readJson(join(dir, 'package.json'));
  assert.equal(pkg.name, 'my-site-edge');
  assert.equal(pkg.private, true);
  // Run from this repository (not installed anywhere): the version, as the registry would give it.
  assert.deepEqual(pkg.devDependencies, { 'lambda-wasm': `^${version}` });
  assert.deepEqual(pkg.scripts, { build: 'lambda-wasm build', dev: 'lambda-wasm dev', test: 'lambda-wasm build && lambda-wasm invoke my-site-edge' });
  // Never absolute: where `npm install` puts the package, the same for every clone.
  assert.match(readFileSync(join(dir, 'Cargo.toml'), 'utf8'), /lambda-wasm-guest = \{ path = "node_modules\/lambda-wasm\/crates\/lambda-wasm-guest" \}/);
  const config = loadConfig({ cwd: dir });
  assert.equal(config.functions[0]!.name, 'my-site-edge');
  assert.equal(readJson(join(dir, 'lambda-wasm.config.json')).$schema, './node_modules/lambda-wasm/schema/lambda-wasm.config.schema.json');
  assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^node_modules\/$/m);
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  assert.match(readme, /npx lambda-wasm invoke my-site-edge/);
  assert.doesNotMatch(readme, /\{\{|\}\}/, 'every placeholder filled');
});

test('every template writes its own guest and a config that loads', () => {
  for (const template of TEMPLATE_NAMES) {
    const dir = join(tmp, 'each', template);
    const result = createProject({ dir, template, name: `fn-${template}` });
    const lib = readFileSync(join(dir, 'src/lib.rs'), 'utf8');
    assert.match(lib, /export_handler!\(handler\)/);
    assert.equal(lib, readFileSync(join(repoRoot, 'templates', template, 'src/lib.rs'), 'utf8'));
    const fn = loadConfig({ cwd: dir }).functions[0]!;
    const plainLambda = template === 'http' || template.startsWith('native');
    assert.equal(fn.kind, plainLambda ? 'lambda' : template);
    assert.equal(fn.target, template.startsWith('native') ? 'native' : 'wasm');
    assert.ok(existsSync(fn.fixture!), `${template}: ${fn.fixture}`);
    assert.equal(result.files.includes('public/index.html'), !plainLambda);
  }
  // A native template brings its own fixture and README, and no Node.js runtime for deploy.
  const native = join(tmp, 'each', 'native');
  assert.equal(readFileSync(join(native, 'events/numbers.json'), 'utf8'), readFileSync(join(repoRoot, 'templates/native/events/numbers.json'), 'utf8'));
  assert.equal(readFileSync(join(native, 'README.md'), 'utf8'), readFileSync(join(repoRoot, 'templates/native/README.md'), 'utf8'));
  assert.equal(JSON.parse(readFileSync(join(native, 'lambda-wasm.config.json'), 'utf8')).deploy.runtime, undefined);
});

test('new . in an existing npm project merges package.json and .gitignore and keeps the README', () => {
  const dir = join(tmp, 'existing');
  mkdirSync(dir);
  // What `npm init -y` writes, plus a build script and a dependency of the user's own.
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'shop', version: '1.0.0', main: 'index.js', scripts: { test: 'echo "Error: no test specified" && exit 1', build: 'tsc' }, devDependencies: { typescript: '^5.0.0' } }, null, 4)}\n`);
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n*.log');
  writeFileSync(join(dir, 'README.md'), '# shop\n');
  const result = createProject({ dir, template: 'http', name: 'api' });
  assert.deepEqual(result.merged, ['package.json', '.gitignore']);
  assert.deepEqual(result.keptScripts, ['build']);
  const text = readFileSync(join(dir, 'package.json'), 'utf8');
  assert.match(text, /^\{\n {4}"name": "shop"/, 'the file keeps its indentation');
  const pkg = JSON.parse(text) as Record<string, any>;
  assert.equal(pkg.main, 'index.js');
  assert.deepEqual(pkg.scripts, { test: 'lambda-wasm build && lambda-wasm invoke api', build: 'tsc', dev: 'lambda-wasm dev' });
  assert.deepEqual(pkg.devDependencies, { typescript: '^5.0.0', 'lambda-wasm': `^${version}` });
  assert.equal(readFileSync(join(dir, '.gitignore'), 'utf8'), 'node_modules/\n*.log\n# lambda-wasm\ntarget/\ndist/\n.cache/\nCargo.lock\n');
  assert.equal(readFileSync(join(dir, 'README.md'), 'utf8'), '# shop\n');
  assert.ok(result.files.includes('README.lambda-wasm.md'));
});

test('an existing dependency on lambda-wasm keeps its spec', () => {
  const dir = join(tmp, 'pinned');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'pinned', devDependencies: { 'lambda-wasm': 'file:../lambda-wasm-0.1.0.tgz' } }));
  createProject({ dir, template: 'origin-request' });
  assert.deepEqual(readJson(join(dir, 'package.json')).devDependencies, { 'lambda-wasm': 'file:../lambda-wasm-0.1.0.tgz' });
});

test('refuses only the files it would overwrite, naming each, and writes nothing', () => {
  const dir = join(tmp, 'busy');
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'Cargo.toml'), '[package]\n');
  writeFileSync(join(dir, 'src/lib.rs'), '// mine\n');
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  assert.throws(
    () => createProject({ dir, template: 'viewer-request' }),
    (e: unknown) => isEdgeError(e) && e.code === 'E_USAGE' && /already has Cargo\.toml, src\/lib\.rs;/.test(e.message) && !/notes\.txt/.test(e.message),
  );
  assert.equal(readFileSync(join(dir, 'src/lib.rs'), 'utf8'), '// mine\n');
  assert.ok(!existsSync(join(dir, 'package.json')) && !existsSync(join(dir, 'lambda-wasm.config.json')));
  assert.throws(() => createProject({ dir: join(tmp, 'x'), template: 'edge' as never }), /unknown template "edge"/);
  writeFileSync(join(tmp, 'a-file'), '');
  assert.throws(() => createProject({ dir: join(tmp, 'a-file') }), /exists and is not a folder/);
});

test('a project inside the package (as the examples are) reaches the guest crate relatively', () => {
  const dir = join(repoRoot, '.cache', `new-test-${process.pid}`);
  try {
    createProject({ dir, template: 'viewer-response', name: 'inside' });
    assert.match(readFileSync(join(dir, 'Cargo.toml'), 'utf8'), /path = "\.\.\/\.\.\/crates\/lambda-wasm-guest"/);
    assert.equal(readJson(join(dir, 'lambda-wasm.config.json')).$schema, '../../schema/lambda-wasm.config.schema.json');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('on a terminal without --template it asks; the answer picks the template', { timeout: 60_000 }, () => {
  const dir = join(tmp, 'asked');
  // `script` (util-linux) gives the CLI a pseudo-terminal, as a person's shell would.
  const command = [process.execPath, join(repoRoot, 'bin', 'lambda-wasm.js'), 'new', dir].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { input: 'origin-response\n', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 50_000 });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /Which template\?/);
  assert.match(r.stdout, /3\. origin-response/);
  assert.equal(readJson(join(dir, 'lambda-wasm.config.json')).functions.asked.eventType, 'origin-response');
  // Piped (no terminal): no question, the default template.
  const piped = spawnSync(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'new', join(tmp, 'piped')], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 50_000 });
  assert.equal(piped.status, 0, piped.stderr);
  assert.doesNotMatch(piped.stdout, /Which template/);
  assert.equal(readJson(join(tmp, 'piped', 'lambda-wasm.config.json')).functions.piped.eventType, 'viewer-request');
});
