// `npm run test:mutation`'s own behaviour, without running a mutation tool: it refuses what it
// does not know before starting anything, and the rust group's score (from cargo-mutants'
// outcomes.json) fails the run under its threshold the way Stryker's `thresholds.break` does.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/** A finished cargo-mutants run with these counts, in its own output directory. */
function outcomes(name: string, counts: { caught: number; missed: number; timeout: number; unviable: number }): string {
  const out = join(dir, name);
  mkdirSync(join(out, 'mutants.out'), { recursive: true });
  writeFileSync(join(out, 'mutants.out', 'outcomes.json'), JSON.stringify({ outcomes: [], total_mutants: 0, success: 0, ...counts }));
  return out;
}

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
  });

  test('rust group: passes at the threshold, fails under it, and when the unmutated tests fail', () => {
    assert.equal(judgeRustRun(outcomes('at', { caught: 74, missed: 25, timeout: 1, unviable: 9 }), 2), true);
    assert.equal(judgeRustRun(outcomes('under', { caught: 73, missed: 26, timeout: 1, unviable: 0 }), 2), false);
    assert.equal(judgeRustRun(outcomes('all', { caught: 10, missed: 0, timeout: 0, unviable: 0 }), 0), true);
    assert.equal(judgeRustRun(outcomes('baseline', { caught: 0, missed: 0, timeout: 0, unviable: 0 }), 4), false);
    assert.equal(judgeRustRun(join(dir, 'never-ran'), 1), false);
  });
});
