/**
 * @module
 * Building blocks for the config schema, each with a message in the project's words: what the key
 * accepts and what it got. Objects are strict, so a mistyped key is an error (with a suggestion)
 * instead of a setting silently ignored.
 */
import { z } from 'zod';
import { didYouMean } from './suggest.js';

/** What a value looked like, short enough for one line. */
export function shown(input: unknown): string {
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

interface IssueLike {
  code?: string;
  input?: unknown;
}

/**
 * An error option: `message (got …)` for any issue the schema raises, `required` when the key is
 * absent. Unknown keys are left to `problems.ts`, which names each one.
 */
export function says(message: string, required = 'is required'): { error: (iss: IssueLike) => string | undefined } {
  return {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') return undefined;
      return iss.input === undefined ? required : `${message} (got ${shown(iss.input)})`;
    },
  };
}

/**
 * The keys each strict object knows, by the `keys` array of the issue it raised: zod's issue names
 * the unknown keys but not the known ones, which the message lists and suggests from.
 */
export const knownKeysOf = new WeakMap<readonly string[], readonly string[]>();

/** An object that refuses keys it does not know. */
export function strict<S extends z.core.$ZodLooseShape>(shape: S, required = 'is required') {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === 'unrecognized_keys') {
        knownKeysOf.set(iss.keys, known);
        return undefined;
      }
      return iss.input === undefined ? required : `must be an object (got ${shown(iss.input)})`;
    },
  });
}

/** A non-empty string. */
export function text(what = 'a non-empty string', required?: string) {
  return z.string(says(`must be ${what}`, required)).min(1);
}

/** A whole number in a range, e.g. `wholeNumber(1, 120)`; `unit` reads "a whole number of MB". */
export function wholeNumber(min: number, max: number, unit = '') {
  return z.int(says(`must be a whole number${unit} from ${min} to ${max}`)).min(min).max(max);
}

/** One of a few strings, with a suggestion for a typo. */
export function oneOf<const T extends readonly string[]>(values: T, describe = `must be one of ${values.join(', ')}`) {
  return z.enum(values, {
    error: (iss) => (iss.input === undefined ? 'is required' : `${describe} (got ${shown(iss.input)})${didYouMean(iss.input, values)}`),
  });
}

export const flag = () => z.boolean(says('must be true or false'));

/** NAME: "value" pairs (environment variables). */
export function stringMap(nameRule?: { pattern: RegExp; message: string }) {
  const key = nameRule === undefined ? z.string() : z.string().regex(nameRule.pattern, { error: nameRule.message });
  return z.record(key, z.string(says('must be a string')), says('must be an object of NAME: "value" strings'));
}

/** `true` when a value is a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
