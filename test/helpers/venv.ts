/**
 * Python tools the tests need (moto, the AWS CLI) are installed by the tests themselves into their
 * own venv under .cache/ on first use, so a fresh clone needs only python3. A lock keeps parallel
 * test files from installing the same venv at once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** Returns the venv's folder after making sure `requirement` is installed in it. */
export function ensureVenv(name: string, requirement: string): string {
  const venv = join(repoRoot, '.cache', name);
  const done = join(venv, '.installed');
  if (existsSync(done)) return venv;
  const lock = `${venv}.lock`;
  mkdirSync(join(repoRoot, '.cache'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is installing; a lock older than 10 minutes is left from a crash.
      if (Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 600_000) rmSync(lock, { recursive: true, force: true });
      spawnSync('sleep', ['1']);
      if (existsSync(done)) return venv;
    }
  }
  try {
    if (existsSync(done)) return venv;
    const run = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    };
    if (!existsSync(join(venv, 'bin', 'python'))) run('python3', ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', requirement]);
    spawnSync('touch', [done]);
    return venv;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
