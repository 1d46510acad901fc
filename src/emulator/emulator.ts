/**
 * @module
 * `createEmulator`: the local CloudFront on 127.0.0.1 — the distribution's pipeline, the Lambda
 * Invoke API and Function URLs on one server — and `dispatch()` to run a request without a socket.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FunctionConfig, ProjectConfig } from '../config/load.js';
import { EdgeError, disposedError } from '../errors.js';
import type { InvocationRecord } from '../lambda/index.js';
import { noopLogger, type Logger } from '../logger.js';
import { EdgeCache } from './cache.js';
import { parseDistribution, type DistributionConfig } from './config.js';
import { FunctionPool } from '../lambda-api/function-pool.js';
import type { HeaderPairs, HttpResponse, ViewerRequest } from '../http-types.js';
import { crossOriginRefusal, handleInspector, INSPECTOR_PAGE, INSPECTOR_PREFIX, isInspectorPath, openEventStream } from './inspector/http-api.js';
import { DEFAULT_HISTORY, InspectorRecorder, type RequestRecord } from './inspector/recorder.js';
import { IdleCollector } from './idle-collector.js';
import { functionUrlTarget, handleFunctionUrl, handleInvoke, INVOKE_PATH } from '../lambda-api/lambda-api.js';
import { handleRequest, type Exchange } from './pipeline.js';
import { lastResort, writeResponse } from './respond.js';

export interface EmulatorOptions {
  config: ProjectConfig;
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the emulator is for this machine unless told otherwise. */
  host?: string;
  logger?: Logger;
  /** One entry per request through the distribution. */
  onAccess?: (exchange: Exchange) => void;
  /** Every invocation's Lambda log lines (START, the function's lines, END, REPORT). */
  onFunctionLog?: (fn: FunctionConfig, record: InvocationRecord) => void;
  runtimeClient?: 'builtin' | 'ric';
  nodeBinary?: string;
  /** Where functions run: worker threads (default, fast) or processes (exact RSS; any Node, the RIC). */
  isolation?: 'thread' | 'process';
  /** Concurrency per function: environments at once, beyond which invocations are throttled. Default: sized to the machine. */
  maxEnvironments?: number;
  /** Lambda's init phase limit in ms (default 10 000; tests shorten it). */
  initTimeoutMs?: number;
  /** Idle environments are reclaimed after this many ms (default 5 minutes). */
  idleTimeoutMs?: number;
  /** Clock for the cache (tests). */
  now?: () => number;
  /**
   * The request inspector (docs/inspector.md): each request's trip kept in a ring of `history`
   * records (default 200), per-function stats, the page and JSON API under `/_lambda-wasm/`.
   * `false` records nothing.
   */
  inspector?: { history?: number } | false;
}

export interface DispatchRequest {
  method?: string;
  /** Path with optional query string, e.g. `/a/b?x=1`. */
  url: string;
  headers?: HeaderPairs | Record<string, string>;
  body?: string | Buffer;
  clientIp?: string;
}

export interface Emulator {
  readonly distribution: DistributionConfig;
  /** Resolves to the base URL once the server listens. */
  readonly ready: Promise<string>;
  url(): string;
  /** A request through the same routes as the server, in process. */
  dispatch(request: DispatchRequest): Promise<HttpResponse & { exchange?: Exchange }>;
  /** Drops cached objects for CloudFront invalidation paths (`/a.html`, `/images/*`). */
  invalidate(paths: readonly string[]): number;
  /** Takes a function's rebuilt zip for new requests; in-flight ones finish on the old code. */
  reload(functionName: string): boolean;
  readonly cache: EdgeCache;
  readonly pool: FunctionPool;
  /** The recorded trips and function stats (undefined with `inspector: false`). */
  readonly inspector: InspectorRecorder | undefined;
  /** The inspector page's URL once the server listens ('' with `inspector: false`). */
  inspectorUrl(): string;
  /** Stops the server, waits for Event invocations, ends every execution environment. */
  close(): Promise<void>;
  /** The same as `close()`. */
  dispose(): Promise<void>;
}

/** The largest request body the local server reads (CloudFront forwards up to 64 GB; Lambda sees far less). */
const MAX_BODY = 64 * 1024 * 1024;

export function createEmulator(options: EmulatorOptions): Emulator {
  const { config } = options;
  const logger = options.logger ?? noopLogger;
  const dist = parseDistribution(config);
  const recorder = options.inspector === false ? undefined : new InspectorRecorder(options.inspector?.history ?? DEFAULT_HISTORY);
  const onLog =
    recorder === undefined
      ? options.onFunctionLog
      : (fn: FunctionConfig, record: InvocationRecord) => {
          recorder.recordInvocation(fn, record);
          options.onFunctionLog?.(fn, record);
        };
  for (const b of dist.behaviors) {
    if (b.pathPattern !== '*' && b.matches(INSPECTOR_PAGE)) logger.warn(`behavior ${b.pathPattern} matches ${INSPECTOR_PREFIX}…, which the local emulator keeps for its inspector: such requests are not sent to the behavior in dev`);
  }
  const pool = new FunctionPool(config, {
    ...(options.maxEnvironments === undefined ? {} : { maxEnvironments: options.maxEnvironments }),
    ...(options.initTimeoutMs === undefined ? {} : { initTimeoutMs: options.initTimeoutMs }),
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    ...(options.runtimeClient === undefined ? {} : { runtimeClient: options.runtimeClient }),
    ...(options.nodeBinary === undefined ? {} : { nodeBinary: options.nodeBinary }),
    ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
    ...(onLog === undefined ? {} : { onLog }),
  });
  const used = new Map<string, FunctionConfig>();
  for (const b of dist.behaviors) for (const t of Object.values(b.triggers)) used.set(t.function.name, t.function);
  for (const fn of dist.lambdaFunctions) used.set(fn.name, fn);
  pool.prepare([...used.values()]);
  // What ended environments leave behind is given back once none is at work (idle-collector.ts).
  const collector = new IdleCollector(() => pool.totals());
  recorder?.declare([...used.values()]);
  const cache = new EdgeCache(options.now);
  const background = new Set<Promise<unknown>>();

  let listeningPort = options.port ?? 3000;
  /** Open event streams (inspector pages): ended on close, or the server would wait for them forever. */
  const streams = new Set<ServerResponse>();
  const inspectorActions = {
    replay: async (r: RequestRecord) => {
      const out = await route({ method: r.method, path: r.path, querystring: r.querystring, headers: r.headers, body: r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body, 'base64'), clientIp: r.clientIp }, r.id);
      return out.record;
    },
    invalidate: (paths: string[]) => cache.invalidate(paths),
  };

  async function route(req: ViewerRequest & { clientPort?: number }, replayOf?: number): Promise<HttpResponse & { exchange?: Exchange; record?: RequestRecord; stream?: true }> {
    if (isInspectorPath(req.path)) {
      const answer = await handleInspector(recorder, inspectorActions, req, listeningPort);
      return 'stream' in answer ? { status: 200, headers: [], body: Buffer.alloc(0), stream: true } : answer;
    }
    if (req.method === 'PURGE') {
      const n = cache.invalidate([req.path]);
      return json(200, { invalidated: n, paths: [req.path] });
    }
    if (req.path === '/_lambda-wasm/invalidate') {
      if (req.method !== 'POST') return json(405, { message: 'POST {"paths": ["/index.html", "/images/*"]}' });
      const refused = crossOriginRefusal(req);
      if (refused !== undefined) return json(403, { message: `forbidden: ${refused}` });
      let paths: unknown;
      try {
        paths = (JSON.parse(req.body.toString('utf8')) as { paths?: unknown }).paths;
      } catch {
        paths = undefined;
      }
      if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string' && p.startsWith('/'))) {
        return json(400, { message: 'the body must be {"paths": [...]} with paths that start with /' });
      }
      return json(200, { invalidated: cache.invalidate(paths as string[]), paths });
    }
    const invoke = INVOKE_PATH.exec(req.path);
    if (invoke !== null) return handleInvoke({ config, pool, background }, invoke[1]!, req);
    const url = functionUrlTarget(config, req);
    if (url !== undefined) return handleFunctionUrl(pool, url.fn, url.path, req);
    if (dist.behaviors.length === 0) {
      return json(404, { message: `no distribution in ${config.file ?? 'the config'}: add a "distribution" section (docs/dev.md)` });
    }
    const { response, exchange } = await handleRequest({ dist, pool, cache, settings: config.cloudfront, recordTrips: recorder !== undefined }, req);
    const record = recorder?.recordRequest({ ...req, ...(replayOf === undefined ? {} : { replayOf }) }, exchange);
    options.onAccess?.(exchange);
    return { ...response, exchange, ...(record === undefined ? {} : { record }) };
  }

  async function safeRoute(req: ViewerRequest & { clientPort?: number }): Promise<HttpResponse & { exchange?: Exchange; stream?: true }> {
    try {
      return await route(req);
    } catch (error) {
      logger.error(`internal error on ${req.method} ${req.path}: ${(error as Error).stack ?? String(error)}`);
      return json(500, { message: `lambda-wasm dev: internal error: ${(error as Error).message}` });
    }
  }

  // Node's parser stops at 16 KB of headers; CloudFront's limit is 20 480 bytes, which the pipeline enforces itself.
  const server: Server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    // Nothing a request or a function does may end the process: a failure here is a 502, never a crash.
    serve(req, res).catch((error: unknown) => {
      logger.error(`internal error on ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      lastResort(res);
    });
  });
  server.on('clientError', (err, socket) => {
    // A malformed request gets an HTTP error, never a crash.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nServer: CloudFront\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    logger.debug(`malformed request: ${err.message}`);
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) tooLarge = true;
      else chunks.push(c);
    });
    await new Promise<void>((resolve) => {
      req.on('end', resolve);
      req.on('error', resolve);
      req.on('close', resolve);
    });
    if (tooLarge) return send(res, json(413, { message: `request body over ${MAX_BODY} bytes` }));
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const headers: HeaderPairs = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    const viewerRequest = {
      method: req.method ?? 'GET',
      path: q < 0 ? raw : raw.slice(0, q),
      querystring: q < 0 ? '' : raw.slice(q + 1),
      headers,
      body: Buffer.concat(chunks),
      clientIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      clientPort: req.socket.remotePort ?? 0,
    };
    const answer = await safeRoute(viewerRequest);
    if (answer.stream === true && recorder !== undefined) {
      streams.add(res);
      res.on('close', () => streams.delete(res));
      return openEventStream(recorder, res);
    }
    send(res, answer);
  }

  function send(res: ServerResponse, r: HttpResponse): void {
    writeResponse(res, r, logger);
  }

  let listening: string | undefined;
  const ready = new Promise<string>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new EdgeError('E_USAGE', `port ${options.port ?? 3000} is in use`, { hint: 'pick another with --port (or PORT=…), or 0 for any free port' })
          : e,
      ),
    );
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
      const a = server.address() as AddressInfo;
      listeningPort = a.port;
      listening = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
      resolve(listening);
    });
  });

  let isClosed = false;
  const close = async () => {
    isClosed = true;
    collector.stop();
    for (const s of streams) s.end();
    // Connections are closed at once (not after they finish): a request waiting on a slow function
    // must not keep the server, and `dev`, alive. Then every environment ends, for certain.
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
    await pool.dispose();
    await Promise.all([...background]);
  };

  return {
    distribution: dist,
    ready,
    cache,
    pool,
    inspector: recorder,
    url: () => listening ?? '',
    inspectorUrl: () => (listening === undefined || recorder === undefined ? '' : `${listening.replace('//[::]', '//[::1]').replace('//0.0.0.0', '//127.0.0.1')}${INSPECTOR_PAGE}`),
    dispatch: async (r) => {
      if (isClosed) throw disposedError('the emulator');
      const raw = r.url;
      const q = raw.indexOf('?');
      const headers: HeaderPairs = Array.isArray(r.headers) ? r.headers : Object.entries(r.headers ?? {});
      const { stream, ...answer } = await safeRoute({
        method: r.method ?? 'GET',
        path: q < 0 ? raw : raw.slice(0, q),
        querystring: q < 0 ? '' : raw.slice(q + 1),
        headers,
        body: r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body),
        clientIp: r.clientIp ?? '127.0.0.1',
      });
      return stream === true ? json(400, { message: 'the event stream needs a socket: use the server, or emulator.inspector.subscribe()' }) : answer;
    },
    invalidate: (paths) => cache.invalidate(paths),
    reload: (name) => {
      if (isClosed) throw disposedError('the emulator');
      const fn = config.functions.find((f) => f.name === name);
      if (fn === undefined) throw new EdgeError('E_FUNCTION_UNKNOWN', `no function named ${name}`);
      return pool.reload(fn);
    },
    close,
    dispose: close,
  };
}

function json(status: number, value: unknown): HttpResponse {
  return { status, headers: [['Content-Type', 'application/json']], body: Buffer.from(JSON.stringify(value)) };
}
