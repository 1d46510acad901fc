// Bad input gets a clear error through the real CLI: what was wrong, how to fix it, and the exit
// status. Each case runs `bin/lambda-wasm.js` in a project of its own under a temp folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { compileWat } from '../helpers/wat.js';
import { repoRoot } from '../helpers/paths.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-cli-errors-'));
after(() => rmSync(root, { recursive: true, force: true }));

function project(name: string, config: unknown, files: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify(config, null, 2));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

function cli(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function wasmProject(name: string, wat: string, eventType: string, extra: Record<string, unknown> = {}): string {
  const dir = project(name, { functions: { guest: { wasm: 'guest.wasm', eventType, ...extra } } });
  copyFileSync(compileWat(wat), join(dir, 'guest.wasm'));
  return dir;
}

const crate = (body: string) => ({
  'guest/Cargo.toml': `[package]\nname = "broken-guest"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\npath = "lib.rs"\n\n[dependencies]\nlambda-wasm-guest = { path = "${join(repoRoot, 'crates/lambda-wasm-guest')}" }\n\n[workspace]\n`,
  'guest/lib.rs': body,
});

describe('clear errors from the CLI', () => {
  test('no toolchain: says none was found and how to install one', () => {
    const dir = project('no-toolchain', { functions: { f: { crate: 'guest', eventType: 'viewer-request' } } }, crate(''));
    const r = cli(dir, ['build'], { LAMBDA_WASM_CARGO: '/nonexistent/cargo', LAMBDA_WASM_RUSTC: '/nonexistent/rustc' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /no Rust toolchain that can build wasm32-unknown-unknown was found/);
    assert.match(r.stderr, /hint.*rustup target add wasm32-unknown-unknown/);
  });

  test('a crate that does not compile: the compiler\'s own message, with file and line', () => {
    const dir = project('broken', { functions: { f: { crate: 'guest', eventType: 'viewer-request' } } }, crate('pub fn oops() -> u32 { "not a number" }\n'));
    const r = cli(dir, ['build']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /mismatched types/);
    assert.match(r.stderr, /lib\.rs:1/);
  });

  test('a malformed event file: line and column of the mistake', () => {
    const dir = wasmProject('malformed', 'echo', 'viewer-request');
    writeFileSync(join(dir, 'bad.json'), '{\n  "Records": [\n    { "cf": }\n  ]\n}\n');
    const r = cli(dir, ['invoke', 'guest', '--event', 'bad.json']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /bad\.json is not valid JSON at line 3, column \d+/);
  });

  test('an unknown function name: lists the known ones', () => {
    const dir = wasmProject('unknown', 'echo', 'viewer-request');
    const r = cli(dir, ['invoke', 'nope', '--uri', '/']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /nope/);
    assert.match(r.stderr, /guest/);
  });

  test('an event of the wrong type for the trigger is refused before anything runs', () => {
    const dir = wasmProject('wrong-type', 'echo', 'viewer-request');
    const r = cli(dir, ['invoke', 'guest', '--event', join(repoRoot, 'fixtures/events/origin-response.json')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /is a viewer-request trigger, but the event is a origin-response event|viewer-request trigger, but the event is an? origin-response event/);
  });

  test('a guest that traps: WasmTrap, and CloudFront\'s 503', () => {
    const dir = wasmProject('trap', 'trap', 'viewer-request');
    assert.equal(cli(dir, ['build']).status, 0);
    const r = cli(dir, ['invoke', 'guest', '--uri', '/']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /"errorType": "WasmTrap"/);
    assert.match(r.stderr, /503 LambdaExecutionError/);
  });

  test('a guest that loops forever: stopped at the timeout, with Lambda\'s timeout line', () => {
    const dir = wasmProject('loop', 'loop', 'lambda', { timeout: 1 });
    assert.equal(cli(dir, ['build']).status, 0);
    const r = cli(dir, ['invoke', 'guest', '--event', join(repoRoot, 'fixtures/events/pi.json')]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /Task timed out after 1\.00 seconds/);
    assert.match(r.stderr, /timed out after 1 s/);
  });

  test('a guest that returns garbage: a clear output error, not a crash', () => {
    const dir = wasmProject('garbage', 'garbage', 'viewer-request');
    assert.equal(cli(dir, ['build']).status, 0);
    const r = cli(dir, ['invoke', 'guest', '--uri', '/']);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /"errorType": "WasmOutputError"/);
  });

  test('a result CloudFront would reject: each violation and the 502', () => {
    const dir = project('reject', { functions: {} });
    const result = join(dir, 'result.json');
    writeFileSync(result, JSON.stringify({ status: '200', headers: { 'x-cache': [{ value: 'Hit' }], 'content-length': [{ value: '1' }] } }));
    const r = cli(dir, ['validate', '--event-type', 'viewer-request', result]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /headers\.x-cache: .*blacklisted header.*\[disallowed-header\]/);
    assert.match(r.stdout, /headers\.content-length: .*read-only header.*\[read-only-header\]/);
    assert.match(r.stderr, /502 LambdaValidationError/);
    assert.equal(cli(dir, ['validate', '--event-type', 'viewer-request', '--json', result]).status, 1);
  });

  test('a bad config: names the key and what it accepts', () => {
    const dir = project('bad-config', { functions: { f: { crate: 'x', eventType: 'viewer-request', memorySize: 512 } } });
    const r = cli(dir, ['build']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /functions\.f\.memorySize: must be a whole number of MB from 128 to 128 for viewer-request functions \(got 512\)/);
  });

  test('an unknown flag is a usage error (exit 2)', () => {
    const r = cli(root, ['invoke', 'x', '--evnt', 'a.json']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown option --evnt/);
  });
});

describe('scriptable: exit 2 for usage mistakes, 1 for failures, JSON errors on stdout', () => {
  test('an unknown command and a missing argument exit 2, a bad flag value too', () => {
    const unknown = cli(root, ['biuld']);
    assert.equal(unknown.status, 2, unknown.stderr);
    assert.match(unknown.stderr, /unknown command "biuld"/);
    const missing = cli(root, ['invoke']);
    assert.equal(missing.status, 2, missing.stderr);
    assert.match(missing.stderr, /Missing required positional argument: FUNCTION/);
    const template = cli(root, ['new', join(root, 'never-made'), '--template', 'edge']);
    assert.equal(template.status, 2, template.stderr);
    assert.match(template.stderr, /unknown template "edge"/);
  });

  test('with --json a failure is {"error": {code, message, hint}} on stdout, and the exit code stays', () => {
    const dir = wasmProject('json-errors', 'echo', 'viewer-request');
    const unknownFn = cli(dir, ['invoke', 'nope', '--uri', '/', '--json']);
    assert.equal(unknownFn.status, 1, unknownFn.stderr);
    const failure = JSON.parse(unknownFn.stdout) as { error: { code: string; message: string; hint?: string } };
    assert.equal(failure.error.code, 'E_FUNCTION_UNKNOWN');
    assert.match(failure.error.message, /nope/);
    assert.match(unknownFn.stderr, /nope/, 'the text stays on stderr for a person');

    const usage = cli(dir, ['invoke', '--json']);
    assert.equal(usage.status, 2);
    assert.deepEqual(JSON.parse(usage.stdout), { error: { code: 'E_USAGE', message: 'Missing required positional argument: FUNCTION', hint: 'run `lambda-wasm --help`' } });

    const badFlag = cli(dir, ['build', '--json', '--optimise']);
    assert.equal(badFlag.status, 2);
    assert.equal((JSON.parse(badFlag.stdout) as { error: { code: string } }).error.code, 'E_USAGE');

    // bench's --json names a file: a failure there stays text.
    const bench = cli(dir, ['bench', '--json', 'out.json', '--quik']);
    assert.equal(bench.status, 2);
    assert.equal(bench.stdout, '');

    const badConfig = project('json-bad-config', { functions: { f: { crate: 'x', eventType: 'viewer-request', memorySize: 512 } } });
    const config = cli(badConfig, ['build', '--json']);
    assert.equal(config.status, 1);
    assert.equal((JSON.parse(config.stdout) as { error: { code: string } }).error.code, 'E_CONFIG');
  });

  test('--help has no colour when piped, even without NO_COLOR', () => {
    for (const args of [['--help'], ['build', '--help'], ['new', '-h']]) {
      const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: undefined, CI: undefined, FORCE_COLOR: undefined } });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /USAGE/);
      assert.doesNotMatch(r.stdout, /\u001b\[/, `lambda-wasm ${args.join(' ')}`);
    }
  });
});
