/**
 * @module
 * The `distribution` section of the config, for `lambda-wasm dev` (the local CloudFront): origins,
 * cache behaviors with their trigger associations, cache and origin-request policies. What
 * CloudFront refuses when a function is associated is refused here, when the config is read.
 * `emulator/config.ts` turns the parsed section into the emulator's distribution.
 */
import { z } from 'zod';
import { CLOUDFRONT_MESSAGES, DEFAULT_DISTRIBUTION_DOMAIN, DEFAULT_DISTRIBUTION_ID } from '../events/index.js';
import { EDGE_EVENT_TYPES, MAX_ORIGIN_TIMEOUT, mayIncludeBody, type EdgeEventType, type FunctionKind } from './limits.js';
import { flag, isObject, says, strict, text, wholeNumber } from './schema-kit.js';
import { didYouMean } from './suggest.js';

/** Placeholders in the shape of CloudFront's own (the ones its documentation uses): the event builders' defaults. */
export { DEFAULT_DISTRIBUTION_DOMAIN, DEFAULT_DISTRIBUTION_ID };
/** CloudFront's largest TTL setting: 100 years. */
export const MAX_TTL_SECONDS = 31_536_000 * 100;
/** The TTLs of CloudFront's managed CachingOptimized policy, the default cache policy. */
export const CACHING_OPTIMIZED_TTL = { minTTL: 1, defaultTTL: 86_400, maxTTL: 31_536_000 } as const;


const origin = strict({
  folder: text('a path to a folder').optional().describe('A local folder, served as an S3 bucket would be (relative to the config file).'),
  url: text('an http:// or https:// URL')
    .superRefine((value, ctx) => {
      if (!URL.canParse(value)) return ctx.addIssue({ code: 'custom', message: `${JSON.stringify(value)} is not a URL; e.g. "http://127.0.0.1:8080/api"`, input: value });
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL', input: value });
      else if (url.search !== '' || url.hash !== '') ctx.addIssue({ code: 'custom', message: 'cannot have a query string or fragment (an origin path only)', input: value });
    })
    .optional()
    .describe('An HTTP(S) origin; its path, if any, is the origin path.'),
  readTimeout: wholeNumber(1, MAX_ORIGIN_TIMEOUT).default(30).describe('Seconds CloudFront waits for the origin to answer.'),
  keepaliveTimeout: wholeNumber(1, MAX_ORIGIN_TIMEOUT).default(5).describe('Seconds an idle origin connection is kept.'),
}).refine((o) => (o.folder === undefined) !== (o.url === undefined), {
  error: 'needs exactly one of "folder" (a local folder, served like an S3 bucket) or "url" (an HTTP(S) origin)',
});

const originName = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, { error: 'an origin name may use letters, digits, ., - and _' });

const triggerObject = (eventType: EdgeEventType) =>
  strict({
    function: text('the name of a function in "functions"').describe('The function to run.'),
    includeBody: flag().optional().describe("Give the function the request body (request events only); defaults to the function's includeBody."),
  }).refine((t) => t.includeBody !== true || mayIncludeBody(eventType), { error: CLOUDFRONT_MESSAGES.includeBody, path: ['includeBody'] });

/** A function name, or `{ function, includeBody }`. */
const trigger = (eventType: EdgeEventType) =>
  z.union([text('the name of a function in "functions"'), triggerObject(eventType)], says('must be a function name or {"function": name, "includeBody": true|false}')).optional();

const triggers = strict(Object.fromEntries(EDGE_EVENT_TYPES.map((t) => [t, trigger(t).describe(`The function CloudFront runs on ${t}.`)])) as Record<EdgeEventType, ReturnType<typeof trigger>>);

/** `"none"`, `"all"` or a list of names. */
const selection = z.union([z.literal('none'), z.literal('all'), z.array(text('a name'), says('must be "none", "all" or a list of names')).describe('Only these names.')], says('must be "none", "all" or a list of names'));

const cachePolicyObject = strict({
  minTTL: wholeNumber(0, MAX_TTL_SECONDS).optional().describe('Seconds (default 1, at most maxTTL).'),
  defaultTTL: wholeNumber(0, MAX_TTL_SECONDS).optional().describe('Seconds, when the origin sends no Cache-Control (default 86400, between minTTL and maxTTL).'),
  maxTTL: wholeNumber(0, MAX_TTL_SECONDS).optional().describe('Seconds (default 31536000).'),
  queryStrings: selection.optional().describe('Query strings in the cache key.'),
  headers: z
    .union([z.literal('none'), z.array(text('a header name'))], {
      error: (iss) =>
        iss.input === 'all'
          ? 'a cache policy lists its headers by name (CloudFront has no "all" for cache keys); forward all headers with an originRequestPolicy'
          : `must be "none" or a list of header names (got ${JSON.stringify(iss.input)})`,
    })
    .optional()
    .describe('Headers in the cache key, by name.'),
  cookies: selection.optional().describe('Cookies in the cache key.'),
}).superRefine((p, ctx) => {
  // Unset TTLs take CachingOptimized's, kept within the ones that are set (emulator/config.ts).
  const max = p.maxTTL ?? CACHING_OPTIMIZED_TTL.maxTTL;
  if (p.minTTL !== undefined && p.minTTL > max) ctx.addIssue({ code: 'custom', path: ['minTTL'], message: `must be a whole number from 0 to ${max} (maxTTL) (got ${p.minTTL})`, input: p.minTTL });
  const min = p.minTTL ?? Math.min(CACHING_OPTIMIZED_TTL.minTTL, max);
  if (p.defaultTTL !== undefined && (p.defaultTTL < min || p.defaultTTL > max)) {
    ctx.addIssue({ code: 'custom', path: ['defaultTTL'], message: `must be a whole number from ${min} to ${max} (minTTL to maxTTL) (got ${p.defaultTTL})`, input: p.defaultTTL });
  }
});

const cachePolicy = z
  .union([z.literal('CachingOptimized'), z.literal('CachingDisabled'), cachePolicyObject], says('must be "CachingOptimized", "CachingDisabled" or an object {minTTL, defaultTTL, maxTTL, queryStrings, headers, cookies}'))
  .optional()
  .describe("CloudFront's managed CachingOptimized (the default), CachingDisabled, or a policy of your own.");

const originRequestPolicy = z
  .union([z.literal('AllViewer'), strict({ queryStrings: selection.optional(), headers: selection.optional(), cookies: selection.optional() })], says('must be "AllViewer" or an object {queryStrings, headers, cookies}'))
  .optional()
  .describe('What reaches the origin beyond the cache key: "AllViewer", or a policy of your own (default: nothing more).');

const behaviorShape = {
  origin: text('the name of an origin').optional().describe('The origin this behavior sends requests to (may be left out when there is only one).'),
  triggers: triggers.optional().describe('Lambda@Edge associations, by event type.'),
  cachePolicy,
  originRequestPolicy,
};

const PATH_PATTERN_CHARS = /^[A-Za-z0-9_\-.*$/~"'@:+?&=!]+$/;

const behavior = strict({
  pathPattern: text('a path pattern such as "/images/*"')
    .max(255, { error: 'is longer than 255 characters' })
    .regex(PATH_PATTERN_CHARS, { error: (iss) => `${JSON.stringify(iss.input)} has characters CloudFront does not allow in a path pattern` })
    .describe('Which request paths this behavior serves: * matches any characters, ? one.'),
  ...behaviorShape,
});

const defaultBehavior = strict(
  {
    pathPattern: z.literal('*', { error: 'the default behavior matches everything (*); put specific patterns in "behaviors"' }).optional(),
    ...behaviorShape,
  },
  'is required (CloudFront always has a default cache behavior)',
);

export const distributionSchema = strict({
  id: text().default(DEFAULT_DISTRIBUTION_ID).describe("The distribution ID that events' config.distributionId carries."),
  domainName: text().default(DEFAULT_DISTRIBUTION_DOMAIN).describe("The domain events' config.distributionDomainName carries."),
  defaultRootObject: text('an object name such as "index.html"')
    .refine((v) => !v.startsWith('/'), { error: 'is an object name without a leading / (e.g. "index.html")' })
    .optional()
    .describe('The object served for a request for / (e.g. "index.html").'),
  origins: z
    .record(originName, origin, says('must be an object of origins by name', 'is required: at least one origin, e.g. {"site": {"folder": "public"}}'))
    .refine((o) => Object.keys(o).length > 0, { error: 'needs at least one origin' })
    .describe('Origins by name: {"folder": path} or {"url": "http://…"}.'),
  defaultBehavior: defaultBehavior.describe('The cache behavior for every path no listed behavior matches.'),
  behaviors: z.array(behavior, says('must be a list of cache behaviors, most specific first (CloudFront matches them in order)')).default([]).describe('Cache behaviors, most specific first: CloudFront uses the first whose pathPattern matches.'),
})
  .superRefine((section: unknown, ctx) => {
    // Runs even when other keys have errors (every error at once), so it reads the value warily.
    if (!isObject(section)) return;
    const d = section;
    const names = isObject(d.origins) ? Object.keys(d.origins) : [];
    const check = (b: unknown, at: (string | number)[]) => {
      if (!isObject(b)) return;
      if (b.origin === undefined) {
        if (names.length > 1) ctx.addIssue({ code: 'custom', path: [...at, 'origin'], message: `is required when there is more than one origin (origins: ${names.join(', ')})` });
      } else if (typeof b.origin === 'string' && names.length > 0 && !names.includes(b.origin)) {
        ctx.addIssue({ code: 'custom', path: [...at, 'origin'], message: `no origin named ${JSON.stringify(b.origin)} (origins: ${names.join(', ')})${didYouMean(b.origin, names)}`, input: b.origin });
      }
    };
    const seen = new Set<string>();
    (Array.isArray(d.behaviors) ? d.behaviors : []).forEach((b: unknown, i) => {
      check(b, ['behaviors', i]);
      const pattern = isObject(b) ? b.pathPattern : undefined;
      if (typeof pattern !== 'string') return;
      if (seen.has(pattern)) ctx.addIssue({ code: 'custom', path: ['behaviors', i, 'pathPattern'], message: `${pattern} is used twice; each path pattern can appear once`, input: pattern });
      seen.add(pattern);
    });
    check(d.defaultBehavior, ['defaultBehavior']);
  }, { when: () => true })
  .describe('The local CloudFront that `lambda-wasm dev` serves: origins and cache behaviors with their triggers.');

/** The section as written (what code that builds a config by hand gives). */
export type DistributionSectionInput = z.input<typeof distributionSchema>;
/** The section validated, with its static defaults. */
export type DistributionSection = z.output<typeof distributionSchema>;
export type BehaviorSection = DistributionSection['behaviors'][number] | DistributionSection['defaultBehavior'];

type Issue = { path: (string | number)[]; message: string };

/**
 * What the triggers of a distribution section get wrong about the project's functions: a name that
 * is not a function, or a function of another event type. `kinds` holds the functions whose own
 * settings are valid; `distribution` is the section as given (it may have errors of its own).
 */
export function triggerProblems(distribution: unknown, kinds: ReadonlyMap<string, FunctionKind>, allNames: readonly string[]): Issue[] {
  if (!isObject(distribution)) return [];
  const behaviors: Array<[unknown, (string | number)[]]> = [
    ...(Array.isArray(distribution.behaviors) ? distribution.behaviors.map((b, i): [unknown, (string | number)[]] => [b, ['behaviors', i]]) : []),
    [distribution.defaultBehavior, ['defaultBehavior']],
  ];
  const problems: Issue[] = [];
  for (const [b, at] of behaviors) {
    if (!isObject(b) || !isObject(b.triggers)) continue;
    for (const eventType of EDGE_EVENT_TYPES) {
      const t = b.triggers[eventType];
      const name = typeof t === 'string' ? t : isObject(t) && typeof t.function === 'string' ? t.function : undefined;
      if (name === undefined) continue;
      const path = ['distribution', ...at, 'triggers', eventType];
      const kind = kinds.get(name);
      if (!allNames.includes(name)) {
        problems.push({ path, message: `no function named ${JSON.stringify(name)} (functions: ${allNames.join(', ') || '(none)'})${didYouMean(name, allNames)}` });
      } else if (kind !== undefined && kind !== eventType) {
        problems.push({ path, message: `${name} is built as a ${kind} function; associate it with ${kind}, or change its eventType` });
      }
    }
  }
  return problems;
}
