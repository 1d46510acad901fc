/**
 * @module
 * The local CloudFront (`lambda-wasm dev`): a distribution's behaviors, cache, origins and the four
 * triggers, CloudFront's limits and error pages, the Lambda Invoke API and Function URLs.
 */
export { createEmulator, type Emulator, type EmulatorOptions, type DispatchRequest } from './emulator.js';
export { parseDistribution, behaviorFor, CACHING_OPTIMIZED, type DistributionConfig, type BehaviorConfig, type CachePolicy, type OriginConfig } from './config.js';
export { EdgeCache, cacheKey, ttlFor } from './cache.js';
export type { Exchange } from './pipeline.js';
export type { HttpResponse, HeaderPairs } from '../http-types.js';
export { OVERRIDE_PREFIX } from './viewer.js';
export { InspectorRecorder, DEFAULT_HISTORY, type RequestRecord, type RequestSummary, type FunctionStats, type RecorderEvent } from './inspector/recorder.js';
export { INSPECTOR_PAGE, INSPECTOR_API } from './inspector/http-api.js';
export type { StageTrace, StageName, CacheTrace, OriginTrace } from './inspector/trip.js';
export type { TriggerRun, RequestFailure } from './triggers.js';
