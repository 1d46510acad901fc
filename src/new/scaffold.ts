/**
 * @module
 * `createProject()`: writes a ready project — a Rust guest crate, `lambda-wasm.config.json`, a
 * fixture event, a README and a `.gitignore` — that `build`, `invoke`, `dev` and
 * `deploy --dry-run` take unchanged. It never overwrites: the folder must be new or empty.
 *
 * @example
 * ```ts
 * import { createProject } from 'lambda-wasm';
 * const { dir, files } = createProject({ dir: 'my-edge', template: 'viewer-request' });
 * ```
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { packageRoot } from '../build/package-root.js';
import { EdgeError } from '../errors.js';
import { buildEvent, buildFunctionUrlEvent } from '../events/index.js';
import { isEdgeEventType } from '../config/limits.js';
import { readmeFor } from './readme.js';
import { TEMPLATES, TEMPLATE_NAMES, isTemplateName, type Template, type TemplateName } from './templates.js';

export interface NewProjectOptions {
  /** The project folder; created when missing, refused when not empty. */
  dir: string;
  template?: TemplateName;
  /** Crate and function name (default: from the folder's name). */
  name?: string;
  /** Where `crates/lambda-wasm-guest` lives (default: inside the installed lambda-wasm package). */
  guestCrate?: string;
}

export interface NewProjectResult {
  dir: string;
  name: string;
  template: TemplateName;
  /** Paths relative to `dir`, in the order written. */
  files: string[];
}

export function createProject(options: NewProjectOptions): NewProjectResult {
  const template = options.template ?? 'viewer-request';
  if (!isTemplateName(template)) {
    throw new EdgeError('E_USAGE', `unknown template "${String(template)}"`, { hint: `templates: ${TEMPLATE_NAMES.join(', ')}` });
  }
  const dir = resolve(options.dir);
  refuseNonEmpty(dir);
  const name = options.name ?? nameFrom(basename(dir));
  if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name)) {
    throw new EdgeError('E_USAGE', `"${name}" cannot name a crate and a Lambda function`, { hint: 'use lowercase letters, digits, - and _, starting with a letter (--name)' });
  }
  const t = TEMPLATES[template];
  const guest = guestCratePath(dir, options.guestCrate ?? join(packageRoot(), 'crates', 'lambda-wasm-guest'));
  const fixture = `events/${template === 'http' ? 'function-url' : template}.json`;
  const files: Array<[string, string]> = [
    ['Cargo.toml', cargoToml(name, t, guest)],
    ['src/lib.rs', t.lib],
    ['lambda-wasm.config.json', `${JSON.stringify(configFor(name, t, fixture), null, 2)}\n`],
    [fixture, `${JSON.stringify(fixtureFor(t), null, 2)}\n`],
    ...(isEdgeEventType(t.eventType) ? SITE : []),
    ['README.md', readmeFor(name, t, fixture)],
    ['.gitignore', 'target/\ndist/\n.cache/\n# Debian\'s offline registry and crates.io resolve differently: let each machine lock its own.\nCargo.lock\n'],
  ];
  for (const [path, text] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text, { flag: 'wx' });
  }
  return { dir, name, template, files: files.map(([p]) => p) };
}

function refuseNonEmpty(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new EdgeError('E_USAGE', `${dir} exists and is not a folder`);
  const entries = readdirSync(dir);
  if (entries.length > 0) {
    throw new EdgeError('E_USAGE', `${dir} is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); lambda-wasm new never overwrites files`, {
      hint: 'choose a new folder name, or empty this one',
    });
  }
}

/** `My Edge.fn` → `my-edge-fn`. */
function nameFrom(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 64);
  return name === '' ? 'edge-function' : name;
}

/**
 * A relative path when the project sits inside the package (the repository's own examples),
 * otherwise absolute: a relative path out of the project into node_modules would break when
 * either moves.
 */
function guestCratePath(projectDir: string, crate: string): string {
  const root = packageRoot();
  const inside = projectDir === root || projectDir.startsWith(`${root}${sep}`);
  return (inside ? relative(projectDir, crate) : crate).split(sep).join('/');
}

function cargoToml(name: string, t: Template, guest: string): string {
  return `[package]
name = "${name}"
version = "0.1.0"
edition = "2021"
rust-version = "1.63"
publish = false
description = "${t.summary.replace(/"/g, '\\"')}"

[lib]
crate-type = ["cdylib"]

[dependencies]
lambda-wasm-guest = { path = "${guest}" }

# What \`lambda-wasm build\` sets anyway; here so a plain \`cargo build --release\` matches it.
[profile.release]
opt-level = 2
lto = true
codegen-units = 1
panic = "abort"
strip = "debuginfo"

# A workspace of its own, so a Cargo workspace in a parent folder does not claim this crate.
[workspace]
`;
}

/** A tiny site for `dev` to serve through the trigger (the local CloudFront's folder origin). */
const SITE: Array<[string, string]> = [
  ['public/index.html', '<!doctype html>\n<title>lambda-wasm</title>\n<h1>Served through a Rust/Wasm trigger</h1>\n<p><a href="/docs/">docs</a></p>\n'],
  ['public/docs/index.html', '<!doctype html>\n<title>docs</title>\n<h1>docs/index.html</h1>\n'],
];

function configFor(name: string, t: Template, fixture: string): unknown {
  return {
    functions: { [name]: { crate: '.', eventType: t.eventType, fixture } },
    // For `lambda-wasm dev`: the local CloudFront serves public/ with the trigger on every path.
    ...(isEdgeEventType(t.eventType)
      ? { distribution: { origins: { site: { folder: 'public' } }, defaultBehavior: { origin: 'site', triggers: { [t.eventType]: name } } } }
      : {}),
    deploy: {
      region: 'us-east-1',
      runtime: 'nodejs22.x',
      ...(t.eventType === 'lambda' ? { functions: { [name]: { functionUrl: { authType: 'AWS_IAM' } } } } : {}),
    },
  };
}

function fixtureFor(t: Template): unknown {
  if (!isEdgeEventType(t.eventType)) return buildFunctionUrlEvent({ uri: '/hello', querystring: 'name=wasm', headers: { 'user-agent': 'curl/8.5.0', accept: '*/*' } });
  return buildEvent(t.eventType, {
    uri: t.eventType === 'viewer-request' ? '/docs/' : '/index.html',
    ...(t.eventType === 'origin-request' ? { querystring: 'page=2&utm_source=newsletter' } : {}),
    headers: { host: 'd111111abcdef8.cloudfront.net', 'user-agent': 'curl/8.5.0', accept: '*/*' },
    ...(t.eventType.endsWith('-response') ? { responseHeaders: { 'content-type': 'text/html', 'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT' } } : {}),
  });
}
