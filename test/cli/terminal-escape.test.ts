// A guest's log lines cannot drive the terminal: `dev` and `invoke` print an escape sequence or a
// carriage return as visible text (`\x1b[2J`, `\r`), so a guest can neither clear the screen nor
// overwrite a real `END RequestId` line. Runs the real CLI (bin/lambda-wasm.js) on a WAT guest.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { makeProject } from '../helpers/project.js';
import { compileWatText } from '../helpers/wat.js';

const FORGED_END = 'END RequestId: 00000000-0000-0000-0000-000000000000';

/** Logs `\x1b[2J\x1b[31mred` and `fake\rEND RequestId: …` at INFO, then answers a fixed 200. */
function hostileLoggerWat(): string {
  const hex = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  const clear = '\u001b[2J\u001b[31mred';
  const forged = `fake\r${FORGED_END}`;
  const output = JSON.stringify({ status: '200', statusDescription: 'OK', headers: {}, body: 'ok' });
  return `(module
  (import "lambda_wasm" "output" (func $output (param i32 i32)))
  (import "lambda_wasm" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") 2)
  (data (i32.const 1024) "${hex(clear)}")
  (data (i32.const 2048) "${hex(forged)}")
  (data (i32.const 3072) "${hex(output)}")
  (func (export "lambda_wasm_abi_version") (result i32) i32.const 1)
  (func (export "lambda_wasm_alloc") (param i32) (result i32) i32.const 65536)
  (func (export "lambda_wasm_dealloc") (param i32 i32))
  (func (export "lambda_wasm_handle") (param i32 i32) (result i32)
    (call $log (i32.const 2) (i32.const 1024) (i32.const ${Buffer.byteLength(clear)}))
    (call $log (i32.const 2) (i32.const 2048) (i32.const ${Buffer.byteLength(forged)}))
    (call $output (i32.const 3072) (i32.const ${Buffer.byteLength(output)}))
    i32.const 0))
`;
}

let dir: string;
let remove: () => void;

before(async () => {
  const project = await makeProject(
    { noisy: { wasm: compileWatText(hostileLoggerWat()), eventType: 'viewer-request' } },
    { origins: { site: { folder: 'site' } }, defaultBehavior: { origin: 'site', triggers: { 'viewer-request': 'noisy' } } },
  );
  dir = project.dir;
  remove = project.remove;
});
after(() => remove?.());

function assertEscaped(stderr: string): void {
  assert.match(stderr, /\\x1b\[2J\\x1b\[31mred/, stderr);
  assert.ok(stderr.includes(`fake\\r${FORGED_END}`), stderr);
  assert.ok(!stderr.includes('\u001b'), 'no raw escape character reaches the terminal');
  assert.ok(!stderr.includes('\r'), 'no raw carriage return reaches the terminal');
}

test('dev prints a guest\'s escape sequences and carriage returns as text', { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'dev', '--no-build', '--port', '0'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));
  const seen = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    for (;;) {
      const m = pattern.exec(stderr);
      if (m !== null) return m;
      if (gone) throw new Error(`dev exited:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    const [, url] = await seen(/local CloudFront on (http:\/\/127\.0\.0\.1:\d+)/);
    const r = await fetch(`${url}/index.html`);
    assert.equal(r.status, 200);
    await seen(/REPORT RequestId/);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  assertEscaped(stderr);
});

test('invoke prints them as text too', { timeout: 120_000 }, async () => {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'invoke', 'noisy', '--uri', '/index.html'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => (stderr += d));
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 0, stderr);
  assertEscaped(stderr);
});

test('validate prints a violation naming a hostile header as text (invoke prints violations the same way)', { timeout: 60_000 }, async () => {
  // The map key is not lowercase (a violation whose message and path name it) and holds ESC and CR.
  const result = join(dir, 'hostile-result.json');
  writeFileSync(result, JSON.stringify({ status: '200', headers: { 'X\u001b[2J\r': [{ value: 'v' }] } }));
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'validate', '--event-type', 'viewer-request', result], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => (out += d));
  child.stderr.resume();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 1, out);
  assert.match(out, /X\\x1b\[2J\\r/, out);
  assert.ok(!out.includes('\u001b') && !out.includes('\r'), out);
});
