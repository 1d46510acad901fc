/**
 * @module
 * The built-in Lambda runtime client: the entry point of an execution environment process. It does
 * what AWS's Node.js runtime interface client does — console in Lambda's format, the context
 * object, the handler loop over the Runtime API, AWS's error payloads — with Node built-ins only,
 * so it runs on every Node.js major (AWS's client needs Node ≥ 22 and a native addon).
 * Run as `node lib/lambda/bootstrap.js`, configured by Lambda's environment variables.
 */
import { writeSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

const env = process.env;
const [apiHost, apiPort] = (env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let currentRequestId: string | undefined;

interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function api(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: apiHost, port: Number(apiPort), method, path: `/2018-06-01${path}`, agent, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (data += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Lambda's text format: `timestamp\trequestId\tLEVEL\tmessage`, newlines kept inside one record as \r. */
function patchConsole(): void {
  const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  const minimum = levels.indexOf((env.AWS_LAMBDA_LOG_LEVEL ?? 'TRACE').toUpperCase());
  const json = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const write = (level: string) => (...args: unknown[]) => {
    if (levels.indexOf(level) < minimum) return;
    const timestamp = new Date().toISOString();
    const message = format(...args);
    const line = json
      ? JSON.stringify({ timestamp, level, requestId: currentRequestId, message })
      : `${timestamp}\t${currentRequestId ?? 'undefined'}\t${level}\t${message.replace(/\n/g, '\r')}`;
    // Synchronous, so a line is in the pipe before the response that follows it.
    writeSync(1, `${line}\n`);
  };
  console.trace = write('TRACE');
  console.debug = write('DEBUG');
  console.info = write('INFO');
  console.log = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
}

/** AWS's error payload: errorType = error.name, errorMessage = error.message, trace = stack lines. */
function toPayload(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** The error as AWS's client logs it: name, message, code, the error's own fields, the stack as lines. */
function toLogged(error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  const own = { errorType: e.name, errorMessage: e.message, code: (e as { code?: unknown }).code, ...e } as Record<string, unknown>;
  if (typeof e.stack === 'string') own.stack = e.stack.split('\n');
  return JSON.stringify(own);
}

async function loadHandler(): Promise<Handler> {
  const spec = env._HANDLER ?? 'index.handler';
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) throw Object.assign(new Error(`Bad handler ${spec}`), { name: 'Runtime.MalformedHandlerName' });
  const base = join(env.LAMBDA_TASK_ROOT ?? process.cwd(), spec.slice(0, dot));
  const file = ['.mjs', '.js', '.cjs'].map((ext) => base + ext).find((f) => existsSync(f));
  if (file === undefined) {
    throw Object.assign(new Error(`Cannot find module '${spec.slice(0, dot)}'`), { name: 'Runtime.ImportModuleError' });
  }
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = mod[spec.slice(dot + 1)];
  if (typeof fn !== 'function') {
    throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  }
  return fn as Handler;
}

function header(res: ApiResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function run(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const result = handler(event, context, (error, value) => (error ? reject(error) : resolve(value)));
      if (result !== undefined && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

async function main(): Promise<void> {
  patchConsole();
  let handler: Handler;
  try {
    handler = await loadHandler();
  } catch (error) {
    const payload = toPayload(error);
    console.error(`Init Error \t${JSON.stringify(payload)}`);
    await api('POST', '/runtime/init/error', JSON.stringify(payload), { 'lambda-runtime-function-error-type': payload.errorType });
    process.exit(1);
  }
  for (;;) {
    const next = await api('GET', '/runtime/invocation/next');
    const requestId = header(next, 'lambda-runtime-aws-request-id') ?? '';
    const deadline = Number(header(next, 'lambda-runtime-deadline-ms') ?? Date.now() + 3000);
    currentRequestId = requestId;
    const clientContext = header(next, 'lambda-runtime-client-context');
    const context = {
      awsRequestId: requestId,
      invokedFunctionArn: header(next, 'lambda-runtime-invoked-function-arn'),
      functionName: env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
      clientContext: clientContext === undefined ? undefined : JSON.parse(clientContext),
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => deadline - Date.now(),
    };
    try {
      const result = await run(handler, JSON.parse(next.body), context);
      await api('POST', `/runtime/invocation/${requestId}/response`, JSON.stringify(result ?? null));
    } catch (error) {
      const payload = toPayload(error);
      console.error(`Invoke Error \t${toLogged(error)}`);
      await api('POST', `/runtime/invocation/${requestId}/error`, JSON.stringify(payload), { 'lambda-runtime-function-error-type': payload.errorType });
    }
  }
}

process.on('unhandledRejection', (reason) => {
  // As AWS's client does: a Runtime.UnhandledPromiseRejection whose message is the reason as text,
  // reported against the running invocation; then the environment ends.
  const error = new Error(String(reason));
  error.name = 'Runtime.UnhandledPromiseRejection';
  const payload = toPayload(error);
  console.error(`Unhandled Promise Rejection \t${toLogged(error)}`);
  const id = currentRequestId;
  const done = id === undefined ? Promise.resolve() : api('POST', `/runtime/invocation/${id}/error`, JSON.stringify(payload), { 'lambda-runtime-function-error-type': payload.errorType });
  void done.catch(() => undefined).finally(() => process.exit(128));
});

await main();
