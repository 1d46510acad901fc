// `bench`: through the real CLI in this repository, and through the library on a user's project
// whose functions are neither `passthrough` nor `pi` (built events, no fixtures). Every figure is a
// positive number measured from samples, each ratio is computed from the baseline of the same run,
// nothing is built or installed unless asked for, and the chart keeps its text apart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { bench, type BenchReport, type Figure } from '../../src/bench/bench.js';
import { loadConfig } from '../../src/config/load.js';
import { EdgeError } from '../../src/errors.js';
import { isBindgenBuilt, loadBindgenBaseline } from '../../src/bench/bindgen.js';
import { jsTwinSource } from '../../src/bench/cold.js';
import { httpBench, parseWrk } from '../../src/bench/http.js';
import { renderSvg } from '../../src/bench/svg.js';
import { exampleWasm, makeProject } from '../helpers/project.js';
import { repoRoot } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-bench-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function checkFigure(f: Figure): void {
  const what = `${f.group} ${f.id} ${f.name}`;
  assert.ok(Number.isFinite(f.value) && f.value > 0, `${what}: value ${f.value}`);
  assert.ok(f.samples > 0, `${what}: no samples`);
  if (f.baseline !== undefined) assert.ok(Number.isFinite(f.baseline.value) && f.baseline.value > 0, `${what}: baseline ${f.baseline.value}`);
  if (f.baseline !== undefined && f.ratio !== undefined && f.id !== 'B4') {
    assert.ok(Math.abs(f.ratio - f.value / f.baseline.value) < 1e-9, `${what}: ratio is not value/baseline`);
  }
  if (f.id === 'B4') assert.ok(Math.abs(f.ratio! - (f.value - f.baseline!.value)) < 1e-9, `${what}: B4 is a difference in MB`);
  if (f.distribution !== undefined) {
    assert.ok(f.distribution.p50 <= f.distribution.p90 && f.distribution.p90 <= f.distribution.p99, `${what}: percentiles out of order`);
  }
  if (f.target !== undefined) assert.equal(typeof f.target.pass, 'boolean');
}

test('bench --quick in this repository: B1–B6 and V1 for passthrough; the repository baselines only with --baselines', { timeout: 600_000 }, async () => {
  const out = join(dir, 'bench.json');
  let stderr = '';
  let stdout = '';
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'bench', '--quick', 'passthrough', '--json', out], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', resolve);
  });
  assert.equal(status, 0, stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
  assert.equal(report.schema, 'lambda-wasm-bench/2');
  assert.equal(report.quick, true);
  assert.ok(report.machine.cores > 0 && report.machine.node.startsWith('v'));
  assert.deepEqual(report.functions, [{ name: 'passthrough', kind: 'viewer-request', event: join('fixtures', 'events', 'viewer-request.json') }]);
  const ids = new Set(report.figures.map((f) => f.id));
  for (const id of ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'V1']) assert.ok(ids.has(id as never), `missing ${id}; skipped: ${JSON.stringify(report.skipped)}`);
  for (const f of report.figures) checkFigure(f);
  // B3 in phases: the adapter's own parts for the Wasm package only; CPU time for both.
  const b3 = report.figures.find((f) => f.id === 'B3')!;
  const phases = b3.extra!['phasesMs'] as { wasm: Record<string, number>; js: Record<string, number> };
  for (const key of ['process', 'moduleLoad', 'read', 'compile', 'instantiate', 'guestInit', 'importRest', 'firstCall', 'console']) assert.ok(Number.isFinite(phases.wasm[key]), `wasm phase ${key}: ${JSON.stringify(phases.wasm)}`);
  assert.equal(phases.js['compile'], undefined);
  assert.ok(phases.wasm['console']! > 0 && phases.js['console']! > 0, 'both packages log, so both pay a console write');
  const cpu = b3.extra!['cpuMs'] as { wasm: number; js: number };
  assert.ok(cpu.wasm > 0 && cpu.js > 0);
  // The floor: a guest doing only the same logging and result through the same adapter, measured
  // in the same turns; what the real guest's code adds is the difference of the medians.
  const floor = b3.extra!['floor'] as { wallMs: number; ratio: number; guestCodeMs: number; budgetMs: number; phasesMs: Record<string, number>; runsMs: number[] };
  assert.ok(floor !== null && floor.wallMs > 0, `no floor: ${JSON.stringify(b3.extra)}`);
  assert.equal(floor.runsMs.length, b3.samples);
  assert.ok(Math.abs(floor.ratio - floor.wallMs / b3.baseline!.value) < 1e-9);
  assert.ok(Math.abs(floor.guestCodeMs - (b3.value - floor.wallMs)) < 1e-9);
  assert.ok(Math.abs(floor.budgetMs - (1.1 * b3.baseline!.value - floor.wallMs)) < 1e-9);
  for (const key of ['compile', 'instantiate', 'guestInit', 'firstCall', 'console']) assert.ok(Number.isFinite(floor.phasesMs[key]), `floor phase ${key}`);
  assert.match(stdout, /^ {17}floor: process start\/exit [\d.]+ · module load/m);
  assert.match(stdout, /^ {4}Wasm floor {3}[\d.]+ ms, [\d.]+× \(a guest doing only the same logging and result.*this guest's code [+-][\d.]+ ms · within 1\.10× it may add [+-][\d.]+ ms$/m);
  // B4: the target, and on Linux the resident memory of both processes by kind, printed under the row.
  const b4 = report.figures.find((f) => f.id === 'B4')!;
  assert.equal(b4.target!.text, '≤ +2 MB');
  assert.equal(b4.target!.pass, b4.ratio! <= 2);
  if (process.platform === 'linux') {
    const resident = b4.extra!['residentMB'] as Record<'wasm' | 'js', { fileBacked: number; anonymous: number }>;
    for (const kind of ['wasm', 'js'] as const) {
      const r = resident[kind];
      assert.ok(r.fileBacked > 1 && r.anonymous > 1, `${kind}: ${JSON.stringify(r)}`);
      // At the end of the run resident memory is at most the peak (a little slack: the report's own read).
      const peak = kind === 'wasm' ? b4.value : b4.baseline!.value;
      assert.ok(r.fileBacked + r.anonymous <= peak + 1, `${kind}: ${r.fileBacked + r.anonymous} MB resident > peak ${peak} MB`);
    }
    const b4floor = b4.extra!['floor'] as { maxRssMB: number; deltaMB: number; guestMB: number; runsMB: number[] };
    assert.ok(b4floor.maxRssMB > 1 && b4floor.runsMB.length === b4.samples);
    assert.ok(Math.abs(b4floor.deltaMB - (b4floor.maxRssMB - b4.baseline!.value)) < 1e-9 && Math.abs(b4floor.guestMB - (b4.value - b4floor.maxRssMB)) < 1e-9);
    assert.match(stdout, /^ {4}Wasm floor {3}[\d.]+ MB, [+-][\d.]+ MB \(B3's Wasm floor package: what any Wasm package adds here\) · this guest [+-][\d.]+ MB$/m);
    assert.match(stdout, /^ {4}resident {5}file-backed [\d.]+ MB vs [\d.]+ \([+-][\d.]+ MB: node's own code.*allocated [\d.]+ MB vs [\d.]+/m);
  }
  const b2 = report.figures.filter((f) => f.id === 'B2');
  assert.deepEqual(b2.map((f) => f.name), ['warm call, 1 KB request body', 'warm call, 40 KB request body'], 'a viewer trigger gets bodies up to 40 KB');
  // Nothing of the repository's own baselines ran: no wasm-bindgen build, no B7; the skip says how.
  assert.equal(report.figures.filter((f) => f.group === 'repository baselines').length, 0);
  const note = report.skipped.find((s) => s.group === 'repository baselines');
  assert.ok(note !== undefined && note.reason.includes('lambda-wasm bench --baselines'), JSON.stringify(report.skipped));
  if (!isBindgenBuilt(repoRoot)) assert.match(note.reason, /node scripts\/build-bindgen-baseline\.mjs/, 'says how to build the wasm-bindgen guest ahead');
  assert.doesNotMatch(stderr, /build-bindgen-baseline:|cargo/);
  assert.ok(existsSync(out.replace(/\.json$/, '.svg')));
  assert.match(readFileSync(out.replace(/\.json$/, '.svg'), 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
});

test('bench on a user\'s functions (not passthrough or pi, no fixtures): B1–B5 for each, B6 through its distribution', { timeout: 600_000 }, async () => {
  const project = await makeProject(
    {
      'edge-router': { wasm: exampleWasm('redirect'), eventType: 'viewer-request' },
      'add-headers': { wasm: exampleWasm('security-headers'), eventType: 'origin-response' },
      api: { wasm: exampleWasm('pi'), eventType: 'lambda' },
    },
    { origins: { site: { folder: 'site' } }, defaultBehavior: { origin: 'site', triggers: { 'viewer-request': 'edge-router', 'origin-response': 'add-headers' } } },
  );
  try {
    const report = await bench({ config: project.config, quick: true, http: (o) => httpBench(project.config, o) });
    assert.deepEqual(
      report.functions,
      [
        { name: 'edge-router', kind: 'viewer-request', event: 'a built viewer-request event' },
        { name: 'add-headers', kind: 'origin-response', event: 'a built origin-response event' },
        { name: 'api', kind: 'lambda', event: 'a built Function URL event' },
      ],
    );
    for (const f of report.figures) checkFigure(f);
    for (const fn of ['edge-router', 'add-headers', 'api']) {
      const ids = report.figures.filter((f) => f.group === fn).map((f) => f.id);
      for (const id of ['B1', 'B3', 'B4', 'B5']) assert.ok(ids.includes(id as never), `${fn}: missing ${id}; skipped: ${JSON.stringify(report.skipped)}`);
      const b1 = report.figures.find((f) => f.group === fn && f.id === 'B1')!;
      assert.match(b1.baseline!.name, /^JS floor/);
      const b3 = report.figures.find((f) => f.group === fn && f.id === 'B3')!;
      assert.match(b3.baseline!.name, /^JS package/);
      assert.ok((b3.extra!['floor'] as { wallMs: number } | null)?.wallMs! > 0, `${fn}: B3 has no floor`);
    }
    assert.equal(report.figures.filter((f) => f.group === 'edge-router' && f.id === 'B2').length, 2, 'viewer-request: 1 KB and 40 KB bodies');
    assert.equal(report.figures.filter((f) => f.group === 'api' && f.id === 'B2').length, 3, 'a Function URL: 1 KB, 40 KB and 1 MB bodies');
    assert.ok(report.skipped.some((s) => s.group === 'add-headers' && s.id === 'B2' && /no request body/.test(s.reason)));
    const b6 = report.figures.filter((f) => f.id === 'B6');
    if (report.skipped.some((s) => s.id === 'B6' && /needs wrk/.test(s.reason))) {
      assert.equal(b6.length, 0);
    } else {
      assert.deepEqual(b6.map((f) => f.name), ['HTTP p50, GET /index.html (edge-router, add-headers)', 'HTTP p99, GET /index.html (edge-router, add-headers)']);
    }
    // A user's project is not the repository: no note about its baselines, nothing built.
    assert.equal(report.skipped.filter((s) => s.group === 'repository baselines').length, 0);
    assert.equal(report.figures.filter((f) => f.group === 'repository baselines').length, 0);
  } finally {
    project.remove();
  }
});

test('a native function has no Node.js package: the default selection leaves it to B7/B8, and naming only it is a usage error', { timeout: 300_000 }, async () => {
  const repo = loadConfig({ cwd: repoRoot });
  await assert.rejects(bench({ config: repo, quick: true, functions: ['pi-native'] }), (e: EdgeError) => e.code === 'E_USAGE' && /pi-native: native functions have no Node\.js package/.test(e.message) && /--baselines/.test(e.hint ?? ''));
  const config = { ...repo, functions: repo.functions.filter((f) => f.name === 'passthrough' || f.name === 'pi-native') };
  const report = await bench({ config, quick: true });
  assert.deepEqual(report.functions.map((f) => f.name), ['passthrough']);
  assert.ok(!report.figures.some((f) => f.group === 'pi-native'));
});

test('the cold-start baseline logs what the guest logged, on the same console methods, and returns its result', async () => {
  const twin = join(dir, 'twin');
  mkdirSync(twin);
  const observed = { logs: [{ method: 'info' as const, text: 'GET /docs/ "quoted"\nnext' }, { method: 'warn' as const, text: 'slow' }], result: { status: '200', headers: {} } };
  writeFileSync(join(twin, 'index.mjs'), jsTwinSource(observed));
  const { handler } = (await import(pathToFileURL(join(twin, 'index.mjs')).href)) as { handler: () => Promise<unknown> };
  const seen: string[] = [];
  const saved = { info: console.info, warn: console.warn };
  console.info = (text: string) => void seen.push(`info ${text}`);
  console.warn = (text: string) => void seen.push(`warn ${text}`);
  try {
    assert.deepEqual(await handler(), observed.result);
  } finally {
    Object.assign(console, saved);
  }
  assert.deepEqual(seen, ['info GET /docs/ "quoted"\nnext', 'warn slow']);
});

test('the wasm-bindgen baseline is never built unless asked for; asked, its progress is passed on', { timeout: 60_000 }, async () => {
  const root = join(dir, 'repo-like');
  mkdirSync(join(root, 'bench-guests', 'bindgen-passthrough'), { recursive: true });
  mkdirSync(join(root, 'scripts'));
  writeFileSync(join(root, 'bench-guests', 'bindgen-passthrough', 'Cargo.toml'), '[package]\nname = "bindgen-passthrough"\n');
  // Stands in for the real build script (minutes of cargo): records that it ran, reports progress, fails.
  writeFileSync(
    join(root, 'scripts', 'build-bindgen-baseline.mjs'),
    "import { writeFileSync } from 'node:fs';\nwriteFileSync('ran', '');\nconsole.error('build-bindgen-baseline: step one');\nconsole.error('build-bindgen-baseline: cargo build failed: no toolchain');\nprocess.exit(1);\n",
  );
  const notAsked = await loadBindgenBaseline(root);
  assert.ok('reason' in notAsked && notAsked.reason.includes('node scripts/build-bindgen-baseline.mjs'), JSON.stringify(notAsked));
  assert.equal(existsSync(join(root, 'ran')), false, 'the build script ran without being asked');
  assert.equal(existsSync(join(root, '.cache')), false);

  const progress: string[] = [];
  const asked = await loadBindgenBaseline(root, { build: true, progress: (line) => progress.push(line) });
  assert.ok(existsSync(join(root, 'ran')));
  assert.deepEqual(progress, ['build-bindgen-baseline: step one', 'build-bindgen-baseline: cargo build failed: no toolchain']);
  assert.deepEqual(asked, { reason: 'cargo build failed: no toolchain' });

  const installed = await loadBindgenBaseline(join(dir, 'not-a-repo'), { build: true });
  assert.ok('reason' in installed && /baseline of the lambda-wasm repository/.test(installed.reason));
});

test('the chart keeps labels and values inside it, and names each baseline', () => {
  const d = (p50: number) => ({ unit: 'ns' as const, samples: 10, p50, p90: p50 * 1.2, p99: p50 * 3, mean: p50, min: p50, max: p50 * 3 });
  const long = 'a function name that goes on and on and on far beyond what any label column could hold in a chart';
  const report: BenchReport = {
    schema: 'lambda-wasm-bench/2',
    date: new Date().toISOString(),
    quick: true,
    machine: { cpu: 'cpu', cores: 2, platform: 'linux', node: 'v22.0.0' },
    coldStartNode: 'v22.0.0',
    functions: [{ name: long, kind: 'viewer-request', event: 'a built viewer-request event' }],
    figures: [
      { id: 'B1', group: long, name: 'warm call on its event', unit: 'ns', value: 12_000, baseline: { name: 'JS floor (JSON.parse(JSON.stringify(event)))', value: 6000 }, ratio: 2, target: { text: '≤ 2× JS floor', pass: true }, samples: 10, distribution: d(12_000), baselineDistribution: d(6000) },
      { id: 'B1', group: 'repository baselines', name: `passthrough, ${long}: lambda-wasm's ABI against a wasm-bindgen guest`, unit: 'ns', value: 12_000, baseline: { name: 'wasm-bindgen guest (JsValue ↔ serde)', value: 13_000 }, ratio: 12 / 13, target: { text: 'reported', pass: true }, samples: 10, distribution: d(12_000), baselineDistribution: d(13_000) },
      { id: 'B6', group: 'distribution', name: 'HTTP p99, GET /index.html', unit: 'ms', value: 250, baseline: { name: 'same distribution, no trigger', value: 3 }, ratio: 250 / 3, target: { text: 'added p99 ≤ 2 ms', pass: false }, samples: 100 },
    ],
    skipped: [],
  };
  const svg = renderSvg(report);
  const width = Number(/width="(\d+)"/.exec(svg)![1]);
  for (const m of svg.matchAll(/<text x="([\d.]+)"[^>]*font-size="([\d.]+)"[^>]*>(?:<title>[^<]*<\/title>)?([^<]*)<\/text>/g)) {
    const [, x, size, text] = m;
    const estimate = Number(x) + text!.length * Number(size) * 0.56;
    assert.ok(estimate <= width, `"${text}" runs past the right edge (${estimate.toFixed(0)} > ${width})`);
  }
  assert.match(svg, /<title>a function name that goes on/, 'a shortened label keeps its full text as a tooltip');
  assert.match(svg, />\s*wasm-bindgen guest</, 'the wasm-bindgen comparison is captioned with its own baseline');
  assert.match(svg, />83\.33×</, 'a ratio off the scale still shows its number');
});

test('wrk\'s latency output is parsed in its own units', () => {
  const text = `Running 2s test @ http://127.0.0.1:1/index.html
  1 threads and 10 connections
  Latency Distribution
     50%  612.00us
     75%    1.02ms
     90%    1.50ms
     99%    3.20ms
  4312 requests in 2.00s, 3.1MB read
  Non-2xx or 3xx responses: 2
Requests/sec:   2156.10
`;
  assert.deepEqual(parseWrk(text), { p50Ms: 0.612, p90Ms: 1.5, p99Ms: 3.2, requestsPerSec: 2156.1, requests: 4312, non2xx3xx: 2, socketErrors: 0 });
});
