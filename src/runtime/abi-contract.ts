/**
 * @module
 * The lambda-wasm guest ABI's names, in one place (docs/abi.md): what a guest must export, what the
 * host provides it to import, the ABI version and the order of the context fields `context_get`
 * numbers. The adapter (`abi-host.ts`) checks a module against it at cold start and `build` checks
 * the same before packaging, so a guest the adapter would refuse is never packaged. It imports
 * nothing: it ships in every zip, and build code imports it without loading the adapter.
 */

export const ABI_VERSION = 1;

/** The import module the host's functions live in. */
export const HOST_MODULE = 'lambda_wasm';

export const REQUIRED_EXPORTS = ['memory', 'lambda_wasm_abi_version', 'lambda_wasm_alloc', 'lambda_wasm_dealloc', 'lambda_wasm_handle'] as const;

/** Called once after instantiation when the guest exports it; 0 means ready. */
export const INIT_EXPORT = 'lambda_wasm_init';

/** `now_ms` and `random_fill` are optional additions to v1: guests built before them do not import them. */
export const HOST_IMPORTS = ['output', 'log', 'context_get', 'remaining_time_ms', 'panic', 'now_ms', 'random_fill'] as const;

/** `context_get(field, …)`: field i is the Lambda context property at index i. */
export const CONTEXT_FIELDS = [
  'awsRequestId',
  'functionName',
  'functionVersion',
  'invokedFunctionArn',
  'memoryLimitInMB',
  'logGroupName',
  'logStreamName',
] as const;

/** The guest's surface: `memory` and the `lambda_wasm_*` functions (linker symbols such as `__heap_base` are not). */
export function isAbiExport(name: string): boolean {
  return name === 'memory' || name.startsWith('lambda_wasm_');
}

/** An import or export as `WebAssembly.Module.imports`/`exports` describe it. */
export interface ModuleEntry {
  module?: string;
  name: string;
  kind: string;
}

/** The required exports the module lacks. */
export function missingExports(exports: readonly ModuleEntry[]): string[] {
  return REQUIRED_EXPORTS.filter((name) => !exports.some((e) => e.name === name));
}

/** Required exports of the wrong kind: `memory` must be a memory, `lambda_wasm_*` functions. */
export function misfitExports(exports: readonly ModuleEntry[]): ModuleEntry[] {
  return REQUIRED_EXPORTS.flatMap((name) => exports.filter((e) => e.name === name && e.kind !== (name === 'memory' ? 'memory' : 'function')));
}

/** The wrong-kind exports as a sentence ("exports memory as a function: …"), or undefined when there are none. */
export function misfitExportsProblem(exports: readonly ModuleEntry[]): string | undefined {
  const misfit = misfitExports(exports);
  if (misfit.length === 0) return undefined;
  return `exports ${misfit.map((e) => `${e.name} as a ${e.kind}`).join(', ')}: "memory" must be a memory, lambda_wasm_* functions`;
}

/**
 * The module's imports the host does not provide, as a sentence ("imports wasi_snapshot_preview1.fd_write
 * (function), which ABI v1 does not provide (…)"), or undefined when the host provides them all.
 */
export function foreignImports(imports: readonly ModuleEntry[]): string | undefined {
  const unknown = imports.filter((i) => i.module !== HOST_MODULE || !(HOST_IMPORTS as readonly string[]).includes(i.name) || i.kind !== 'function');
  if (unknown.length === 0) return undefined;
  const list = unknown.map((i) => `${i.module}.${i.name} (${i.kind})`).join(', ');
  return `imports ${list}, which ABI v${ABI_VERSION} does not provide (it provides ${HOST_MODULE}.${HOST_IMPORTS.join(`, ${HOST_MODULE}.`)})`;
}
