/**
 * @module
 * B1/B2: warm invocations in one process, the guest against two JavaScript baselines measured in
 * the same run: a no-op handler, and the "JS floor" `JSON.parse(JSON.stringify(event))` — the
 * least any handler that reads and returns the event as data must do.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { distribution, type Distribution } from './stats.js';

export type Handler = (event: unknown, context: unknown) => unknown;

/** Returns the event: what any handler costs before it does anything. */
export const jsNoop: Handler = async (event) => event;
/** Copies the event as data and returns the copy: the least a handler that reads the event and answers must do. */
export const jsFloor: Handler = async (event) => JSON.parse(JSON.stringify(event)) as unknown;

/** Imports the handler of a built package folder (`dist/<fn>/index.mjs`), compiling its guest once. */
export async function loadBuiltHandler(dir: string): Promise<Handler> {
  const mod = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { handler: Handler };
  return mod.handler;
}

export interface MicroOptions {
  warmup: number;
  samples: number;
  /** Calls per sample; each sample records the mean of its batch, in ns. */
  batch: number;
}

const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 5000 };

/**
 * Times a handler on one event. Guest log lines are silenced while measuring: the figure is the
 * call, not the terminal (in Lambda, logging costs what CloudWatch costs, for Wasm and JS alike).
 */
export async function timeHandler(handler: Handler, event: unknown, options: MicroOptions): Promise<Distribution> {
  const saved = { info: console.info, log: console.log, warn: console.warn, debug: console.debug };
  console.info = console.log = console.warn = console.debug = () => {};
  try {
    for (let i = 0; i < options.warmup; i++) await handler(event, context);
    const values: number[] = [];
    for (let s = 0; s < options.samples; s++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < options.batch; i++) await handler(event, context);
      values.push(Number(process.hrtime.bigint() - t0) / options.batch);
    }
    return distribution(values, 'ns');
  } finally {
    Object.assign(console, saved);
  }
}
