/**
 * @module
 * The local CloudFront's distribution: origins, cache behaviors with their trigger associations,
 * cache and origin-request policies, resolved from the config's `distribution` section. The
 * section's rules (what CloudFront refuses at association time) live in its schema,
 * `config/distribution-schema.ts`, and are checked when the config is read.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CACHING_OPTIMIZED_TTL,
  DEFAULT_DISTRIBUTION_DOMAIN,
  DEFAULT_DISTRIBUTION_ID,
  type BehaviorSection,
  type DistributionSection,
} from '../config/distribution-schema.js';
import { getFunction, type FunctionConfig, type ProjectConfig } from '../config/load.js';
import { EDGE_EVENT_TYPES, type EdgeEventType } from '../config/limits.js';
import { distributionSection } from '../config/sections.js';
import { EdgeError } from '../errors.js';
import { compilePathPattern } from './path-pattern.js';

export type OriginConfig =
  | { name: string; kind: 'folder'; path: string; domainName: string }
  | { name: string; kind: 'http'; url: URL; domainName: string; originPath: string; readTimeout: number; keepaliveTimeout: number };

/** Which parts of the viewer's request form the cache key / reach the origin. */
export type Selection = 'none' | 'all' | readonly string[];

export interface CachePolicy {
  /** Seconds. */
  minTTL: number;
  defaultTTL: number;
  maxTTL: number;
  queryStrings: Selection;
  /** Lowercase header names. */
  headers: readonly string[];
  cookies: Selection;
}

export interface OriginRequestPolicy {
  queryStrings: Selection;
  headers: Selection;
  cookies: Selection;
}

export interface TriggerAssociation {
  eventType: EdgeEventType;
  function: FunctionConfig;
  includeBody: boolean;
}

export interface BehaviorConfig {
  /** `*` for the default behavior. */
  pathPattern: string;
  matches: (path: string) => boolean;
  origin: OriginConfig;
  triggers: Partial<Record<EdgeEventType, TriggerAssociation>>;
  cachePolicy: CachePolicy;
  originRequestPolicy: OriginRequestPolicy;
}

export interface DistributionConfig {
  id: string;
  domainName: string;
  defaultRootObject: string | undefined;
  origins: Map<string, OriginConfig>;
  /** In CloudFront's order of precedence: the listed behaviors first, the default last. */
  behaviors: BehaviorConfig[];
  /** Plain Lambda functions served as Function URLs and on the Invoke API. */
  lambdaFunctions: FunctionConfig[];
}

/** CloudFront's managed CachingOptimized policy. */
export const CACHING_OPTIMIZED: CachePolicy = { ...CACHING_OPTIMIZED_TTL, queryStrings: 'none', headers: [], cookies: 'none' };

/**
 * The emulator's distribution from the config's `distribution` section, which the schema
 * (`config/distribution-schema.ts`) has validated: paths resolved, triggers bound to their
 * functions, policies with their defaults. Only what the file system says is checked here.
 */
export function parseDistribution(config: ProjectConfig): DistributionConfig {
  const lambdaFunctions = config.functions.filter((f) => f.kind === 'lambda');
  const d = distributionSection(config);
  if (d === undefined) {
    return { id: DEFAULT_DISTRIBUTION_ID, domainName: DEFAULT_DISTRIBUTION_DOMAIN, defaultRootObject: undefined, origins: new Map(), behaviors: [], lambdaFunctions };
  }
  const where = config.file ?? 'config';
  const origins = new Map<string, OriginConfig>(Object.entries(d.origins).map(([name, o]) => [name, resolveOrigin(name, o, config.root, where)]));
  const behaviors = [...d.behaviors.map((b) => resolveBehavior(b, b.pathPattern, origins, config)), resolveBehavior(d.defaultBehavior, '*', origins, config)];
  return { id: d.id, domainName: d.domainName, defaultRootObject: d.defaultRootObject, origins, behaviors, lambdaFunctions };
}

type OriginSection = DistributionSection['origins'][string];

function resolveOrigin(name: string, o: OriginSection, root: string, where: string): OriginConfig {
  if (o.folder !== undefined) {
    const path = resolve(root, o.folder);
    if (!existsSync(path) || !statSync(path).isDirectory()) {
      throw new EdgeError('E_CONFIG', `${where}: distribution.origins.${name}.folder: ${path} is not a folder`, { hint: 'create it, or point "folder" at the folder to serve' });
    }
    return { name, kind: 'folder', path, domainName: `${name.toLowerCase()}.s3.us-east-1.amazonaws.com` };
  }
  const url = new URL(o.url!);
  return { name, kind: 'http', url, domainName: url.hostname, originPath: url.pathname.replace(/\/+$/, ''), readTimeout: o.readTimeout, keepaliveTimeout: o.keepaliveTimeout };
}

function resolveBehavior(b: BehaviorSection, pathPattern: string, origins: Map<string, OriginConfig>, config: ProjectConfig): BehaviorConfig {
  // The schema guarantees the origin exists, and that it may be left out only when there is one.
  const origin = b.origin === undefined ? [...origins.values()][0]! : origins.get(b.origin)!;
  const triggers: BehaviorConfig['triggers'] = {};
  for (const eventType of EDGE_EVENT_TYPES) {
    const t = b.triggers?.[eventType];
    if (t === undefined) continue;
    const spec = typeof t === 'string' ? { function: t, includeBody: undefined } : t;
    const fn = getFunction(config, spec.function);
    triggers[eventType] = { eventType, function: fn, includeBody: spec.includeBody ?? fn.includeBody };
  }
  return {
    pathPattern,
    matches: compilePathPattern(pathPattern),
    origin,
    triggers,
    cachePolicy: resolveCachePolicy(b.cachePolicy),
    originRequestPolicy: resolveOriginRequestPolicy(b.originRequestPolicy),
  };
}

type SelectionSection = 'none' | 'all' | string[] | undefined;

function selection(v: SelectionSection, lower: boolean): Selection {
  if (v === undefined || v === 'none' || v === 'all') return v ?? 'none';
  return v.map((x) => (lower ? x.toLowerCase() : x));
}

/** Unset TTLs take CachingOptimized's, kept within the ones that are set. */
function resolveCachePolicy(v: BehaviorSection['cachePolicy']): CachePolicy {
  if (v === undefined || v === 'CachingOptimized') return CACHING_OPTIMIZED;
  if (v === 'CachingDisabled') return { ...CACHING_OPTIMIZED, minTTL: 0, defaultTTL: 0, maxTTL: 0 };
  const maxTTL = v.maxTTL ?? CACHING_OPTIMIZED.maxTTL;
  const minTTL = v.minTTL ?? Math.min(CACHING_OPTIMIZED.minTTL, maxTTL);
  const defaultTTL = v.defaultTTL ?? Math.max(minTTL, Math.min(CACHING_OPTIMIZED.defaultTTL, maxTTL));
  const headers = selection(v.headers, true);
  return {
    minTTL,
    defaultTTL,
    maxTTL,
    queryStrings: selection(v.queryStrings, false),
    headers: headers === 'none' || headers === 'all' ? [] : headers,
    cookies: selection(v.cookies, false),
  };
}

function resolveOriginRequestPolicy(v: BehaviorSection['originRequestPolicy']): OriginRequestPolicy {
  if (v === undefined) return { queryStrings: 'none', headers: 'none', cookies: 'none' };
  if (v === 'AllViewer') return { queryStrings: 'all', headers: 'all', cookies: 'all' };
  return { queryStrings: selection(v.queryStrings, false), headers: selection(v.headers, true), cookies: selection(v.cookies, false) };
}

/** CloudFront's precedence: the first listed behavior whose pattern matches, else the default. */
export function behaviorFor(dist: DistributionConfig, path: string): BehaviorConfig {
  return dist.behaviors.find((b) => b.matches(path)) ?? dist.behaviors.at(-1)!;
}
