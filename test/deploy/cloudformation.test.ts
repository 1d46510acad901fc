// --emit cloudformation: the template for the same plan, checked by AWS's own linter (cfn-lint,
// which comes with moto[server] in the test venv).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cloudFormationTemplate, logicalId } from '../../src/deploy/cloudformation.js';
import { planDeployment } from '../../src/deploy/plan.js';
import { ensureMoto } from '../helpers/moto.js';
import { repoRoot } from '../helpers/paths.js';
import { makeProject } from './_project.js';

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

test('cfn-lint finds no error in the template', () => {
  ensureMoto();
  const file = join(p.dir, 'template.json');
  writeFileSync(file, JSON.stringify(cloudFormationTemplate(planDeployment({ config: p.config }), { codeBucket: 'my-artifacts' }), null, 2));
  const lint = spawnSync(join(repoRoot, '.cache', 'moto-venv', 'bin', 'cfn-lint'), ['--regions', 'us-east-1', '--', file], { encoding: 'utf8' });
  // Exit codes: 0 clean, 4 warnings only, 8 informational; 2 means errors.
  assert.ok([0, 4, 8, 12].includes(lint.status ?? -1), `cfn-lint exit ${lint.status}:\n${lint.stdout}${lint.stderr}`);
});
