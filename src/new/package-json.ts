/**
 * @module
 * Where a new project finds lambda-wasm: the `package.json` it writes or merges into (lambda-wasm
 * as a dev dependency, `build`/`dev`/`test` scripts), and the relative path from the project to
 * the installed package, which the crate's `lambda-wasm-guest` dependency and the config's
 * `$schema` use. Paths are relative so that every clone of the user's project resolves them alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { packageRoot } from '../build/package-root.js';
import { EdgeError } from '../errors.js';

const PACKAGE = 'lambda-wasm';

type Json = Record<string, unknown>;

/** `a\b` → `a/b`: Cargo.toml and package.json want forward slashes everywhere. */
const posix = (path: string): string => path.split(sep).join('/');

const isInside = (child: string, parent: string): boolean => child === parent || child.startsWith(`${parent}${sep}`);

/**
 * The package folder as seen from `projectDir`, relative: where it is installed when that is a
 * `node_modules` at or above the project (hoisted workspaces included) or when the project lies
 * inside the package (this repository's own examples); otherwise where `npm install` will put it,
 * `node_modules/lambda-wasm`.
 */
export function packageDirFrom(projectDir: string): string {
  const root = packageRoot();
  const owner = installingProject(root);
  if ((owner !== undefined && isInside(projectDir, owner)) || isInside(projectDir, root)) {
    return posix(relative(projectDir, root)) || '.';
  }
  return `node_modules/${PACKAGE}`;
}

/** The folder whose `node_modules` holds the package (a project, or npx's cache entry), if any. */
function installingProject(root: string): string | undefined {
  return basename(dirname(root)) === 'node_modules' ? dirname(dirname(root)) : undefined;
}

/**
 * The dependency spec to write: the one the package was installed from (read from the installing
 * project's package.json, `file:` paths rebased onto the new project), else `^<version>`.
 */
export function installedSpec(projectDir: string): string {
  const root = packageRoot();
  const owner = installingProject(root);
  const ownerPkg = owner === undefined ? undefined : readJson(join(owner, 'package.json'));
  const deps = { ...(ownerPkg?.dependencies as Json | undefined), ...(ownerPkg?.devDependencies as Json | undefined) };
  const spec = deps[PACKAGE];
  if (typeof spec === 'string' && owner !== undefined) {
    if (!spec.startsWith('file:')) return spec;
    const rel = posix(relative(projectDir, resolve(owner, spec.slice('file:'.length))));
    return `file:${rel.startsWith('.') ? rel : `./${rel}`}`;
  }
  const version = (readJson(join(root, 'package.json'))?.version as string | undefined) ?? '0.0.0';
  return `^${version}`;
}

export interface MergedPackageJson {
  text: string;
  /** Scripts the project already had under our names, left as they were. */
  keptScripts: string[];
}

/** npm init's placeholder test script, which is replaced rather than kept. */
const PLACEHOLDER_TEST = /no test specified/;

/**
 * `existing` merged with what a lambda-wasm project needs; nothing the user wrote is overwritten
 * (an existing dependency on lambda-wasm keeps its spec, an existing script stays).
 */
export function mergePackageJson(existing: string | undefined, options: { packageName: string; functionName: string; spec: string }): MergedPackageJson {
  let pkg: Json;
  try {
    pkg = existing === undefined ? { name: options.packageName, version: '0.1.0', private: true } : (JSON.parse(existing) as Json);
  } catch (error) {
    throw new EdgeError('E_USAGE', `package.json is not valid JSON (${(error as Error).message})`, { hint: 'fix it, or run lambda-wasm new in another folder' });
  }
  if (typeof pkg !== 'object' || pkg === null || Array.isArray(pkg)) throw new EdgeError('E_USAGE', 'package.json is not a JSON object');
  const scripts: Json = { ...(pkg.scripts as Json | undefined) };
  const wanted: Record<string, string> = {
    build: 'lambda-wasm build',
    dev: 'lambda-wasm dev',
    test: `lambda-wasm build && lambda-wasm invoke ${options.functionName}`,
  };
  const keptScripts: string[] = [];
  for (const [name, command] of Object.entries(wanted)) {
    const current = scripts[name];
    if (current === undefined || (name === 'test' && typeof current === 'string' && PLACEHOLDER_TEST.test(current))) scripts[name] = command;
    else if (current !== command) keptScripts.push(name);
  }
  pkg.scripts = scripts;
  const dependencies = pkg.dependencies as Json | undefined;
  if (dependencies?.[PACKAGE] === undefined) {
    pkg.devDependencies = { ...(pkg.devDependencies as Json | undefined), [PACKAGE]: (pkg.devDependencies as Json | undefined)?.[PACKAGE] ?? options.spec };
  }
  const indent = existing === undefined ? 2 : (/^\{\r?\n([ \t]+)"/.exec(existing)?.[1] ?? 2);
  return { text: `${JSON.stringify(pkg, null, indent)}\n`, keptScripts };
}

function readJson(file: string): Json | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch {
    return undefined;
  }
}
