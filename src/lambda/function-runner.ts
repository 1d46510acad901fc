/**
 * @module
 * The execution environments of one function, as Lambda manages them: an environment serves one
 * invocation at a time; a new one starts (a cold start, with its Init Duration) only when every
 * existing one is busy; one that timed out, ran out of memory or crashed is discarded.
 */
import { randomUUID } from 'node:crypto';
import { EdgeError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import { Environment, type ExecutionEnvironment, type Outcome } from './environment.js';
import { runtimeOf } from './native-environment.js';
import { ThreadEnvironment } from './thread-environment.js';
import { endLine, reportLine, startLine, timeoutLine } from './log-lines.js';
import type { FunctionSpec, InvocationRecord } from './types.js';

export interface FunctionRunnerOptions {
  /** Concurrency cap; invocations beyond it wait. Default 10. */
  maxEnvironments?: number;
  logger?: Logger;
  /** Each finished invocation's lines, as they would reach CloudWatch. */
  onLog?: (line: string, record: InvocationRecord) => void;
  /** Start a fresh environment for every invocation. */
  alwaysCold?: boolean;
}

/** How often the memory size is checked while an invocation runs. */
const MEMORY_SAMPLE_MS = 25;

export class FunctionRunner {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly waiting: Array<() => void> = [];
  private starting = 0;
  private disposed = false;
  private readonly max: number;
  private readonly logger: Logger;
  /** A custom runtime (`bootstrap`) always runs as a process. */
  private readonly isolation: 'process' | 'thread';

  constructor(
    readonly spec: FunctionSpec,
    private readonly options: FunctionRunnerOptions = {},
  ) {
    this.max = options.maxEnvironments ?? 10;
    if (spec.isolation === 'thread' && spec.runtimeClient === 'ric') {
      throw new EdgeError('E_USAGE', "AWS's runtime interface client runs in a process of its own: use process isolation with --ric");
    }
    this.logger = options.logger ?? noopLogger;
    this.isolation = spec.isolation === 'thread' && runtimeOf(spec) !== 'provided' ? 'thread' : 'process';
  }

  stats(): { environments: number; busy: number; idle: number } {
    return { environments: this.all.size, busy: this.all.size - this.idle.length, idle: this.idle.length };
  }

  async invoke(event: unknown, options: { requestId?: string; clientContext?: string } = {}): Promise<InvocationRecord> {
    if (this.disposed) throw new Error(`the runner of ${this.spec.name} was disposed`);
    const requestId = options.requestId ?? randomUUID();
    const payload = JSON.stringify(event) ?? 'null';
    const env = await this.acquire();
    const coldStart = env.invocations === 0;
    const version = this.spec.version ?? '$LATEST';
    const lines: string[] = [startLine(requestId, version)];
    if (coldStart) lines.splice(0, 0, ...env.initLogs.splice(0));
    let record: InvocationRecord;
    if (env.initError !== undefined || env.dead) {
      const error = env.initError ?? { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited before it was ready` };
      record = this.finish(requestId, lines, { kind: 'exit', error, durationMs: 0 }, env, coldStart, 0);
      lines.push(endLine(requestId), reportLine({ requestId, durationMs: 0, billedMs: Math.ceil(env.initDurationMs ?? 0), memorySize: this.spec.memorySize, maxMemoryMB: 0, initDurationMs: env.initDurationMs }));
      this.discard(env);
      return this.emit(record);
    }
    // A thread environment's heap is capped by V8 itself; a process's RSS is sampled.
    const sampler = this.isolation === 'thread' ? undefined : setInterval(() => void this.checkMemory(env), MEMORY_SAMPLE_MS);
    const timeoutMs = this.spec.timeout * 1000;
    const { outcome, logs } = await env.invoke(payload, { requestId, timeoutMs, ...(options.clientContext === undefined ? {} : { clientContext: options.clientContext }) });
    clearInterval(sampler);
    const maxMemoryMB = await env.peakMemoryMB();
    lines.push(...logs);
    record = this.finish(requestId, lines, outcome, env, coldStart, maxMemoryMB);
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
    if (outcome.kind === 'timeout' || outcome.kind === 'exit' || env.dead || this.options.alwaysCold === true) this.discard(env);
    else this.release(env);
    return this.emit(record);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const w of this.waiting.splice(0)) w();
    await Promise.all([...this.all].map((e) => e.dispose()));
    this.all.clear();
    this.idle.length = 0;
  }

  /** PIDs of the live environments (tests check nothing is left behind). */
  pids(): number[] {
    return [...this.all].map((e) => e.pid).filter((p): p is number => p !== undefined);
  }

  private finish(requestId: string, lines: string[], outcome: Outcome, env: ExecutionEnvironment, coldStart: boolean, maxMemoryMB: number): InvocationRecord {
    const durationMs = outcome.kind === 'timeout' ? this.spec.timeout * 1000 : outcome.durationMs;
    // Billed to the next ms; since August 2025 the init phase is billed too.
    const billedDurationMs = Math.ceil(durationMs) + (coldStart ? Math.ceil(env.initDurationMs ?? 0) : 0);
    const base = {
      requestId,
      timedOut: outcome.kind === 'timeout',
      coldStart,
      durationMs,
      billedDurationMs,
      ...(coldStart && env.initDurationMs !== undefined ? { initDurationMs: env.initDurationMs } : {}),
      maxMemoryUsedMB: maxMemoryMB,
      logs: lines,
    };
    switch (outcome.kind) {
      case 'response': {
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

  private async acquire(): Promise<ExecutionEnvironment> {
    for (;;) {
      const ready = this.idle.pop();
      if (ready !== undefined) return ready;
      if (this.all.size + this.starting < this.max) {
        this.starting++;
        const env: ExecutionEnvironment = this.isolation === 'thread' ? new ThreadEnvironment(this.spec) : new Environment(this.spec);
        try {
          await env.start();
        } finally {
          this.starting--;
        }
        this.all.add(env);
        return env;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      if (this.disposed) throw new Error(`the runner of ${this.spec.name} was disposed`);
    }
  }

  private release(env: ExecutionEnvironment): void {
    this.idle.push(env);
    this.waiting.shift()?.();
  }

  private discard(env: ExecutionEnvironment): void {
    this.all.delete(env);
    void env.dispose();
    this.waiting.shift()?.();
  }
}
