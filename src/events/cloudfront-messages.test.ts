// CloudFront's words for a refused result, written out as users have quoted them
// (docs/cloudfront-rules.md §5), not read from the table under test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validationErrorMessage } from './cloudfront-messages.js';
import { validateResult } from './validate.js';

test('the error page says what CloudFront says for the first violation', () => {
  assert.equal(validationErrorMessage(validateResult('viewer-request', 'a string')), 'The Lambda function returned invalid JSON: The JSON output must be an object type.');
  const readOnly = validateResult('viewer-response', { status: '200', headers: { via: [{ key: 'Via', value: 'x' }] } }, { Records: [{ cf: { request: { headers: {} }, response: { status: '200', headers: {} } } }] });
  assert.equal(validationErrorMessage(readOnly), 'The Lambda function result failed validation: The function tried to add, delete, or change a read-only header.');
  const denied = validateResult('origin-request', { uri: '/', method: 'GET', querystring: '', clientIp: '203.0.113.1', headers: { connection: [{ key: 'Connection', value: 'close' }] } });
  assert.equal(validationErrorMessage(denied), 'The Lambda function result failed validation: The function tried to add a blacklisted header.');
  assert.equal(validationErrorMessage(validateResult('viewer-request', { status: 'abc' })), 'The Lambda function returned an invalid request or response to CloudFront.');
});
