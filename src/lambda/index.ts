/**
 * @module
 * A local Lambda platform: execution environments as separate processes behind the Lambda Runtime
 * API, Lambda's log lines with measured numbers, timeouts and memory sizes enforced.
 */
export { FunctionRunner, defaultConcurrency, type FunctionRunnerOptions } from './function-runner.js';
export { Environment } from './environment.js';
export { functionSpecOf, localVersion, unpackBuiltFunction, type RunChoices } from './from-config.js';
export { findNodeBinary, bootstrapPath, ricEntry } from './paths.js';
export { startLine, endLine, reportLine, timeoutLine } from './log-lines.js';
export type { FunctionSpec, InvocationError, InvocationRecord } from './types.js';
