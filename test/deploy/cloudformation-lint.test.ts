// --emit cloudformation: the template for the plan that src/deploy/cloudformation.test.ts checks,
// checked by AWS's own linter (cfn-lint, which comes with moto[server] in the test venv).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cloudFormationTemplate } from '../../src/deploy/cloudformation.js';
import { planDeployment } from '../../src/deploy/plan.js';
import { makeProject } from '../../src/deploy/project.test-helper.js';
import { ensureMoto } from '../helpers/moto.js';
import { repoRoot } from '../helpers/paths.js';

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

test('cfn-lint finds no error in the template', () => {
  ensureMoto();
  const file = join(p.dir, 'template.json');
  writeFileSync(file, JSON.stringify(cloudFormationTemplate(planDeployment({ config: p.config }), { codeBucket: 'my-artifacts' }), null, 2));
  const lint = spawnSync(join(repoRoot, '.cache', 'moto-venv', 'bin', 'cfn-lint'), ['--regions', 'us-east-1', '--', file], { encoding: 'utf8' });
  // Exit codes: 0 clean, 4 warnings only, 8 informational; 2 means errors.
  assert.ok([0, 4, 8, 12].includes(lint.status ?? -1), `cfn-lint exit ${lint.status}:\n${lint.stdout}${lint.stderr}`);
});
