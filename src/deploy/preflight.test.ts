// Every refusal of the pre-flight, with AWS's wording (docs/cloudfront-rules.md §4.4), and proof that a
// refused deployment makes no AWS call at all (the endpoint below does not exist).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { deploy } from './deploy.js';
import { assertNumberedVersionArn } from './cloudfront.js';
import { planDeployment } from './plan.js';
import { preflightProblems } from './preflight.js';
import { isEdgeError } from '../errors.js';
import { makeProject, type TestProject } from './project.test-helper.js';

const TODAY = new Date('2026-11-25T12:00:00Z');
const projects: TestProject[] = [];
after(() => projects.forEach((p) => p.remove()));

function project(deploySection: unknown, functions?: Record<string, unknown>, cloudfront?: unknown): TestProject {
  const p = makeProject(deploySection, functions, cloudfront);
  projects.push(p);
  return p;
}

function problems(p: TestProject, now = TODAY) {
  return preflightProblems(planDeployment({ config: p.config }), p.config, now);
}

/** deploy() must refuse before any AWS call: nothing listens on this endpoint. */
async function refused(p: TestProject, pattern: RegExp): Promise<void> {
  await assert.rejects(deploy({ config: p.config, endpoint: 'http://127.0.0.1:9', now: TODAY }), (error: unknown) => {
    assert.ok(isEdgeError(error), String(error));
    assert.equal(error.code, 'E_PREFLIGHT');
    assert.match(error.message, /nothing was changed/);
    assert.ok(error.details.some((d) => pattern.test(d)), `${error.details.join('\n')}\n does not match ${pattern}`);
    return true;
  });
}

test('a valid project passes: us-east-1, nodejs22.x, viewer limits', () => {
  assert.deepEqual(problems(project({ functions: { edge: { distributionId: 'E2QWRUHAPOMQZL' } } })), []);
});

test('edge functions outside us-east-1 are refused with CloudFront\'s text', async () => {
  const p = project({ region: 'eu-west-1' });
  const found = problems(p);
  assert.deepEqual(found.map((x) => [x.function, x.rule]), [['edge', 'region']]);
  assert.match(found[0]!.message, /^The function must be in region 'us-east-1'\. ARN: arn:aws:lambda:eu-west-1:<account>:function:edge$/);
  await refused(p, /must be in region 'us-east-1'/);
});

test('a plain Lambda function may live in any Region', () => {
  assert.deepEqual(problems(project({ region: 'eu-west-1' }, { api: { wasm: 'g.wasm', eventType: 'lambda' } })), []);
});

test('nodejs20.x can no longer be created (past its block-create date) and nodejs24.x can', async () => {
  const p = project({ runtime: 'nodejs20.x' });
  const found = problems(p);
  assert.deepEqual(found.map((x) => [x.function, x.rule]), [['edge', 'runtime'], ['api', 'runtime']]);
  assert.match(found[0]!.message, /^The function has a runtime that is not supported by Lambda@Edge: nodejs20\.x Function: .* Supported runtimes: \[nodejs24\.x, nodejs22\.x\]$/);
  assert.match(found[1]!.message, /^The runtime parameter of nodejs20\.x is no longer supported for creating or updating AWS Lambda functions\. We recommend you use the new runtime \(nodejs22\.x\)/);
  await refused(p, /nodejs20\.x/);
  assert.deepEqual(problems(project({ runtime: 'nodejs24.x' })), []);
  // Before its block-create date, nodejs20.x was fine.
  assert.deepEqual(problems(project({ runtime: 'nodejs20.x' }), new Date('2026-05-01T00:00:00Z')), []);
});

test('a runtime that is not Node.js is refused', () => {
  const found = problems(project({ runtime: 'python3.13' }));
  assert.deepEqual(found.map((x) => x.rule), ['runtime', 'runtime']);
  assert.match(found[0]!.message, /not supported by Lambda@Edge: python3\.13/);
  assert.match(found[1]!.message, /cannot run the adapter/);
});

test('memory and timeout over the viewer limits are refused with CloudFront\'s text', async () => {
  // The config loader already refuses these; a project that raised the viewer limits (the live
  // quota page no longer shows them) still gets AWS's answer when the plan goes past 128 MB / 5 s.
  const p = project({}, { edge: { wasm: 'g.wasm', eventType: 'viewer-request', memorySize: 1024, timeout: 30 } }, { viewerLimits: { maxMemory: 2048, maxTimeout: 30 } });
  const plan = planDeployment({ config: p.config });
  const found = preflightProblems(plan, { cloudfront: { ...p.config.cloudfront, viewerLimits: { maxMemory: 128, maxTimeout: 5, maxZipBytes: 1048576 } } }, TODAY);
  assert.deepEqual(found.map((x) => x.rule), ['memory', 'timeout']);
  assert.match(found[0]!.message, /^The function memory size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: 1024 Max allowed: 128 Function: /);
  assert.match(found[1]!.message, /^The function timeout is larger than the maximum allowed for functions that are triggered by a CloudFront event: 30 Max allowed: 5 Function: /);
  // And through deploy() with a config object whose function was changed after loading.
  const q = project({});
  q.config.functions[0]!.memorySize = 1024;
  q.config.functions[0]!.timeout = 30;
  await refused(q, /memory size is larger .*: 1024 Max allowed: 128/);
  await refused(q, /timeout is larger .*: 30 Max allowed: 5/);
});

test('origin triggers may use 30 s but not more', () => {
  const p = project({}, { o: { wasm: 'g.wasm', eventType: 'origin-request', timeout: 30 } });
  assert.deepEqual(problems(p), []);
  p.config.functions[0]!.timeout = 31;
  assert.match(problems(p)[0]!.message, /: 31 Max allowed: 30 /);
});

test('a zip over 1 MB for a viewer trigger is refused with CloudFront\'s text', async () => {
  const p = project({});
  p.writeZipOfSize('edge', 1_212_049);
  const found = problems(p);
  assert.deepEqual(found.map((x) => x.rule), ['code-size']);
  assert.match(found[0]!.message, /^The function code size is larger than the maximum allowed size for functions that are triggered by a CloudFront event: 1212049 Max allowed: 1048576 Function: /);
  await refused(p, /code size is larger/);
});

test('environment variables on an edge function are refused; on a plain function they are fine', async () => {
  const p = project({ functions: { edge: { environment: { MODE: 'x' } }, api: { environment: { MODE: 'x' } } } });
  const found = problems(p);
  assert.deepEqual(found.map((x) => [x.function, x.rule]), [['edge', 'environment']]);
  assert.match(found[0]!.message, /^The function cannot have environment variables\. Function: /);
  await refused(p, /cannot have environment variables/);
});

test('IncludeBody outside viewer-request/origin-request is refused with CloudFront\'s text', () => {
  // The loader refuses it too; a config object changed after loading meets the pre-flight.
  const p = project({ functions: { r: { distributionId: 'E2QWRUHAPOMQZL' } } }, { r: { wasm: 'g.wasm', eventType: 'origin-response' } });
  p.config.functions[0]!.includeBody = true;
  const found = problems(p);
  assert.deepEqual(found.map((x) => x.rule), ['include-body']);
  assert.equal(found[0]!.message, 'The IncludeBody option can only be used with viewer-request or origin-request events.');
});

test('every problem is reported at once', () => {
  const p = project({ region: 'eu-west-1', runtime: 'nodejs20.x', functions: { edge: { environment: { A: 'b' } } } });
  assert.deepEqual(problems(p).map((x) => x.rule).sort(), ['environment', 'region', 'runtime', 'runtime']);
});

test('associations take numbered versions only: $LATEST, aliases and other Regions are refused', () => {
  assert.doesNotThrow(() => assertNumberedVersionArn('arn:aws:lambda:us-east-1:123456789012:function:edge:7'));
  for (const arn of ['arn:aws:lambda:us-east-1:123456789012:function:edge', 'arn:aws:lambda:us-east-1:123456789012:function:edge:$LATEST', 'arn:aws:lambda:us-east-1:123456789012:function:edge:live']) {
    assert.throws(() => assertNumberedVersionArn(arn), /The function ARN must reference a specific function version\. \(The ARN must end with the version number\.\) ARN: /);
  }
  assert.throws(() => assertNumberedVersionArn('arn:aws:lambda:eu-west-1:123456789012:function:edge:7'), /must be in region 'us-east-1'/);
});

test('an unbuilt function is E_NOT_BUILT with the build command as the hint', () => {
  const p = project({});
  p.config.outDir = `${p.dir}/nowhere`;
  assert.throws(() => planDeployment({ config: p.config }), (e: unknown) => isEdgeError(e) && e.code === 'E_NOT_BUILT' && /lambda-wasm build edge/.test(e.hint ?? ''));
});
