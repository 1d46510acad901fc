/**
 * @module
 * `invoke()`: one event through the built zip of a function, in a fresh Lambda execution
 * environment (a separate process under the function's timeout and memory size), with Lambda's own
 * log lines and CloudFront's verdict on the result.
 */
import { getFunction, type FunctionConfig, type ProjectConfig } from '../config/load.js';
import { isEdgeEventType } from '../config/limits.js';
import { EdgeError } from '../errors.js';
import { completeCloudFrontEvent, eventTypeOf, validateResult, type Violation } from '../events/index.js';
import { FunctionRunner, functionSpecOf, unpackBuiltFunction, type InvocationRecord } from '../lambda/index.js';

export interface InvokeOptions {
  config: ProjectConfig;
  /** The function's name in the config. */
  function: string;
  /** The event, already parsed (see `readEventFile` and the event builders). */
  event: unknown;
  /** `ric` runs AWS's own runtime interface client (needs Node ≥ 22 as `nodeBinary`). */
  runtimeClient?: 'builtin' | 'ric';
  nodeBinary?: string;
  /** Each log line as it is produced (START, the function's lines, END, REPORT). */
  onLog?: (line: string) => void;
  /** Overrides the configured timeout, in seconds (plain Lambda only; edge tiers are fixed). */
  timeout?: number;
}

export type Verdict = 'ok' | 'function-error' | 'timeout' | 'invalid-result';

export interface InvokeResult {
  function: FunctionConfig;
  record: InvocationRecord;
  /** CloudFront's objections to the result (edge functions only). */
  violations: Violation[];
  verdict: Verdict;
  /** The event the function ran on: an incomplete CloudFront event (AWS's samples) completed. */
  event: unknown;
  /** What was filled into an incomplete CloudFront event, as `path = value` (see `completeCloudFrontEvent`). */
  assumed: string[];
}

export async function invoke(options: InvokeOptions): Promise<InvokeResult> {
  const fn = getFunction(options.config, options.function);
  const { event, assumed } = eventForFunction(fn, options.event);
  const timeout = options.timeout ?? fn.timeout;
  if (options.timeout !== undefined && options.timeout > fn.timeout && fn.kind !== 'lambda') {
    throw new EdgeError('E_USAGE', `--timeout ${options.timeout} is over the ${fn.timeout} s limit of ${fn.kind} functions`);
  }
  const codeDir = unpackBuiltFunction(options.config, fn, 'invoke');
  const runner = new FunctionRunner(
    functionSpecOf(fn, codeDir, { timeout, runtimeClient: options.runtimeClient, nodeBinary: options.nodeBinary }),
    { maxEnvironments: 1, ...(options.onLog === undefined ? {} : { onLog: (line: string) => options.onLog!(line) }) },
  );
  let record: InvocationRecord;
  try {
    record = await runner.invoke(event);
  } finally {
    await runner.dispose();
  }
  const violations =
    record.ok && isEdgeEventType(fn.kind) ? validateResult(fn.kind, record.result, event as never) : [];
  const verdict: Verdict = record.timedOut ? 'timeout' : !record.ok ? 'function-error' : violations.length > 0 ? 'invalid-result' : 'ok';
  return { function: fn, record, violations, verdict, event, assumed };
}

/**
 * CloudFront never sends a function an event of another type; say so rather than run it. A
 * CloudFront-shaped event without `config.eventType` (AWS's sample events) is completed for the
 * function's trigger; only an event that is not CloudFront-shaped at all is refused.
 */
export function eventForFunction(fn: FunctionConfig, given: unknown): { event: unknown; assumed: string[] } {
  if (!isEdgeEventType(fn.kind)) return { event: given, assumed: [] };
  const completed = completeCloudFrontEvent(given, fn.kind);
  if (completed === undefined) {
    throw new EdgeError('E_EVENT_INVALID', `${fn.name} is a ${fn.kind} trigger, but the event is not a CloudFront event (no Records[0].cf.request or .response)`, {
      hint: `print one with \`lambda-wasm event ${fn.kind}\`, or build one with --uri/--header`,
    });
  }
  const type = eventTypeOf(completed.event);
  if (type !== fn.kind) {
    throw new EdgeError('E_EVENT_INVALID', `${fn.name} is a ${fn.kind} trigger, but the event is a ${type} event`, {
      hint: `CloudFront only sends ${fn.kind} events to it; use a ${fn.kind} event, or leave config.eventType out of it`,
    });
  }
  return completed;
}
