/**
 * @module
 * The project templates of `lambda-wasm new`: one small, useful guest per trigger type and one
 * for a plain Lambda behind a Function URL. The files themselves live in the package's
 * `templates/` folder (real Rust and Markdown, compiled by the tests); this module names them and
 * fills in their `{{placeholders}}`. Each guest builds with Rust 1.63 and depends on the guest
 * crate only (which brings serde and serde_json), so it builds offline from Debian's registry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../build/package-root.js';
import type { FunctionKind } from '../config/limits.js';
import { EdgeError } from '../errors.js';

export const TEMPLATE_NAMES = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response', 'http', 'native-http', 'native'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface Template {
  name: TemplateName;
  eventType: FunctionKind;
  /** One line for the README and `--help`. */
  summary: string;
  /** `native`: built as a `bootstrap` for provided.al2023 (docs/native.md). */
  target?: 'native';
  /** A fixture shipped with the template (under its folder), instead of one built for its type. */
  fixture?: string;
}

export function isTemplateName(value: unknown): value is TemplateName {
  return typeof value === 'string' && (TEMPLATE_NAMES as readonly string[]).includes(value);
}

export const TEMPLATES: Readonly<Record<TemplateName, Template>> = {
  'viewer-request': { name: 'viewer-request', eventType: 'viewer-request', summary: 'a viewer-request trigger: /healthz answered at the edge, index.html appended to directory URIs' },
  'origin-request': { name: 'origin-request', eventType: 'origin-request', summary: 'an origin-request trigger: a viewer-country header for the origin, utm_ parameters removed' },
  'origin-response': { name: 'origin-response', eventType: 'origin-response', summary: 'an origin-response trigger: security headers and a default Cache-Control' },
  'viewer-response': { name: 'viewer-response', eventType: 'viewer-response', summary: 'a viewer-response trigger: X-Frame-Options and Referrer-Policy on every response' },
  http: { name: 'http', eventType: 'lambda', summary: 'a plain Lambda function behind a Function URL, answering JSON' },
  'native-http': {
    name: 'native-http',
    eventType: 'lambda',
    target: 'native',
    fixture: 'events/function-url.json',
    summary: 'a plain Lambda function behind a Function URL, compiled to a native bootstrap for provided.al2023',
  },
  native: { name: 'native', eventType: 'lambda', target: 'native', fixture: 'events/numbers.json', summary: 'a plain Lambda function for any JSON event, compiled to a native bootstrap for provided.al2023' },
};

/** The package's `templates/` folder. */
export function templatesDir(): string {
  return join(packageRoot(), 'templates');
}

/** A file under `templates/` with every `{{name}}` replaced; a placeholder without a value is our bug. */
export function renderTemplateFile(path: string, values: Readonly<Record<string, string>>): string {
  const file = join(templatesDir(), path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new EdgeError('E_INTERNAL', `the template file ${file} is missing`, { hint: 'reinstall lambda-wasm: its templates/ folder is incomplete' });
  }
  return text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new EdgeError('E_INTERNAL', `${file}: no value for {{${key}}}`);
    return value;
  });
}
