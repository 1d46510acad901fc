/**
 * @module
 * An execution environment in a worker thread of this process: the same handler, context, log
 * lines and error payloads as the process environment, at a fraction of the per-invocation cost
 * (a message instead of a Runtime API round trip), for the local CloudFront's request path.
 * A runaway invocation is stopped with `terminate()`, and the environment counts as ending until
 * its thread has really exited (V8 defers a termination while a guest's `memory.grow` calls keep
 * succeeding; the memory cap of memory-limit.ts bounds that), its priority lowered meanwhile so it
 * cannot starve the others. The memory size caps the V8 heap and the guest's linear memory;
 * `Max Memory Used` is the heap plus the Wasm memory the guest has written to.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { cpuTicksMs, lambdaEnvironment } from './environment.js';
import type { ExecutionEnvironment, Outcome } from './execution-environment.js';
import { invokedFunctionArn } from './identity.js';
import { threadWorkerPath } from './paths.js';
import { INIT_CPU_MS, INVOKE_CPU_MS, PriorityGuard, environmentPriority } from './priority.js';
import { runtimeExited } from './runtime-exit.js';
import type { FunctionSpec, InvocationError } from './types.js';
import type { InvokeMessage, WorkerReply } from './thread-worker.js';

const MiB = 1024 * 1024;

interface Pending {
  requestId: string;
  startedAt: number;
  resolve: (r: { outcome: Outcome; logs: string[]; requestId: string }) => void;
  timer: NodeJS.Timeout;
}

export class ThreadEnvironment implements ExecutionEnvironment {
  readonly id = randomBytes(16).toString('hex');
  initDurationMs: number | undefined;
  initError: InvocationError | undefined;
  readonly initLogs: string[] = [];
  invocations = 0;
  dead = false;
  private worker: Worker | undefined;
  private pending: Pending | undefined;
  private peakBytes = 0;
  private lastBytes = 0;
  private killedForTimeout = false;
  /** The worker's OS thread id (Linux), to lower its priority once it has overrun. */
  private tid: number | undefined;
  /** A guest that spins yields the CPU to the others (src/lambda/priority.ts). */
  private readonly priority = new PriorityGuard(
    () => this.tid,
    () => this.cpuMs(),
  );
  private exited: Promise<void> | undefined;

  constructor(private readonly spec: FunctionSpec) {}

  /** Given the lowest priority in its current phase: its CPU time no longer measures its progress. */
  get spinning(): boolean {
    return this.priority.lowered;
  }

  async start(): Promise<void> {
    const spawnedAt = performance.now();
    const env = await lambdaEnvironment(this.spec, this.id, '127.0.0.1:0');
    const worker = new Worker(threadWorkerPath(), {
      workerData: { taskRoot: this.spec.codeDir, handlerSpec: this.spec.handler ?? 'index.handler', nice: environmentPriority() },
      env,
      // A fresh Node.js, as a process environment gets: none of the platform's own flags (a test
      // runner's `--import tsx` would load a TypeScript loader into every environment).
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.spec.memorySize },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // The thread's CPU time starts with it: the init's budget counts from 0.
    this.priority.watch(INIT_CPU_MS, 0);
    await new Promise<void>((resolve) => {
      const onFirst = (m: WorkerReply) => {
        if (m.type === 'thread') {
          this.tid = m.tid;
          worker.once('message', onFirst);
          return;
        }
        if (m.type === 'ready') {
          this.initDurationMs = performance.now() - spawnedAt;
          this.initLogs.push(...m.logs);
        } else if (m.type === 'init-error') {
          this.initDurationMs = performance.now() - spawnedAt;
          this.initLogs.push(...m.logs);
          this.initError = { errorType: m.error.errorType, errorMessage: m.error.errorMessage, trace: m.error.trace };
          this.dead = true;
        }
        resolve();
      };
      worker.once('message', onFirst);
      worker.once('error', (e) => {
        this.initError = { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') };
        this.dead = true;
        resolve();
      });
      worker.once('exit', () => {
        this.dead = true;
        resolve();
      });
    });
    // A heavy init that was lowered serves its invocations at the platform's priority again.
    this.priority.restore();
    worker.on('message', (m: WorkerReply) => this.onReply(m));
    worker.on('error', (e) => this.onCrash(e));
    worker.on('exit', (code) => this.onExit(code));
  }

  invoke(event: string, options: { requestId?: string; clientContext?: string; timeoutMs: number }): Promise<{ outcome: Outcome; logs: string[]; requestId: string }> {
    if (this.dead || this.pending !== undefined || this.worker === undefined) throw new Error('environment is not ready');
    this.invocations++;
    const requestId = options.requestId ?? randomUUID();
    return new Promise((resolve) => {
      const startedAt = performance.now();
      const timer = setTimeout(() => {
        if (this.pending?.requestId !== requestId) return;
        this.pending = undefined;
        this.killedForTimeout = true;
        // It may take a moment to stop (a guest in memory.grow): it waits at the lowest priority.
        this.priority.stop();
        this.priority.lower();
        this.kill();
        resolve({ outcome: { kind: 'timeout', durationMs: performance.now() - startedAt }, logs: [], requestId });
      }, options.timeoutMs);
      this.priority.watch(INVOKE_CPU_MS);
      this.pending = { requestId, startedAt, resolve, timer };
      const message: InvokeMessage = {
        requestId,
        payload: event,
        deadlineMs: Date.now() + options.timeoutMs,
        invokedFunctionArn: invokedFunctionArn(this.spec),
        clientContext: options.clientContext,
      };
      this.worker!.postMessage(message);
    });
  }

  private onReply(m: WorkerReply): void {
    if (m.type !== 'done') return;
    const p = this.pending;
    if (p === undefined || p.requestId !== m.requestId) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    // Reused at the platform's priority (where the OS lets a priority be raised again).
    this.priority.restore();
    this.lastBytes = m.memoryBytes;
    this.peakBytes = Math.max(this.peakBytes, m.memoryBytes);
    const durationMs = m.durationMs ?? performance.now() - p.startedAt;
    if (m.ok) {
      p.resolve({ outcome: { kind: 'response', body: m.body, durationMs }, logs: m.logs, requestId: p.requestId });
    } else {
      if (m.fatal === true) this.dead = true;
      p.resolve({ outcome: { kind: 'error', error: { errorType: m.error.errorType, errorMessage: m.error.errorMessage, trace: m.error.trace }, durationMs }, logs: m.logs, requestId: p.requestId });
    }
    // Wasm memory is not under the V8 heap limit: over the memory size, the environment is retired.
    if (this.lastBytes > this.spec.memorySize * MiB) this.dead = true;
  }

  private onCrash(e: Error & { code?: string }): void {
    const p = this.pending;
    this.dead = true;
    if (p === undefined) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    this.priority.stop();
    const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
    const error = oom ? runtimeExited(p.requestId, 'signal: killed', true) : runtimeExited(p.requestId, e.message);
    p.resolve({ outcome: { kind: 'exit', error, durationMs: performance.now() - p.startedAt }, logs: [], requestId: p.requestId });
  }

  private onExit(code: number): void {
    this.dead = true;
    const p = this.pending;
    if (p === undefined || this.killedForTimeout) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    this.priority.stop();
    const error = runtimeExited(p.requestId, `exit status ${code}`);
    p.resolve({ outcome: { kind: 'exit', error, durationMs: performance.now() - p.startedAt }, logs: [], requestId: p.requestId });
  }

  async peakMemoryMB(): Promise<number> {
    return Math.ceil(this.peakBytes / MiB);
  }

  async residentMemoryMB(): Promise<number> {
    return this.lastBytes / MiB;
  }

  get pid(): number | undefined {
    return undefined;
  }

  kill(): void {
    this.dead = true;
    void this.worker?.terminate();
  }

  /** Terminates the worker and resolves once its thread has exited. */
  async dispose(): Promise<void> {
    this.dead = true;
    if (this.worker === undefined) return;
    // An environment that is still starting may be spinning in its init: let it yield the CPU.
    if (this.initDurationMs === undefined) this.priority.lower();
    void this.worker.terminate();
    await this.exited;
  }

  cpuMs(): number | undefined {
    return this.tid === undefined ? undefined : cpuTicksMs(`/proc/self/task/${this.tid}/stat`);
  }
}
