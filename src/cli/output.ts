/**
 * @module
 * Terminal output helpers: colour only on a TTY and never with NO_COLOR (https://no-color.org).
 */
import { stripVTControlCharacters } from 'node:util';

export const useColour = (stream: NodeJS.WriteStream = process.stderr): boolean =>
  stream.isTTY === true && process.env.NO_COLOR === undefined && process.env.CI === undefined;

/** Text for `stream`: as is on a colour terminal, else without ANSI escapes (citty's help colours regardless). */
export function forStream(text: string, stream: NodeJS.WriteStream): string {
  return useColour(stream) ? text : stripVTControlCharacters(text);
}

// paint() output goes to either stream: colour only when neither is piped, so a pipe never gets escapes.
const wrap = (open: number, close: number) => (text: string) =>
  useColour(process.stderr) && useColour(process.stdout) ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const paint = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

/** A logger for library calls that prints to stderr (stdout is kept for results). */
export const stderrLogger = {
  debug: (m: string) => {
    if (process.env.LAMBDA_WASM_DEBUG) process.stderr.write(`${paint.dim(m)}\n`);
  },
  info: (m: string) => process.stderr.write(`${m}\n`),
  warn: (m: string) => process.stderr.write(`${paint.yellow('warn')}  ${m}\n`),
  error: (m: string) => process.stderr.write(`${paint.red('error')} ${m}\n`),
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}
