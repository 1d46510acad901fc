// The function pool's reload and retire, with a fake runner in place of the Lambda platform (the
// real runner is covered by test/lambda/ and the HTTP suites): a rebuilt zip gets a new runner for
// new invocations, the old runner finishes what it has in flight and is disposed once idle.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createZip } from '../build/zip.js';
import { getFunction, parseConfig } from '../config/load.js';
import type { FunctionRunnerOptions, FunctionSpec, InvocationRecord } from '../lambda/index.js';
import { FunctionPool, type PooledRunner } from './function-pool.js';

const roots: string[] = [];
after(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

function project() {
  const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-pool-'));
  roots.push(root);
  const config = parseConfig(
    { functions: { edge: { wasm: 'g.wasm', eventType: 'viewer-request', memorySize: 128, timeout: 5 }, api: { wasm: 'g.wasm', eventType: 'lambda', memorySize: 256, timeout: 10 } } },
    { root, file: join(root, 'lambda-wasm.config.json'), env: {} },
  );
  /** Writes the function's zip as a build would; `marker` makes its bytes (and hash) differ. */
  const build = (name: string, marker: string) =>
    writeFileSync(join(config.outDir, `${name}.zip`), createZip(new Map([['index.mjs', new TextEncoder().encode(`// ${marker}\n`)]])));
  mkdirSync(config.outDir, { recursive: true });
  return { config, build, edge: getFunction(config, 'edge'), api: getFunction(config, 'api') };
}

/** A runner that answers with its own number; `hold()` keeps the next invocations in flight until released. */
class FakeRunner implements PooledRunner {
  disposed = 0;
  readonly seen: unknown[] = [];
  private held: Array<() => void> | undefined;

  constructor(
    readonly id: number,
    readonly spec: FunctionSpec,
    readonly options: FunctionRunnerOptions,
  ) {}

  hold(): () => void {
    this.held = [];
    return () => {
      const waiting = this.held ?? [];
      this.held = undefined;
      waiting.forEach((go) => go());
    };
  }

  async invoke(event: unknown): Promise<InvocationRecord> {
    this.seen.push(event);
    if (this.held !== undefined) await new Promise<void>((go) => this.held!.push(go));
    return { requestId: `r${this.id}`, ok: true, result: { runner: this.id }, timedOut: false, coldStart: false, durationMs: 1, billedDurationMs: 1, maxMemoryUsedMB: 10, logs: [] };
  }

  stats() {
    return { environments: 1, busy: 0, idle: 1, starting: 0, ending: 0 };
  }

  async dispose(): Promise<void> {
    this.disposed++;
  }
}

function fakePool(config: ReturnType<typeof project>['config'], options: ConstructorParameters<typeof FunctionPool>[1] = {}) {
  const runners: FakeRunner[] = [];
  const pool = new FunctionPool(config, {
    ...options,
    createRunner: (spec, opts) => {
      const runner = new FakeRunner(runners.length + 1, spec, opts);
      runners.push(runner);
      return runner;
    },
  });
  return { pool, runners };
}

const answeredBy = (record: InvocationRecord) => (record.result as { runner: number }).runner;

test('one runner per function, made from its config, reused across invocations', async () => {
  const p = project();
  p.build('edge', 'v1');
  p.build('api', 'v1');
  const { pool, runners } = fakePool(p.config, { maxEnvironments: 3, idleTimeoutMs: 1234 });
  assert.equal(answeredBy(await pool.invoke(p.edge, { n: 1 })), 1);
  assert.equal(answeredBy(await pool.invoke(p.edge, { n: 2 })), 1);
  assert.equal(answeredBy(await pool.invoke(p.api, { n: 3 })), 2);
  assert.deepEqual(runners[0]!.seen, [{ n: 1 }, { n: 2 }]);
  const [edge, api] = [runners[0]!.spec, runners[1]!.spec];
  assert.deepEqual(
    [edge.name, edge.memorySize, edge.timeout, edge.edge, edge.version, edge.isolation, edge.runtimeClient],
    ['edge', 128, 5, true, '1', 'thread', 'builtin'],
  );
  assert.deepEqual([api.name, api.memorySize, api.timeout, api.edge, api.version], ['api', 256, 10, false, '$LATEST']);
  assert.ok(edge.codeDir.startsWith(join(p.config.root, '.cache', 'dev', 'edge')), edge.codeDir);
  assert.deepEqual(runners[0]!.options, { maxEnvironments: 3, whenBusy: 'throttle', idleTimeoutMs: 1234, isolateRunaways: true });
  await pool.dispose();
  assert.deepEqual(runners.map((r) => r.disposed), [1, 1]);
});

test('reload: an unchanged zip keeps the runner; a rebuilt one answers new invocations, the idle old runner is disposed', async () => {
  const p = project();
  p.build('edge', 'v1');
  const { pool, runners } = fakePool(p.config);
  await pool.invoke(p.edge, {});
  assert.equal(pool.reload(p.edge), false);
  assert.equal(runners.length, 1);
  p.build('edge', 'v2');
  assert.equal(pool.reload(p.edge), true);
  assert.equal(runners.length, 2);
  assert.notEqual(runners[1]!.spec.codeDir, runners[0]!.spec.codeDir);
  // Nothing was in flight: the old runner is disposed at once, and only once.
  assert.equal(runners[0]!.disposed, 1);
  assert.equal(answeredBy(await pool.invoke(p.edge, {})), 2);
  assert.equal(runners[0]!.disposed, 1);
  assert.equal(runners[1]!.disposed, 0);
  // Back to the first build's bytes: a new runner again (the pool never revives a retired one).
  p.build('edge', 'v1');
  assert.equal(pool.reload(p.edge), true);
  assert.equal(answeredBy(await pool.invoke(p.edge, {})), 3);
  assert.deepEqual(runners.map((r) => r.disposed), [1, 1, 0]);
  await pool.dispose();
  assert.deepEqual(runners.map((r) => r.disposed), [1, 1, 1]);
});

test('reload during an invocation: it finishes on the old runner, which is disposed only when it is idle', async () => {
  const p = project();
  p.build('edge', 'v1');
  const { pool, runners } = fakePool(p.config);
  pool.prepare([p.edge]);
  const release = runners[0]!.hold();
  const inFlight = [pool.invoke(p.edge, { n: 1 }), pool.invoke(p.edge, { n: 2 })];
  p.build('edge', 'v2');
  assert.equal(pool.reload(p.edge), true);
  assert.equal(runners[0]!.disposed, 0, 'two invocations are still running on the old code');
  assert.equal(answeredBy(await pool.invoke(p.edge, { n: 3 })), 2);
  assert.equal(runners[0]!.disposed, 0);
  release();
  assert.deepEqual((await Promise.all(inFlight)).map(answeredBy), [1, 1]);
  assert.equal(runners[0]!.disposed, 1);
  assert.deepEqual(runners[0]!.seen, [{ n: 1 }, { n: 2 }]);
  assert.deepEqual(runners[1]!.seen, [{ n: 3 }]);
  await pool.dispose();
  assert.deepEqual(runners.map((r) => r.disposed), [1, 1]);
});

test('a reload before the first invocation makes the runner; a missing build is refused with what to run', () => {
  const p = project();
  const { pool, runners } = fakePool(p.config);
  assert.throws(() => pool.prepare([p.edge]), (e: Error & { code?: string; hint?: string }) => e.code === 'E_NOT_BUILT' && /edge\.zip does not exist/.test(e.message) && /lambda-wasm build/.test(String(e.hint)));
  assert.equal(runners.length, 0);
  p.build('edge', 'v1');
  assert.equal(pool.reload(p.edge), true);
  assert.equal(runners.length, 1);
  assert.equal(pool.reload(p.edge), false);
});

test('stats come from the current runner; none for a function not started', async () => {
  const p = project();
  p.build('edge', 'v1');
  const { pool } = fakePool(p.config);
  assert.equal(pool.stats('edge'), undefined);
  await pool.invoke(p.edge, {});
  assert.deepEqual(pool.stats('edge'), { environments: 1, busy: 0, idle: 1, starting: 0, ending: 0 });
});

test('nodeBinary or the RIC runs functions in processes; the default is worker threads', () => {
  const p = project();
  p.build('edge', 'v1');
  const isolation = (options: ConstructorParameters<typeof FunctionPool>[1]) => {
    const { pool, runners } = fakePool(p.config, options);
    pool.prepare([p.edge]);
    return [runners[0]!.spec.isolation, runners[0]!.spec.runtimeClient, runners[0]!.spec.nodeBinary];
  };
  assert.deepEqual(isolation({}), ['thread', 'builtin', undefined]);
  assert.deepEqual(isolation({ runtimeClient: 'ric' }), ['process', 'ric', undefined]);
  assert.deepEqual(isolation({ nodeBinary: '/opt/node22/bin/node' }), ['process', 'builtin', '/opt/node22/bin/node']);
  assert.deepEqual(isolation({ nodeBinary: '/opt/node22/bin/node', isolation: 'thread' }), ['thread', 'builtin', '/opt/node22/bin/node']);
});
