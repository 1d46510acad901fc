/**
 * @module
 * What `deploy`, `destroy` and `prune` report while they work. The library only emits events;
 * the CLI decides how to show them (an updating line on a TTY, plain lines in CI).
 */

export interface DeployProgress {
  /** `step` starts an action, `wait` repeats while AWS is busy, `retry` follows throttling, `done` ends a step. */
  phase: 'step' | 'wait' | 'retry' | 'done' | 'warn';
  message: string;
  /** The function's name in the config, when the event is about one. */
  function?: string;
  /** For `wait`: time spent waiting so far. */
  elapsedMs?: number;
}

export type ProgressListener = (event: DeployProgress) => void;

export const noProgress: ProgressListener = () => {};
