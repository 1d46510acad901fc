/** What the platform needs to know about a function to run it. */
export interface FunctionSpec {
  name: string;
  /** The unpacked package (has index.mjs). */
  codeDir: string;
  /** Default `index.handler`. */
  handler?: string;
  /** MB. */
  memorySize: number;
  /** Seconds. */
  timeout: number;
  /** Default `$LATEST`; Lambda@Edge runs numbered versions. */
  version?: string;
  /** Default us-east-1. */
  region?: string;
  /** A Lambda@Edge replica: names get the `us-east-1.` prefix, as in its log group. */
  edge?: boolean;
  /**
   * `process` (default): a Node.js process behind a Runtime API, exact RSS, any runtime client.
   * `thread`: a worker thread of this process with the built-in client, far cheaper per invocation.
   */
  isolation?: 'process' | 'thread';
  /** `builtin` (default) or AWS's own `aws-lambda-ric` (Node ≥ 22); process isolation only. */
  runtimeClient?: 'builtin' | 'ric';
  /**
   * `nodejs`: `index.mjs` under a Node.js runtime client; `provided`: the package's `bootstrap`
   * executable (a custom runtime, src/lambda/native-environment.ts). Default: `provided` when the
   * package has a `bootstrap` and no `index.mjs`.
   */
  runtime?: 'nodejs' | 'provided';
  /** Default: the Node.js running the platform. */
  nodeBinary?: string;
  env?: Record<string, string>;
}

export interface InvocationError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** One invocation as Lambda would report it. */
export interface InvocationRecord {
  requestId: string;
  ok: boolean;
  /** Refused at the concurrency limit (`TooManyRequestsException`); no environment saw it. */
  throttled?: boolean;
  /** The parsed response payload. */
  result?: unknown;
  error?: InvocationError;
  timedOut: boolean;
  coldStart: boolean;
  durationMs: number;
  billedDurationMs: number;
  initDurationMs?: number;
  maxMemoryUsedMB: number;
  /** START, the function's lines, END, REPORT (and the timeout line), in order. */
  logs: string[];
}
