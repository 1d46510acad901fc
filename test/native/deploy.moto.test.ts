// deploy of a native function against moto (test/helpers/moto.ts), read back with the SDK:
// runtime provided.al2023, handler bootstrap, the architecture of the bootstrap in the zip, a
// Function URL; the same plan as --dry-run and as --emit cloudformation.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { GetFunctionCommand, GetFunctionUrlConfigCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createZip } from '../../src/build/zip.js';
import { parseConfig, type ProjectConfig } from '../../src/config/load.js';
import { cloudFormationTemplate } from '../../src/deploy/cloudformation.js';
import { deploy } from '../../src/deploy/deploy.js';
import { formatPlan, planDeployment } from '../../src/deploy/plan.js';
import { preflightProblems } from '../../src/deploy/preflight.js';
import { repoRoot } from '../helpers/paths.js';
import { startMoto, useDummyCredentials, type Moto } from '../helpers/moto.js';

let moto: Moto;
let lambda: LambdaClient;
let dir: string;
let config: ProjectConfig;
const fast = { wait: { pollMs: 5 }, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } };

before(async () => {
  useDummyCredentials();
  moto = await startMoto();
  lambda = new LambdaClient({ region: 'us-east-1', endpoint: moto.endpoint });
  dir = mkdtempSync(join(tmpdir(), 'lambda-wasm-native-deploy-'));
  const raw = {
    functions: {
      'pi-native': { crate: 'pi', eventType: 'lambda', target: 'native', memorySize: 256, timeout: 60 },
      'pi-wasm': { crate: 'pi', eventType: 'lambda' },
    },
    deploy: { functions: { 'pi-native': { functionUrl: { authType: 'NONE' } } } },
  };
  writeFileSync(join(dir, 'lambda-wasm.config.json'), JSON.stringify(raw));
  config = parseConfig(raw, { root: dir, file: join(dir, 'lambda-wasm.config.json'), env: {} });
  mkdirSync(config.outDir, { recursive: true });
  // The zips `npm test` built for the repo's pi and pi-native (deploy needs no Rust build).
  copyFileSync(join(repoRoot, 'dist', 'pi-native.zip'), join(config.outDir, 'pi-native.zip'));
  copyFileSync(join(repoRoot, 'dist', 'pi.zip'), join(config.outDir, 'pi-wasm.zip'));
}, { timeout: 300_000 });

after(async () => {
  lambda?.destroy();
  await moto?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('--dry-run: provided.al2023, handler bootstrap, the bootstrap\'s architecture; the pre-flight accepts it', () => {
  const plan = planDeployment({ config });
  const native = plan.functions.find((f) => f.name === 'pi-native')!;
  assert.equal(native.runtime, 'provided.al2023');
  assert.equal(native.handler, 'bootstrap');
  assert.equal(native.architecture, 'x86_64');
  const wasm = plan.functions.find((f) => f.name === 'pi-wasm')!;
  assert.equal(wasm.runtime, 'nodejs22.x');
  assert.equal(wasm.handler, 'index.handler');
  assert.deepEqual(preflightProblems(plan, config), []);
  assert.ok(formatPlan(plan).includes('  runtime provided.al2023, x86_64, handler bootstrap, memory 256 MB, timeout 60 s'));
});

test('--emit cloudformation: the function resource is a custom runtime', () => {
  const t = cloudFormationTemplate(planDeployment({ config })) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const fn = Object.values(t.Resources).find((r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === 'pi-native')!;
  assert.equal(fn.Properties.Runtime, 'provided.al2023');
  assert.equal(fn.Properties.Handler, 'bootstrap');
  assert.deepEqual(fn.Properties.Architectures, ['x86_64']);
});

test('a Wasm zip where a native one is configured is refused before anything is sent', () => {
  const wrong = { ...config, outDir: join(dir, 'wrong') };
  mkdirSync(wrong.outDir, { recursive: true });
  writeFileSync(join(wrong.outDir, 'pi-native.zip'), createZip(new Map([['index.mjs', new Uint8Array([0x2f, 0x2f])]])));
  assert.throws(() => planDeployment({ config: wrong, functions: ['pi-native'] }), /configured "target": "native" but .* has no bootstrap/);
});

test('deploy against moto: read back runtime, handler, architecture and the Function URL', { timeout: 120_000 }, async () => {
  const result = await deploy({ config, endpoint: moto.endpoint, ...fast });
  const native = result.functions.find((f) => f.name === 'pi-native')!;
  assert.equal(native.action, 'created');
  const c = (await lambda.send(new GetFunctionCommand({ FunctionName: 'pi-native', Qualifier: native.version }))).Configuration!;
  assert.equal(c.Runtime, 'provided.al2023');
  assert.equal(c.Handler, 'bootstrap');
  assert.deepEqual(c.Architectures, ['x86_64']);
  assert.equal(c.MemorySize, 256);
  assert.equal(c.CodeSha256, result.plan.functions.find((f) => f.name === 'pi-native')!.zip.sha256);
  const url = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'pi-native' }));
  assert.equal(url.AuthType, 'NONE');
  const wasm = (await lambda.send(new GetFunctionCommand({ FunctionName: 'pi-wasm' }))).Configuration!;
  assert.equal(wasm.Runtime, 'nodejs22.x');
  // A second deploy of the same zip changes nothing.
  const again = await deploy({ config, endpoint: moto.endpoint, ...fast, functions: ['pi-native'] });
  assert.equal(again.functions[0]!.action, 'unchanged');
});
