// The Rust crate's result types cannot make a result CloudFront rejects for its shape: results
// built with them (tests/results_for_validator.rs) go through the TypeScript validator.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatViolation, validateResult, type CloudFrontEventType, type RuleId } from '../../src/events/index.js';
import { cargoTest } from '../helpers/cargo.js';

/** Faults of form, which types should rule out; values (a status, a size) are the function's business. */
const SHAPE_RULES = new Set<RuleId>(['result-type', 'result-shape', 'headers-shape', 'header-name', 'header-key', 'header-value', 'status-description', 'body-encoding', 'request-body']);

const dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-rust-results-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('results built with the Rust types pass the validator\'s shape rules', { timeout: 600_000 }, () => {
  const out = join(dir, 'results.jsonl');
  const r = cargoTest('crates/lambda-wasm-guest', ['--test', 'results_for_validator'], { LAMBDA_WASM_RESULTS_OUT: out });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.ok(lines.length >= 1000, `${lines.length} results`);
  const faults: string[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    const { eventType, event, result } = JSON.parse(line) as { eventType: CloudFrontEventType; event: unknown; result: unknown };
    seen.add(eventType);
    for (const v of validateResult(eventType, result, event)) {
      if (SHAPE_RULES.has(v.rule)) faults.push(`${eventType}: ${formatViolation(v)}`);
    }
  }
  assert.deepEqual(faults.slice(0, 10), []);
  assert.deepEqual([...seen].sort(), ['origin-request', 'origin-response', 'viewer-request', 'viewer-response']);
});
