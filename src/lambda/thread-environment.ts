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
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { cpuTicksMs, lambdaEnvironment } from './environment.js';
import type { ExecutionEnvironment, Outcome } from './execution-environment.js';
import { invokedFunctionArn } from './identity.js';
import { threadWorkerPath } from './paths.js';
import { runtimeExited } from './runtime-exit.js';
import type { FunctionSpec, InvocationError } from './types.js';
import type { InvokeMessage, WorkerReply } from './thread-worker.js';

const MiB = 1024 * 1024;

/**
 * A guest that spins (more than half a core for this long, in an invocation or an init) yields the
 * CPU: its thread gets the lowest priority, so on a small machine a runaway guest cannot slow the
 * well-behaved ones down while it waits for its timeout (Lambda gives each environment its own CPU
 * share; a local machine cannot). CPU time, not wall time: a guest only waiting for a busy machine
 * is left alone.
 */
const SPIN_CHECK_MS = 100;

interface Pending {
  requestId: string;
  startedAt: number;
  resolve: (r: { outcome: Outcome; logs: string[]; requestId: string }) => void;
  timer: NodeJS.Timeout;
  overrun: NodeJS.Timeout;
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
  spinning = false;
  /** The worker's OS thread id (Linux), to lower its priority once it has overrun. */
  private tid: number | undefined;
  private exited: Promise<void> | undefined;

  constructor(private readonly spec: FunctionSpec) {}

  async start(): Promise<void> {
    const spawnedAt = performance.now();
    const env = await lambdaEnvironment(this.spec, this.id, '127.0.0.1:0');
    const worker = new Worker(threadWorkerPath(), {
      workerData: { taskRoot: this.spec.codeDir, handlerSpec: this.spec.handler ?? 'index.handler' },
      env,
      resourceLimits: { maxOldGenerationSizeMb: this.spec.memorySize },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const overrun = this.watchForSpinning();
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
    clearInterval(overrun);
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
        clearInterval(this.pending.overrun);
        this.pending = undefined;
        this.killedForTimeout = true;
        this.lowerPriority();
        this.kill();
        resolve({ outcome: { kind: 'timeout', durationMs: performance.now() - startedAt }, logs: [], requestId });
      }, options.timeoutMs);
      const overrun = this.watchForSpinning();
      this.pending = { requestId, startedAt, resolve, timer, overrun };
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
    clearInterval(p.overrun);
    this.lastBytes = m.memoryBytes;
    this.peakBytes = Math.max(this.peakBytes, m.memoryBytes);
    const durationMs = performance.now() - p.startedAt;
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
    clearInterval(p.overrun);
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
    clearInterval(p.overrun);
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
    if (this.initDurationMs === undefined) this.lowerPriority();
    void this.worker.terminate();
    await this.exited;
  }

  /** Checks the thread's CPU time every SPIN_CHECK_MS; one that spun the whole while yields. */
  private watchForSpinning(): NodeJS.Timeout {
    let last: number | undefined;
    const timer = setInterval(() => {
      const ticks = this.cpuTicks();
      if (ticks === undefined) return;
      // Clock ticks are 1/100 s: half of SPIN_CHECK_MS is SPIN_CHECK_MS / 20 ticks.
      if (last !== undefined && ticks - last >= SPIN_CHECK_MS / 20) {
        this.lowerPriority();
        clearInterval(timer);
      }
      last = ticks;
    }, SPIN_CHECK_MS);
    timer.unref();
    return timer;
  }

  /** User + system CPU time of the worker's thread in clock ticks (Linux), or undefined. */
  private cpuTicks(): number | undefined {
    const ms = this.cpuMs();
    return ms === undefined ? undefined : ms / 10;
  }

  cpuMs(): number | undefined {
    return this.tid === undefined ? undefined : cpuTicksMs(`/proc/self/task/${this.tid}/stat`);
  }

  /** Lowest priority for a thread that spins (Linux threads have their own nice value). */
  private lowerPriority(): void {
    if (this.tid === undefined) return;
    this.spinning = true;
    try {
      setPriority(this.tid, 19);
    } catch {
      // Not Linux, or the thread is already gone.
    }
  }
}
