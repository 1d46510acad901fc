/**
 * @module
 * The inside of a worker-thread execution environment: loads the handler once (the init phase),
 * then runs one invocation per message, collecting its console lines in Lambda's format.
 */
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { loadHandler, makeContext, patchConsole, runHandler, toLogged, toPayload, unhandledRejectionError, type Handler } from './client-core.js';

export interface InvokeMessage {
  requestId: string;
  payload: string;
  deadlineMs: number;
  invokedFunctionArn: string;
  clientContext: string | undefined;
}

export type WorkerReply =
  | { type: 'thread'; tid: number | undefined }
  | { type: 'ready'; logs: string[] }
  | { type: 'init-error'; error: ReturnType<typeof toPayload>; logs: string[] }
  | { type: 'done'; requestId: string; ok: true; body: string; logs: string[]; memoryBytes: number; durationMs: number }
  | { type: 'done'; requestId: string; ok: false; error: ReturnType<typeof toPayload>; logs: string[]; memoryBytes: number; durationMs?: number; fatal?: boolean };

const port = parentPort!;
const env = process.env;
const { taskRoot, handlerSpec, nice } = workerData as { taskRoot: string; handlerSpec: string; nice?: number };
let current: string | undefined;
let lines: string[] = [];
patchConsole(env, () => current, (line) => lines.push(line));
const take = () => {
  const out = lines;
  lines = [];
  return out;
};
// The OS thread id (Linux), so the platform can lower the priority of a thread that overran.
let tid: number | undefined;
try {
  tid = Number(readlinkSync('/proc/thread-self').split('/').pop()) || undefined;
} catch {
  tid = undefined;
}
// The environment's own priority (src/lambda/priority.ts), before the function's code runs: a
// thread may lower its own priority without privileges.
if (tid !== undefined && nice !== undefined) {
  try {
    setPriority(tid, nice);
  } catch {
    // not allowed here: the platform's priority it is
  }
}
port.postMessage({ type: 'thread', tid } satisfies WorkerReply);

// Wasm memories the function instantiates, to count what the guest really holds of them. (The
// WebAssembly types live in TypeScript's DOM library, which src/ does not load: declared here.)
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Instance: new (module: unknown, imports?: unknown) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: unknown) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const memories: Array<WeakRef<WasmMemory>> = [];
const NativeMemory = wasm.Memory;
wasm.Memory = class Memory extends NativeMemory {
  constructor(descriptor: unknown) {
    super(descriptor);
    memories.push(new WeakRef(this));
  }
};
const NativeInstance = wasm.Instance;
wasm.Instance = class Instance extends NativeInstance {
  constructor(module: unknown, imports?: unknown) {
    super(module, imports);
    for (const value of Object.values(this.exports)) if (value instanceof NativeMemory && !memories.some((m) => m.deref() === value)) memories.push(new WeakRef(value));
  }
};

const CHUNK = 64 * 1024;
const ZERO = Buffer.alloc(CHUNK);
/** Memories up to this size count whole; a larger one counts the 64 KiB chunks it has written to. */
const SCAN_ABOVE = 64 * 1024 * 1024;

/** The bytes of a Wasm memory that hold data: untouched pages of a large declared memory cost nothing. */
function touchedBytes(memory: WasmMemory): number {
  const view = Buffer.from(memory.buffer);
  if (view.length <= SCAN_ABOVE) return view.length;
  let chunks = 0;
  for (let at = 0; at < view.length; at += CHUNK) if (view.compare(ZERO, 0, CHUNK, at, at + CHUNK) !== 0) chunks++;
  return chunks * CHUNK;
}

/** This environment's memory: the V8 heap in use, external memory, and Wasm memory as written to. */
const memoryBytes = () => {
  const s = getHeapStatistics();
  let declared = 0;
  let touched = 0;
  for (let i = memories.length - 1; i >= 0; i--) {
    const memory = memories[i]!.deref();
    if (memory === undefined) {
      memories.splice(i, 1);
      continue;
    }
    declared += memory.buffer.byteLength;
    touched += touchedBytes(memory);
  }
  return s.used_heap_size + Math.max(0, s.external_memory - declared) + touched;
};

process.on('unhandledRejection', (reason) => {
  const error = unhandledRejectionError(reason);
  console.error(`Unhandled Promise Rejection \t${toLogged(error)}`);
  port.postMessage({ type: 'done', requestId: current ?? '', ok: false, error: toPayload(error), logs: take(), memoryBytes: memoryBytes(), fatal: true } satisfies WorkerReply);
  process.exit(128);
});

let handler: Handler;
try {
  handler = await loadHandler(taskRoot, handlerSpec);
  port.postMessage({ type: 'ready', logs: take() } satisfies WorkerReply);
} catch (error) {
  const payload = toPayload(error);
  console.error(`Init Error \t${JSON.stringify(payload)}`);
  port.postMessage({ type: 'init-error', error: payload, logs: take() } satisfies WorkerReply);
  process.exit(1);
}

port.on('message', async (m: InvokeMessage) => {
  // The invocation's duration as the function saw it: a platform slow to read the answer (a busy
  // event loop) does not lengthen it.
  const startedAt = performance.now();
  const durationMs = () => performance.now() - startedAt;
  current = m.requestId;
  const context = makeContext(env, { requestId: m.requestId, deadlineMs: m.deadlineMs, invokedFunctionArn: m.invokedFunctionArn, clientContext: m.clientContext });
  try {
    const result = await runHandler(handler, JSON.parse(m.payload), context);
    port.postMessage({ type: 'done', requestId: m.requestId, ok: true, body: JSON.stringify(result ?? null), logs: take(), memoryBytes: memoryBytes(), durationMs: durationMs() } satisfies WorkerReply);
  } catch (error) {
    console.error(`Invoke Error \t${toLogged(error)}`);
    port.postMessage({ type: 'done', requestId: m.requestId, ok: false, error: toPayload(error), logs: take(), memoryBytes: memoryBytes(), durationMs: durationMs() } satisfies WorkerReply);
  }
});
