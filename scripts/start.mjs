// The main job on a fresh clone (after scripts/setup.mjs): build every example, run each once on
// its fixture through the very zip that ships, then serve them all through the local CloudFront.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'bin', 'lambda-wasm.js');
const run = (args) => spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1;

if (!existsSync(join(root, 'target', 'wasm32-unknown-unknown'))) {
  // Nothing is cached yet: cargo compiles serde, serde_json and every example for wasm32.
  process.stderr.write('[start] first build: compiling the examples and their crates for wasm32 (a few minutes on a small machine; seconds afterwards)\n');
}
const started = Date.now();
if (run(['build']) !== 0) process.exit(1);
process.stderr.write(`[start] built in ${Math.round((Date.now() - started) / 1000)} s\n`);

const config = JSON.parse(readFileSync(join(root, 'lambda-wasm.config.json'), 'utf8'));
let failed = 0;
for (const name of Object.keys(config.functions)) {
  process.stderr.write(`\n=== lambda-wasm invoke ${name}\n`);
  if (run(['invoke', name]) !== 0) failed++;
}
if (failed > 0) {
  process.stderr.write(`\n${failed} example(s) failed on their fixture\n`);
  process.exit(1);
}
if (config.distribution === undefined) process.exit(0);
process.stderr.write('\n=== lambda-wasm dev\n');
process.exit(run(['dev', '--no-build', '--port', process.env.PORT ?? '3000', ...(process.env.HOST ? ['--host', process.env.HOST] : [])]));
