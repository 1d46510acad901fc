/**
 * @module
 * What a Node.js Lambda runtime client does inside the environment, shared by the process
 * bootstrap and the worker-thread environment: console lines in Lambda's format, loading the
 * handler, the context object, calling async and callback handlers, AWS's error payloads.
 * Node built-ins only.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

export type Handler = (event: unknown, context: unknown, callback?: (error: unknown, result?: unknown) => void) => unknown;

export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/**
 * Points console.* at `sink` in Lambda's text format (`timestamp\trequestId\tLEVEL\tmessage`, a
 * message's newlines kept in one record as \r), or JSON with AWS_LAMBDA_LOG_FORMAT=JSON.
 */
export function patchConsole(env: NodeJS.ProcessEnv, requestId: () => string | undefined, sink: (line: string) => void): void {
  const minimum = LEVELS.indexOf((env.AWS_LAMBDA_LOG_LEVEL ?? 'TRACE').toUpperCase());
  const json = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const write = (level: string) => (...args: unknown[]) => {
    if (LEVELS.indexOf(level) < minimum) return;
    const timestamp = new Date().toISOString();
    const message = format(...args);
    sink(json ? JSON.stringify({ timestamp, level, requestId: requestId(), message }) : `${timestamp}\t${requestId() ?? 'undefined'}\t${level}\t${message.replace(/\n/g, '\r')}`);
  };
  console.trace = write('TRACE');
  console.debug = write('DEBUG');
  console.info = write('INFO');
  console.log = write('INFO');
  console.warn = write('WARN');
  console.error = write('ERROR');
}

/** AWS's error payload: errorType = error.name, errorMessage = error.message, trace = stack lines. */
export function toPayload(error: unknown): ErrorPayload {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/** The error as AWS's client logs it: name, message, code, the error's own fields, the stack as lines. */
export function toLogged(error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  const own = { errorType: e.name, errorMessage: e.message, code: (e as { code?: unknown }).code, ...e } as Record<string, unknown>;
  if (typeof e.stack === 'string') own.stack = e.stack.split('\n');
  return JSON.stringify(own);
}

/** `_HANDLER` (`index.handler`) from the task root, with AWS's error names when it cannot be found. */
export async function loadHandler(taskRoot: string, spec: string): Promise<Handler> {
  const dot = spec.lastIndexOf('.');
  if (dot <= 0) throw Object.assign(new Error(`Bad handler ${spec}`), { name: 'Runtime.MalformedHandlerName' });
  const base = join(taskRoot, spec.slice(0, dot));
  const file = ['.mjs', '.js', '.cjs'].map((ext) => base + ext).find((f) => existsSync(f));
  if (file === undefined) throw Object.assign(new Error(`Cannot find module '${spec.slice(0, dot)}'`), { name: 'Runtime.ImportModuleError' });
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const fn = mod[spec.slice(dot + 1)];
  if (typeof fn !== 'function') throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return fn as Handler;
}

/** Async handlers and callback handlers (three parameters) alike. */
export function runHandler(handler: Handler, event: unknown, context: unknown): Promise<unknown> {
  if (handler.length >= 3) {
    return new Promise((resolve, reject) => {
      const result = handler(event, context, (error, value) => (error ? reject(error) : resolve(value)));
      if (result !== undefined && typeof (result as Promise<unknown>).then === 'function') (result as Promise<unknown>).then(resolve, reject);
    });
  }
  return Promise.resolve().then(() => handler(event, context));
}

export interface InvokeInfo {
  requestId: string;
  deadlineMs: number;
  invokedFunctionArn: string | undefined;
  clientContext: string | undefined;
}

/** The context object, from Lambda's environment variables and the invocation's headers. */
export function makeContext(env: NodeJS.ProcessEnv, info: InvokeInfo): Record<string, unknown> {
  return {
    awsRequestId: info.requestId,
    invokedFunctionArn: info.invokedFunctionArn,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: info.clientContext === undefined ? undefined : JSON.parse(info.clientContext),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => info.deadlineMs - Date.now(),
  };
}

export function unhandledRejectionError(reason: unknown): Error {
  // As AWS's client does: a Runtime.UnhandledPromiseRejection whose message is the reason as text.
  const error = new Error(String(reason));
  error.name = 'Runtime.UnhandledPromiseRejection';
  return error;
}
