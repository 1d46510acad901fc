/**
 * @module
 * Execution environments for custom runtimes (`provided.al2023`): the package's own `bootstrap`
 * executable is the process, with the environment Lambda gives an OS-only runtime. Everything
 * else — the Runtime API server, Init Duration, peak memory, timeout and memory enforcement,
 * `Runtime.ExitError` — is the same `Environment` that runs Node.js functions.
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionSpec, InvocationError } from './types.js';

/** `provided` when the spec says so, or when the package is a bootstrap without a Node.js entry. */
export function runtimeOf(spec: FunctionSpec): 'nodejs' | 'provided' {
  if (spec.runtime !== undefined) return spec.runtime;
  return existsSync(join(spec.codeDir, 'bootstrap')) && !existsSync(join(spec.codeDir, 'index.mjs')) ? 'provided' : 'nodejs';
}

export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * How to start a custom runtime: `$LAMBDA_TASK_ROOT/bootstrap`, no arguments. OS-only runtimes
 * have no `AWS_EXECUTION_ENV`, and `_HANDLER` is the function's handler setting (`bootstrap`).
 */
export function nativeLaunch(spec: FunctionSpec, env: Record<string, string>): Launch | { initError: InvocationError } {
  const bootstrap = join(spec.codeDir, 'bootstrap');
  try {
    accessSync(bootstrap, constants.X_OK);
  } catch {
    // Lambda's own wording when the package has no runnable bootstrap.
    const reason = existsSync(bootstrap) ? 'is not executable (zip it with mode 0755)' : 'is missing';
    return { initError: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `RequestId: Error: Couldn't find valid bootstrap(s): [${bootstrap}] (${reason})` } };
  }
  const { AWS_EXECUTION_ENV: _nodeOnly, ...rest } = env;
  return { command: bootstrap, args: [], env: { ...rest, _HANDLER: spec.handler ?? 'bootstrap' } };
}
