/**
 * @module
 * The programmatic API of lambda-wasm: every CLI command is a thin shell over one of these.
 *
 * @example
 * ```ts
 * import { loadConfig, build, invoke } from 'lambda-wasm';
 * const config = loadConfig();
 * await build({ config, functions: ['passthrough'] });
 * const { record, verdict } = await invoke({ config, function: 'passthrough', event });
 * ```
 */
export { build, type BuildOptions, type BuildResult, type BuiltFunction, type PackagePart } from './build/build.js';
export { detectToolchain, requireToolchain, type Toolchain } from './build/toolchain.js';
export { createZip, readZip } from './build/zip.js';
export {
  loadConfig,
  parseConfig,
  getFunction,
  selectFunctions,
  findConfigFile,
  CONFIG_FILE,
  type ProjectConfig,
  type FunctionConfig,
  type GuestSource,
  type LoadConfigOptions,
} from './config/load.js';
export { validateConfig, SCHEMA_REF, type ConfigFileInput } from './config/schema.js';
export type { ConfigProblem } from './config/problems.js';
export { LIMITS, EDGE_EVENT_TYPES, FUNCTION_KINDS, type EdgeEventType, type FunctionKind, type KindLimits } from './config/limits.js';
export { EdgeError, isEdgeError, isUserError, type EdgeErrorCode } from './errors.js';
export { invoke, type InvokeOptions, type InvokeResult, type Verdict } from './invoke/invoke.js';
export { readEventFile, parseEventText } from './invoke/event-input.js';
export { noopLogger, TestLogger, type Logger, type LogEntry, type LogLevel } from './logger.js';
export {
  deploy,
  destroy,
  prune,
  planDeployment,
  formatPlan,
  preflightProblems,
  parseDeployConfig,
  cloudFormationTemplate,
  type DeployOptions,
  type DeployResult,
  type DeployPlan,
  type FunctionPlan,
  type DeployProgress,
  type DestroyOptions,
  type DestroyResult,
  type PruneOptions,
  type PruneResult,
  type DeployConfig,
  type PreflightProblem,
} from './deploy/index.js';
export { createProject, TEMPLATE_NAMES, type NewProjectOptions, type NewProjectResult, type TemplateName } from './new/index.js';
export * from './events/index.js';
export { createEmulator, type Emulator, type EmulatorOptions, type DispatchRequest, type Exchange, type HttpResponse } from './emulator/index.js';
export { watchFunctions } from './dev/watch.js';
export type { InspectorRecorder, RequestRecord, RequestSummary, FunctionStats, RecorderEvent, StageTrace, TriggerRun, RequestFailure } from './emulator/index.js';
export { FunctionRunner, findNodeBinary, type FunctionSpec, type InvocationRecord, type InvocationError } from './lambda/index.js';
export { bench, type BenchReport, type BenchOptions, type Figure } from './bench/bench.js';
