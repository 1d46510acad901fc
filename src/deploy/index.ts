/**
 * @module
 * Deployment to AWS: Lambda@Edge triggers and plain Lambda functions (docs/deploy.md). The AWS
 * SDK is imported lazily inside; importing this module loads none of it.
 */
export { deploy, type DeployOptions, type DeployResult, type DeployedFunction } from './deploy.js';
export { destroy, REPLICA_NOTE, type DestroyOptions, type DestroyResult, type DestroyedFunction } from './destroy.js';
export { prune, type PruneOptions, type PruneResult, type PrunedFunction } from './prune.js';
export { planDeployment, formatPlan, type DeployPlan, type FunctionPlan, type RolePlan, type AssociationPlan, type PlanOptions } from './plan.js';
export { preflightProblems, assertPreflight, type PreflightProblem } from './preflight.js';
export { parseDeployConfig, DEFAULT_REGION, DEFAULT_RUNTIME, DEFAULT_ROLE_NAME, type DeployConfig, type DeployFunctionSettings } from './config.js';
export { cloudFormationTemplate, type CloudFormationOptions } from './cloudformation.js';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
export { DEFAULT_WAIT, type AwsConnectionOptions, type WaitSettings } from './aws.js';
export type { DeployProgress, ProgressListener } from './progress.js';
export type { DistributionResult, AssociationChange } from './cloudfront.js';
export { readLogs, followLogs, parseSince, logGroupsOf, LogReader, EDGE_LOG_REGIONS, type LogLine, type LogsOptions, type LogGroupRef } from './logs.js';
