// Whatever the validator accepts in a status description or a header value, Node can write: the
// two rule sets agree, so the last-resort 502 is for bugs, not for guests.
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse, validateHeaderValue } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import fc from 'fast-check';
import { validateResult } from '../events/index.js';
import { toWire } from './respond.js';

const text = fc.string({ unit: 'binary', maxLength: 24 });
const generated = (statusDescription: string, value: string) => ({ status: '200', statusDescription, headers: { 'x-note': [{ key: 'X-Note', value }] } });

test('a status description or header value the validator accepts is one Node writes', () => {
  fc.assert(
    fc.property(text, text, (description, value) => {
      const violations = validateResult('viewer-request', generated(description, value)).map((v) => v.rule);
      if (!violations.includes('header-value-characters')) assert.doesNotThrow(() => validateHeaderValue('X-Note', toWire(value)), JSON.stringify(value));
      if (!violations.includes('status-description')) {
        const res = new ServerResponse(new IncomingMessage(new Socket()));
        assert.doesNotThrow(() => res.writeHead(200, description), JSON.stringify(description));
      }
    }),
    { numRuns: 5000 },
  );
});
