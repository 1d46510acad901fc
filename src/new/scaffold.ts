/**
 * @module
 * `createProject()`: writes a ready project — `package.json` (written, or merged into an existing
 * npm project), a Rust guest crate, `lambda-wasm.config.json`, a fixture event, a README and a
 * `.gitignore` — that `npm run build`, `invoke`, `dev` and `deploy --dry-run` take unchanged. It
 * never overwrites a file: when one it would write exists, it refuses and names them all.
 *
 * @example
 * ```ts
 * import { createProject } from 'lambda-wasm';
 * const { dir, files } = createProject({ dir: 'my-edge', template: 'viewer-request' });
 * ```
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { EdgeError } from '../errors.js';
import { DEFAULT_DISTRIBUTION_DOMAIN, buildEvent, buildFunctionUrlEvent } from '../events/index.js';
import { isEdgeEventType } from '../config/limits.js';
import { installedSpec, mergePackageJson, packageDirFrom } from './package-json.js';
import { TEMPLATES, TEMPLATE_NAMES, isTemplateName, renderTemplateFile, type Template, type TemplateName } from './templates.js';

export interface NewProjectOptions {
  /** The project folder: created when missing; an existing one (an npm project, say) is added to. */
  dir: string;
  template?: TemplateName;
  /** Crate and function name (default: from the folder's name). */
  name?: string;
  /** The lambda-wasm dependency to write into package.json (default: the spec it was installed from). */
  packageSpec?: string;
}

export interface NewProjectResult {
  dir: string;
  name: string;
  template: TemplateName;
  /** Paths relative to `dir`, in the order written (merged files included). */
  files: string[];
  /** Files that existed and were added to rather than written (package.json, .gitignore). */
  merged: string[];
  /** package.json scripts the project already had under our names and kept. */
  keptScripts: string[];
  /** Where the project finds the lambda-wasm package, relative (node_modules/lambda-wasm). */
  packageDir: string;
}

const SCHEMA = 'schema/lambda-wasm.config.schema.json';

export function createProject(options: NewProjectOptions): NewProjectResult {
  const template = options.template ?? 'viewer-request';
  if (!isTemplateName(template)) {
    throw new EdgeError('E_USAGE', `unknown template "${String(template)}"`, { hint: `templates: ${TEMPLATE_NAMES.join(', ')}` });
  }
  const dir = resolve(options.dir);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new EdgeError('E_USAGE', `${dir} exists and is not a folder`);
  const name = options.name ?? nameFrom(basename(dir));
  if (!/^[a-z][a-z0-9_-]{0,63}$/.test(name)) {
    throw new EdgeError('E_USAGE', `"${name}" cannot name a crate and a Lambda function`, { hint: 'use lowercase letters, digits, - and _, starting with a letter (--name)' });
  }
  const t = TEMPLATES[template];
  const edge = isEdgeEventType(t.eventType);
  const packageDir = packageDirFrom(dir);
  const fixture = t.fixture ?? `events/${template === 'http' ? 'function-url' : template}.json`;
  const values = {
    name,
    summary: t.summary.replace(/"/g, '\\"'),
    Summary: `${t.summary[0]!.toUpperCase()}${t.summary.slice(1)}`,
    eventType: t.eventType,
    fixture,
    guestCrate: `${packageDir}/crates/lambda-wasm-guest`,
  };
  // An existing README stays the project's own; ours goes beside it.
  const readme = existsSync(join(dir, 'README.md')) ? 'README.lambda-wasm.md' : 'README.md';
  const created: Array<[string, string]> = [
    ['Cargo.toml', renderTemplateFile('common/Cargo.toml.tmpl', values)],
    ['src/lib.rs', renderTemplateFile(`${template}/src/lib.rs`, values)],
    ['lambda-wasm.config.json', `${JSON.stringify(configFor(name, t, fixture, packageDir), null, 2)}\n`],
    [fixture, t.fixture === undefined ? `${JSON.stringify(fixtureFor(t), null, 2)}\n` : renderTemplateFile(`${template}/${t.fixture}`, values)],
    ...(edge ? (['public/index.html', 'public/docs/index.html'] as const).map((p): [string, string] => [p, renderTemplateFile(`edge/${p}`, values)]) : []),
    [readme, renderTemplateFile(t.target === 'native' ? `${template}/README.md` : edge ? 'readme/edge.md' : 'readme/http.md', values)],
  ];
  const clashes = created.map(([p]) => p).filter((p) => existsSync(join(dir, p)));
  if (clashes.length > 0) {
    throw new EdgeError('E_USAGE', `${dir} already has ${clashes.join(', ')}; lambda-wasm new never overwrites files`, {
      hint: 'move those files away, or choose another folder',
    });
  }
  const packageJson = readIfExists(join(dir, 'package.json'));
  const merged = mergePackageJson(packageJson, { packageName: name, functionName: name, spec: options.packageSpec ?? installedSpec(dir) });
  const gitignore = readIfExists(join(dir, '.gitignore'));
  const files: Array<[string, string]> = [
    ['package.json', merged.text],
    ...created,
    ['.gitignore', mergeGitignore(gitignore, renderTemplateFile('common/gitignore', values))],
  ];
  for (const [path, text] of files) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return {
    dir,
    name,
    template,
    files: files.map(([p]) => p),
    merged: [...(packageJson === undefined ? [] : ['package.json']), ...(gitignore === undefined ? [] : ['.gitignore'])],
    keptScripts: merged.keptScripts,
    packageDir,
  };
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The project's own .gitignore with the lines of ours it lacks appended. */
function mergeGitignore(existing: string | undefined, ours: string): string {
  if (existing === undefined) return ours;
  const have = new Set(existing.split(/\r?\n/).map((l) => l.trim()));
  const missing = ours.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#') && !have.has(l.trim()));
  if (missing.length === 0) return existing;
  return `${existing}${existing.endsWith('\n') || existing === '' ? '' : '\n'}# lambda-wasm\n${missing.join('\n')}\n`;
}

/** `My Edge.fn` → `my-edge-fn`. */
function nameFrom(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 64);
  return name === '' ? 'edge-function' : name;
}

function configFor(name: string, t: Template, fixture: string, packageDir: string): unknown {
  return {
    // Editor completion and checking for this file (the schema ships in the package).
    $schema: `${packageDir.startsWith('.') ? '' : './'}${packageDir}/${SCHEMA}`,
    functions: { [name]: { crate: '.', eventType: t.eventType, ...(t.target === undefined ? {} : { target: t.target }), fixture } },
    // For `lambda-wasm dev`: the local CloudFront serves public/ with the trigger on every path.
    ...(isEdgeEventType(t.eventType)
      ? { distribution: { origins: { site: { folder: 'public' } }, defaultBehavior: { origin: 'site', triggers: { [t.eventType]: name } } } }
      : {}),
    deploy: {
      region: 'us-east-1',
      // A native function's runtime is provided.al2023 whatever this says; Wasm runs on Node.js 22.
      ...(t.target === 'native' ? {} : { runtime: 'nodejs22.x' }),
      ...(t.eventType === 'lambda' ? { functions: { [name]: { functionUrl: { authType: 'AWS_IAM' } } } } : {}),
    },
  };
}

function fixtureFor(t: Template): unknown {
  if (!isEdgeEventType(t.eventType)) return buildFunctionUrlEvent({ uri: '/hello', querystring: 'name=wasm', headers: { 'user-agent': 'curl/8.5.0', accept: '*/*' } });
  return buildEvent(t.eventType, {
    uri: t.eventType === 'viewer-request' ? '/docs/' : '/index.html',
    ...(t.eventType === 'origin-request' ? { querystring: 'page=2&utm_source=newsletter' } : {}),
    headers: { host: DEFAULT_DISTRIBUTION_DOMAIN, 'user-agent': 'curl/8.5.0', accept: '*/*' },
    ...(t.eventType.endsWith('-response') ? { responseHeaders: { 'content-type': 'text/html', 'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT' } } : {}),
  });
}
