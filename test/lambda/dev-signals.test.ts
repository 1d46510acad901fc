// `dev` with a request stuck in a cold start that never ends: SIGTERM or SIGINT ends it promptly,
// with no runtime process left behind, in worker threads and in processes (--node 22).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findNodeBinary } from '../../src/lambda/index.js';
import { repoRoot } from '../helpers/paths.js';
import { runtimePids } from '../helpers/processes.js';
import { makeProject } from '../helpers/project.js';
import { compileWat } from '../helpers/wat.js';

let project: Awaited<ReturnType<typeof makeProject>>;

before(async () => {
  project = await makeProject(
    { cold: { wasm: compileWat('init-loop'), eventType: 'viewer-request' } },
    { origins: { site: { folder: 'site' } }, defaultBehavior: { origin: 'site', triggers: { 'viewer-request': 'cold' } } },
  );
});

after(() => project?.remove());

const variants: Array<[string, string[], NodeJS.Signals]> = [['worker threads', [], 'SIGTERM'], ['worker threads', [], 'SIGINT']];
const node22 = findNodeBinary(22);
if (node22 !== undefined) variants.push(['processes, --node 22', ['--node', '22'], 'SIGTERM']);

for (const [name, args, signal] of variants) {
  test(`dev (${name}) ends promptly on ${signal} while a cold start spins, leaving no runtime behind`, { timeout: 60_000 }, async () => {
    const dev = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'dev', '--no-build', '--port', '0', ...args], {
      cwd: project.dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    const url = await new Promise<string>((resolve, reject) => {
      dev.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        const m = /local CloudFront on (http:\/\/\S+)/.exec(stderr);
        if (m !== null) resolve(m[1]!);
      });
      dev.once('exit', () => reject(new Error(`dev exited early: ${stderr}`)));
    });
    // A viewer request whose trigger never finishes its init.
    const pending = new Promise<void>((resolve) => {
      const req = request(`${url}/index.html`, (res) => res.resume().on('end', resolve));
      req.on('error', () => resolve());
      req.end();
    });
    let runtimes: number[] = [];
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 150 && args.length > 0 && runtimes.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      runtimes = runtimePids(dev.pid!);
    }
    if (args.length > 0) assert.equal(runtimes.length, 1, 'the runtime process is spinning in its init');
    const exited = new Promise<number | null>((resolve) => dev.once('exit', (code) => resolve(code)));
    dev.kill(signal);
    const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
    if (code === 'hung') dev.kill('SIGKILL');
    assert.notEqual(code, 'hung', `dev still running 15 s after ${signal}: ${stderr}`);
    await pending;
    for (const pid of runtimes) {
      let alive = true;
      try {
        process.kill(pid, 0);
      } catch {
        alive = false;
      }
      assert.equal(alive, false, `runtime ${pid} outlived dev`);
    }
  });
}
