// The Lambda Invoke API and Function URLs on the dev server, driven by AWS's own SDK client
// (endpoint override) and by curl, as users would.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { exampleWasm, makeProject } from '../helpers/project.js';
import { compileWat } from '../helpers/wat.js';

let emulator: Emulator;
let base: string;
let remove: () => void;
let client: LambdaClient;
let projectConfig: Parameters<typeof createEmulator>[0]['config'];
const configOf = () => projectConfig;

before(async () => {
  const project = await makeProject(
    {
      pi: { wasm: exampleWasm('pi'), eventType: 'lambda', timeout: 60, memorySize: 256 },
      loop: { wasm: compileWat('loop'), eventType: 'lambda', timeout: 1 },
      log: { wasm: compileWat('log'), eventType: 'lambda' },
      big: { wasm: compileWat('big-output'), eventType: 'lambda' },
      echo: { wasm: compileWat('echo'), eventType: 'lambda' },
    },
    undefined,
  );
  remove = project.remove;
  projectConfig = project.config;
  emulator = createEmulator({ config: project.config, port: 0 });
  base = await emulator.ready;
  client = new LambdaClient({ endpoint: base, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
});

after(async () => {
  client?.destroy();
  await emulator?.close();
  remove?.();
});

const decode = (b: Uint8Array | undefined) => JSON.parse(Buffer.from(b ?? []).toString('utf8'));

describe('Invoke API with @aws-sdk/client-lambda', () => {
  test('RequestResponse returns the result and the executed version', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'pi', Payload: JSON.stringify({ digits: 12 }) }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    assert.deepEqual(decode(out.Payload), { digits: 12, pi: '314159265358' });
  });

  test('a function error: 200 with FunctionError Unhandled and the error as the payload', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'pi', Payload: JSON.stringify({ digits: -3 }) }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const error = decode(out.Payload) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'InvalidInput');
    assert.match(error.errorMessage, /-3/);
  });

  test('a timeout is an Unhandled error with Lambda\'s message', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'loop', Payload: '{}' }));
    assert.equal(out.FunctionError, 'Unhandled');
    assert.match((decode(out.Payload) as { errorMessage: string }).errorMessage, /Task timed out after 1\.00 seconds/);
  });

  test('LogType Tail returns the last 4 KB of the log, base64', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'log', Payload: '{}', LogType: 'Tail' }));
    const log = Buffer.from(out.LogResult ?? '', 'base64').toString('utf8');
    assert.match(log, /^START RequestId: \S+ Version: \$LATEST$/m);
    assert.match(log, /^REPORT RequestId: .*Billed Duration/m);
    assert.ok(Buffer.byteLength(log) <= 4096);
  });

  test('Event answers 202 at once; DryRun 204', async () => {
    const event = await client.send(new InvokeCommand({ FunctionName: 'pi', InvocationType: 'Event', Payload: JSON.stringify({ digits: 5 }) }));
    assert.equal(event.StatusCode, 202);
    const dry = await client.send(new InvokeCommand({ FunctionName: 'pi', InvocationType: 'DryRun' }));
    assert.equal(dry.StatusCode, 204);
  });

  test('an unknown function is ResourceNotFoundException', async () => {
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'nope', Payload: '{}' })), (e: unknown) => {
      assert.ok(e instanceof ResourceNotFoundException, String(e));
      assert.match((e as Error).message, /Function not found: arn:aws:lambda:us-east-1:\d+:function:nope/);
      return true;
    });
  });

  test('a full ARN and a qualifier work as names', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:pi', Qualifier: '$LATEST', Payload: JSON.stringify({ digits: 3 }) }));
    assert.deepEqual(decode(out.Payload), { digits: 3, pi: '314' });
  });

  test("an ARN of another region is not reachable here; another account's is AccessDeniedException", async () => {
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:pi', Payload: '{}' })), (e: Error) => {
      assert.ok(e instanceof ResourceNotFoundException, String(e));
      assert.equal(e.message, "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
      return true;
    });
    for (const name of ['arn:aws:lambda:us-east-1:999999999999:function:pi', '999999999999:function:pi']) {
      await assert.rejects(client.send(new InvokeCommand({ FunctionName: name, Payload: '{}' })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.equal(e.name, 'AccessDeniedException');
        assert.equal(e.$metadata?.httpStatusCode, 403);
        assert.match(e.message, /not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:999999999999:function:pi/);
        return true;
      });
    }
  });

  test('a response over 6 MB is Function.ResponseSizeTooLarge', { timeout: 60_000 }, async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'big', Payload: '{}' }));
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(decode(out.Payload), {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size (7340034 bytes) exceeded maximum allowed payload size (6291556 bytes).',
    });
  });

  test('a deeply nested event reaches the function, which says what is wrong (no 500)', { timeout: 60_000 }, async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'echo', Payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}` }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    const error = decode(out.Payload) as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'WasmEventError');
    assert.match(error.errorMessage, /nested too deeply/);
  });
});

/** curl, asynchronously: the server runs in this process, so a synchronous child would deadlock it. */
function run(cmd: string, args: string[], input?: string): Promise<{ stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args);
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.on('error', reject);
    child.on('close', () => resolve({ stdout }));
    child.stdin.end(input);
  });
}

describe('Invoke API with curl', () => {
  const curl = (...args: string[]) => run('curl', ['-s', '-i', ...args]);

  test('a body that is not JSON is InvalidRequestContentException (400)', async () => {
    const r = await curl('-X', 'POST', '--data', 'not json', `${base}/2015-03-31/functions/pi/invocations`);
    assert.match(r.stdout, /^HTTP\/1\.1 400/);
    assert.match(r.stdout, /x-amzn-ErrorType: InvalidRequestContentException/i);
  });

  test('a payload over 6 MB is RequestEntityTooLargeException (413)', async () => {
    const r = await run('curl', ['-s', '-i', '-X', 'POST', '--data-binary', '@-', `${base}/2015-03-31/functions/pi/invocations`], `"${'x'.repeat(6 * 1024 * 1024 + 10)}"`);
    assert.match(r.stdout, /^HTTP\/1\.1 413/m);
    assert.match(r.stdout, /x-amzn-ErrorType: RequestEntityTooLargeException/i);
    assert.match(r.stdout, /Request must be smaller than 6291456 bytes for the InvokeFunction operation/);
  });

  test('an Event payload over 1 MB is RequestEntityTooLargeException (413)', async () => {
    const body = `"${'x'.repeat(1024 * 1024)}"`;
    const r = await run('curl', ['-s', '-i', '-X', 'POST', '-H', 'X-Amz-Invocation-Type: Event', '--data-binary', '@-', `${base}/2015-03-31/functions/pi/invocations`], body);
    assert.match(r.stdout, /^HTTP\/1\.1 413/m);
    assert.match(r.stdout, /x-amzn-ErrorType: RequestEntityTooLargeException/i);
    assert.match(r.stdout, new RegExp(`${body.length} byte payload is too large for the Event invocation type \\(limit 1048576 bytes\\)`));
  });

  test('X-Amz-Function-Error on a failing invocation', async () => {
    const r = await curl('-X', 'POST', '--data', '{"digits": -1}', `${base}/2015-03-31/functions/pi/invocations`);
    assert.match(r.stdout, /^HTTP\/1\.1 200/);
    assert.match(r.stdout, /X-Amz-Function-Error: Unhandled/i);
  });
});

describe('Function URLs', () => {
  test('by Host name and by path prefix, with payload 2.0 and Lambda\'s response mapping', async () => {
    const byPath = await fetch(`${base}/_lambda-url/pi/?digits=7`);
    assert.equal(byPath.status, 200);
    assert.deepEqual(await byPath.json(), { digits: 7, pi: '3141592' });
    const url = new URL(base);
    const byHost = await run('curl', ['-s', '-H', `Host: pi.lambda-url.localhost:${url.port}`, `${base}/?digits=4`]);
    assert.deepEqual(JSON.parse(byHost.stdout), { digits: 4, pi: '3141' });
  });

  test('a request over 6 MB is 413', async () => {
    const r = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '--data-binary', '@-', `${base}/_lambda-url/echo/`], 'x'.repeat(6 * 1024 * 1024));
    assert.equal(r.stdout, '413');
  });

  test('a function error is 502 Internal Server Error', async () => {
    const r = await fetch(`${base}/_lambda-url/loop/`);
    assert.equal(r.status, 502);
    assert.deepEqual(await r.json(), { Message: 'Internal Server Error' });
  });
});

describe('concurrency', () => {
  test('beyond the concurrency the Invoke API answers 429 TooManyRequestsException and a Function URL 429, at once', { timeout: 60_000 }, async () => {
    const small = createEmulator({ config: configOf(), port: 0, maxEnvironments: 1 });
    const url = await small.ready;
    try {
      const first = run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '--data', '{}', `${url}/2015-03-31/functions/loop/invocations`]);
      await new Promise((r) => setTimeout(r, 300));
      const second = await run('curl', ['-s', '-i', '-X', 'POST', '--data', '{}', `${url}/2015-03-31/functions/loop/invocations`]);
      assert.match(second.stdout, /^HTTP\/1\.1 429/);
      assert.match(second.stdout, /x-amzn-ErrorType: TooManyRequestsException/i);
      assert.match(second.stdout, /"Reason":"ConcurrentInvocationLimitExceeded"/);
      const byUrl = await fetch(`${url}/_lambda-url/loop/`);
      assert.equal(byUrl.status, 429);
      assert.equal((await first).stdout, '200', 'the first one ran to its own timeout');
    } finally {
      await small.close();
    }
  });
});
