/**
 * @module
 * One execution environment: a Node.js process that runs the function's code, talking to its own
 * Lambda Runtime API server (`/2018-06-01/runtime/...`) on loopback, as Lambda's sandbox does.
 * The platform side measures what Lambda reports (init and invoke durations, peak memory) and
 * enforces the timeout and the memory size by killing the process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { ExecutionEnvironment, Outcome } from './execution-environment.js';
import { DEFAULT_REGION, LATEST, invokedFunctionArn, logGroupName, logStreamName, runningFunctionName } from './identity.js';
import { nativeLaunch, runtimeOf } from './native-environment.js';
import { bootstrapPath, ricEntry } from './paths.js';
import { INIT_CPU_MS, INVOKE_CPU_MS, PriorityGuard } from './priority.js';
import { runtimeExited } from './runtime-exit.js';
import type { FunctionSpec, InvocationError } from './types.js';

interface Pending {
  requestId: string;
  event: string;
  deadlineMs: number;
  clientContext: string | undefined;
  resolve: (outcome: Outcome) => void;
  logs: string[];
  startedAt: number;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The environment variables Lambda sets in an execution environment (docs/cloudfront-rules.md §6.5). */
export async function lambdaEnvironment(spec: FunctionSpec, id: string, runtimeApi: string): Promise<Record<string, string>> {
  return {
    AWS_LAMBDA_FUNCTION_NAME: runningFunctionName(spec),
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: spec.version ?? LATEST,
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(spec),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName(spec, id),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_REGION: spec.region ?? DEFAULT_REGION,
    AWS_DEFAULT_REGION: spec.region ?? DEFAULT_REGION,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${await nodeMajor(spec.nodeBinary ?? process.execPath)}.x`,
    AWS_LAMBDA_RUNTIME_API: runtimeApi,
    LAMBDA_TASK_ROOT: spec.codeDir,
    LAMBDA_RUNTIME_DIR: join(spec.codeDir, '..'),
    _HANDLER: spec.handler ?? 'index.handler',
    TZ: 'UTC',
    LANG: 'en_US.UTF-8',
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...(spec.env ?? {}),
  };
}

export class Environment implements ExecutionEnvironment {
  readonly id = randomBytes(16).toString('hex');
  /** Set once the runtime first asks for an event; undefined until then or after an init failure. */
  initDurationMs: number | undefined;
  initError: InvocationError | undefined;
  /** Lines printed while no invocation was running (init output). */
  readonly initLogs: string[] = [];
  invocations = 0;
  dead = false;

  private server: Server | undefined;
  private child: ChildProcess | undefined;
  private spawnedAt = 0;
  private waitingNext: ServerResponse | undefined;
  /** The invocation that late log lines still belong to, between its answer and the next /next. */
  private logsFor: Pending | undefined;
  private onNext: (() => void) | undefined;
  private pending: Pending | undefined;
  private readyWaiters: Array<() => void> = [];
  /** The highest RSS seen by `residentMemoryMB()`: the peak of a process that was killed for it. */
  private peakSeenMB = 0;
  /** A runtime that spins yields the CPU to the others (src/lambda/priority.ts). */
  private readonly priority = new PriorityGuard(
    () => this.child?.pid,
    () => this.cpuMs(),
  );

  constructor(private readonly spec: FunctionSpec) {}

  /** Given the lowest priority in its current phase: its CPU time no longer measures its progress. */
  get spinning(): boolean {
    return this.priority.lowered;
  }

  /** Starts the process; resolves when the runtime is ready for its first event, or failed to init. */
  async start(): Promise<void> {
    this.server = createServer((req, res) => this.route(req, res));
    this.server.keepAliveTimeout = 0;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const port = (this.server.address() as AddressInfo).port;
    const spec = this.spec;
    const env = await lambdaEnvironment(spec, this.id, `127.0.0.1:${port}`);
    let command = spec.nodeBinary ?? process.execPath;
    let args = spec.runtimeClient === 'ric' ? [ricEntry(), env._HANDLER!] : [bootstrapPath()];
    let childEnv = env;
    if (runtimeOf(spec) === 'provided') {
      const launch = nativeLaunch(spec, env);
      if ('initError' in launch) {
        this.initError = launch.initError;
        this.dead = true;
        return;
      }
      ({ command, args, env: childEnv } = launch);
    }
    this.spawnedAt = performance.now();
    // Under setpriv --pdeathsig, the kernel kills the environment if this process dies first
    // (even by SIGKILL), so a runtime spinning in its init is never left behind as an orphan.
    const child = PDEATHSIG === undefined
      ? spawn(command, args, { cwd: spec.codeDir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(PDEATHSIG, ['--pdeathsig', 'KILL', '--', command, ...args], { cwd: spec.codeDir, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    this.priority.begin();
    // Split on \n only: Lambda's text format keeps a multi-line message in one record with \r.
    for (const stream of [child.stdout!, child.stderr!]) {
      let rest = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => {
        const parts = (rest + chunk).split('\n');
        rest = parts.pop()!;
        for (const line of parts) this.onLine(line);
      });
      stream.on('end', () => rest !== '' && this.onLine(rest));
    }
    child.on('exit', (code, signal) => this.onExit(code, signal));
    this.priority.watch(INIT_CPU_MS, 0);
    await new Promise<void>((resolve) => {
      if (this.initDurationMs !== undefined || this.dead) resolve();
      else this.readyWaiters.push(resolve);
    });
  }

  /** Hands one event to the runtime and waits for its answer, the deadline, or the process's end. */
  invoke(event: string, options: { requestId?: string; clientContext?: string; timeoutMs: number }): Promise<{ outcome: Outcome; logs: string[]; requestId: string }> {
    if (this.dead || this.pending !== undefined) throw new Error('environment is not ready');
    this.invocations++;
    const requestId = options.requestId ?? randomUUID();
    return new Promise((resolve) => {
      const pending: Pending = {
        requestId,
        event,
        deadlineMs: Date.now() + options.timeoutMs,
        clientContext: options.clientContext,
        logs: [],
        startedAt: 0,
        resolve: (outcome) => resolve({ outcome, logs: pending.logs, requestId }),
      };
      this.pending = pending;
      const timer = setTimeout(() => {
        if (this.pending !== pending) return;
        this.pending = undefined;
        this.kill();
        pending.resolve({ kind: 'timeout', durationMs: performance.now() - (pending.startedAt || performance.now()) });
      }, options.timeoutMs);
      const finish = pending.resolve;
      pending.resolve = (outcome) => {
        clearTimeout(timer);
        finish(outcome);
      };
      // The runtime may still be on its way back to /next after the previous answer; it gets the event then.
      if (this.waitingNext !== undefined) this.deliver(pending);
    });
  }

  /**
   * Peak resident memory of the process in MB (Lambda's MB are MiB), from /proc on Linux; for a
   * process already gone (killed over its memory size), the highest RSS sampled before.
   */
  async peakMemoryMB(): Promise<number> {
    const pid = this.child?.pid;
    let kb = 0;
    if (pid !== undefined && this.child!.exitCode === null && this.child!.signalCode === null) {
      try {
        const status = await readFile(`/proc/${pid}/status`, 'utf8');
        kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      } catch {
        kb = 0;
      }
    }
    return Math.ceil(Math.max(kb / 1024, this.peakSeenMB));
  }

  /** Current resident memory in MB. */
  async residentMemoryMB(): Promise<number> {
    const pid = this.child?.pid;
    if (pid === undefined) return 0;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const mb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      this.peakSeenMB = Math.max(this.peakSeenMB, mb);
      return mb;
    } catch {
      return 0;
    }
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  cpuMs(): number | undefined {
    return this.child?.pid === undefined ? undefined : cpuTicksMs(`/proc/${this.child.pid}/stat`);
  }

  kill(): void {
    this.dead = true;
    this.priority.stop();
    if (this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  async dispose(): Promise<void> {
    this.kill();
    if (this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve) => this.child!.once('exit', () => resolve()));
    }
    this.waitingNext?.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections();
  }

  private deliver(pending: Pending): void {
    const res = this.waitingNext!;
    this.waitingNext = undefined;
    pending.startedAt = performance.now();
    this.priority.watch(INVOKE_CPU_MS);
    res.writeHead(200, {
      ...JSON_HEADERS,
      'lambda-runtime-aws-request-id': pending.requestId,
      'lambda-runtime-deadline-ms': String(pending.deadlineMs),
      'lambda-runtime-invoked-function-arn': invokedFunctionArn(this.spec),
      'lambda-runtime-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Sampled=0`,
      ...(pending.clientContext === undefined ? {} : { 'lambda-runtime-client-context': pending.clientContext }),
    });
    res.end(pending.event);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    const m = /^\/2018-06-01\/runtime\/(?:invocation\/(next|[^/]+\/(response|error))|init\/error)$/.exec(url);
    if (m === null) {
      res.writeHead(404, JSON_HEADERS).end(JSON.stringify({ errorMessage: `unknown path ${url}`, errorType: 'InvalidRequest' }));
      return;
    }
    if (m[1] === 'next' && req.method === 'GET') {
      if (this.initDurationMs === undefined) {
        this.initDurationMs = performance.now() - this.spawnedAt;
        this.priority.restore();
        for (const w of this.readyWaiters.splice(0)) w();
      }
      this.waitingNext = res;
      // Keep the long poll open: Lambda's next has no time limit.
      req.socket.setTimeout(0);
      this.onNext?.();
      if (this.pending !== undefined && this.pending.startedAt === 0) this.deliver(this.pending);
      return;
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      if (url.endsWith('/init/error')) {
        this.initError = parseError(body, req.headers['lambda-runtime-function-error-type']);
        res.writeHead(202, JSON_HEADERS).end('{"status":"OK"}');
        this.dead = true;
        for (const w of this.readyWaiters.splice(0)) w();
        return;
      }
      const id = url.split('/')[4];
      const pending = this.pending;
      if (pending === undefined || pending.requestId !== id) {
        res.writeHead(400, JSON_HEADERS).end(JSON.stringify({ errorMessage: `invalid request id ${id}`, errorType: 'InvalidRequestID' }));
        return;
      }
      res.writeHead(202, JSON_HEADERS).end('{"status":"OK"}');
      const durationMs = performance.now() - pending.startedAt;
      this.pending = undefined;
      // Reused at the platform's priority (where the OS lets a priority be raised again).
      this.priority.restore();
      const outcome: Outcome =
        m[2] === 'response'
          ? { kind: 'response', body, durationMs }
          : { kind: 'error', error: parseError(body, req.headers['lambda-runtime-function-error-type']), durationMs };
      // Lines the function printed before answering may still be in the pipe (a runtime client can
      // also write them asynchronously): keep collecting them for the invocation until the runtime
      // is back at /next, which it reaches only after finishing this one, or a short grace passes.
      this.logsFor = pending;
      const settle = () => {
        clearTimeout(grace);
        this.onNext = undefined;
        setImmediate(() => {
          if (this.logsFor === pending) this.logsFor = undefined;
          pending.resolve(outcome);
        });
      };
      const grace = setTimeout(settle, 200);
      this.onNext = settle;
    });
  }

  private onLine(line: string): void {
    const owner = this.pending ?? this.logsFor;
    if (owner !== undefined) owner.logs.push(line);
    else this.initLogs.push(line);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    const wasDead = this.dead;
    this.dead = true;
    for (const w of this.readyWaiters.splice(0)) w();
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    const how = signal !== null ? `signal: ${signal === 'SIGKILL' ? 'killed' : signal}` : `exit status ${code}`;
    const error = runtimeExited(pending.requestId, how, wasDead && signal === 'SIGKILL');
    setImmediate(() => pending.resolve({ kind: 'exit', error, durationMs: performance.now() - pending.startedAt }));
  }
}

/** utime + stime of a /proc stat file, in ms (clock ticks are 1/100 s on Linux). */
export function cpuTicksMs(statFile: string): number | undefined {
  try {
    const fields = readFileSync(statFile, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** util-linux's setpriv, when there is one (Linux). */
const PDEATHSIG = process.platform === 'linux' && existsSync('/usr/bin/setpriv') ? '/usr/bin/setpriv' : undefined;

function parseError(body: string, typeHeader: string | string[] | undefined): InvocationError {
  try {
    const parsed = JSON.parse(body) as { errorType?: unknown; errorMessage?: unknown; trace?: unknown; stackTrace?: unknown };
    const trace = Array.isArray(parsed.trace) ? parsed.trace : Array.isArray(parsed.stackTrace) ? parsed.stackTrace : undefined;
    return {
      errorType: typeof parsed.errorType === 'string' ? parsed.errorType : String(typeHeader ?? 'Runtime.Unknown'),
      errorMessage: typeof parsed.errorMessage === 'string' ? parsed.errorMessage : '',
      ...(trace === undefined ? {} : { trace: trace.map(String) }),
    };
  } catch {
    return { errorType: String(typeHeader ?? 'Runtime.Unknown'), errorMessage: body };
  }
}

const majors = new Map<string, string>();
async function nodeMajor(binary: string): Promise<string> {
  if (binary === process.execPath) return process.versions.node.split('.')[0]!;
  const known = majors.get(binary);
  if (known !== undefined) return known;
  const { execFileSync } = await import('node:child_process');
  const major = execFileSync(binary, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).trim();
  majors.set(binary, major);
  return major;
}
