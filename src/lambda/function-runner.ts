/**
 * @module
 * The execution environments of one function, as Lambda manages them: an environment serves one
 * invocation at a time; a new one starts (a cold start, with its Init Duration) only when every
 * existing one is busy, up to the function's concurrency, beyond which an invocation is throttled
 * (or, for a library caller that asks for it, waits); one that timed out, ran out of memory or
 * crashed is discarded, and one idle for long is reclaimed. Every start has a deadline: Lambda's
 * 10 s init phase, then one retry inside the invocation under its timeout (a suppressed init).
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { LAMBDA_INIT_TIMEOUT_MS, LAMBDA_PAYLOAD_LIMITS } from '../config/limits.js';
import { EdgeError, disposedError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import { Environment } from './environment.js';
import type { ExecutionEnvironment, Outcome } from './execution-environment.js';
import { runtimeOf } from './native-environment.js';
import { memoryLimitedCode } from './memory-limit.js';
import { LATEST } from './identity.js';
import { runtimeExited } from './runtime-exit.js';
import { ThreadEnvironment } from './thread-environment.js';
import { endLine, initReportLine, reportLine, startLine, timeoutLine } from './log-lines.js';
import type { FunctionSpec, InvocationRecord } from './types.js';

export interface FunctionRunnerOptions {
  /** Concurrency: the most environments at once. Default `defaultConcurrency()`. */
  maxEnvironments?: number;
  /**
   * At the concurrency limit, answer `TooManyRequestsException` at once, as Lambda does (default),
   * or `wait` for an environment to come free.
   */
  whenBusy?: 'throttle' | 'wait';
  /** Lambda's init phase limit, in ms (default 10 000). */
  initTimeoutMs?: number;
  /** An environment idle this long is reclaimed (ms). Default: kept until `dispose()`. */
  idleTimeoutMs?: number;
  logger?: Logger;
  /** Each finished invocation's lines, as they would reach CloudWatch. */
  onLog?: (line: string, record: InvocationRecord) => void;
  /** Start a fresh environment for every invocation. */
  alwaysCold?: boolean;
  /**
   * Under thread isolation, once an environment of the function has run away (timed out, was
   * killed or retired over its memory size, or never finished its init), start the function's new
   * environments as processes. A worker thread shares the platform's address space, malloc arenas
   * and event loop: a guest that spins or hoards memory there, and its slow stop (V8 terminates a
   * thread only between instructions; the thread's exit is joined by the platform's main thread),
   * holds up every healthy request; a process is killed at once and its memory goes with it.
   * Behaviour is the same in both kinds (see docs/lambda-platform.md).
   */
  isolateRunaways?: boolean;
}

/** The default concurrency: 8 environments per core, at least 16 (a thread environment is ~10 MB). */
export function defaultConcurrency(): number {
  return Math.max(16, availableParallelism() * 8);
}

/** How often the memory size is checked while an invocation runs. */
const MEMORY_SAMPLE_MS = 25;

type StartResult = 'ready' | 'timeout';

/** An init is stopped at this many times its deadline in wall time, however little CPU it used. */
const WALL_BACKSTOP = 5;

export class FunctionRunner {
  readonly spec: FunctionSpec;
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly idleSince = new Map<ExecutionEnvironment, number>();
  private readonly all = new Set<ExecutionEnvironment>();
  /** Environments in their init phase, so `dispose()` ends them too. */
  private readonly initing = new Set<ExecutionEnvironment>();
  /** Discarded environments until their process or thread is gone. */
  private readonly ending = new Set<Promise<void>>();
  private readonly waiting: Array<() => void> = [];
  private starting = 0;
  private disposed = false;
  private readonly max: number;
  private readonly logger: Logger;
  /** A custom runtime (`bootstrap`) always runs as a process; see also `isolateRunaways`. */
  private isolation: 'process' | 'thread';
  private reaper: NodeJS.Timeout | undefined;

  constructor(
    spec: FunctionSpec,
    private readonly options: FunctionRunnerOptions = {},
  ) {
    this.max = options.maxEnvironments ?? defaultConcurrency();
    if (spec.isolation === 'thread' && spec.runtimeClient === 'ric') {
      throw new EdgeError('E_USAGE', "AWS's runtime interface client runs in a process of its own: use process isolation with --ric");
    }
    // The memory size bounds the guest's linear memory, in both kinds of environment.
    this.spec = { ...spec, codeDir: memoryLimitedCode(spec.codeDir, spec.memorySize) };
    this.logger = options.logger ?? noopLogger;
    this.isolation = spec.isolation === 'thread' && runtimeOf(spec) !== 'provided' ? 'thread' : 'process';
    if (options.idleTimeoutMs !== undefined) {
      this.reaper = setInterval(() => this.reapIdle(), Math.max(100, Math.min(options.idleTimeoutMs / 2, 10_000)));
      this.reaper.unref();
    }
  }

  stats(): { environments: number; busy: number; idle: number; starting: number; ending: number } {
    return { environments: this.all.size, busy: this.all.size - this.idle.length, idle: this.idle.length, starting: this.starting, ending: this.ending.size };
  }

  /**
   * Runs one invocation. `payload` is the event's JSON text when the caller has it (the Invoke
   * API passes the request body through, as Lambda does); otherwise the event is serialised.
   */
  async invoke(event: unknown, options: { requestId?: string; clientContext?: string; payload?: string } = {}): Promise<InvocationRecord> {
    if (this.disposed) throw disposedError(`the runner of ${this.spec.name}`);
    const requestId = options.requestId ?? randomUUID();
    const payload = options.payload ?? serialise(event);
    const version = this.spec.version ?? LATEST;
    const timeoutMs = this.spec.timeout * 1000;
    const lines: string[] = [];
    let env = this.idle.pop();
    let coldStart = false;
    let remainingMs = timeoutMs;
    if (env !== undefined) {
      this.idleSince.delete(env);
    } else {
      if (this.all.size + this.starting >= this.max) {
        if (this.options.whenBusy !== 'wait') return this.emit(this.throttled(requestId));
        env = await this.waitForEnvironment();
      }
    }
    if (env === undefined) {
      // A cold start: the init phase, with Lambda's deadline.
      coldStart = true;
      this.starting++;
      try {
        let started = await this.startWithin(this.options.initTimeoutMs ?? LAMBDA_INIT_TIMEOUT_MS);
        if (started.result === 'timeout') {
          // Lambda retries the init inside the invocation, under the function's timeout.
          lines.push(initReportLine(this.options.initTimeoutMs ?? LAMBDA_INIT_TIMEOUT_MS, 'init', 'timeout'), startLine(requestId, version));
          const t0 = performance.now();
          started = await this.startWithin(timeoutMs);
          if (started.result === 'timeout') {
            lines.push(initReportLine(timeoutMs, 'invoke', 'timeout'), timeoutLine(requestId, this.spec.timeout), endLine(requestId));
            lines.push(reportLine({ requestId, durationMs: timeoutMs, billedMs: timeoutMs, memorySize: this.spec.memorySize, maxMemoryMB: started.peakMB, initDurationMs: undefined }));
            return this.emit(this.record(requestId, lines, { kind: 'timeout', durationMs: timeoutMs }, undefined, true, started.peakMB));
          }
          remainingMs = Math.max(1, timeoutMs - (performance.now() - t0));
        }
        env = started.env;
      } finally {
        this.starting--;
      }
      this.all.add(env);
    }
    if (!lines.some((l) => l.startsWith('START '))) lines.push(startLine(requestId, version));
    if (coldStart) lines.splice(0, 0, ...env.initLogs.splice(0));
    if (env.initError !== undefined || env.dead) {
      const error = env.initError ?? { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited before it was ready` };
      const record = this.record(requestId, lines, { kind: 'exit', error, durationMs: 0 }, env, coldStart, 0);
      lines.push(endLine(requestId), reportLine({ requestId, durationMs: 0, billedMs: Math.ceil(env.initDurationMs ?? 0), memorySize: this.spec.memorySize, maxMemoryMB: 0, initDurationMs: env.initDurationMs }));
      this.discard(env);
      return this.emit(record);
    }
    // A thread environment reports its own memory after each invocation; a process's RSS is sampled.
    const sampler = this.isolation === 'thread' ? undefined : setInterval(() => void this.checkMemory(env), MEMORY_SAMPLE_MS);
    const answer = await env.invoke(payload, { requestId, timeoutMs: remainingMs, ...(options.clientContext === undefined ? {} : { clientContext: options.clientContext }) });
    clearInterval(sampler);
    const { logs } = answer;
    let { outcome } = answer;
    const maxMemoryMB = await env.peakMemoryMB();
    if (maxMemoryMB > this.spec.memorySize && (outcome.kind === 'response' || outcome.kind === 'error')) {
      // Over its memory size (between two samples, or in a thread, where memory is counted after
      // the invocation): Lambda would have killed the process.
      const error = runtimeExited(requestId, 'signal: killed', true);
      outcome = { kind: 'exit', error, durationMs: outcome.durationMs };
      env.kill();
    }
    lines.push(...logs);
    const record = this.record(requestId, lines, outcome, env, coldStart, maxMemoryMB);
    if (outcome.kind === 'timeout') lines.push(timeoutLine(requestId, this.spec.timeout));
    lines.push(
      endLine(requestId),
      reportLine({
        requestId,
        durationMs: record.durationMs,
        billedMs: record.billedDurationMs,
        memorySize: this.spec.memorySize,
        maxMemoryMB,
        initDurationMs: coldStart ? env.initDurationMs : undefined,
      }),
    );
    if (outcome.kind === 'timeout' || outcome.kind === 'exit') this.ranAway();
    if (outcome.kind === 'timeout' || outcome.kind === 'exit' || env.dead || this.options.alwaysCold === true) this.discard(env);
    else this.release(env);
    return this.emit(record);
  }

  /** Ends every environment and waits until each process or thread is gone. */
  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.reaper);
    for (const w of this.waiting.splice(0)) w();
    for (const env of this.all) this.discard(env);
    for (const env of this.initing) this.end(env);
    this.initing.clear();
    this.idle.length = 0;
    await this.settled();
  }

  /** Resolves once every discarded environment's process or thread has ended. */
  async settled(): Promise<void> {
    while (this.ending.size > 0) await Promise.all([...this.ending]);
  }

  /** PIDs of the live environments (tests check nothing is left behind). */
  pids(): number[] {
    return [...this.all].map((e) => e.pid).filter((p): p is number => p !== undefined);
  }

  private async startWithin(deadlineMs: number): Promise<{ result: 'ready'; env: ExecutionEnvironment } | { result: 'timeout'; peakMB: number }> {
    const env: ExecutionEnvironment = this.isolation === 'thread' ? new ThreadEnvironment(this.spec) : new Environment(this.spec);
    // The deadline counts the environment's own CPU time where it can be read (Linux): Lambda gives
    // an init its own CPU, and on a busy local machine a healthy init that waits for a core must
    // not be taken for one that never ends. Wall time stops it at WALL_BACKSTOP × the deadline.
    let timer: NodeJS.Timeout | undefined;
    const startedAt = performance.now();
    this.initing.add(env);
    const result = await Promise.race<StartResult>([
      env.start().then(() => 'ready' as const),
      new Promise<StartResult>((resolve) => {
        timer = setInterval(() => {
          const wall = performance.now() - startedAt;
          // On Linux an environment's CPU time is readable once its thread or process runs.
          // One seen spinning has been given the lowest priority: from then on, wall time counts.
          const used = process.platform === 'linux' && env.spinning !== true ? (env.cpuMs() ?? 0) : wall;
          if (used >= deadlineMs || wall >= deadlineMs * WALL_BACKSTOP) resolve('timeout');
        }, Math.min(100, deadlineMs / 10));
      }),
    ]);
    clearInterval(timer);
    this.initing.delete(env);
    if (this.disposed) env.kill();
    if (result === 'ready') return { result, env };
    const peakMB = await env.peakMemoryMB();
    this.logger.warn(`${this.spec.name}: the init did not finish within ${deadlineMs} ms: stopping the environment`);
    this.end(env);
    this.ranAway();
    return { result, peakMB };
  }

  /** An environment timed out, died or never became ready: see `isolateRunaways`. */
  private ranAway(): void {
    if (this.options.isolateRunaways !== true || this.isolation !== 'thread') return;
    this.isolation = 'process';
    this.logger.info(`${this.spec.name}: an environment ran away (timeout, memory size or init deadline): new environments of ${this.spec.name} start as processes`);
  }

  private throttled(requestId: string): InvocationRecord {
    // Lambda throttles before any environment sees the event: no log lines.
    return {
      requestId,
      ok: false,
      throttled: true,
      error: { errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.' },
      timedOut: false,
      coldStart: false,
      durationMs: 0,
      billedDurationMs: 0,
      maxMemoryUsedMB: 0,
      logs: [],
    };
  }

  private record(requestId: string, lines: string[], outcome: Outcome, env: ExecutionEnvironment | undefined, coldStart: boolean, maxMemoryMB: number): InvocationRecord {
    const durationMs = outcome.kind === 'timeout' ? this.spec.timeout * 1000 : outcome.durationMs;
    const initDurationMs = env?.initDurationMs;
    // Billed to the next ms; since August 2025 the init phase is billed too.
    const billedDurationMs = Math.ceil(durationMs) + (coldStart ? Math.ceil(initDurationMs ?? 0) : 0);
    const base = {
      requestId,
      timedOut: outcome.kind === 'timeout',
      coldStart,
      durationMs,
      billedDurationMs,
      ...(coldStart && initDurationMs !== undefined ? { initDurationMs } : {}),
      maxMemoryUsedMB: maxMemoryMB,
      logs: lines,
    };
    switch (outcome.kind) {
      case 'response': {
        const size = Buffer.byteLength(outcome.body);
        if (size > LAMBDA_PAYLOAD_LIMITS.responseBytes) {
          const errorMessage = `Response payload size (${size} bytes) exceeded maximum allowed payload size (${LAMBDA_PAYLOAD_LIMITS.responseBytes} bytes).`;
          return { ...base, ok: false, error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage } };
        }
        let result: unknown;
        try {
          result = JSON.parse(outcome.body);
        } catch {
          return { ...base, ok: false, error: { errorType: 'Runtime.InvalidResponse', errorMessage: `the runtime answered with a body that is not JSON: ${outcome.body.slice(0, 200)}` } };
        }
        return { ...base, ok: true, result };
      }
      case 'error':
      case 'exit':
        return { ...base, ok: false, error: outcome.error };
      case 'timeout': {
        const message = timeoutLine(requestId, this.spec.timeout);
        return { ...base, ok: false, error: { errorType: 'Sandbox.Timedout', errorMessage: message } };
      }
    }
  }

  private emit(record: InvocationRecord): InvocationRecord {
    if (this.options.onLog !== undefined) for (const line of record.logs) this.options.onLog(line, record);
    return record;
  }

  private async checkMemory(env: ExecutionEnvironment): Promise<void> {
    const rss = await env.residentMemoryMB();
    if (rss > this.spec.memorySize && !env.dead) {
      this.logger.warn(`${this.spec.name}: ${rss.toFixed(0)} MB resident > ${this.spec.memorySize} MB memory size: stopping the environment`);
      env.kill();
    }
  }

  private async waitForEnvironment(): Promise<ExecutionEnvironment | undefined> {
    for (;;) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.disposed) throw disposedError(`the runner of ${this.spec.name}`);
      const ready = this.idle.pop();
      if (ready !== undefined) {
        this.idleSince.delete(ready);
        return ready;
      }
      if (this.all.size + this.starting < this.max) return undefined;
    }
  }

  private release(env: ExecutionEnvironment): void {
    this.idle.push(env);
    this.idleSince.set(env, performance.now());
    this.waiting.shift()?.();
  }

  private discard(env: ExecutionEnvironment): void {
    this.all.delete(env);
    this.idleSince.delete(env);
    const i = this.idle.indexOf(env);
    if (i >= 0) this.idle.splice(i, 1);
    this.end(env);
    this.waiting.shift()?.();
  }

  /** Disposes an environment, tracked until its process or thread has really ended. */
  private end(env: ExecutionEnvironment): void {
    const done: Promise<void> = env
      .dispose()
      .catch((error: unknown) => this.logger.warn(`${this.spec.name}: ending an environment failed: ${(error as Error).message}`))
      .finally(() => this.ending.delete(done));
    this.ending.add(done);
  }

  private reapIdle(): void {
    const limit = this.options.idleTimeoutMs;
    if (limit === undefined) return;
    const now = performance.now();
    for (const [env, since] of [...this.idleSince]) if (now - since >= limit) this.discard(env);
  }
}

function serialise(event: unknown): string {
  try {
    return JSON.stringify(event) ?? 'null';
  } catch (error) {
    throw new EdgeError('E_EVENT_INVALID', `the event cannot be serialised to JSON: ${(error as Error).message}`, {
      hint: 'an event nested this deeply (or with a cycle) cannot reach a Lambda function; flatten it',
    });
  }
}
