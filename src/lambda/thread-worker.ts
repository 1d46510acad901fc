/**
 * @module
 * The inside of a worker-thread execution environment: loads the handler once (the init phase),
 * then runs one invocation per message, collecting its console lines in Lambda's format.
 */
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
  | { type: 'ready'; logs: string[] }
  | { type: 'init-error'; error: ReturnType<typeof toPayload>; logs: string[] }
  | { type: 'done'; requestId: string; ok: true; body: string; logs: string[]; memoryBytes: number }
  | { type: 'done'; requestId: string; ok: false; error: ReturnType<typeof toPayload>; logs: string[]; memoryBytes: number; fatal?: boolean };

const port = parentPort!;
const env = process.env;
const { taskRoot, handlerSpec } = workerData as { taskRoot: string; handlerSpec: string };
let current: string | undefined;
let lines: string[] = [];
patchConsole(env, () => current, (line) => lines.push(line));
const take = () => {
  const out = lines;
  lines = [];
  return out;
};
/** This environment's memory: the V8 heap in use plus external memory (ArrayBuffers and Wasm memories). */
const memoryBytes = () => {
  const s = getHeapStatistics();
  return s.used_heap_size + s.external_memory;
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
  current = m.requestId;
  const context = makeContext(env, { requestId: m.requestId, deadlineMs: m.deadlineMs, invokedFunctionArn: m.invokedFunctionArn, clientContext: m.clientContext });
  try {
    const result = await runHandler(handler, JSON.parse(m.payload), context);
    port.postMessage({ type: 'done', requestId: m.requestId, ok: true, body: JSON.stringify(result ?? null), logs: take(), memoryBytes: memoryBytes() } satisfies WorkerReply);
  } catch (error) {
    console.error(`Invoke Error \t${toLogged(error)}`);
    port.postMessage({ type: 'done', requestId: m.requestId, ok: false, error: toPayload(error), logs: take(), memoryBytes: memoryBytes() } satisfies WorkerReply);
  }
});
