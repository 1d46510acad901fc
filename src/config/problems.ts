/**
 * @module
 * zod's issues as problems a person can act on: one line per problem, the key path first
 * (`functions.edge.memorySize`, `distribution.behaviors[0].origin`), then what the key accepts.
 * An unknown key is named on its own, with the closest known key and the known ones.
 */
import type { z } from 'zod';
import { EdgeError } from '../errors.js';
import { knownKeysOf, shown } from './schema-kit.js';
import { didYouMean } from './suggest.js';

export interface ConfigProblem {
  /** Key path, e.g. `functions.edge.memorySize`; `(top level)` for the file itself. */
  path: string;
  message: string;
}

type Path = readonly PropertyKey[];
type Issue = z.core.$ZodIssue;

export function formatPath(path: Path): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** Messages for issues no schema gave one (a missing key, a wrong type). */
export function fallbackMessage(iss: z.core.$ZodRawIssue): string | undefined {
  if (iss.code === 'unrecognized_keys') return undefined;
  if (iss.input === undefined) return 'is required';
  if (iss.code === 'invalid_type') return `must be ${article(iss.expected)} (got ${shown(iss.input)})`;
  if (iss.code === 'invalid_value') return `must be one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')} (got ${shown(iss.input)})`;
  return undefined;
}

function article(expected: string): string {
  const words: Record<string, string> = { object: 'an object', array: 'a list', boolean: 'true or false', int: 'a whole number', string: 'a string', number: 'a number' };
  return words[expected] ?? expected;
}

/** Every problem in zod's issues, in the order of the file. */
export function problemsOf(issues: readonly Issue[], base: Path = []): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeysOf.get(issue.keys) ?? [];
        for (const key of issue.keys) {
          const list = known.length > 0 ? ` (known keys: ${known.join(', ')})` : '';
          out.push({ path: formatPath([...path, key]), message: `unknown key${didYouMean(key, known)}${list}` });
        }
        break;
      }
      case 'invalid_key':
        // A record's key broke its rule (a function or origin name): the key is the path's last part.
        out.push(...problemsOf(issue.issues as Issue[], path));
        break;
      case 'invalid_union': {
        // The one alternative of the right type (an object for an object) says what is wrong inside;
        // otherwise the union's own message lists the alternatives.
        const fitting = issue.errors.filter((branch) => !branch.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')));
        if (fitting.length === 1) out.push(...problemsOf(fitting[0]!, path));
        else out.push({ path: formatPath(path), message: issue.message });
        break;
      }
      default:
        out.push({ path: formatPath(path), message: issue.message });
    }
  }
  return out.filter((p, i) => out.findIndex((q) => q.path === p.path && q.message === p.message) === i);
}

/** One E_CONFIG error for all the problems of a config file. */
export function configError(where: string, problems: readonly ConfigProblem[], hint?: string): EdgeError {
  const options = { ...(hint === undefined ? {} : { hint }), details: [] };
  if (problems.length === 1) return new EdgeError('E_CONFIG', `${where}: ${problems[0]!.path}: ${problems[0]!.message}`, options);
  const lines = problems.map((p) => `  ${p.path}: ${p.message}`);
  return new EdgeError('E_CONFIG', `${where} has ${problems.length} problems:\n${lines.join('\n')}`, options);
}
