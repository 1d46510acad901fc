/**
 * @module
 * The `distribution` section of the config: origins, cache behaviors with their trigger
 * associations, cache and origin-request policies. Checked once, with messages that name the key;
 * refuses at config time what CloudFront refuses at association time.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FunctionConfig, ProjectConfig } from '../config/load.js';
import { EDGE_EVENT_TYPES, type EdgeEventType } from '../config/limits.js';
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
export const CACHING_OPTIMIZED: CachePolicy = { minTTL: 1, defaultTTL: 86_400, maxTTL: 31_536_000, queryStrings: 'none', headers: [], cookies: 'none' };

const TOP = ['id', 'domainName', 'defaultRootObject', 'origins', 'defaultBehavior', 'behaviors'];
const BEHAVIOR = ['pathPattern', 'origin', 'triggers', 'cachePolicy', 'originRequestPolicy'];

export function parseDistribution(config: ProjectConfig): DistributionConfig {
  const where = `${config.file ?? 'config'}: distribution`;
  const fail = (key: string, message: string, hint?: string): never => {
    throw new EdgeError('E_CONFIG', `${where}${key === '' ? '' : `.${key}`}: ${message}`, hint === undefined ? {} : { hint });
  };
  const raw = config.distribution;
  if (raw === undefined) {
    return { id: 'EDFDVBD6EXAMPLE', domainName: 'd111111abcdef8.cloudfront.net', defaultRootObject: undefined, origins: new Map(), behaviors: [], lambdaFunctions: config.functions.filter((f) => f.kind === 'lambda') };
  }
  const d = obj(raw, '', fail);
  for (const key of Object.keys(d)) if (!TOP.includes(key)) fail(key, `unknown key (known keys: ${TOP.join(', ')})`);
  const id = str(d.id ?? 'EDFDVBD6EXAMPLE', 'id', fail);
  const domainName = str(d.domainName ?? 'd111111abcdef8.cloudfront.net', 'domainName', fail);
  const defaultRootObject = d.defaultRootObject === undefined ? undefined : str(d.defaultRootObject, 'defaultRootObject', fail);
  if (defaultRootObject?.startsWith('/')) fail('defaultRootObject', 'is an object name without a leading / (e.g. "index.html")');

  const origins = new Map<string, OriginConfig>();
  for (const [name, value] of Object.entries(obj(d.origins ?? fail('origins', 'is required: at least one origin, e.g. {"site": {"folder": "public"}}'), 'origins', fail))) {
    origins.set(name, parseOrigin(name, value, config.root, fail));
  }
  if (origins.size === 0) fail('origins', 'needs at least one origin');

  const behaviors: BehaviorConfig[] = [];
  const listed = d.behaviors === undefined ? [] : d.behaviors;
  if (!Array.isArray(listed)) fail('behaviors', 'must be a list of cache behaviors, most specific first (CloudFront matches them in order)');
  const seen = new Set<string>();
  (listed as unknown[]).forEach((b, i) => {
    const behavior = parseBehavior(b, `behaviors[${i}]`, false, origins, config, fail);
    if (seen.has(behavior.pathPattern)) fail(`behaviors[${i}].pathPattern`, `${behavior.pathPattern} is used twice; each path pattern can appear once`);
    seen.add(behavior.pathPattern);
    behaviors.push(behavior);
  });
  behaviors.push(parseBehavior(d.defaultBehavior ?? fail('defaultBehavior', 'is required (CloudFront always has a default cache behavior)'), 'defaultBehavior', true, origins, config, fail));
  return { id, domainName, defaultRootObject, origins, behaviors, lambdaFunctions: config.functions.filter((f) => f.kind === 'lambda') };
}

type Fail = (key: string, message: string, hint?: string) => never;

function obj(v: unknown, key: string, fail: Fail): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(key, 'must be an object');
  return v as Record<string, unknown>;
}

function str(v: unknown, key: string, fail: Fail): string {
  if (typeof v !== 'string' || v === '') fail(key, 'must be a non-empty string');
  return v as string;
}

function int(v: unknown, key: string, fallback: number, min: number, max: number, fail: Fail): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(key, `must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
  return v as number;
}

function parseOrigin(name: string, value: unknown, root: string, fail: Fail): OriginConfig {
  const at = `origins.${name}`;
  if (!/^[A-Za-z0-9._-]{1,128}$/.test(name)) fail(at, 'an origin name may use letters, digits, ., - and _');
  const o = obj(value, at, fail);
  for (const key of Object.keys(o)) {
    if (!['folder', 'url', 'readTimeout', 'keepaliveTimeout'].includes(key)) fail(`${at}.${key}`, 'unknown key (known keys: folder, url, readTimeout, keepaliveTimeout)');
  }
  if ((o.folder === undefined) === (o.url === undefined)) fail(at, 'needs exactly one of "folder" (a local folder, served like an S3 bucket) or "url" (an HTTP(S) origin)');
  if (o.folder !== undefined) {
    const path = resolve(root, str(o.folder, `${at}.folder`, fail));
    if (!existsSync(path) || !statSync(path).isDirectory()) fail(`${at}.folder`, `${path} is not a folder`);
    return { name, kind: 'folder', path, domainName: `${name.toLowerCase()}.s3.us-east-1.amazonaws.com` };
  }
  let url: URL;
  try {
    url = new URL(str(o.url, `${at}.url`, fail));
  } catch {
    return fail(`${at}.url`, `${JSON.stringify(o.url)} is not a URL`, 'e.g. "http://127.0.0.1:8080/api"');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`${at}.url`, 'must be an http:// or https:// URL');
  if (url.search !== '' || url.hash !== '') fail(`${at}.url`, 'cannot have a query string or fragment (an origin path only)');
  const originPath = url.pathname.replace(/\/+$/, '');
  return {
    name,
    kind: 'http',
    url,
    domainName: url.hostname,
    originPath,
    readTimeout: int(o.readTimeout, `${at}.readTimeout`, 30, 1, 120, fail),
    keepaliveTimeout: int(o.keepaliveTimeout, `${at}.keepaliveTimeout`, 5, 1, 120, fail),
  };
}

function parseBehavior(value: unknown, at: string, isDefault: boolean, origins: Map<string, OriginConfig>, config: ProjectConfig, fail: Fail): BehaviorConfig {
  const b = obj(value, at, fail);
  for (const key of Object.keys(b)) if (!BEHAVIOR.includes(key)) fail(`${at}.${key}`, `unknown key (known keys: ${BEHAVIOR.join(', ')})`);
  let pathPattern = '*';
  if (isDefault) {
    if (b.pathPattern !== undefined && b.pathPattern !== '*') fail(`${at}.pathPattern`, 'the default behavior matches everything (*); put specific patterns in "behaviors"');
  } else {
    pathPattern = str(b.pathPattern, `${at}.pathPattern`, fail);
    if (pathPattern.length > 255) fail(`${at}.pathPattern`, 'is longer than 255 characters');
    if (!/^[A-Za-z0-9_\-.*$/~"'@:+?&=!]+$/.test(pathPattern)) fail(`${at}.pathPattern`, `${JSON.stringify(pathPattern)} has characters CloudFront does not allow in a path pattern`);
  }
  const originName = str(b.origin ?? (origins.size === 1 ? [...origins.keys()][0] : undefined), `${at}.origin`, fail);
  const origin = origins.get(originName) ?? fail(`${at}.origin`, `no origin named ${JSON.stringify(originName)} (origins: ${[...origins.keys()].join(', ')})`);
  const triggers: BehaviorConfig['triggers'] = {};
  for (const [eventType, t] of Object.entries(obj(b.triggers ?? {}, `${at}.triggers`, fail))) {
    const key = `${at}.triggers.${eventType}`;
    if (!(EDGE_EVENT_TYPES as readonly string[]).includes(eventType)) fail(key, `unknown event type (one of ${EDGE_EVENT_TYPES.join(', ')})`);
    const type = eventType as EdgeEventType;
    const spec = typeof t === 'string' ? { function: t } : obj(t, key, fail);
    for (const k of Object.keys(spec)) if (k !== 'function' && k !== 'includeBody') fail(`${key}.${k}`, 'unknown key (known keys: function, includeBody)');
    const name = str(spec.function, `${key}.function`, fail);
    const fn = config.functions.find((f) => f.name === name) ?? fail(`${key}`, `no function named ${JSON.stringify(name)} (functions: ${config.functions.map((f) => f.name).join(', ')})`);
    if (fn.kind !== type) fail(key, `${name} is built as a ${fn.kind} function; associate it with ${fn.kind}, or change its eventType`);
    const includeBody = spec.includeBody === undefined ? fn.includeBody : spec.includeBody;
    if (typeof includeBody !== 'boolean') fail(`${key}.includeBody`, 'must be true or false');
    if (includeBody === true && type !== 'viewer-request' && type !== 'origin-request') {
      fail(`${key}.includeBody`, 'The IncludeBody option can only be used with viewer-request or origin-request events.');
    }
    triggers[type] = { eventType: type, function: fn, includeBody: includeBody as boolean };
  }
  return {
    pathPattern,
    matches: compilePathPattern(pathPattern),
    origin,
    triggers,
    cachePolicy: parseCachePolicy(b.cachePolicy, `${at}.cachePolicy`, fail),
    originRequestPolicy: parseOriginRequestPolicy(b.originRequestPolicy, `${at}.originRequestPolicy`, fail),
  };
}

function selection(v: unknown, key: string, fail: Fail, lower: boolean): Selection {
  if (v === undefined || v === 'none') return 'none';
  if (v === 'all') return 'all';
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string' && x !== '')) fail(key, 'must be "none", "all" or a list of names');
  return (v as string[]).map((x) => (lower ? x.toLowerCase() : x));
}

function parseCachePolicy(v: unknown, at: string, fail: Fail): CachePolicy {
  if (v === undefined) return CACHING_OPTIMIZED;
  if (v === 'CachingDisabled') return { ...CACHING_OPTIMIZED, minTTL: 0, defaultTTL: 0, maxTTL: 0 };
  if (v === 'CachingOptimized') return CACHING_OPTIMIZED;
  const p = obj(v, at, fail);
  for (const key of Object.keys(p)) {
    if (!['minTTL', 'defaultTTL', 'maxTTL', 'queryStrings', 'headers', 'cookies'].includes(key)) fail(`${at}.${key}`, 'unknown key (known keys: minTTL, defaultTTL, maxTTL, queryStrings, headers, cookies)');
  }
  const maxTTL = int(p.maxTTL, `${at}.maxTTL`, CACHING_OPTIMIZED.maxTTL, 0, 31_536_000 * 100, fail);
  const minTTL = int(p.minTTL, `${at}.minTTL`, Math.min(CACHING_OPTIMIZED.minTTL, maxTTL), 0, maxTTL, fail);
  const defaultTTL = int(p.defaultTTL, `${at}.defaultTTL`, Math.max(minTTL, Math.min(CACHING_OPTIMIZED.defaultTTL, maxTTL)), minTTL, maxTTL, fail);
  const headers = selection(p.headers, `${at}.headers`, fail, true);
  if (headers === 'all') fail(`${at}.headers`, 'a cache policy lists its headers by name (CloudFront has no "all" for cache keys); forward all headers with an originRequestPolicy');
  return {
    minTTL,
    defaultTTL,
    maxTTL,
    queryStrings: selection(p.queryStrings, `${at}.queryStrings`, fail, false),
    headers: headers === 'none' ? [] : headers,
    cookies: selection(p.cookies, `${at}.cookies`, fail, false),
  };
}

function parseOriginRequestPolicy(v: unknown, at: string, fail: Fail): OriginRequestPolicy {
  if (v === undefined) return { queryStrings: 'none', headers: 'none', cookies: 'none' };
  if (v === 'AllViewer') return { queryStrings: 'all', headers: 'all', cookies: 'all' };
  const p = obj(v, at, fail);
  for (const key of Object.keys(p)) if (!['queryStrings', 'headers', 'cookies'].includes(key)) fail(`${at}.${key}`, 'unknown key (known keys: queryStrings, headers, cookies)');
  return {
    queryStrings: selection(p.queryStrings, `${at}.queryStrings`, fail, false),
    headers: selection(p.headers, `${at}.headers`, fail, true),
    cookies: selection(p.cookies, `${at}.cookies`, fail, false),
  };
}

/** CloudFront's precedence: the first listed behavior whose pattern matches, else the default. */
export function behaviorFor(dist: DistributionConfig, path: string): BehaviorConfig {
  return dist.behaviors.find((b) => b.matches(path)) ?? dist.behaviors.at(-1)!;
}
