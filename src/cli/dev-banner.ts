/**
 * @module
 * What `lambda-wasm dev` prints once it listens: what this project's config serves (behaviors with
 * their triggers, Function URLs, the Invoke API) and commands to try that fit it, each function with
 * its own fixture as the example. A project without a distribution gets no `curl /` or PURGE line.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import type { FunctionConfig } from '../config/load.js';
import type { BehaviorConfig, DistributionConfig } from '../emulator/index.js';
import { OVERRIDE_PREFIX } from '../emulator/index.js';

export interface BannerInput {
  url: string;
  distribution: DistributionConfig;
  /** Whether the config has a `distribution` section (without one, only the Lambda side is served). */
  hasDistribution: boolean;
  functions: readonly FunctionConfig[];
  /** Fixture paths are shown relative to this folder (the shell's). */
  cwd: string;
  /** The request inspector's page ('' or absent when it is off). */
  inspectorUrl?: string;
}

type Paint = (text: string) => string;
const plain: Paint = (t) => t;

/** The banner's lines; `bold` and `dim` colour them on a terminal. */
export function bannerLines(input: BannerInput, paint: { bold: Paint; dim: Paint; green: Paint } = { bold: plain, dim: plain, green: plain }): string[] {
  const { url, distribution: dist, functions } = input;
  const out: string[] = [''];
  if (input.hasDistribution) {
    out.push(`${paint.green('✓')} local CloudFront on ${paint.bold(url)}  (distribution ${dist.id}, ${dist.domainName})`, '');
    out.push('behaviors (first match wins):');
    for (const b of dist.behaviors) {
      const triggers = Object.values(b.triggers).map((t) => `${t.eventType} → ${t.function.name}`).join(', ');
      out.push(`  ${b.pathPattern.padEnd(16)} origin ${b.origin.name}${triggers === '' ? '' : `; ${triggers}`}`);
    }
  } else {
    out.push(`${paint.green('✓')} local Lambda on ${paint.bold(url)}  (no "distribution" in the config: the Invoke API and Function URLs only)`);
  }
  const lambdas = functions.filter((f) => f.kind === 'lambda');
  if (lambdas.length > 0) {
    out.push('', 'Function URLs (payload 2.0):');
    for (const fn of lambdas) out.push(`  ${url}/_lambda-url/${fn.name}/   (or Host: ${fn.name}.lambda-url.localhost)`);
  }
  out.push('', `Lambda Invoke API: ${url}/2015-03-31/functions/<name>/invocations  (${functions.map((f) => f.name).join(', ')})`);
  if (input.inspectorUrl !== undefined && input.inspectorUrl !== '') {
    out.push(`Inspector: ${paint.bold(input.inspectorUrl)}  ${paint.dim("(each request's trip through the triggers, live; docs/inspector.md)")}`);
  }

  out.push('', 'try:');
  if (input.hasDistribution) {
    for (const b of dist.behaviors) out.push(`  ${curlForBehavior(url, b, input.cwd)}`);
  }
  for (const fn of lambdas) out.push(`  ${curlForFunctionUrl(url, fn)}`);
  for (const fn of functions) {
    if (fn.fixture === undefined) {
      out.push(`  ${paint.dim(`# ${fn.name} has no "fixture" in the config: make one with \`lambda-wasm event ${fn.kind} > ${fn.name}.json\``)}`);
      continue;
    }
    // fileb:// hands the file's bytes over as they are in AWS CLI v1 and v2 alike; an inline JSON
    // payload needs --cli-binary-format raw-in-base64-out in v2, which v1 refuses.
    out.push(
      `  aws lambda invoke --endpoint-url ${url} --no-sign-request --region us-east-1 --function-name ${fn.name} --payload fileb://${shown(fn.fixture, input.cwd)} ${fn.name}.out.json`,
    );
  }
  if (input.hasDistribution) {
    const object = dist.defaultRootObject === undefined ? '/' : `/${dist.defaultRootObject}`;
    out.push(`  curl -X PURGE ${url}${object}   ${paint.dim("# invalidate it in the local cache (or: lambda-wasm invalidate '/*')")}`);
    out.push(`  ${paint.dim(`add -H "${OVERRIDE_PREFIX}country: FR" (or ${OVERRIDE_PREFIX}device: mobile) to set the CloudFront-* viewer headers`)}`);
  }
  out.push('');
  return out;
}

/**
 * A request for the behavior: its viewer-side trigger's fixture when that fixture's URI falls under
 * the behavior (with the headers it needs, such as Authorization), else a path the pattern matches.
 */
function curlForBehavior(url: string, b: BehaviorConfig, cwd: string): string {
  for (const t of [b.triggers['viewer-request'], b.triggers['origin-request']]) {
    const request = t?.function.fixture === undefined ? undefined : fixtureRequest(t.function.fixture);
    if (request === undefined || !b.matches(request.uri)) continue;
    const headers = request.headers.map(([k, v]) => `-H ${quote(`${k}: ${v}`)} `).join('');
    const target = `${url}${request.uri}${request.querystring === '' ? '' : `?${request.querystring}`}`;
    return `curl -i ${request.method === 'GET' ? '' : `-X ${request.method} `}${headers}${quote(target)}   # ${t!.function.name}'s fixture (${shown(t!.function.fixture!, cwd)})`;
  }
  const path = b.pathPattern === '*' ? '/' : b.pathPattern.replace(/\*.*$/, '').replace(/\?/g, 'x');
  return `curl -i ${quote(`${url}${path.startsWith('/') ? path : `/${path}`}`)}`;
}

function curlForFunctionUrl(url: string, fn: FunctionConfig): string {
  const fixture = fn.fixture === undefined ? undefined : readJson(fn.fixture);
  const e = fixture as { version?: unknown; rawPath?: unknown; rawQueryString?: unknown; requestContext?: { http?: { method?: unknown } } } | undefined;
  // A fixture that is itself a Function URL event gives the method, path and query string.
  if (e?.version === '2.0' && typeof e.rawPath === 'string') {
    const method = typeof e.requestContext?.http?.method === 'string' && e.requestContext.http.method !== 'GET' ? `-X ${e.requestContext.http.method} ` : '';
    const query = typeof e.rawQueryString === 'string' && e.rawQueryString !== '' ? `?${e.rawQueryString}` : '';
    return `curl -i ${method}${quote(`${url}/_lambda-url/${fn.name}${e.rawPath}${query}`)}`;
  }
  // A flat JSON object (an Invoke API payload such as {"n": 5}) is shown as the query string.
  const params = flatParams(fixture);
  const query = params === undefined || params.toString() === '' ? '' : `?${params.toString()}`;
  return `curl -i ${quote(`${url}/_lambda-url/${fn.name}/${query}`)}${query === '' ? '' : `   # ${fn.name}'s fixture as a query string`}`;
}

function flatParams(value: unknown): URLSearchParams | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
    params.append(k, String(v));
  }
  return params;
}

/** Headers a fixture's request carries that change what the function does (credentials, cookies). */
const CARRIED_HEADERS = new Set(['authorization', 'cookie', 'accept-language']);

function fixtureRequest(path: string): { method: string; uri: string; querystring: string; headers: Array<[string, string]> } | undefined {
  const request = (readJson(path) as { Records?: Array<{ cf?: { request?: Record<string, unknown> } }> } | undefined)?.Records?.[0]?.cf?.request;
  if (request === undefined || typeof request.uri !== 'string') return undefined;
  const headers: Array<[string, string]> = [];
  for (const [name, entries] of Object.entries((request.headers ?? {}) as Record<string, Array<{ key?: string; value: string }>>)) {
    if (!CARRIED_HEADERS.has(name) || !Array.isArray(entries)) continue;
    // One header line per name: curl sends repeated -H lines as separate headers.
    headers.push([entries[0]?.key ?? name, entries.map((e) => e.value).join(name === 'cookie' ? '; ' : ', ')]);
  }
  return {
    method: typeof request.method === 'string' ? request.method : 'GET',
    uri: request.uri,
    querystring: typeof request.querystring === 'string' ? request.querystring : '',
    headers,
  };
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Single quotes for the shell, unless nothing in the word needs them. */
function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
