// Import rules that keep the layers apart (CONTRIBUTING.md): what ships in the zip imports only Node
// built-ins; events/ is pure; the library never reaches into the CLI; the local Lambda platform sits
// below the servers built on it (the Invoke API, the local CloudFront) and the dev rebuild loop above them.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const src = import.meta.dirname;
const repoRoot = join(src, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return files(full);
    return entry.endsWith('.ts') && !entry.endsWith('.test.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return found.map((m) => m[1]!);
}

/** Folder (under src/) that a relative import lands in, or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  return relative(src, resolve(dirname(file), spec)).split('/')[0]!.replace(/\.js$/, '.ts');
}

/** Checks every file under a folder of src/ (or one file, given its path under src/). */
function check(folder: string, allowed: (t: string) => boolean): void {
  const bad: string[] = [];
  const under = join(src, folder);
  for (const file of statSync(under).isDirectory() ? files(under) : [under]) {
    for (const spec of imports(file)) {
      const t = target(file, spec);
      if (!allowed(t)) bad.push(`${relative(repoRoot, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
}

const lambdaBuiltins = new Set(['node:buffer', 'node:fs', 'node:module', 'node:url', 'node:path']);

test('runtime/ (inside every zip) imports only a few Node built-ins and itself', () => {
  check('runtime', (t) => t === 'runtime' || lambdaBuiltins.has(t));
});

test('outside runtime/, only the ABI contract is imported from it, and the contract imports nothing', () => {
  const bad: string[] = [];
  for (const file of files(src).filter((f) => !f.startsWith(join(src, 'runtime') + '/'))) {
    for (const spec of imports(file)) {
      if (!spec.startsWith('.')) continue;
      const path = relative(src, resolve(dirname(file), spec));
      if (path.startsWith('runtime/') && path !== 'runtime/abi-contract.js') bad.push(`${relative(repoRoot, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
  assert.deepEqual(imports(join(src, 'runtime', 'abi-contract.ts')), []);
});

test('events/ imports nothing but itself, errors.ts, Node built-ins and the aws-lambda types', () => {
  check('events', (t) => t === 'events' || t === 'errors.ts' || t.startsWith('node:') || t === 'aws-lambda');
});

test('nothing outside cli/ imports cli/', () => {
  for (const folder of readdirSync(src).filter((f) => f !== 'cli' && statSync(join(src, f)).isDirectory())) {
    check(folder, (t) => t !== 'cli');
  }
});

test('only deploy/ loads the AWS SDK', () => {
  for (const folder of readdirSync(src).filter((f) => f !== 'deploy' && f !== 'cli' && statSync(join(src, f)).isDirectory())) {
    check(folder, (t) => !t.startsWith('@aws-sdk/'));
  }
});

test('only config/ imports zod: the config schema is defined once, and the adapter never loads it', () => {
  for (const folder of readdirSync(src).filter((f) => f !== 'config' && statSync(join(src, f)).isDirectory())) {
    check(folder, (t) => t !== 'zod' && !t.startsWith('zod/'));
  }
});

test('emulator/ (the local CloudFront) does not import the dev rebuild loop', () => {
  check('emulator', (t) => t !== 'dev');
});

test('lambda-api/ (Invoke API, Function URLs, the function pool) builds on lambda/ and never imports the emulator or the dev loop', () => {
  check('lambda-api', (t) => t !== 'emulator' && t !== 'dev');
});

test('lambda/ (the local Lambda platform) imports none of the servers or commands built on it', () => {
  const above = new Set(['emulator', 'lambda-api', 'dev', 'invoke', 'deploy', 'bench', 'new', 'index.ts']);
  check('lambda', (t) => !above.has(t));
});

test('only cli/ and the library entry point import the dev rebuild loop', () => {
  for (const folder of readdirSync(src).filter((f) => f !== 'cli' && f !== 'dev' && statSync(join(src, f)).isDirectory())) {
    check(folder, (t) => t !== 'dev');
  }
});

test('http-types.ts, shared by the emulator and the Invoke API, imports only events/', () => {
  check('http-types.ts', (t) => t === 'events');
});

test('the execution-environment contract imports only the platform\'s types', () => {
  const specs = imports(join(src, 'lambda', 'execution-environment.ts'));
  assert.deepEqual(specs, ['./types.js']);
});
