// `npm run test:mutation`'s own behaviour, without running a mutation tool: it refuses what it
// does not know before starting anything, and the rust group's score (from cargo-mutants'
// outcomes.json) fails the run under its threshold the way Stryker's `thresholds.break` does.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { judgeRustRun, RUST_BREAK, rustScore } from '../../scripts/mutation-rust.mjs';
import { repoRoot } from '../helpers/paths.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-mutation-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function script(...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, [join(repoRoot, 'scripts', 'mutation.mjs'), ...args], { cwd: repoRoot, timeout: 20_000 });
    return { code: 0, stderr };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

const SUMMARY = { caught: 'CaughtMutant', missed: 'MissedMutant', timeout: 'Timeout', unviable: 'Unviable' } as const;

/** A finished cargo-mutants run in `out` (as outcomes.json records it): mutant name → its outcome. */
function finishedRun(out: string, mutants: Record<string, keyof typeof SUMMARY>): string {
  mkdirSync(join(out, 'mutants.out'), { recursive: true });
  const outcomes = [{ scenario: 'Baseline', summary: 'Success' }, ...Object.entries(mutants).map(([name, outcome]) => ({ scenario: { Mutant: { name } }, summary: SUMMARY[outcome] }))];
  writeFileSync(join(out, 'mutants.out', 'outcomes.json'), JSON.stringify({ outcomes }));
  return out;
}
/** `n` mutants named `prefix` 0…n-1 with one outcome. */
const many = (prefix: string, n: number, outcome: keyof typeof SUMMARY) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, outcome]));

describe('npm run test:mutation', () => {
  test('an unknown group or option is refused with the list, before any tool starts', { timeout: 30_000 }, async () => {
    const group = await script('event');
    assert.equal(group.code, 2);
    assert.match(group.stderr, /unknown group event: expected some of events, runtime, cache, lambda, rust/);
    const option = await script('--incremnetal', 'cache');
    assert.equal(option.code, 2);
    assert.match(option.stderr, /unknown option --incremnetal: the only option is --incremental/);
  });

  test('rust score: timeouts count as caught, mutants that do not compile are left out', () => {
    assert.equal(RUST_BREAK, 75);
    assert.equal(rustScore({ caught: 6, missed: 2, timeout: 0, unviable: 40 }).score, 75);
    assert.equal(rustScore({ caught: 5, missed: 2, timeout: 1, unviable: 0 }).score, 75);
    assert.equal(rustScore({ caught: 0, missed: 0, timeout: 0, unviable: 3 }).score, 100);
    assert.equal(rustScore({ caught: 3, missed: 1, timeout: 0, unviable: 0 }).score, 75);
  });

  test('rust group: passes at the threshold, fails under it, and when the unmutated tests fail', () => {
    assert.equal(judgeRustRun(finishedRun(join(dir, 'at'), { ...many('c', 74, 'caught'), ...many('m', 25, 'missed'), t: 'timeout', ...many('u', 9, 'unviable') }), 2), true);
    assert.equal(judgeRustRun(finishedRun(join(dir, 'under'), { ...many('c', 73, 'caught'), ...many('m', 26, 'missed'), t: 'timeout' }), 2), false);
    assert.equal(judgeRustRun(finishedRun(join(dir, 'baseline'), {}), 4), false);
    assert.equal(judgeRustRun(join(dir, 'never-ran'), 1), false);
  });

  test('rust group, --incremental: the score counts every mutant, not only those retested', () => {
    const out = join(dir, 'iterated');
    // The full run: 7 of 10 caught, under the threshold.
    assert.equal(judgeRustRun(finishedRun(out, { ...many('c', 7, 'caught'), m0: 'missed', m1: 'missed', m2: 'missed' }), 2), false);
    // cargo-mutants --iterate retests only the three missed ones; two are caught now: 9 of 10.
    assert.equal(judgeRustRun(finishedRun(out, { m0: 'caught', m1: 'caught', m2: 'missed' }), 2, { incremental: true }), true);
    assert.equal(Object.keys(JSON.parse(readFileSync(join(out, 'ledger.json'), 'utf8'))).length, 10);
    // Without --incremental a run stands alone.
    assert.equal(judgeRustRun(finishedRun(out, { m2: 'missed', c0: 'caught' }), 2), false);
  });
});
