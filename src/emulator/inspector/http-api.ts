/**
 * @module
 * The inspector's HTTP side, under `/_lambda-wasm/` on the emulator's own port (docs/inspector.md):
 * the page, a JSON API over the recorder, an event stream, and two actions (replay, invalidate).
 *
 * Everything here answers only a request that comes from this machine, names this machine in its
 * `Host` (127.0.0.1, localhost or [::1] with the emulator's port — a DNS-rebinding page would send
 * its own name), and, for the API and the actions, is not cross-origin (`Origin`, `Sec-Fetch-Site`)
 * — so a web page the developer happens to visit can neither read the recorded requests nor drive
 * the actions.
 */
import type { ServerResponse } from 'node:http';
import { getHeader, type HttpResponse, type ViewerRequest } from '../../http-types.js';
import { inspectorAsset, inspectorPage } from './assets.js';
import type { InspectorRecorder, RecorderEvent, RequestRecord } from './recorder.js';

/**
 * The emulator's own prefix (it already serves `/_lambda-wasm/invalidate`): taken before the
 * distribution's behaviors, so the inspector reserves no new path (see docs/inspector.md).
 */
export const INSPECTOR_PREFIX = '/_lambda-wasm/';
export const INSPECTOR_PAGE = '/_lambda-wasm/inspector/';
export const INSPECTOR_API = '/_lambda-wasm/api/';

export function isInspectorPath(path: string): boolean {
  return path === '/_lambda-wasm/inspector' || path.startsWith(INSPECTOR_PAGE) || path.startsWith(INSPECTOR_API);
}

export interface InspectorActions {
  /** Runs a recorded request again through the distribution; resolves to the new record. */
  replay(record: RequestRecord): Promise<RequestRecord | undefined>;
  /** Invalidates cache paths; returns how many objects went. */
  invalidate(paths: string[]): number;
}

export type InspectorAnswer = HttpResponse | { stream: true };

type Access = 'page' | 'read' | 'action';

const LOOPBACK_IP = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/**
 * Why `req` may not use the inspector, or undefined when it may. `port` is the port the emulator
 * listens on (the `Host` must name it, as a browser does for a non-default port).
 */
export function refusal(req: Pick<ViewerRequest, 'headers' | 'clientIp' | 'method'>, port: number, access: Access): string | undefined {
  if (!LOOPBACK_IP.test(req.clientIp)) return `the inspector answers only this machine (the request came from ${req.clientIp})`;
  const host = (getHeader(req.headers, 'host') ?? '').toLowerCase();
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  const allowed = new Set(names.map((n) => `${n}:${port}`));
  if (port === 80) for (const n of names) allowed.add(n);
  if (!allowed.has(host)) return `the inspector answers only a loopback Host (localhost:${port}, 127.0.0.1:${port} or [::1]:${port}); this request's Host is ${JSON.stringify(host)}`;
  if (access === 'page') return undefined;
  const origin = getHeader(req.headers, 'origin');
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) return `cross-origin requests may not use the inspector's API (Origin ${JSON.stringify(origin)})`;
  const site = getHeader(req.headers, 'sec-fetch-site')?.toLowerCase();
  // `none`: typed into the address bar (reading JSON by hand); an action must come from the page itself.
  if (site !== undefined && site !== 'same-origin' && !(access === 'read' && site === 'none')) return `cross-site requests may not use the inspector's API (Sec-Fetch-Site: ${site})`;
  if (access === 'action' && req.method !== 'POST') return 'actions are POST requests';
  return undefined;
}

/**
 * Why a browser page on another origin may not make this request, or undefined. For the
 * emulator's own POST endpoints that predate the inspector (`/_lambda-wasm/invalidate`): a
 * cross-site form or `fetch` could otherwise post to them (a "simple" request needs no preflight).
 */
export function crossOriginRefusal(req: Pick<ViewerRequest, 'headers'>): string | undefined {
  const host = (getHeader(req.headers, 'host') ?? '').toLowerCase();
  const origin = getHeader(req.headers, 'origin');
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) return `cross-origin requests may not do this (Origin ${JSON.stringify(origin)})`;
  const site = getHeader(req.headers, 'sec-fetch-site')?.toLowerCase();
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site requests may not do this (Sec-Fetch-Site: ${site})`;
  return undefined;
}

/** Answers a request under INSPECTOR_PREFIX (the caller checked the prefix). */
export async function handleInspector(recorder: InspectorRecorder | undefined, actions: InspectorActions, req: ViewerRequest, port: number): Promise<InspectorAnswer> {
  const path = req.path;
  if (path === '/_lambda-wasm/inspector') return { status: 308, headers: [['Location', INSPECTOR_PAGE]], body: Buffer.alloc(0) };
  if (path.startsWith(INSPECTOR_PAGE)) {
    const no = refusal(req, port, 'page');
    if (no !== undefined) return forbidden(no);
    if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { message: 'the page is read with GET' });
    const name = path.slice(INSPECTOR_PAGE.length);
    if (name === '' || name === 'index.html') return page(200, 'text/html; charset=utf-8', inspectorPage());
    const asset = inspectorAsset(name);
    if (asset === undefined) return json(404, { message: `no such file: ${name}` });
    return page(200, asset.type, asset.body);
  }
  if (!path.startsWith(INSPECTOR_API)) return json(404, { message: `nothing at ${path}: the inspector is at ${INSPECTOR_PAGE}, its API under ${INSPECTOR_API} (docs/inspector.md)` });
  const route = path.slice(INSPECTOR_API.length).split('/');
  const action = req.method === 'POST';
  const no = refusal(req, port, action ? 'action' : 'read');
  if (no !== undefined) return forbidden(no);
  if (recorder === undefined) return json(404, { message: 'the inspector is off (createEmulator({ inspector: false }) or dev --no-inspector)' });
  if (!action && req.method !== 'GET' && req.method !== 'HEAD') return json(405, { message: 'reads are GET, actions are POST' });
  const params = new URLSearchParams(req.querystring);

  if (!action && route.length === 1 && route[0] === 'requests') {
    const limit = intParam(params.get('limit'));
    const after = intParam(params.get('after'));
    return json(200, { total: recorder.total, history: recorder.history, requests: recorder.requests({ ...(limit === undefined ? {} : { limit }), ...(after === undefined ? {} : { after }) }) });
  }
  if (!action && route.length === 1 && route[0] === 'functions') return json(200, { functions: recorder.functionStats() });
  if (!action && route.length === 1 && route[0] === 'events') return { stream: true };
  if (route[0] === 'requests' && route.length >= 2) {
    // By the inspector's number, or by CloudFront's request id (X-Amz-Cf-Id, as the terminal prints it).
    const key = decodeURIComponent(route[1] ?? '');
    const record = /^\d+$/.test(key) ? recorder.get(Number(key)) : recorder.records().find((r) => r.requestId === key);
    const id = record?.id;
    if (record === undefined) return json(404, { message: `no request ${route[1]} in the history (it keeps the last ${recorder.history})` });
    if (!action && route.length === 2) return json(200, { ...record, time: new Date(record.startedAt).toISOString() });
    if (action && route.length === 3 && route[2] === 'replay') {
      if (record.bodyBytes > 0 && record.body === undefined) return json(409, { message: `request ${id} had a ${record.bodyBytes}-byte body, over the 64 KB kept for replay` });
      const replayed = await actions.replay(record);
      if (replayed === undefined) return json(409, { message: 'the replay was not recorded' });
      return json(200, { id: replayed.id, status: replayed.status, xCache: replayed.xCache });
    }
    if (action && route.length === 3 && route[2] === 'invalidate') {
      const paths = [...new Set([record.path, ...(record.cache === undefined ? [] : [record.cache.uri])])];
      return json(200, { invalidated: actions.invalidate(paths), paths });
    }
  }
  return json(404, { message: `no ${req.method} ${path} in the inspector's API (docs/inspector.md)` });
}

/** Streams the recorder's events to one client as server-sent events until it goes away. */
export function openEventStream(recorder: InspectorRecorder, res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', Connection: 'keep-alive' });
  res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ total: recorder.total, history: recorder.history })}\n\n`);
  let dropped = false;
  const send = (event: RecorderEvent) => {
    // A client that does not keep up loses events (and is told), rather than this process buffering them.
    if (res.writableLength > 256 * 1024) {
      dropped = true;
      return;
    }
    if (dropped) {
      dropped = false;
      res.write('event: dropped\ndata: {}\n\n');
    }
    const data = JSON.stringify(event.type === 'request' ? event.request : event.function);
    res.write(`event: ${event.type}\ndata: ${data}\n\n`);
  };
  const unsubscribe = recorder.subscribe(send);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  heartbeat.unref();
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}

function intParam(v: string | null): number | undefined {
  if (v === null || !/^\d{1,9}$/.test(v)) return undefined;
  return Number(v);
}

const SECURITY_HEADERS: Array<[string, string]> = [
  ['Cache-Control', 'no-store'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

function json(status: number, value: unknown): HttpResponse {
  return { status, headers: [['Content-Type', 'application/json; charset=utf-8'], ...SECURITY_HEADERS], body: Buffer.from(JSON.stringify(value)) };
}

function forbidden(why: string): HttpResponse {
  return json(403, { message: `forbidden: ${why}` });
}

function page(status: number, type: string, body: Buffer): HttpResponse {
  return {
    status,
    headers: [
      ['Content-Type', type],
      ...SECURITY_HEADERS,
      // The page runs only its own script: whatever a recorded request holds can only ever be text.
      ['Content-Security-Policy', "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"],
    ],
    body,
  };
}
