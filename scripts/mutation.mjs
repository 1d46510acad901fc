// `npm run test:mutation [--incremental] [group…]`: StrykerJS over each group of stryker.config.mjs
// and cargo-mutants for `rust` (scripts/mutation-rust.mjs), in turn (all of them without
// arguments), at low priority; fails when any group's score is under its threshold. Reports:
// reports/mutation/<group>.html and .json, reports/mutation/rust/mutants.out. `--incremental`
// reuses the last run's results for mutants whose code and covering tests did not change.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRustMutants } from './mutation-rust.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flags = args.filter((arg) => arg.startsWith('--'));
const unknown = flags.filter((flag) => flag !== '--incremental');
if (unknown.length > 0) {
  process.stderr.write(`[mutation] unknown option ${unknown.join(' ')}: the only option is --incremental\n`);
  process.exit(2);
}
const named = args.filter((arg) => !arg.startsWith('--'));
const ALL = ['events', 'runtime', 'cache', 'lambda', 'rust'];
const groups = named.length > 0 ? named : ALL;
const unknownGroups = groups.filter((group) => !ALL.includes(group));
if (unknownGroups.length > 0) {
  process.stderr.write(`[mutation] unknown group ${unknownGroups.join(' ')}: expected some of ${ALL.join(', ')}\n`);
  process.exit(2);
}
const stryker = join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
let failed = false;
for (const group of groups) {
  const started = Date.now();
  process.stderr.write(`[mutation] ${group}\n`);
  if (group === 'rust') {
    const passed = runRustMutants(root, { incremental: flags.includes('--incremental') });
    process.stderr.write(`[mutation] rust: ${passed ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`);
    if (!passed) failed = true;
    continue;
  }
  const run = spawnSync('nice', ['-n', '15', process.execPath, stryker, 'run', 'stryker.config.mjs', ...flags], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_GROUP: group, NO_COLOR: '1' },
  });
  process.stderr.write(`[mutation] ${group}: ${run.status === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
