// The built zips run unchanged under AWS's own runtime interface client (aws-lambda-ric) on Node 22
// and Node 24, through the library's Runtime API, and give the same results and error shapes as
// the built-in client.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.js';
import { readEventFile } from '../../src/invoke/event-input.js';
import { invoke, type InvokeOptions } from '../../src/invoke/invoke.js';
import { findNodeBinary } from '../../src/lambda/index.js';
import { repoRoot } from '../helpers/paths.js';

const config = loadConfig({ cwd: repoRoot });
const clients: Array<[string, Pick<InvokeOptions, 'runtimeClient' | 'nodeBinary'>]> = [];
for (const major of [22, 24] as const) {
  const node = findNodeBinary(major);
  assert.ok(node !== undefined, `the node${major} package is a dev dependency; run npm ci`);
  clients.push([`aws-lambda-ric on Node ${major}`, { runtimeClient: 'ric', nodeBinary: node }]);
}

const cases: Array<[string, unknown]> = [
  ...config.functions.map((fn): [string, unknown] => [fn.name, readEventFile(fn.fixture!)]),
  ['redirect', readEventFile(join(repoRoot, 'fixtures/events/viewer-request.json'))],
  ['pi', readEventFile(join(repoRoot, 'fixtures/events/function-url.json'))],
  ['pi', { digits: -1 }],
];

describe('runtime clients agree on every example', () => {
  for (const [fn, event] of cases) {
    test(`${fn} on ${JSON.stringify(event).slice(0, 60)}…`, async () => {
      const builtin = await invoke({ config, function: fn, event });
      for (const [label, client] of clients) {
        const other = await invoke({ config, function: fn, event, ...client });
        assert.equal(other.verdict, builtin.verdict, label);
        assert.deepEqual(other.record.result, builtin.record.result, label);
        assert.equal(other.record.error?.errorType, builtin.record.error?.errorType, label);
        assert.equal(other.record.error?.errorMessage, builtin.record.error?.errorMessage, label);
        assert.ok(other.record.logs.some((l) => /^REPORT RequestId: /.test(l)), `${label}: REPORT line`);
        // The guest's own log lines reach the log under both clients.
        // Stacks differ in the client's own frames, so they are left out of the comparison.
        const guestLines = (r: typeof builtin) =>
          r.record.logs
            .filter((l) => /\t(INFO|WARN|ERROR)\t/.test(l))
            .map((l) => l.split('\t').slice(2).join('\t').replace(/,"stack":\[.*\]\}$/, '}'));
        assert.deepEqual(guestLines(other), guestLines(builtin), `${label}: guest log lines`);
      }
    });
  }
});
