import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { jsonErrorOffset } from './json-position.js';
import { parseEventText } from './event-input.js';

test('valid JSON has no error offset (agrees with JSON.parse on random values)', () => {
  fc.assert(fc.property(fc.jsonValue(), fc.boolean(), (v, pretty) => {
    assert.equal(jsonErrorOffset(JSON.stringify(v, null, pretty ? 2 : undefined)), undefined);
  }), { numRuns: 2000 });
});

test('invalid JSON: the offset of the first mistake, and JSON.parse agrees it is invalid', () => {
  const cases: Array<[string, number]> = [['{"a": }', 6], ['[1, 2,]', 6], ['{"a": 1,}', 8], ['tru', 3], ['{"a" 1}', 5], ['"abc', 4], ['01', 1], ['{} x', 3], ['', 0]];
  for (const [text, at] of cases) {
    assert.equal(jsonErrorOffset(text), at, text);
    assert.throws(() => JSON.parse(text));
  }
});

test('parseEventText names line and column', () => {
  assert.throws(() => parseEventText('{\n  "Records": [\n    { "cf": }\n  ]\n}\n', 'bad.json'), /bad\.json is not valid JSON at line 3, column 13/);
});
