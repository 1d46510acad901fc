// deploy / prune / destroy with the real SDK clients against moto (test/helpers/moto.ts), read
// back with the SDK: the function, its version, the role's trust, the distribution's trigger.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CloudFrontClient, CreateDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import {
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  LambdaClient,
  ListFunctionsCommand,
  ListVersionsByFunctionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { createAwsContext, destroyAwsContext } from '../../src/deploy/aws.js';
import { updateDistribution } from '../../src/deploy/cloudfront.js';
import { deploy, type DeployResult } from '../../src/deploy/deploy.js';
import { destroy } from '../../src/deploy/destroy.js';
import { prune } from '../../src/deploy/prune.js';
import type { DeployProgress } from '../../src/deploy/progress.js';
import { trustedServices } from '../../src/deploy/role.js';
import { isEdgeError } from '../../src/errors.js';
import { startMoto, useDummyCredentials, type Moto } from '../helpers/moto.js';
import { makeProject, type TestProject } from '../../src/deploy/project.test-helper.js';

// A secret that must never show up in an error or in progress output.
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let moto: Moto;
let lambda: LambdaClient;
let iam: IAMClient;
let cloudfront: CloudFrontClient;
let distributionId: string;
const projects: TestProject[] = [];

const fast = { wait: { pollMs: 5 }, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } };

before(async () => {
  useDummyCredentials();
  process.env.AWS_SECRET_ACCESS_KEY = SECRET;
  moto = await startMoto();
  const config = { region: 'us-east-1', endpoint: moto.endpoint };
  lambda = new LambdaClient(config);
  iam = new IAMClient(config);
  cloudfront = new CloudFrontClient(config);
  const behavior = { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https' as const, CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' };
  const created = await cloudfront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: 'lambda-wasm-test',
        Comment: 'lambda-wasm deploy test',
        Enabled: true,
        Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: 'example.org', CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' } }] },
        DefaultCacheBehavior: behavior,
        CacheBehaviors: { Quantity: 1, Items: [{ ...behavior, PathPattern: '/private/*' }] },
      },
    }),
  );
  distributionId = created.Distribution!.Id!;
});

after(async () => {
  projects.forEach((p) => p.remove());
  lambda?.destroy();
  iam?.destroy();
  cloudfront?.destroy();
  await moto?.stop();
});

function project(deploySection: unknown, functions?: Record<string, unknown>): TestProject {
  const p = makeProject(deploySection, functions);
  projects.push(p);
  return p;
}

/** The main project: a viewer-request trigger on the default behavior and a plain function with a public URL on an alias. */
let main: TestProject;
function mainProject(): TestProject {
  main ??= project({
    functions: {
      edge: { distributionId },
      api: { functionUrl: { authType: 'NONE' }, alias: 'live', environment: { GREETING: 'hello' } },
    },
  });
  return main;
}

async function run(p: TestProject, extra: Partial<Parameters<typeof deploy>[0]> = {}): Promise<{ result: DeployResult; events: DeployProgress[] }> {
  const events: DeployProgress[] = [];
  const result = await deploy({ config: p.config, endpoint: moto.endpoint, ...fast, onProgress: (e) => events.push(e), ...extra });
  for (const e of events) assert.ok(!e.message.includes(SECRET));
  return { result, events };
}

async function defaultAssociations() {
  const d = await cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
  return { etag: d.ETag, items: d.DistributionConfig!.DefaultCacheBehavior!.LambdaFunctionAssociations?.Items ?? [], config: d.DistributionConfig! };
}

test('--dry-run returns the plan and changes nothing in AWS', async () => {
  const p = mainProject();
  const { result } = await run(p, { dryRun: true });
  assert.equal(result.dryRun, true);
  assert.deepEqual(result.functions, []);
  const edge = result.plan.functions.find((f) => f.name === 'edge')!;
  assert.equal(edge.region, 'us-east-1');
  assert.equal(edge.runtime, 'nodejs22.x');
  assert.equal(edge.memorySize, 128);
  assert.equal(edge.timeout, 5);
  assert.deepEqual(edge.association, { distributionId, pathPattern: '*', eventType: 'viewer-request', includeBody: false });
  assert.equal(result.plan.role.name, 'lambda-wasm-execution');
  assert.deepEqual((await lambda.send(new ListFunctionsCommand({}))).Functions, []);
  await assert.rejects(iam.send(new GetRoleCommand({ RoleName: 'lambda-wasm-execution' })), /NoSuchEntity|cannot be found/);
  assert.deepEqual((await defaultAssociations()).items, []);
});

test('deploys a viewer-request trigger and a plain function: role, function, version, association, URL, alias', async () => {
  const p = mainProject();
  const { result, events } = await run(p);
  const edgePlan = result.plan.functions.find((f) => f.name === 'edge')!;

  // The role: created, trusted by both services, the basic logging policy only.
  assert.equal(result.role!.created, true);
  const role = await iam.send(new GetRoleCommand({ RoleName: 'lambda-wasm-execution' }));
  assert.deepEqual(trustedServices(role.Role!.AssumeRolePolicyDocument).sort(), ['edgelambda.amazonaws.com', 'lambda.amazonaws.com']);
  const policies = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'lambda-wasm-execution' }));
  assert.deepEqual(policies.AttachedPolicies!.map((x) => x.PolicyArn), ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']);

  // The edge function and its numbered version, as planned.
  const edge = result.functions.find((f) => f.name === 'edge')!;
  assert.equal(edge.action, 'created');
  assert.equal(edge.version, '1');
  assert.match(edge.versionArn, /^arn:aws:lambda:us-east-1:\d{12}:function:edge:1$/);
  const fn = await lambda.send(new GetFunctionCommand({ FunctionName: 'edge', Qualifier: '1' }));
  const c = fn.Configuration!;
  assert.equal(c.Runtime, 'nodejs22.x');
  assert.equal(c.Handler, 'index.handler');
  assert.equal(c.MemorySize, 128);
  assert.equal(c.Timeout, 5);
  assert.deepEqual(c.Architectures, ['x86_64']);
  assert.equal(c.CodeSha256, edgePlan.zip.sha256);
  assert.equal(c.Role, role.Role!.Arn);
  assert.deepEqual(c.Environment?.Variables ?? {}, {});

  // The trigger on the default behavior, and nothing on the other one.
  const { items, config } = await defaultAssociations();
  assert.deepEqual(items, [{ LambdaFunctionARN: edge.versionArn, EventType: 'viewer-request', IncludeBody: false }]);
  assert.equal(config.CacheBehaviors!.Items![0]!.LambdaFunctionAssociations?.Quantity ?? 0, 0);
  assert.deepEqual(result.distributions.map((d) => [d.distributionId, d.updated, d.status]), [[distributionId, true, 'Deployed']]);
  assert.ok(events.some((e) => e.phase === 'wait' && e.message.includes('InProgress')), 'progress shows the distribution deploying');

  // The plain function: environment, alias on the version, a public URL on the alias.
  const api = result.functions.find((f) => f.name === 'api')!;
  const apiConfig = (await lambda.send(new GetFunctionCommand({ FunctionName: 'api' }))).Configuration!;
  assert.equal(apiConfig.MemorySize, 256);
  assert.equal(apiConfig.Timeout, 10);
  assert.deepEqual(apiConfig.Environment?.Variables, { GREETING: 'hello' });
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: 'api', Name: 'live' }));
  assert.equal(alias.FunctionVersion, api.version);
  const url = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'api', Qualifier: 'live' }));
  assert.equal(url.AuthType, 'NONE');
  assert.equal(api.functionUrl?.url, url.FunctionUrl);
  const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'api', Qualifier: 'live' }))).Policy!) as { Statement: Array<{ Action: string }> };
  assert.deepEqual(policy.Statement.map((s) => s.Action).sort(), ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']);
});

test('deploying again changes nothing: same versions, no distribution update', async () => {
  const before = await defaultAssociations();
  const { result } = await run(mainProject());
  assert.deepEqual(result.functions.map((f) => [f.name, f.action, f.version]), [['edge', 'unchanged', '1'], ['api', 'unchanged', '1']]);
  assert.equal(result.role!.created, false);
  assert.deepEqual(result.distributions.map((d) => [d.updated, d.associations.length]), [[false, 0]]);
  const afterwards = await defaultAssociations();
  assert.equal(afterwards.etag, before.etag, 'the distribution was not written');
  const versions = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'edge' }));
  assert.deepEqual(versions.Versions!.map((v) => v.Version), ['$LATEST', '1']);
});

test('new code publishes version 2 and moves the trigger to it', async () => {
  const p = mainProject();
  p.rebuild('edge', 'v2');
  const { result } = await run(p, { functions: ['edge'] });
  const edge = result.functions[0]!;
  assert.deepEqual([edge.action, edge.changes, edge.version], ['updated', ['code'], '2']);
  const change = result.distributions[0]!.associations[0]!;
  assert.match(change.previousArn!, /:edge:1$/);
  assert.match(change.arn, /:edge:2$/);
  assert.deepEqual((await defaultAssociations()).items.map((i) => i.LambdaFunctionARN), [edge.versionArn]);
});

test('prune deletes old versions but keeps the attached one', async () => {
  const dry = await prune({ config: mainProject().config, endpoint: moto.endpoint, ...fast, functions: ['edge'], keep: 0, dryRun: true });
  assert.deepEqual(dry.functions[0]!.deleted, ['1']);
  assert.deepEqual((await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'edge' }))).Versions!.map((v) => v.Version), ['$LATEST', '1', '2']);
  const result = await prune({ config: mainProject().config, endpoint: moto.endpoint, ...fast, keep: 0 });
  const edge = result.functions.find((f) => f.name === 'edge')!;
  assert.deepEqual(edge.deleted, ['1']);
  assert.deepEqual(edge.kept, [{ version: '2', reason: 'attached' }]);
  const api = result.functions.find((f) => f.name === 'api')!;
  assert.deepEqual(api.kept, [{ version: '1', reason: 'alias' }]);
  assert.deepEqual((await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: 'edge' }))).Versions!.map((v) => v.Version), ['$LATEST', '2']);
});

test('a distribution changed by someone else between read and write is read again (If-Match / ETag)', async () => {
  const ctx = await createAwsContext({ region: 'us-east-1', endpoint: moto.endpoint, wait: { pollMs: 5 } });
  let interfered = false;
  // Just before our UpdateDistribution, another writer updates the distribution: our ETag is stale.
  ctx.cloudfront.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'UpdateDistributionCommand' && !interfered) {
        interfered = true;
        const current = await cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
        await cloudfront.send(new UpdateDistributionCommand({ Id: distributionId, IfMatch: current.ETag, DistributionConfig: { ...current.DistributionConfig!, Comment: 'changed by someone else' } }));
      }
      return next(args);
    },
    { step: 'initialize' },
  );
  const events: DeployProgress[] = [];
  ctx.progress = (e) => events.push(e);
  try {
    let reads = 0;
    const result = await updateDistribution(ctx, distributionId, (config) => {
      reads++;
      config.CacheBehaviors!.Items![0]!.MinTTL = 7;
      return { changed: true, value: reads };
    }, { state: [] });
    assert.equal(result.value, 2, 'the config was read and changed a second time');
    assert.ok(events.some((e) => e.phase === 'retry' && /changed meanwhile \(ETag\)/.test(e.message)));
    const now = await cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
    assert.equal(now.DistributionConfig!.Comment, 'changed by someone else', 'the other writer\'s change is kept');
    assert.equal(now.DistributionConfig!.CacheBehaviors!.Items![0]!.MinTTL, 7);
  } finally {
    destroyAwsContext(ctx);
  }
});

test('environment variables added to an edge function by hand are removed by the next deploy', async () => {
  const p = project({ functionPrefix: 'envfix-' }, { edge: { wasm: 'g.wasm', eventType: 'origin-response' } });
  const first = await run(p);
  assert.ok(first.events.some((e) => e.phase === 'warn' && /not associated/.test(e.message)), 'no distributionId: a warning');
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'envfix-edge', Environment: { Variables: { DEBUG: '1' } } }));
  const { result } = await run(p);
  assert.deepEqual([result.functions[0]!.action, result.functions[0]!.changes, result.functions[0]!.version], ['updated', ['configuration'], '2']);
  const c = (await lambda.send(new GetFunctionCommand({ FunctionName: 'envfix-edge' }))).Configuration!;
  assert.deepEqual(c.Environment?.Variables ?? {}, {});
  assert.equal(c.Timeout, 30);
});

test('throttling is retried with back-off and reported as progress', async () => {
  const p = project({ functionPrefix: 'throttled-' }, { api: { wasm: 'g.wasm', eventType: 'lambda' } });
  const { result, events } = await run(p);
  assert.equal(result.functions[0]!.action, 'created');
  const retries = events.filter((e) => e.phase === 'retry');
  assert.equal(retries.length, 2);
  assert.match(retries[0]!.message, /^lambda:CreateFunction: TooManyRequestsException, retrying in [\d.]+ s \(attempt 2 of 3\)$/);
});

test('a named role without edgelambda.amazonaws.com is refused with CloudFront\'s text, before any change', async () => {
  const created = await iam.send(
    new CreateRoleCommand({
      RoleName: 'lambda-only',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    }),
  );
  const p = project({ role: created.Role!.Arn, functionPrefix: 'named-role-' }, { edge: { wasm: 'g.wasm', eventType: 'origin-request' } });
  await assert.rejects(run(p), (e: unknown) => {
    assert.ok(isEdgeError(e));
    assert.equal(e.code, 'E_PREFLIGHT');
    assert.equal(
      e.message,
      `The function execution role must be assumable with edgelambda.amazonaws.com as well as lambda.amazonaws.com principals. Update the IAM role and try again. Role: ${created.Role!.Arn}`,
    );
    return true;
  });
  await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'named-role-edge' })), /not found/i);
});

test('a behavior that does not exist fails before CloudFront changes, and says what AWS now holds', async () => {
  const p = project({ functionPrefix: 'nobehavior-', functions: { edge: { distributionId, pathPattern: '/missing/*' } } }, { edge: { wasm: 'g.wasm', eventType: 'viewer-request' } });
  const before = await defaultAssociations();
  await assert.rejects(run(p), (e: unknown) => {
    assert.ok(isEdgeError(e));
    assert.match(e.message, /has no cache behavior with path pattern "\/missing\/\*"/);
    assert.match(e.hint ?? '', /its behaviors: \*, \/private\/\*/);
    assert.ok(e.details.includes('  edge: nobehavior-edge version 1 is published'), e.details.join('\n'));
    return true;
  });
  assert.equal((await defaultAssociations()).etag, before.etag);
});

test('an AWS failure says which call failed and what state AWS is in, without credentials', async () => {
  const p = project({ functionPrefix: 'nodist-', functions: { edge: { distributionId: 'E000000MISSING' } } }, { edge: { wasm: 'g.wasm', eventType: 'viewer-request' } });
  await assert.rejects(run(p), (e: unknown) => {
    assert.ok(isEdgeError(e));
    assert.equal(e.code, 'E_AWS');
    assert.match(e.message, /^reading distribution E000000MISSING failed: NoSuchDistribution: /);
    const text = [e.message, ...e.details, e.hint ?? ''].join('\n');
    assert.match(text, /state of AWS now:\n(.*\n)* {2}edge: nodist-edge version 1 is published\n/);
    assert.match(text, /the new versions are not attached to this distribution/);
    assert.ok(!text.includes(SECRET) && !text.includes('testing'));
    return true;
  });
});

test('versions CloudFront still has replicas of are skipped by prune and destroy, with the reason', async () => {
  const p = project({ functionPrefix: 'replicated-', functions: { edge: { distributionId, pathPattern: '/private/*' } } }, { edge: { wasm: 'g.wasm', eventType: 'viewer-request' } });
  await run(p);
  p.rebuild('edge', 'v2');
  await run(p);
  const pruned = await prune({ config: p.config, endpoint: moto.endpoint, ...fast, keep: 0 });
  assert.deepEqual(pruned.functions[0]!.skipped, [{ version: '1', reason: 'CloudFront still has replicas of it' }]);
  assert.deepEqual(pruned.functions[0]!.kept, [{ version: '2', reason: 'attached' }]);
  assert.match(pruned.notes.join(), /can be deleted only after CloudFront has removed their replicas/);

  const destroyed = await destroy({ config: p.config, endpoint: moto.endpoint, ...fast });
  assert.equal(destroyed.functions[0]!.status, 'replicas-remain');
  assert.equal(destroyed.functions[0]!.detached[0]!.distributionId, distributionId);
  assert.match(destroyed.functions[0]!.detached[0]!.arns.join(), /^arn:aws:lambda:us-east-1:\d{12}:function:replicated-edge:2$/);
  const d = await cloudfront.send(new GetDistributionConfigCommand({ Id: distributionId }));
  assert.equal(d.DistributionConfig!.CacheBehaviors!.Items![0]!.LambdaFunctionAssociations?.Quantity ?? 0, 0, 'detached even though the function remains');
  assert.match(destroyed.notes.join('\n'), /run the command again later/);
});

test('destroy detaches the trigger, then deletes the functions; again is a no-op', async () => {
  const p = mainProject();
  const dry = await destroy({ config: p.config, endpoint: moto.endpoint, ...fast, dryRun: true });
  assert.deepEqual(dry.functions.map((f) => f.status), ['planned', 'planned']);
  assert.equal((await defaultAssociations()).items.length, 1);

  const result = await destroy({ config: p.config, endpoint: moto.endpoint, ...fast });
  assert.deepEqual(result.functions.map((f) => [f.name, f.status]), [['edge', 'deleted'], ['api', 'deleted']]);
  assert.equal(result.functions[0]!.detached[0]!.distributionId, distributionId);
  assert.deepEqual((await defaultAssociations()).items, []);
  await assert.rejects(lambda.send(new GetFunctionCommand({ FunctionName: 'edge' })), /not found/i);
  assert.match(result.notes.join('\n'), /role lambda-wasm-execution is kept/);

  const again = await destroy({ config: p.config, endpoint: moto.endpoint, ...fast });
  assert.deepEqual(again.functions.map((f) => f.status), ['not-found', 'not-found']);
});
