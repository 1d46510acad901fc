// `bench --quick` through the real CLI: every figure is a positive number measured from samples,
// each ratio is computed from the baseline of the same run, and the SVG is written beside the JSON.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { BenchReport } from '../../src/bench/bench.js';
import { parseWrk } from '../../src/bench/http.js';
import { repoRoot } from '../helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-bench-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('bench --quick measures B1–B7 and V1 with baselines from the same run', { timeout: 600_000 }, async () => {
  const out = join(dir, 'bench.json');
  const status = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'lambda-wasm.js'), 'bench', '--quick', '--no-bindgen', '--json', out], { cwd: repoRoot, stdio: 'ignore' });
    child.on('close', resolve);
  });
  assert.equal(status, 0);
  const report = JSON.parse(readFileSync(out, 'utf8')) as BenchReport;
  assert.equal(report.schema, 'lambda-wasm-bench/1');
  assert.equal(report.quick, true);
  assert.ok(report.machine.cores > 0 && report.machine.node.startsWith('v'));
  const ids = new Set(report.figures.map((f) => f.id));
  for (const id of ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'V1']) assert.ok(ids.has(id as never), `missing ${id}; skipped: ${JSON.stringify(report.skipped)}`);
  for (const f of report.figures) {
    assert.ok(Number.isFinite(f.value) && f.value > 0, `${f.id} ${f.name}: value ${f.value}`);
    assert.ok(f.samples > 0, `${f.id} ${f.name}: no samples`);
    if (f.baseline !== undefined && f.ratio !== undefined && f.id !== 'B4') {
      assert.ok(Math.abs(f.ratio - f.value / f.baseline.value) < 1e-9, `${f.id} ${f.name}: ratio is not value/baseline`);
    }
    if (f.distribution !== undefined) {
      assert.ok(f.distribution.p50 <= f.distribution.p90 && f.distribution.p90 <= f.distribution.p99, `${f.id}: percentiles out of order`);
    }
    if (f.target !== undefined) assert.equal(typeof f.target.pass, 'boolean');
  }
  const b2 = report.figures.filter((f) => f.id === 'B2');
  assert.equal(b2.length, 3, 'three body sizes');
  assert.ok(b2[0]!.value < b2[2]!.value, 'a 1 MB body costs more than a 1 KB one');
  const b4 = report.figures.find((f) => f.id === 'B4')!;
  assert.ok(Math.abs(b4.ratio! - (b4.value - b4.baseline!.value)) < 1e-9, 'B4 is a difference in MB');
  assert.ok(existsSync(out.replace(/\.json$/, '.svg')));
  assert.match(readFileSync(out.replace(/\.json$/, '.svg'), 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
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
  assert.deepEqual(parseWrk(text), { p50Ms: 0.612, p90Ms: 1.5, p99Ms: 3.2, requestsPerSec: 2156.1, requests: 4312, errors: 2 });
});
