// `npm run test:mutation [group…]`: StrykerJS over each group of stryker.config.mjs in turn (all
// of them without arguments), at low priority; fails when any group's score is under its threshold.
// Reports: reports/mutation/<group>.html and .json.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const groups = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['events', 'runtime', 'cache', 'lambda'];
const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
let failed = false;
for (const group of groups) {
  const started = Date.now();
  process.stderr.write(`[mutation] ${group}\n`);
  const run = spawnSync('nice', ['-n', '10', process.execPath, stryker, 'run', 'stryker.config.mjs'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_GROUP: group, NO_COLOR: '1' },
  });
  process.stderr.write(`[mutation] ${group}: ${run.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
