/**
 * @module
 * Reads an event for `invoke` from a file or stdin and says precisely what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { EdgeError } from '../errors.js';
import { jsonErrorOffset } from './json-position.js';

/** Parses JSON text; a syntax error names the source, line and column. */
export function parseEventText(text: string, source: string, what: 'event' | 'result' = 'event'): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Node's messages quote the whole text on some versions: keep only the first line of it.
    const message = ((error as Error).message.split('\n')[0] ?? '').replace(/, "[^"]*$/, '');
    const offset = jsonErrorOffset(text);
    let where = '';
    if (offset !== undefined) {
      const before = text.slice(0, offset).split('\n');
      where = ` at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
    }
    throw new EdgeError('E_EVENT_INVALID', `${source} is not valid JSON${where}: ${message}`, {
      hint: what === 'event' ? 'an event is one JSON value, e.g. a file from fixtures/events/' : 'a result is the JSON object the function returned',
    });
  }
}

/** Reads `path`, or standard input for `-`; `what` names the document in messages. */
export function readEventFile(path: string, stdin: () => string = () => readFileSync(0, 'utf8'), what: 'event' | 'result' = 'event'): unknown {
  if (path === '-') return parseEventText(stdin(), `the ${what} on standard input`, what);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new EdgeError('E_EVENT_INVALID', `cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: what === 'event' ? 'pass --event <file.json>, or --event - to read standard input' : 'pass the result file, or - to read standard input',
    });
  }
  return parseEventText(text, path, what);
}
