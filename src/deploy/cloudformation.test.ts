// --emit cloudformation: the template for the same plan. AWS's own linter checks it too, in
// test/deploy/cloudformation-lint.test.ts (cfn-lint comes with moto[server] in the test venv).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cloudFormationTemplate, logicalId } from './cloudformation.js';
import { planDeployment } from './plan.js';
import { makeProject } from './project.test-helper.js';

const p = makeProject({
  functions: {
    edge: { distributionId: 'E2QWRUHAPOMQZL', pathPattern: '/private/*' },
    api: { functionUrl: { authType: 'NONE' }, alias: 'live', environment: { MODE: 'prod' } },
  },
}, {
  edge: { wasm: 'g.wasm', eventType: 'origin-request', includeBody: true },
  api: { wasm: 'g.wasm', eventType: 'lambda' },
});
after(() => p.remove());

type Template = { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>; Outputs: Record<string, unknown>; Metadata: Record<string, { associations: unknown[] }>; Rules?: unknown };

test('the template has the role, functions, versions, URL, alias and the association to make', () => {
  const plan = planDeployment({ config: p.config });
  const t = cloudFormationTemplate(plan) as unknown as Template;
  const types = Object.entries(t.Resources).map(([id, r]) => `${id.replace(/Version[0-9a-f]{10}$/, 'Version')}:${r.Type}`).sort();
  assert.deepEqual(types, [
    'ApiAlias:AWS::Lambda::Alias',
    'ApiFunction:AWS::Lambda::Function',
    'ApiUrl:AWS::Lambda::Url',
    'ApiUrlPublicAccess:AWS::Lambda::Permission',
    'ApiUrlPublicInvoke:AWS::Lambda::Permission',
    'ApiVersion:AWS::Lambda::Version',
    'EdgeFunction:AWS::Lambda::Function',
    'EdgeVersion:AWS::Lambda::Version',
    'ExecutionRole:AWS::IAM::Role',
  ]);
  const role = t.Resources.ExecutionRole!.Properties as { AssumeRolePolicyDocument: { Statement: Array<{ Principal: { Service: string[] } }> } };
  assert.deepEqual(role.AssumeRolePolicyDocument.Statement[0]!.Principal.Service, ['lambda.amazonaws.com', 'edgelambda.amazonaws.com']);
  const edge = t.Resources.EdgeFunction!.Properties;
  assert.equal(edge.Runtime, 'nodejs22.x');
  assert.equal(edge.Handler, 'index.handler');
  assert.equal(edge.Environment, undefined);
  const versionId = Object.keys(t.Resources).find((id) => id.startsWith('EdgeVersion'))!;
  assert.equal(t.Resources[versionId]!.Properties.CodeSha256, plan.functions[0]!.zip.sha256);
  assert.deepEqual(t.Metadata['lambda-wasm']!.associations, [
    {
      function: 'edge',
      distributionId: 'E2QWRUHAPOMQZL',
      pathPattern: '/private/*',
      versionArnOutput: 'EdgeVersionArn',
      LambdaFunctionAssociation: { EventType: 'origin-request', IncludeBody: true, LambdaFunctionARN: { Ref: versionId } },
    },
  ]);
  assert.ok(t.Rules !== undefined, 'edge stacks assert us-east-1');
});

test('new code gives the version a new logical id (so CloudFormation publishes a new version)', () => {
  const before = Object.keys((cloudFormationTemplate(planDeployment({ config: p.config })) as unknown as Template).Resources);
  p.rebuild('edge', 'v2');
  const afterwards = Object.keys((cloudFormationTemplate(planDeployment({ config: p.config })) as unknown as Template).Resources);
  assert.notDeepEqual(before.filter((id) => id.startsWith('EdgeVersion')), afterwards.filter((id) => id.startsWith('EdgeVersion')));
  assert.deepEqual(before.filter((id) => id.startsWith('ApiVersion')), afterwards.filter((id) => id.startsWith('ApiVersion')));
});

test('logical ids are alphanumeric', () => {
  assert.equal(logicalId('security-headers'), 'SecurityHeaders');
  assert.equal(logicalId('my_fn_2'), 'MyFn2');
  assert.equal(logicalId('9lives'), 'Fn9lives');
});
