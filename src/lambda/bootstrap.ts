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
import { loadHandler, makeContext, patchConsole, runHandler, toLogged, toPayload, unhandledRejectionError, type Handler } from './client-core.js';

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

function header(res: ApiResponse, name: string): string | undefined {
  const v = res.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

async function main(): Promise<void> {
  // Synchronous writes, so a line is in the pipe before the response that follows it.
  patchConsole(env, () => currentRequestId, (line) => writeSync(1, `${line}\n`));
  let handler: Handler;
  try {
    handler = await loadHandler(env.LAMBDA_TASK_ROOT ?? process.cwd(), env._HANDLER ?? 'index.handler');
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
    const context = makeContext(env, { requestId, deadlineMs: deadline, invokedFunctionArn: header(next, 'lambda-runtime-invoked-function-arn'), clientContext });
    try {
      const result = await runHandler(handler, JSON.parse(next.body), context);
      await api('POST', `/runtime/invocation/${requestId}/response`, JSON.stringify(result ?? null));
    } catch (error) {
      const payload = toPayload(error);
      console.error(`Invoke Error \t${toLogged(error)}`);
      await api('POST', `/runtime/invocation/${requestId}/error`, JSON.stringify(payload), { 'lambda-runtime-function-error-type': payload.errorType });
    }
  }
}

process.on('unhandledRejection', (reason) => {
  // Reported against the running invocation, as AWS's client does; then the environment ends.
  const error = unhandledRejectionError(reason);
  const payload = toPayload(error);
  console.error(`Unhandled Promise Rejection \t${toLogged(error)}`);
  const id = currentRequestId;
  const done = id === undefined ? Promise.resolve() : api('POST', `/runtime/invocation/${id}/error`, JSON.stringify(payload), { 'lambda-runtime-function-error-type': payload.errorType });
  void done.catch(() => undefined).finally(() => process.exit(128));
});

await main();
