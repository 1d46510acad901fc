// The Invoke API's `LogType: Tail`: the LAST 4 KB of the invocation's log, as AWS documents for
// X-Amz-Log-Result — tried with a log far longer than 4 KB, so the first 4 KB would not pass.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { makeProject } from '../helpers/project.js';
import { compileWatText, constantGuestWat } from '../helpers/wat.js';

let emulator: Emulator;
let remove: () => void;
let client: LambdaClient;

before(async () => {
  // The guest logs its input: a 12 KB event makes a 12 KB log line between START and END/REPORT.
  const project = await makeProject({ chatty: { wasm: compileWatText(constantGuestWat('"ok"', { logInput: true })), eventType: 'lambda' } }, undefined);
  remove = project.remove;
  emulator = createEmulator({ config: project.config, port: 0 });
  const base = await emulator.ready;
  client = new LambdaClient({ endpoint: base, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

after(async () => {
  client?.destroy();
  await emulator?.close();
  remove?.();
});

test('LogType Tail returns exactly the last 4 096 bytes of a longer log', { timeout: 60_000 }, async () => {
  const marker = 'x'.repeat(12 * 1024);
  const out = await client.send(new InvokeCommand({ FunctionName: 'chatty', Payload: JSON.stringify({ marker }), LogType: 'Tail' }));
  assert.equal(out.StatusCode, 200);
  const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
  assert.equal(Buffer.byteLength(log), 4096);
  assert.doesNotMatch(log, /START RequestId/, 'the start of the log is cut off');
  assert.match(log, /^END RequestId: \S+$/m);
  const lines = log.split('\n');
  assert.equal(lines.at(-1), '', 'it ends with a newline');
  assert.match(lines.at(-2)!, /^REPORT RequestId: \S+\tDuration: /, 'the last line is REPORT');
  assert.match(log, /^x+"}\n/, 'what comes before END is the end of the long line');
});
