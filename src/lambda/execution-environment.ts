/**
 * @module
 * The contract between the function runner and an execution environment, whichever kind runs the
 * code: a process behind its own Runtime API (`environment.ts`) or a worker thread
 * (`thread-environment.ts`).
 */
import type { InvocationError } from './types.js';

export type Outcome =
  | { kind: 'response'; body: string; durationMs: number }
  | { kind: 'error'; error: InvocationError; durationMs: number }
  | { kind: 'timeout'; durationMs: number }
  | { kind: 'exit'; error: InvocationError; durationMs: number };

/** What the function runner needs of an execution environment, in a process or in a thread. */
export interface ExecutionEnvironment {
  initDurationMs: number | undefined;
  initError: InvocationError | undefined;
  readonly initLogs: string[];
  invocations: number;
  dead: boolean;
  readonly pid: number | undefined;
  start(): Promise<void>;
  invoke(event: string, options: { requestId?: string; clientContext?: string; timeoutMs: number }): Promise<{ outcome: Outcome; logs: string[]; requestId: string }>;
  peakMemoryMB(): Promise<number>;
  residentMemoryMB(): Promise<number>;
  /** CPU time the environment has used, in ms (Linux), or undefined where it cannot be read. */
  cpuMs(): number | undefined;
  /** Seen spinning and given the lowest priority: its CPU time no longer measures its progress. */
  readonly spinning?: boolean;
  kill(): void;
  dispose(): Promise<void>;
}
