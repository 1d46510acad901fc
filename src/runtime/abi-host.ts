/**
 * @module
 * The host side of the lambda-wasm guest ABI v1 (docs/abi.md). Bundled into every zip, so it
 * imports nothing but Node built-ins that the Lambda runtime has, and stays small.
 */
import { buffer, fillRandom, nowMs } from './builtins.js';
import { ABI_VERSION, CONTEXT_FIELDS, HOST_IMPORTS, HOST_MODULE, INIT_EXPORT, REQUIRED_EXPORTS, foreignImports, misfitExportsProblem, missingExports } from './abi-contract.js';
import { guestError, trapError } from './guest-errors.js';

const { isUtf8 } = buffer;

/** The part of the Lambda context the guest can ask for (docs/abi.md, `context_get`). */
export interface ContextLike {
  awsRequestId?: string;
  functionName?: string;
  functionVersion?: string;
  invokedFunctionArn?: string;
  memoryLimitInMB?: string | number;
  logGroupName?: string;
  logStreamName?: string;
  getRemainingTimeInMillis?: () => number;
}

/** Where guest log lines go; the Lambda runtime patches `console` to add timestamp, request id and level. */
export type LogSink = Pick<Console, 'trace' | 'debug' | 'info' | 'warn' | 'error'>;

interface GuestExports {
  memory: WebAssembly.Memory;
  lambda_wasm_abi_version: () => number;
  lambda_wasm_alloc: (len: number) => number;
  lambda_wasm_dealloc: (ptr: number, len: number) => void;
  lambda_wasm_handle: (ptr: number, len: number) => number;
  lambda_wasm_init?: () => number;
}

/** Cold-start breakdown in milliseconds, for `Init Duration` analysis and `bench`. */
export interface InitTimings {
  compileMs: number;
  instantiateMs: number;
  guestInitMs: number;
}

function initError(message: string): Error {
  return guestError('WasmInitError', message);
}

/**
 * Says what in a module does not fit the ABI, as a WasmInitError; returns when nothing is found.
 * Only called once instantiating or starting a guest failed: listing a module's exports and
 * imports costs ~0.2 ms of a cold start (docs/cold-start.md), and a guest that fits never needs it.
 */
export function checkModule(module: WebAssembly.Module): void {
  const exports = WebAssembly.Module.exports(module);
  const missing = missingExports(exports);
  if (missing.length > 0) {
    const hint = exports.some((e) => e.name === '__wbindgen_malloc')
      ? ' It looks like a wasm-bindgen module: build it with `wasm-pack build --target nodejs` and configure it as "wasmPack".'
      : ' Build the guest with the lambda-wasm-guest crate and `lambda_wasm_guest::export_handler!(...)`.';
    throw initError(`guest.wasm is not a lambda-wasm guest: missing export(s) ${missing.join(', ')}.${hint}`);
  }
  const misfit = misfitExportsProblem(exports);
  if (misfit !== undefined) throw initError(`guest.wasm ${misfit}`);
  const foreign = foreignImports(WebAssembly.Module.imports(module));
  if (foreign !== undefined) {
    throw initError(`guest.wasm ${foreign}. Guests must target wasm32-unknown-unknown without WASI or wasm-bindgen imports.`);
  }
}

/**
 * One guest module, compiled once, with the instance that serves invocations. A trap discards the
 * instance; the next invocation instantiates the same compiled module again.
 */
export class WasmGuest {
  readonly timings: InitTimings;
  private readonly module: WebAssembly.Module;
  private readonly log: LogSink;
  private exports: GuestExports | undefined;
  /** The memory of the instance being started or serving: lambda_wasm_init may log or panic, before `exports` is set. */
  private memory: WebAssembly.Memory | undefined;
  private view: Buffer = Buffer.alloc(0);
  private output: string | undefined;
  private panicMessage: string | undefined;
  private context: ContextLike = {};
  private readonly imports: WebAssembly.Imports;

  private constructor(module: WebAssembly.Module, log: LogSink, compileMs: number) {
    this.module = module;
    this.log = log;
    this.imports = { [HOST_MODULE]: this.hostFunctions() };
    const t0 = nowMs();
    const instance = this.instantiate();
    const t1 = nowMs();
    this.start(instance);
    this.timings = { compileMs, instantiateMs: t1 - t0, guestInitMs: nowMs() - t1 };
  }

  /** Compiles, checks and instantiates a guest. Throws `WasmInitError` with the reason when it cannot. */
  static async load(bytes: Uint8Array, log: LogSink = console): Promise<WasmGuest> {
    const t0 = nowMs();
    let module: WebAssembly.Module;
    try {
      module = await WebAssembly.compile(bytes);
    } catch (error) {
      throw initError(`guest.wasm is not a valid WebAssembly module: ${(error as Error).message}`);
    }
    return new WasmGuest(module, log, nowMs() - t0);
  }

  /** Runs one event through the guest and returns the parsed result; guest failures throw Lambda-shaped errors. */
  handle(event: unknown, context: ContextLike): unknown {
    const guest = this.exports ?? this.start(this.instantiate());
    this.context = context;
    this.output = undefined;
    this.panicMessage = undefined;
    let status: number;
    let json: string;
    try {
      json = JSON.stringify(event) ?? 'null';
    } catch (error) {
      throw guestError('WasmEventError', `JSON.stringify(event) failed (nested too deeply?): ${(error as Error).message}`);
    }
    try {
      const len = Buffer.byteLength(json);
      const ptr = guest.lambda_wasm_alloc(len) >>> 0;
      const view = this.memoryView();
      if (ptr === 0 || ptr + len > view.length) {
        throw guestError('WasmAbiError', `lambda_wasm_alloc(${len}) returned ${ptr}, which is not a usable block in a memory of ${view.length} bytes`);
      }
      view.write(json, ptr, len, 'utf8');
      status = guest.lambda_wasm_handle(ptr, len);
    } catch (error) {
      // Whatever happened inside the guest, its memory may be inconsistent now: start afresh next time.
      this.exports = undefined;
      if (error instanceof Error && (error.name === 'WasmAbiError' || error.name === 'WasmOutputError')) throw error;
      throw trapError(error, this.panicMessage);
    }
    return this.takeResult(status);
  }

  private takeResult(status: number): unknown {
    // An i64 result arrives as a BigInt: the export was declared with the wrong result type.
    if (typeof status === 'bigint') throw guestError('WasmAbiError', 'lambda_wasm_handle returns an i64, not the i32 of the ABI');
    if (status !== 0 && status !== 1) {
      throw guestError('WasmAbiError', `lambda_wasm_handle returned status ${status}; ABI v${ABI_VERSION} defines 0 (result) and 1 (error)`);
    }
    const text = this.output;
    if (text === undefined) {
      throw guestError('WasmOutputError', `the guest returned status ${status} without calling lambda_wasm.output`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw guestError('WasmOutputError', `the guest's output is not JSON (${(error as Error).message}): ${preview(text)}`);
    }
    if (status === 0) return value;
    const err = value as { errorType?: unknown; errorMessage?: unknown } | null;
    if (err === null || typeof err !== 'object' || typeof err.errorType !== 'string' || typeof err.errorMessage !== 'string') {
      throw guestError('WasmOutputError', `the guest reported an error without string errorType/errorMessage: ${preview(text)}`);
    }
    throw guestError(err.errorType, err.errorMessage);
  }

  private instantiate(): WebAssembly.Instance {
    try {
      return new WebAssembly.Instance(this.module, this.imports);
    } catch (error) {
      // An import the host does not provide, or a trap in the module's start function. A guest
      // that does not fit the ABI is told so (missing exports first, then foreign imports).
      checkModule(this.module);
      throw initError(`guest.wasm's start function failed: ${trapError(error, this.panicMessage).message}`);
    }
  }

  private start(instance: WebAssembly.Instance): GuestExports {
    const guest = instance.exports as unknown as GuestExports;
    if (!fitsAbi(instance.exports)) {
      checkModule(this.module);
      throw initError('guest.wasm does not export what ABI v1 asks for (docs/abi.md)');
    }
    this.memory = guest.memory;
    let version: number;
    try {
      version = guest.lambda_wasm_abi_version();
    } catch (error) {
      throw initError(`lambda_wasm_abi_version trapped: ${trapError(error, this.panicMessage).message}`);
    }
    if (version !== ABI_VERSION) {
      throw initError(
        `guest.wasm speaks lambda-wasm ABI v${version}, this adapter speaks v${ABI_VERSION}: ` +
          `rebuild the guest against lambda-wasm-guest 0.1 (or upgrade lambda-wasm)`,
      );
    }
    if (typeof guest[INIT_EXPORT] === 'function') {
      let status: number;
      try {
        status = guest[INIT_EXPORT]();
      } catch (error) {
        throw initError(`lambda_wasm_init trapped: ${trapError(error, this.panicMessage).message}`);
      }
      if (status !== 0) throw initError(`lambda_wasm_init returned ${status} (0 means ready)`);
    }
    this.exports = guest;
    return guest;
  }

  /** A Buffer over guest memory, renewed only when memory.grow replaced the ArrayBuffer. */
  private memoryView(): Buffer {
    const buffer = this.memory?.buffer;
    if (buffer !== undefined && this.view.buffer !== buffer) this.view = Buffer.from(buffer);
    return this.view;
  }

  /** `[ptr, ptr+len)` of guest memory, or a WasmAbiError when it runs past the end. */
  private block(ptr: number, len: number, what: string): Buffer {
    const view = this.memoryView();
    const start = ptr >>> 0;
    const end = start + (len >>> 0);
    if (end > view.length) {
      throw guestError('WasmAbiError', `${what}: bytes ${start}..${end} are outside the guest's ${view.length}-byte memory`);
    }
    return view.subarray(start, end);
  }

  private readText(ptr: number, len: number, what: string): string {
    const bytes = this.block(ptr, len, what);
    if (!isUtf8(bytes)) throw guestError('WasmOutputError', `${what}: the bytes are not valid UTF-8`);
    return bytes.toString('utf8');
  }

  private hostFunctions(): Record<(typeof HOST_IMPORTS)[number], (...args: number[]) => number | void> {
    // Looked up per call, not captured: a Lambda runtime may patch console after the module loads.
    const levels = ['trace', 'debug', 'info', 'warn', 'error', 'error'] as const;
    return {
      output: (ptr, len) => {
        this.output = this.readText(ptr!, len!, 'lambda_wasm.output');
      },
      log: (level, ptr, len) => {
        this.log[levels[level!] ?? 'info'](this.readText(ptr!, len!, 'lambda_wasm.log'));
      },
      context_get: (field, ptr, cap) => {
        const name = CONTEXT_FIELDS[field!];
        const value = name === undefined ? undefined : this.context[name];
        if (value === undefined) return -1;
        const text = String(value);
        const len = Buffer.byteLength(text);
        if (len <= cap! >>> 0) this.block(ptr!, len, 'lambda_wasm.context_get').write(text);
        return len;
      },
      remaining_time_ms: () => this.context.getRemainingTimeInMillis?.() ?? 0,
      now_ms: () => Date.now(),
      random_fill: (ptr, len) => {
        const view = this.memoryView();
        const end = (ptr! >>> 0) + (len! >>> 0);
        if (end > view.length) throw guestError('WasmAbiError', 'lambda_wasm.random_fill: the block is outside guest memory');
        fillRandom(view.subarray(ptr! >>> 0, end));
      },
      panic: (ptr, len) => {
        this.panicMessage = this.readText(ptr!, len!, 'lambda_wasm.panic');
        this.log.error(this.panicMessage);
      },
    };
  }
}

/**
 * Whether an instance has the exports the ABI asks for, of the right kinds: cheaper than listing
 * the module's exports. A memory is told by its tag, not `instanceof WebAssembly.Memory`: whoever
 * replaced that global (the local platform counts memories through a subclass) would fail a guest's
 * own memory, which is created by the engine.
 */
function fitsAbi(exports: WebAssembly.Exports): boolean {
  return REQUIRED_EXPORTS.every((name) =>
    name === 'memory' ? Object.prototype.toString.call(exports[name]) === '[object WebAssembly.Memory]' : typeof exports[name] === 'function',
  );
}

function preview(text: string): string {
  return text.length > 200 ? `${JSON.stringify(text.slice(0, 200))}…` : JSON.stringify(text);
}
