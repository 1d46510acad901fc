// Runs every test with Node's built-in runner: colocated unit tests (src/**/*.test.ts) and the
// integration suites (test/**/*.test.ts). The examples are built first, once, because most
// integration suites run the very zips that `build` writes.
// `--unit` (`npm run test:unit`) runs only the colocated unit tests: pure TypeScript, so no build,
// no set-up and no Rust toolchain — Node and node_modules are all they need.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function findTests(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...findTests(full));
    else if (entry.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

// Arguments narrow the run: `npm test -- test/runtime` runs the files under that path.
const unit = process.argv.includes('--unit');
const filters = process.argv.slice(2).filter((a) => a !== '--unit');
const files = [...findTests(join(root, 'src')), ...(unit ? [] : findTests(join(root, 'test')))]
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.startsWith(x) || f.includes(x)))
  .sort();

if (!unit) {
  process.stderr.write('[test] building the examples\n');
  execFileSync(process.execPath, [join(root, 'bin', 'lambda-wasm.js'), 'build'], { cwd: root, stdio: 'inherit' });
}

process.stderr.write(`[test] ${files.length} test files\n`);
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NO_COLOR: '1' },
});
process.exit(result.status ?? 1);
