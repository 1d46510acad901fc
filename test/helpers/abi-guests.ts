/**
 * Small WAT guests that probe the host's safety promises (docs/abi.md): invalid UTF-8, state after a
 * trap, `context_get`'s buffer bound and `remaining_time_ms`. Compiled by test/helpers/wat.ts.
 */
const IMPORTS = `
  (import "lambda_wasm" "output" (func $output (param i32 i32)))
  (import "lambda_wasm" "log" (func $log (param i32 i32 i32)))
  (import "lambda_wasm" "panic" (func $panic (param i32 i32)))
  (import "lambda_wasm" "context_get" (func $context_get (param i32 i32 i32) (result i32)))
  (import "lambda_wasm" "remaining_time_ms" (func $remaining (result f64)))
  (memory (export "memory") 1)
  (func (export "lambda_wasm_abi_version") (result i32) i32.const 1)
  (func (export "lambda_wasm_alloc") (param $len i32) (result i32) i32.const 1024)
  (func (export "lambda_wasm_dealloc") (param i32 i32))`;

/** Hands `"\xff"` (a JSON string holding a byte that is not UTF-8) to output, log or panic. */
export function invalidUtf8Wat(through: 'output' | 'log' | 'panic'): string {
  const call = {
    output: '(call $output (i32.const 100) (i32.const 3)) i32.const 0',
    log: '(call $log (i32.const 2) (i32.const 100) (i32.const 3)) (call $output (i32.const 200) (i32.const 2)) i32.const 0',
    panic: '(call $panic (i32.const 100) (i32.const 3)) unreachable',
  }[through];
  return `(module ${IMPORTS}
  (data (i32.const 100) "\\22\\ff\\22")
  (data (i32.const 200) "{}")
  (func (export "lambda_wasm_handle") (param $ptr i32) (param $len i32) (result i32) ${call}))`;
}

/**
 * Counts its invocations in a global and answers the count (one digit); traps when the event's JSON
 * is longer than 20 bytes, after counting. A fresh instance starts again at 1.
 */
export const countingTrapWat = `(module ${IMPORTS}
  (global $calls (mut i32) (i32.const 0))
  (func (export "lambda_wasm_handle") (param $ptr i32) (param $len i32) (result i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (if (i32.gt_u (local.get $len) (i32.const 20)) (then unreachable))
    (i32.store8 (i32.const 3000) (i32.add (i32.const 48) (global.get $calls)))
    (call $output (i32.const 3000) (i32.const 1))
    i32.const 0))`;

/**
 * Asks context_get for field 0 (awsRequestId) into a buffer at 2001 whose capacity is the event's
 * JSON length, and answers the 40 bytes from 2001 as a JSON string — dots where nothing was
 * written — with the last one replaced by the character 48 + the returned length ('/' for -1).
 */
export const contextBufferWat = `(module ${IMPORTS}
  (data (i32.const 2000) "\\22........................................\\22")
  (func (export "lambda_wasm_handle") (param $ptr i32) (param $len i32) (result i32)
    (local $n i32)
    (local.set $n (call $context_get (i32.const 0) (i32.const 2001) (local.get $len)))
    (i32.store8 (i32.const 2040) (i32.add (i32.const 48) (local.get $n)))
    (call $output (i32.const 2000) (i32.const 42))
    i32.const 0))`;

/**
 * Reads remaining_time_ms, then keeps reading it (at most 2 million times) until it is lower, and
 * answers [first, last] as whole milliseconds.
 */
export const remainingTimeWat = `(module ${IMPORTS}
  (func $digits (param $v i32) (param $end i32) (result i32)
    (loop $l
      (local.set $end (i32.sub (local.get $end) (i32.const 1)))
      (i32.store8 (local.get $end) (i32.add (i32.const 48) (i32.rem_u (local.get $v) (i32.const 10))))
      (local.set $v (i32.div_u (local.get $v) (i32.const 10)))
      (br_if $l (i32.ne (local.get $v) (i32.const 0))))
    (local.get $end))
  (func (export "lambda_wasm_handle") (param $ptr i32) (param $len i32) (result i32)
    (local $a f64) (local $b f64) (local $i i32) (local $s i32)
    (local.set $a (call $remaining))
    (local.set $b (local.get $a))
    (block $done
      (loop $spin
        (br_if $done (f64.lt (local.get $b) (local.get $a)))
        (br_if $done (i32.ge_u (local.get $i) (i32.const 2000000)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (local.set $b (call $remaining))
        (br $spin)))
    (i32.store8 (i32.const 3100) (i32.const 93))
    (local.set $s (call $digits (i32.trunc_f64_u (local.get $b)) (i32.const 3100)))
    (local.set $s (i32.sub (local.get $s) (i32.const 1)))
    (i32.store8 (local.get $s) (i32.const 44))
    (local.set $s (call $digits (i32.trunc_f64_u (local.get $a)) (local.get $s)))
    (local.set $s (i32.sub (local.get $s) (i32.const 1)))
    (i32.store8 (local.get $s) (i32.const 91))
    (call $output (local.get $s) (i32.sub (i32.const 3101) (local.get $s)))
    i32.const 0))`;

/**
 * Answers context fields 1 to 6 (functionName, functionVersion, invokedFunctionArn,
 * memoryLimitInMB, logGroupName, logStreamName) through context_get, as a JSON array of strings
 * ("" for a field the host does not have).
 */
export const contextFieldsWat = `(module ${IMPORTS}
  (func (export "lambda_wasm_handle") (param $ptr i32) (param $len i32) (result i32)
    (local $at i32) (local $i i32) (local $n i32)
    (i32.store8 (i32.const 4000) (i32.const 91))
    (local.set $at (i32.const 4001))
    (local.set $i (i32.const 1))
    (loop $field
      (i32.store8 (local.get $at) (i32.const 34))
      (local.set $n (call $context_get (local.get $i) (i32.add (local.get $at) (i32.const 1)) (i32.const 400)))
      (if (i32.lt_s (local.get $n) (i32.const 0)) (then (local.set $n (i32.const 0))))
      (local.set $at (i32.add (local.get $at) (i32.add (local.get $n) (i32.const 1))))
      (i32.store8 (local.get $at) (i32.const 34))
      (i32.store8 (i32.add (local.get $at) (i32.const 1)) (i32.const 44))
      (local.set $at (i32.add (local.get $at) (i32.const 2)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $field (i32.le_u (local.get $i) (i32.const 6))))
    (i32.store8 (i32.sub (local.get $at) (i32.const 1)) (i32.const 93))
    (call $output (i32.const 4000) (i32.sub (local.get $at) (i32.const 4000)))
    i32.const 0))`;
