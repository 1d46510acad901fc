/**
 * @module
 * What `lambda-wasm dev` prints under the access line of a request CloudFront failed with a 5xx it
 * generated: which function, at which stage, and why — the violation in CloudFront's words (the
 * text a browser would show) followed by the exact rule broken, or the error type and message a
 * function threw, or what the origin did. Printed once per request; guest text is escaped.
 */
import type { Exchange } from '../emulator/index.js';
import { escapeControl } from './terminal-text.js';

type Paint = (text: string) => string;
const plain: Paint = (t) => t;

/** The lines to print for `e`, or none when CloudFront did not generate a 5xx for it. */
export function failureLines(e: Exchange, options: { inspectUrl?: string; paint?: { red: Paint; dim: Paint } } = {}): string[] {
  const f = e.failure;
  if (f === undefined || f.status < 500) return [];
  const paint = options.paint ?? { red: plain, dim: plain };
  const who = f.function === undefined ? `the ${f.stage}` : `${f.stage} function ${f.function}`;
  const kind = f.kind === 'validation-error' ? 'its result failed CloudFront\'s validation' : f.kind === 'timeout' ? 'it timed out' : f.kind === 'execution-error' ? 'it failed' : f.kind === 'origin-error' ? 'the origin failed' : 'a limit was exceeded';
  const out = [`  ${paint.red('✗')} ${f.status} because ${who}: ${kind}`, `    CloudFront says: ${f.message}`];
  for (const d of f.details) out.push(`    ${escapeControl(d)}`);
  if (options.inspectUrl !== undefined) out.push(`    ${paint.dim(`the whole trip: ${options.inspectUrl}`)}`);
  return out;
}
