// Command-line parsing that citty leaves to us: positionals, repeated flags, unknown flags (a typo
// is refused, never ignored), and `--node`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ArgsDef } from 'citty';
import { isEdgeError } from '../errors.js';
import { functionNames, repeatedFlag, resolveNodeArg, unknownFlags } from './args.js';

test('functionNames: the non-empty string positionals, in order', () => {
  assert.deepEqual(functionNames({ _: ['edge', '', 'api', 3] }), ['edge', 'api']);
  assert.deepEqual(functionNames({}), []);
  assert.deepEqual(functionNames({ _: 'edge' }), []);
});

test('repeatedFlag: every value, as `--name v` or `--name=v`, in the order given', () => {
  const raw = ['--header', 'a: 1', '--uri', '/x', '--header=b: 2', '--headers', 'no', '--header'];
  assert.deepEqual(repeatedFlag(raw, 'header'), ['a: 1', 'b: 2']);
  assert.deepEqual(repeatedFlag(raw, 'uri'), ['/x']);
  assert.deepEqual(repeatedFlag(['--header=x=y: z'], 'header'), ['x=y: z'], 'only the first = separates');
  assert.deepEqual(repeatedFlag([], 'header'), []);
});

const DEF = {
  name: { type: 'positional', required: false },
  'dry-run': { type: 'boolean' },
  port: { type: 'string', alias: 'p' },
  watch: { type: 'boolean', alias: ['w'] },
} as const satisfies ArgsDef;

test('unknownFlags: defined flags, their camelCase, aliases, --no-<boolean> and help/version pass', () => {
  assert.deepEqual(unknownFlags(['edge', '--dry-run', '--dryRun', '--port=3000', '-p', '3001', '-w', '--no-watch', '--help', '-h', '--version', '-v'], DEF), []);
});

test('unknownFlags: a misspelt or undefined flag is reported as typed, without its value', () => {
  assert.deepEqual(unknownFlags(['--dryrun', '--prot=3000', '-x', '--name', 'edge', '--no-port'], DEF), ['--dryrun', '--prot', '-x', '--name', '--no-port']);
});

test('unknownFlags: nothing after `--` is a flag, and a lone `-` is a value (stdin)', () => {
  assert.deepEqual(unknownFlags(['-', '--', '--anything', '-z'], DEF), []);
});

test('resolveNodeArg: nothing given is the default; a path that exists is used as is', () => {
  assert.equal(resolveNodeArg(undefined), undefined);
  assert.equal(resolveNodeArg(process.execPath), process.execPath);
});

test('resolveNodeArg: another version number or a missing path is a usage error that says what to give', () => {
  for (const given of ['20', '/nonexistent/bin/node']) {
    assert.throws(
      () => resolveNodeArg(given),
      (e: unknown) => isEdgeError(e) && e.code === 'E_USAGE' && e.message.startsWith(`--node ${given}: `) && /give 22 or 24 .* or the path of a node binary/.test(e.message),
      given,
    );
  }
});
