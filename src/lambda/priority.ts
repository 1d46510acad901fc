/**
 * @module
 * Keeps a runaway guest from slowing the healthy ones down on a small machine. On Lambda every
 * execution environment has its own share of CPU, so a neighbour looping until its timeout costs a
 * healthy invocation nothing; locally all environments share a few cores. So an environment whose
 * current phase (its init, or one invocation) has used more CPU than a healthy one ever needs gets
 * the lowest priority (nice 19; Linux's setpriority applies to one thread, so a worker thread is
 * lowered by its thread id, a process by its main thread, where the guest runs), and gets its
 * own priority back when it is reused. Every environment runs a few levels below the platform
 * from its start (ENVIRONMENT_NICE_OFFSET). CPU time, not wall time: an environment that is
 * only waiting for a busy machine is left alone. Where priorities cannot be changed (not Linux),
 * nothing happens. Raising a priority again needs CAP_SYS_NICE (root, or a raised RLIMIT_NICE):
 * without it a lowered environment keeps the lowest priority — it still serves, as before, only
 * later than the others when the machine is busy (retiring it instead would cost a cold start and
 * its module state, which Lambda keeps).
 */
import { getPriority, setPriority } from 'node:os';

/** The lowest priority (highest nice value) on Linux. */
export const LOWEST_PRIORITY = 19;
/**
 * Environments run this many nice levels below the platform from their start: every request
 * passes through the platform's one event loop (the local CloudFront, the Invoke API), so it comes
 * first, and a guest's share of a busy machine is the environment's, as on Lambda.
 */
export const ENVIRONMENT_NICE_OFFSET = 5;

/** The priority environments start and are reused at: a few levels below the platform's own. */
export function environmentPriority(): number {
  return Math.min(LOWEST_PRIORITY, getPriority() + ENVIRONMENT_NICE_OFFSET);
}
/**
 * CPU an invocation may use at the platform's priority: a healthy Wasm invocation uses a few ms;
 * one over this is either heavy work or a loop, and either way must not hold up the short ones.
 */
export const INVOKE_CPU_MS = 100;
/** CPU an init may use at the platform's priority: a healthy cold start of the examples uses 30–70 ms (a worker thread or a process). */
export const INIT_CPU_MS = 200;
/** How often a running phase's CPU time is read (from /proc). */
const CHECK_MS = 25;

export class PriorityGuard {
  /** Lowered and not restored since: the environment's CPU time no longer measures its progress. */
  lowered = false;
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param target the thread id or process id to lower (undefined until it is known)
   * @param cpuMs the CPU time it has used so far, in ms (undefined where it cannot be read)
   */
  constructor(
    private readonly target: () => number | undefined,
    private readonly cpuMs: () => number | undefined,
  ) {}

  /**
   * Watches one phase: once it has used `budgetMs` of CPU beyond `fromMs`, its priority is lowered.
   * `fromMs` is 0 for an init (it starts with the thread or process); for an invocation it is left
   * out and read at the first check, CHECK_MS in, so a short invocation costs no /proc read at all.
   */
  watch(budgetMs: number, fromMs?: number): void {
    this.stop();
    let from = fromMs;
    const timer = setInterval(() => {
      const used = this.cpuMs();
      if (used === undefined) return;
      from ??= used;
      if (used - from >= budgetMs) {
        this.lower();
        this.stop();
      }
    }, CHECK_MS);
    timer.unref();
    this.timer = timer;
  }

  /** Sets the environment's own priority, once its thread or process is known (see environmentPriority). */
  begin(): void {
    const id = this.target();
    if (id === undefined) return;
    try {
      setPriority(id, environmentPriority());
    } catch {
      // Not Linux, or the thread or process has already gone.
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The lowest priority, at once (a guest that timed out, or an init being stopped). */
  lower(): void {
    const id = this.target();
    if (id === undefined || this.lowered) return;
    try {
      setPriority(id, LOWEST_PRIORITY);
      this.lowered = true;
    } catch {
      // Not Linux, or the thread or process has already gone.
    }
  }

  /** Back to the environment's own priority; false when the OS refused to raise it again. */
  restore(): boolean {
    this.stop();
    if (!this.lowered) return true;
    const id = this.target();
    if (id === undefined) return true;
    try {
      setPriority(id, environmentPriority());
      this.lowered = false;
      return true;
    } catch {
      return false;
    }
  }
}

