// The ABI contract that the adapter and `build` both check against, pinned to docs/abi.md.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ABI_VERSION, CONTEXT_FIELDS, foreignImports, isAbiExport, misfitExports, missingExports } from './abi-contract.js';

const fn = (name: string) => ({ name, kind: 'function' });

test('context_get numbers the fields as docs/abi.md lists them', () => {
  assert.equal(ABI_VERSION, 1);
  assert.deepEqual(CONTEXT_FIELDS, ['awsRequestId', 'functionName', 'functionVersion', 'invokedFunctionArn', 'memoryLimitInMB', 'logGroupName', 'logStreamName']);
});

test('exports: the five required ones, memory a memory and the rest functions; linker symbols are not the ABI', () => {
  const complete = [{ name: 'memory', kind: 'memory' }, fn('lambda_wasm_abi_version'), fn('lambda_wasm_alloc'), fn('lambda_wasm_dealloc'), fn('lambda_wasm_handle')];
  assert.deepEqual(missingExports(complete), []);
  assert.deepEqual(missingExports(complete.slice(0, 4)), ['lambda_wasm_handle']);
  assert.deepEqual(misfitExports(complete), []);
  assert.deepEqual(misfitExports([fn('memory'), { name: 'lambda_wasm_alloc', kind: 'memory' }, { name: '__heap_base', kind: 'global' }]), [fn('memory'), { name: 'lambda_wasm_alloc', kind: 'memory' }]);
  // Neither a memory nor a function: a global or a table under an ABI function's name is wrong too.
  assert.deepEqual(misfitExports([{ name: 'lambda_wasm_alloc', kind: 'global' }, { name: 'lambda_wasm_handle', kind: 'table' }, { name: 'memory', kind: 'global' }]), [
    { name: 'memory', kind: 'global' },
    { name: 'lambda_wasm_alloc', kind: 'global' },
    { name: 'lambda_wasm_handle', kind: 'table' },
  ]);
  assert.equal(isAbiExport('lambda_wasm_init'), true);
  assert.equal(isAbiExport('__heap_base'), false);
});

test('imports: only functions of the lambda_wasm module that the host provides', () => {
  const host = ['output', 'log', 'context_get', 'remaining_time_ms', 'panic', 'now_ms', 'random_fill'].map((name) => ({ module: 'lambda_wasm', name, kind: 'function' }));
  assert.equal(foreignImports(host), undefined);
  assert.equal(foreignImports([]), undefined);
  const wasi = foreignImports([{ module: 'wasi_snapshot_preview1', name: 'fd_write', kind: 'function' }]);
  assert.match(wasi ?? '', /^imports wasi_snapshot_preview1\.fd_write \(function\), which ABI v1 does not provide \(it provides lambda_wasm\.output, /);
  assert.match(foreignImports([{ module: 'lambda_wasm', name: 'sleep', kind: 'function' }]) ?? '', /lambda_wasm\.sleep \(function\)/);
  assert.match(foreignImports([{ module: 'lambda_wasm', name: 'output', kind: 'global' }]) ?? '', /lambda_wasm\.output \(global\)/);
});
