// The platform and emulator suites run their aws-lambda-ric cases only when Node 22/24 (the
// node22/node24 dev dependencies) and aws-lambda-ric are installed. Locally a missing one is a
// visible skip here; on CI (CI=true), where `npm ci` installs them, it is a failure — never a
// quietly smaller suite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findNodeBinary, ricEntry } from '../../src/lambda/index.js';

const missing: string[] = [];
for (const major of [22, 24] as const) if (findNodeBinary(major) === undefined) missing.push(`node${major} (npm:node@^${major})`);
try {
  ricEntry();
} catch {
  missing.push('aws-lambda-ric');
}

test('what the aws-lambda-ric cases need is installed', (t) => {
  if (missing.length > 0 && process.env.CI !== 'true') return void t.skip(`missing ${missing.join(', ')}: run npm ci`);
  assert.deepEqual(missing, [], `missing ${missing.join(', ')}: the aws-lambda-ric test cases would drop out; run npm ci`);
});
