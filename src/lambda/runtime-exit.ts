/**
 * @module
 * Lambda's error for an invocation whose runtime ended under it, in Lambda's words: killed over its
 * memory size (`Runtime.OutOfMemory`, "signal: killed") or ended otherwise (`Runtime.ExitError`).
 * One wording for the process and worker-thread environments and the runner.
 */
import type { InvocationError } from './types.js';

/** `how`: "signal: killed", "exit status 1", or what the environment knows of the end. */
export function runtimeExited(requestId: string, how: string, outOfMemory = false): InvocationError {
  return { errorType: outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: ${how}` };
}
