// The `deploy` section: defaults, and errors that name the key to fix.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import { parseDeployConfig } from './config.js';
import { isEdgeError } from '../errors.js';

const functions = { edge: { wasm: 'g.wasm', eventType: 'viewer-request' }, api: { wasm: 'g.wasm', eventType: 'lambda' } };

function parse(deploy: unknown) {
  return parseDeployConfig(parseConfig({ functions, deploy }, { root: '/p', file: '/p/lambda-wasm.config.json', env: {} }));
}

function fails(deploy: unknown, key: string, pattern: RegExp): void {
  assert.throws(
    () => parse(deploy),
    (e: unknown) => {
      assert.ok(isEdgeError(e));
      assert.equal(e.code, 'E_CONFIG');
      assert.ok(e.message.includes(`deploy.${key}:`), `${e.message} should name deploy.${key}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('defaults: us-east-1, nodejs22.x, a created role, AWS names equal config names', () => {
  const d = parse(undefined);
  assert.equal(d.region, 'us-east-1');
  assert.equal(d.runtime, 'nodejs22.x');
  assert.equal(d.roleArn, undefined);
  assert.equal(d.roleName, 'lambda-wasm-execution');
  assert.equal(d.functions.edge!.functionName, 'edge');
  assert.equal(d.functions.edge!.pathPattern, '*');
  assert.deepEqual(d.functions.api!.environment, {});
});

test('a full section is read', () => {
  const d = parse({
    region: 'us-east-1',
    runtime: 'nodejs24.x',
    role: 'arn:aws:iam::123456789012:role/edge',
    functionPrefix: 'shop-',
    functions: {
      edge: { distributionId: 'E2QWRUHAPOMQZL', pathPattern: '/private/*' },
      api: { functionUrl: { authType: 'NONE' }, alias: 'live', environment: { MODE: 'prod' } },
    },
  });
  assert.equal(d.functions.edge!.functionName, 'shop-edge');
  assert.equal(d.functions.edge!.distributionId, 'E2QWRUHAPOMQZL');
  assert.deepEqual(d.functions.api!.functionUrl, { authType: 'NONE' });
  assert.equal(d.functions.api!.alias, 'live');
  assert.equal(d.roleArn, 'arn:aws:iam::123456789012:role/edge');
});

test('functionUrl: true means AWS_IAM', () => {
  assert.deepEqual(parse({ functions: { api: { functionUrl: true } } }).functions.api!.functionUrl, { authType: 'AWS_IAM' });
});

test('bad keys and values name the key', () => {
  fails({ regoin: 'us-east-1' }, 'regoin', /unknown key; did you mean "region"\? \(known keys: region, runtime/);
  fails({ region: 'Virginia' }, 'region', /not an AWS Region/);
  fails({ role: 'edge-role' }, 'role', /must be an IAM role ARN/);
  fails({ runtime: 22 }, 'runtime', /non-empty string/);
  fails({ functions: { nope: {} } }, 'functions.nope', /not a function of this project \(functions: edge, api\)/);
  fails({ functions: { edge: { distributionID: 'E1' } } }, 'functions.edge.distributionID', /unknown key/);
  fails({ functions: { edge: { distributionId: 'd111.cloudfront.net' } } }, 'functions.edge.distributionId', /not a CloudFront distribution ID/);
  fails({ functions: { api: { distributionId: 'E2QWRUHAPOMQZL' } } }, 'functions.api.distributionId', /only Lambda@Edge functions/);
  fails({ functions: { edge: { functionUrl: true } } }, 'functions.edge.functionUrl', /plain Lambda functions/);
  fails({ functions: { edge: { alias: 'live' } } }, 'functions.edge.alias', /numbered version, never an alias/);
  fails({ functions: { api: { alias: '12' } } }, 'functions.api.alias', /not an alias name/);
  fails({ functions: { api: { functionUrl: { authType: 'IAM' } } } }, 'functions.api.functionUrl.authType', /"AWS_IAM" \(the default\) or "NONE"/);
  fails({ functions: { api: { environment: { A: 1 } } } }, 'functions.api.environment.A', /must be a string/);
  fails({ functionPrefix: 'a-very-long-prefix-that-makes-names-too-long-for-lambda-functions-' }, 'functions.edge.functionName', /at most 64 characters; the prefix counts/);
});
