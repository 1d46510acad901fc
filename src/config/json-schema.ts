/**
 * @module
 * The config's JSON Schema, generated from the zod schema (`schema.ts`) so editors complete and
 * check `lambda-wasm.config.json` by the same rules as `loadConfig`. `scripts/compile.mjs` writes
 * it to `schema/lambda-wasm.config.schema.json`, which the package ships; a config points at it with
 * `"$schema"`. Rules between keys (a viewer trigger's limits, triggers naming functions) are only
 * in `loadConfig`: JSON Schema cannot express them.
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

/** Where the JSON Schema file is, inside the package. */
export const JSON_SCHEMA_FILE = 'schema/lambda-wasm.config.schema.json';

/** The JSON Schema (draft-07, which editors support best) of what a config file may hold. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { target: 'draft-7', io: 'input', unrepresentable: 'throw' }) as Record<string, unknown>;
}

/** The file's text: stable formatting, so a stale copy shows up as a diff. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
