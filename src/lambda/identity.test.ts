// Lambda's names for a function, written out from AWS's documentation
// (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html, and for Lambda@Edge
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokedFunctionArn, logGroupName, logStreamName, runningFunctionName, unqualifiedArn } from './identity.js';

test('the invoked ARN carries the version, except $LATEST; the Region is the function’s', () => {
  assert.equal(invokedFunctionArn({ name: 'f', version: '7' }), 'arn:aws:lambda:us-east-1:123456789012:function:f:7');
  assert.equal(invokedFunctionArn({ name: 'f', version: '$LATEST' }), 'arn:aws:lambda:us-east-1:123456789012:function:f');
  assert.equal(invokedFunctionArn({ name: 'f' }), 'arn:aws:lambda:us-east-1:123456789012:function:f');
  assert.equal(invokedFunctionArn({ name: 'f', region: 'eu-west-1', version: '2' }), 'arn:aws:lambda:eu-west-1:123456789012:function:f:2');
  assert.equal(unqualifiedArn('g'), 'arn:aws:lambda:us-east-1:123456789012:function:g');
});

test('a Lambda@Edge replica runs and logs as us-east-1.<name>; a plain function under its name', () => {
  assert.equal(runningFunctionName({ name: 'auth', edge: true }), 'us-east-1.auth');
  assert.equal(runningFunctionName({ name: 'auth' }), 'auth');
  assert.equal(logGroupName({ name: 'auth', edge: true }), '/aws/lambda/us-east-1.auth');
  assert.equal(logGroupName({ name: 'api', edge: false }), '/aws/lambda/api');
});

test('the log stream is the UTC day, the version in brackets and the environment id', () => {
  const late = new Date('2026-11-29T23:59:59.999Z');
  assert.equal(logStreamName({ version: '3' }, 'c0ffee', late), '2026/11/29/[3]c0ffee');
  assert.equal(logStreamName({}, 'c0ffee', new Date('2027-01-01T00:00:00Z')), '2027/01/01/[$LATEST]c0ffee');
});
