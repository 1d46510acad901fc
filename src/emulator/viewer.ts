/**
 * @module
 * What CloudFront knows about the viewer and adds on the origin side: the `CloudFront-*` headers
 * (country, device, address…), with values a request header can set for testing
 * (`x-lambda-wasm-viewer-country: FR`, `x-lambda-wasm-viewer-device: mobile`), and the request
 * the origin gets under the behavior's cache and origin-request policies.
 */
import type { CloudFrontOrigin, CloudFrontRequest } from '../events/index.js';
import { isDisallowedHeader, titleCase, toCloudFrontHeaders } from '../events/index.js';
import type { BehaviorConfig, OriginConfig, Selection } from './config.js';
import { fromCfHeaders, getHeader, type HeaderPairs } from '../http-types.js';

export const OVERRIDE_PREFIX = 'x-lambda-wasm-viewer-';

/** Headers that never reach a function: hop-by-hop ones and CloudFront's own (the disallowed list). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection']);

export interface Viewer {
  clientIp: string;
  clientPort: number;
  /** `CloudFront-*` headers CloudFront can add, lowercase names. */
  cloudfrontHeaders: Map<string, string>;
}

/** Splits the test overrides off the viewer's headers and works out the CloudFront-* values. */
export function viewerOf(headers: HeaderPairs, clientIp: string, clientPort: number, secure: boolean): { viewer: Viewer; headers: HeaderPairs } {
  const overrides = new Map<string, string>();
  const kept: HeaderPairs = [];
  for (const [k, v] of headers) {
    const lower = k.toLowerCase();
    if (lower.startsWith(OVERRIDE_PREFIX)) overrides.set(lower.slice(OVERRIDE_PREFIX.length), v);
    else if (!HOP_BY_HOP.has(lower) && !isDisallowedHeader(lower)) kept.push([k, v]);
  }
  const ua = getHeader(kept, 'user-agent') ?? '';
  const device = overrides.get('device') ?? deviceOf(ua);
  const cf = new Map<string, string>([
    ['cloudfront-viewer-country', overrides.get('country') ?? 'US'],
    ['cloudfront-is-desktop-viewer', String(device === 'desktop')],
    ['cloudfront-is-mobile-viewer', String(device === 'mobile' || device === 'tablet')],
    ['cloudfront-is-tablet-viewer', String(device === 'tablet')],
    ['cloudfront-is-smarttv-viewer', String(device === 'smarttv')],
    ['cloudfront-is-ios-viewer', String(/iPhone|iPad|iPod/.test(ua))],
    ['cloudfront-is-android-viewer', String(/Android/.test(ua))],
    ['cloudfront-viewer-address', `${clientIp}:${clientPort}`],
    ['cloudfront-forwarded-proto', secure ? 'https' : 'http'],
    ['cloudfront-viewer-http-version', '1.1'],
  ]);
  for (const [name, value] of overrides) if (name !== 'device') cf.set(`cloudfront-viewer-${name}`, value);
  return { viewer: { clientIp, clientPort, cloudfrontHeaders: cf }, headers: kept };
}

function deviceOf(ua: string): 'desktop' | 'mobile' | 'tablet' | 'smarttv' {
  if (/SmartTV|SMART-TV|AppleTV|GoogleTV|BRAVIA/i.test(ua)) return 'smarttv';
  if (/iPad|Tablet|Nexus (7|9|10)/i.test(ua)) return 'tablet';
  if (/Mobi|iPhone|Android/i.test(ua)) return 'mobile';
  return 'desktop';
}

const VIA = '2.0 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)';
export const RESPONSE_VIA = '1.1 0123456789abcdef0123456789abcdef.cloudfront.net (CloudFront)';

function selects(selection: Selection, name: string): boolean {
  return selection === 'all' || (selection !== 'none' && selection.some((s) => s.toLowerCase() === name.toLowerCase()));
}

function union(a: Selection, b: Selection): Selection {
  if (a === 'all' || b === 'all') return 'all';
  if (a === 'none') return b;
  if (b === 'none') return a;
  return [...a, ...b];
}

export function originObject(origin: OriginConfig): CloudFrontOrigin {
  if (origin.kind === 'folder') {
    return { s3: { authMethod: 'none', customHeaders: {}, domainName: origin.domainName, path: '', region: 'us-east-1' } as unknown as NonNullable<CloudFrontOrigin['s3']> } as CloudFrontOrigin;
  }
  return {
    custom: {
      customHeaders: {},
      domainName: origin.domainName,
      keepaliveTimeout: origin.keepaliveTimeout,
      path: origin.originPath,
      port: Number(origin.url.port || (origin.url.protocol === 'https:' ? 443 : 80)),
      protocol: origin.url.protocol === 'https:' ? 'https' : 'http',
      readTimeout: origin.readTimeout,
      sslProtocols: ['TLSv1.2'],
    },
  };
}

/**
 * The request as CloudFront sends it to the origin (and shows it to origin-request): only the
 * query strings, headers and cookies the policies forward, plus what CloudFront adds.
 */
export function originSideRequest(behavior: BehaviorConfig, request: CloudFrontRequest, viewer: Viewer): CloudFrontRequest {
  const cache = behavior.cachePolicy;
  const policy = behavior.originRequestPolicy;
  const headerSel = union(cache.headers.length === 0 ? 'none' : cache.headers, policy.headers);
  const querySel = union(cache.queryStrings, policy.queryStrings);
  const cookieSel = union(cache.cookies, policy.cookies);
  const viewerHeaders = fromCfHeaders(request.headers);
  const out: HeaderPairs = [];
  for (const [k, v] of viewerHeaders) {
    const lower = k.toLowerCase();
    if (lower === 'cookie' || lower.startsWith('cloudfront-')) continue;
    // "all" forwards every viewer header; CloudFront-* ones only when named.
    if (selects(headerSel, lower)) out.push([k, v]);
  }
  for (const [name, value] of viewer.cloudfrontHeaders) {
    if (headerSel !== 'all' && selects(headerSel, name)) out.push([titleCase(name).replace(/^Cloudfront-/, 'CloudFront-'), value]);
  }
  const cookies = (getHeader(viewerHeaders, 'cookie') ?? '')
    .split(/;\s*/)
    .filter((c) => c !== '' && selects(cookieSel, c.split('=')[0]!));
  if (cookies.length > 0) out.push(['Cookie', cookies.join('; ')]);
  const has = (n: string) => out.some(([k]) => k.toLowerCase() === n);
  if (!has('host')) out.push(['Host', behavior.origin.domainName]);
  if (!has('user-agent')) out.push(['User-Agent', 'Amazon CloudFront']);
  const enc = getHeader(viewerHeaders, 'accept-encoding') ?? '';
  if (!has('accept-encoding') && /gzip|br/.test(enc)) out.push(['Accept-Encoding', /br/.test(enc) ? 'br,gzip' : 'gzip']);
  out.push(['X-Forwarded-For', viewer.clientIp], ['Via', VIA]);
  const query =
    querySel === 'all'
      ? request.querystring
      : querySel === 'none'
        ? ''
        : request.querystring.split('&').filter((p) => p !== '' && selects(querySel, decodeSafe(p.split('=')[0]!))).join('&');
  return {
    clientIp: request.clientIp,
    headers: toCloudFrontHeaders(out),
    method: request.method,
    origin: originObject(behavior.origin),
    querystring: query,
    uri: request.uri,
  };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
