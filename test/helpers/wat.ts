/**
 * Compiles the hand-written guests in fixtures/wasm/ with wabt's wat2wasm (installed by the set-up),
 * caching by content so repeated test runs do not shell out again.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

export function watPath(name: string): string {
  return join(repoRoot, 'fixtures', 'wasm', `${name}.wat`);
}

/** Returns the path of the compiled `.wasm` for fixtures/wasm/<name>.wat. */
export function compileWat(name: string): string {
  const source = readFileSync(watPath(name));
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const dir = join(repoRoot, '.cache', 'wasm');
  const out = join(dir, `${name}-${hash}.wasm`);
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('wat2wasm', [watPath(name), '-o', out]);
  }
  return out;
}

export function watBytes(name: string): Uint8Array {
  return readFileSync(compileWat(name));
}

/**
 * Compiles WAT source text (cached by content) and returns the .wasm path. `validate: false` skips
 * wat2wasm's own validation (`--no-check`), for modules that are meant to be invalid.
 */
export function compileWatText(text: string, options: { validate?: boolean } = {}): string {
  const check = options.validate !== false;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = join(repoRoot, '.cache', 'wasm');
  const out = join(dir, `generated-${hash}${check ? '' : '-unchecked'}.wasm`);
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    const src = join(dir, `generated-${hash}.wat`);
    writeFileSync(src, text);
    execFileSync('wat2wasm', [src, '-o', out, ...(check ? [] : ['--no-check'])]);
  }
  return out;
}

/**
 * An ABI v1 guest that answers every event with the same bytes (and, with `logInput`, logs the
 * event it got, so a test can see what CloudFront handed the function): for results CloudFront must
 * refuse (a touched read-only header, an oversized body, `null`) and for fixed responses.
 */
export function constantGuestWat(output: string, options: { logInput?: boolean } = {}): string {
  const bytes = Buffer.from(output, 'utf8');
  const dataAt = 1024;
  const inputAt = Math.ceil((dataAt + bytes.length + 1) / 65536) * 65536;
  const escaped = [...bytes].map((b) => `\\${b.toString(16).padStart(2, '0')}`).join('');
  return `(module
  (import "lambda_wasm" "output" (func $output (param i32 i32)))
  (import "lambda_wasm" "log" (func $log (param i32 i32 i32)))
  (memory (export "memory") ${inputAt / 65536 + 1})
  (data (i32.const ${dataAt}) "${escaped}")
  (func (export "lambda_wasm_abi_version") (result i32) i32.const 1)
  (func (export "lambda_wasm_alloc") (param $len i32) (result i32)
    (local $need i32)
    (local.set $need (i32.sub (i32.add (i32.add (local.get $len) (i32.const ${inputAt})) (i32.const 65535)) (i32.mul (memory.size) (i32.const 65536))))
    (if (i32.gt_s (local.get $need) (i32.const 0))
      (then (drop (memory.grow (i32.shr_u (local.get $need) (i32.const 16))))))
    i32.const ${inputAt})
  (func (export "lambda_wasm_dealloc") (param i32 i32))
  (func (export "lambda_wasm_handle") (param $ptr i32) (param $len i32) (result i32)
    ${options.logInput === true ? '(call $log (i32.const 2) (local.get $ptr) (local.get $len))' : ''}
    (call $output (i32.const ${dataAt}) (i32.const ${bytes.length}))
    i32.const 0))
`;
}
