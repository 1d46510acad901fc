// Differential: the native zips run by AWS's runtime interface emulator — which exists to run a
// custom runtime's `bootstrap` — give the same answers and error shapes, for the same events, as
// the local Invoke API. The RIE is built by test/helpers/rie.ts.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig, type ProjectConfig } from '../../src/config/load.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { buildFunctionUrlEvent } from '../../src/events/index.js';
import { extractZip } from '../../src/lambda/extract.js';
import { readEventFile } from '../../src/invoke/event-input.js';
import { repoRoot } from '../helpers/paths.js';
import { ensureRie, freePort } from '../helpers/rie.js';
import { buildAll, nativeProject, probeCrate } from './_native.js';

interface Answer {
  status: number;
  body: Record<string, unknown>;
  functionError: boolean;
}

/** The RIE around one unpacked native package: it starts `bootstrap` and serves the Invoke API. */
async function startRieBootstrap(codeDir: string, name: string, timeout: number, memorySize: number): Promise<{ invoke(event: unknown): Promise<Answer>; stop(): Promise<void> }> {
  const [apiPort, invokePort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(ensureRie(), ['--runtime-api-address', `127.0.0.1:${apiPort}`, '--runtime-interface-emulator-address', `127.0.0.1:${invokePort}`, join(codeDir, 'bootstrap')], {
    cwd: codeDir,
    env: { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: codeDir, AWS_LAMBDA_FUNCTION_NAME: name, AWS_LAMBDA_FUNCTION_TIMEOUT: String(timeout), AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize), LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  for (let i = 0; ; i++) {
    try {
      await fetch(`http://127.0.0.1:${invokePort}/`);
      break;
    } catch {
      if (i > 100) throw new Error('the runtime interface emulator did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    async invoke(event) {
      const r = await fetch(`http://127.0.0.1:${invokePort}/2015-03-31/functions/function/invocations`, { method: 'POST', body: JSON.stringify(event) });
      const text = await r.text();
      const body = JSON.parse(text) as Record<string, unknown>;
      // The RIE marks a function error only by the body's shape.
      return { status: r.status, body, functionError: typeof body.errorType === 'string' && typeof body.errorMessage === 'string' };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const repo = loadConfig({ cwd: repoRoot });
let probes: ProjectConfig;
let removeProbes: () => void;
before(async () => {
  ensureRie();
  const project = nativeProject({ probe: { crate: probeCrate, eventType: 'lambda', target: 'native', timeout: 3 } });
  removeProbes = project.remove;
  probes = project.config;
  await buildAll(probes);
}, { timeout: 900_000 });
after(() => removeProbes?.());

const cases: Array<{ config: () => ProjectConfig; name: string; events: unknown[] }> = [
  {
    config: () => repo,
    name: 'pi-native',
    events: [readEventFile(join(repoRoot, 'fixtures', 'events', 'pi.json')), buildFunctionUrlEvent({ uri: '/', querystring: 'digits=40' }), buildFunctionUrlEvent({ uri: '/' }), { digits: -1 }, { digits: 'many' }, 'text'],
  },
  // The panic last: it ends the process (the RIE then reports the exit on the next call).
  { config: () => probes, name: 'probe', events: [{ op: 'echo', n: 1 }, { op: 'fail', arg: 'Boom' }, { op: 'context' }, { op: 'panic', arg: 'x' }] },
];

describe('the local Invoke API agrees with AWS\'s runtime interface emulator on native bootstraps', () => {
  for (const c of cases) {
    test(c.name, { timeout: 180_000 }, async () => {
      const config = c.config();
      const fn = config.functions.find((f) => f.name === c.name)!;
      const emulator: Emulator = createEmulator({ config: { ...config, distribution: undefined }, port: 0 });
      const base = await emulator.ready;
      const rie = await startRieBootstrap(extractZip(join(config.outDir, `${c.name}.zip`), join(config.outDir, '.rie', c.name)), c.name, fn.timeout, fn.memorySize);
      try {
        for (const event of c.events) {
          const theirs = await rie.invoke(event);
          const r = await fetch(`${base}/2015-03-31/functions/${c.name}/invocations`, { method: 'POST', body: JSON.stringify(event) });
          const ours: Answer = { status: r.status, body: (await r.json()) as Record<string, unknown>, functionError: r.headers.get('x-amz-function-error') !== null };
          const what = JSON.stringify(event);
          // The RIE answers 502 when the runtime process ends during the invocation (a panic aborts
          // after reporting); Lambda's Invoke API answers 200 with X-Amz-Function-Error, as ours does.
          const ended = (event as { op?: string }).op === 'panic';
          assert.equal(ours.status, ended ? 200 : theirs.status, what);
          if (ended) assert.equal(theirs.status, 502, what);
          assert.equal(ours.functionError, theirs.functionError, what);
          if (ours.functionError) {
            assert.equal(ours.body.errorType, theirs.body.errorType, what);
            assert.equal(ours.body.errorMessage, theirs.body.errorMessage, what);
          } else if ((event as { op?: string }).op === 'context') {
            // Ids and ARNs differ by design; which fields are set, and the names, do not.
            assert.deepEqual(Object.keys(ours.body).sort(), Object.keys(theirs.body).sort());
            assert.equal(ours.body.functionName, theirs.body.functionName);
            assert.equal(ours.body.hasTimeLeft, theirs.body.hasTimeLeft);
          } else {
            assert.deepEqual(ours.body, theirs.body, what);
          }
        }
      } finally {
        await rie.stop();
        await emulator.close();
      }
    });
  }
});
