/**
 * @module
 * The functions the local CloudFront runs, each from its built zip, each with its own warm
 * environments (a new one, with its Init Duration, only when all are busy), up to its concurrency;
 * beyond it an invocation is throttled at once, as Lambda does (CloudFront then answers 503, the
 * Invoke API 429). Idle environments are reclaimed, so memory returns after a burst. A rebuilt zip
 * is swapped in for new invocations while the ones in flight finish on the old code.
 */
import type { FunctionConfig, ProjectConfig } from '../config/load.js';
import { disposedError } from '../errors.js';
import { FunctionRunner, defaultConcurrency, functionSpecOf, unpackBuiltFunction, type FunctionRunnerOptions, type FunctionSpec, type InvocationRecord } from '../lambda/index.js';

/** What the pool uses of a `FunctionRunner`. */
export type PooledRunner = Pick<FunctionRunner, 'invoke' | 'stats' | 'dispose'>;

export interface PoolOptions {
  /** Environments per function (Lambda's concurrency, scaled to the machine). Default `defaultConcurrency()`. */
  maxEnvironments?: number;
  /** Lambda's init phase limit in ms (default 10 000). */
  initTimeoutMs?: number;
  /** An environment idle this long is reclaimed (ms). Default 5 minutes. */
  idleTimeoutMs?: number;
  runtimeClient?: 'builtin' | 'ric';
  /** `thread` (default; `process` with the RIC): see src/lambda/thread-environment.ts. */
  isolation?: 'thread' | 'process';
  nodeBinary?: string;
  /** Every finished invocation's log lines. */
  onLog?: (fn: FunctionConfig, record: InvocationRecord) => void;
  /** Makes a function's runner; default a `FunctionRunner` (unit tests pass a fake to watch reloads). */
  createRunner?: (spec: FunctionSpec, options: FunctionRunnerOptions) => PooledRunner;
}

interface Slot {
  runner: PooledRunner;
  codeDir: string;
  inFlight: number;
  retired: boolean;
}

export class FunctionPool {
  private readonly slots = new Map<string, Slot>();
  /** Set by `dispose()`: from then on nothing starts a runner again. */
  private disposed = false;

  constructor(
    private readonly config: ProjectConfig,
    private readonly options: PoolOptions = {},
  ) {}

  /** Unpacks every function's zip now, so a missing build fails at start, not on a request. */
  prepare(functions: readonly FunctionConfig[]): void {
    for (const fn of functions) this.slot(fn);
  }

  /** `payload`: the event's JSON text when the caller has it (passed through as Lambda does). */
  async invoke(fn: FunctionConfig, event: unknown, options: { clientContext?: string; payload?: string } = {}): Promise<InvocationRecord> {
    const slot = this.slot(fn);
    slot.inFlight++;
    try {
      const record = await slot.runner.invoke(event, options);
      this.options.onLog?.(fn, record);
      return record;
    } finally {
      slot.inFlight--;
      if (slot.retired && slot.inFlight === 0) void slot.runner.dispose();
    }
  }

  /** Takes the function's zip as it is now; returns false when it had not changed. */
  reload(fn: FunctionConfig): boolean {
    if (this.disposed) throw disposedError('the function pool');
    const old = this.slots.get(fn.name);
    const codeDir = this.unpack(fn);
    if (old !== undefined && old.codeDir === codeDir) return false;
    this.slots.set(fn.name, this.newSlot(fn, codeDir));
    if (old !== undefined) {
      old.retired = true;
      if (old.inFlight === 0) void old.runner.dispose();
    }
    return true;
  }

  stats(name: string): { environments: number; busy: number; idle: number } | undefined {
    return this.slots.get(name)?.runner.stats();
  }

  /** Every function's environments together: alive, starting or ending, and those at work (running or starting). */
  totals(): { environments: number; working: number } {
    let environments = 0;
    let working = 0;
    for (const { runner } of this.slots.values()) {
      const s = runner.stats();
      environments += s.environments + s.starting + s.ending;
      working += s.busy + s.starting;
    }
    return { environments, working };
  }

  /** Ends every runner; afterwards `invoke`, `prepare` and `reload` throw E_DISPOSED. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.slots.values()].map((s) => s.runner.dispose()));
    this.slots.clear();
  }

  private slot(fn: FunctionConfig): Slot {
    if (this.disposed) throw disposedError('the function pool');
    let slot = this.slots.get(fn.name);
    if (slot === undefined) {
      slot = this.newSlot(fn, this.unpack(fn));
      this.slots.set(fn.name, slot);
    }
    return slot;
  }

  private unpack(fn: FunctionConfig): string {
    return unpackBuiltFunction(this.config, fn, 'dev');
  }

  private newSlot(fn: FunctionConfig, codeDir: string): Slot {
    const createRunner = this.options.createRunner ?? ((spec, options) => new FunctionRunner(spec, options));
    const runner = createRunner(
      functionSpecOf(fn, codeDir, {
        runtimeClient: this.options.runtimeClient,
        isolation: this.options.isolation ?? (this.options.runtimeClient === 'ric' || this.options.nodeBinary !== undefined ? 'process' : 'thread'),
        nodeBinary: this.options.nodeBinary,
      }),
      {
        maxEnvironments: this.options.maxEnvironments ?? defaultConcurrency(),
        whenBusy: 'throttle',
        idleTimeoutMs: this.options.idleTimeoutMs ?? 5 * 60_000,
        isolateRunaways: true,
        ...(this.options.initTimeoutMs === undefined ? {} : { initTimeoutMs: this.options.initTimeoutMs }),
      },
    );
    return { runner, codeDir, inFlight: 0, retired: false };
  }
}
