// `lambda-wasm logs` against moto's CloudWatch Logs: an edge function's replicas log in several
// Regions under /aws/lambda/us-east-1.<name>; the lines come back merged by time with their
// Region, narrowed by --filter and --request-id; a plain Lambda function's one group is read in its
// Region; --follow picks up lines written after it started.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { followLogs, readLogs, type LogLine } from '../../src/deploy/logs.js';
import { startMoto, useDummyCredentials, type Moto } from '../helpers/moto.js';
import { repoRoot } from '../helpers/paths.js';
import { makeProject, type TestProject } from '../../src/deploy/project.test-helper.js';

let moto: Moto;
let p: TestProject;
const main = pathToFileURL(join(repoRoot, 'src', 'cli', 'main.ts')).href;
const tsx = import.meta.resolve('tsx');
const t0 = Date.now() - 5 * 60_000;
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];

async function put(region: string, group: string, events: Array<[number, string]>): Promise<void> {
  const client = new CloudWatchLogsClient({ region, endpoint: moto.endpoint });
  try {
    await client.send(new CreateLogGroupCommand({ logGroupName: group })).catch((e: Error) => {
      if (e.name !== 'ResourceAlreadyExistsException') throw e;
    });
    const stream = `2026/11/29/[1]${Math.random().toString(16).slice(2)}`;
    await client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
    await client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events.map(([at, message]) => ({ timestamp: t0 + at, message })) }));
  } finally {
    client.destroy();
  }
}

function cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', `const { run } = await import(${JSON.stringify(main)}); process.exitCode = await run(process.argv.slice(1));`, ...args], {
      cwd: p.dir,
      env: { ...process.env, NO_COLOR: '1', NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

before(async () => {
  useDummyCredentials();
  moto = await startMoto();
  p = makeProject({ functionPrefix: 'logs-' }, { edge: { wasm: 'g.wasm', eventType: 'viewer-request' }, api: { wasm: 'g.wasm', eventType: 'lambda' } });
  const group = '/aws/lambda/us-east-1.logs-edge';
  // Three Regions' replicas, their invocations interleaved in time.
  await put('us-east-1', group, [
    [1_000, 'START RequestId: aaaa-1 Version: 1'],
    [1_010, '2026-11-29T19:00:01.010Z\taaaa-1\tINFO\tus request'],
    [1_020, 'END RequestId: aaaa-1'],
    [1_030, 'REPORT RequestId: aaaa-1\tDuration: 2.00 ms'],
    [4_000, 'START RequestId: aaaa-4 Version: 1'],
  ]);
  await put('eu-west-1', group, [
    [2_000, 'START RequestId: bbbb-2 Version: 1'],
    [2_010, '2026-11-29T19:00:02.010Z\tbbbb-2\tERROR\tcould not parse the cookie'],
    [2_020, 'END RequestId: bbbb-2'],
  ]);
  await put('ap-northeast-1', group, [[3_000, 'START RequestId: cccc-3 Version: 1']]);
  // Not the edge function's: another function, and the plain one's own group.
  await put('eu-west-1', '/aws/lambda/us-east-1.someone-else', [[2_500, 'START RequestId: zzzz Version: 1']]);
  await put('us-east-1', '/aws/lambda/logs-api', [[2_200, 'START RequestId: dddd Version: $LATEST']]);
});

after(async () => {
  p?.remove();
  await moto?.stop();
});

describe('lambda-wasm logs', { timeout: 180_000 }, () => {
  test('an edge function: every Region merged by time, each line with its Region', async () => {
    const { lines, groupsFound } = await readLogs({ functionName: 'logs-edge', edge: true, regions: [...REGIONS, 'sa-east-1'], startTime: t0, endpoint: moto.endpoint });
    assert.deepEqual(groupsFound.sort(), REGIONS.map((r) => `${r} /aws/lambda/us-east-1.logs-edge`).sort());
    assert.deepEqual(
      lines.map((l) => `${l.timestamp - t0} ${l.region} ${l.message.split('\t').slice(-1)[0]}`),
      [
        '1000 us-east-1 START RequestId: aaaa-1 Version: 1',
        '1010 us-east-1 us request',
        '1020 us-east-1 END RequestId: aaaa-1',
        '1030 us-east-1 Duration: 2.00 ms',
        '2000 eu-west-1 START RequestId: bbbb-2 Version: 1',
        '2010 eu-west-1 could not parse the cookie',
        '2020 eu-west-1 END RequestId: bbbb-2',
        '3000 ap-northeast-1 START RequestId: cccc-3 Version: 1',
        '4000 us-east-1 START RequestId: aaaa-4 Version: 1',
      ],
    );
    const recent = await readLogs({ functionName: 'logs-edge', edge: true, regions: REGIONS, startTime: t0 + 2_500, endpoint: moto.endpoint });
    assert.deepEqual(recent.lines.map((l) => l.timestamp - t0), [3_000, 4_000]);
  });

  test('--filter and --request-id narrow the lines', async () => {
    const cookie = await readLogs({ functionName: 'logs-edge', edge: true, regions: REGIONS, startTime: t0, filter: 'cookie', endpoint: moto.endpoint });
    assert.deepEqual(cookie.lines.map((l) => l.region), ['eu-west-1']);
    const one = await readLogs({ functionName: 'logs-edge', edge: true, regions: REGIONS, startTime: t0, requestId: 'aaaa-1', endpoint: moto.endpoint });
    assert.deepEqual(one.lines.map((l) => l.message.slice(0, 6)), ['START ', '2026-1', 'END Re', 'REPORT']);
  });

  test('the CLI: the config name, Regions shown, merged; a plain function reads its one group', async () => {
    const edge = await cli(['logs', 'edge', '--since', '1h', '--regions', REGIONS.join(','), '--endpoint-url', moto.endpoint]);
    assert.equal(edge.status, 0, edge.stderr);
    assert.match(edge.stderr, /reading \/aws\/lambda\/us-east-1\.logs-edge in 3 Regions since /);
    const out = edge.stdout.trim().split('\n');
    assert.equal(out.length, 9);
    assert.match(out[0]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z us-east-1 {6}START RequestId: aaaa-1/);
    assert.match(out[5]!, /eu-west-1 {6}2026-11-29T19:00:02\.010Z\\?\s*bbbb-2\s+ERROR\s+could not parse the cookie$/);
    assert.match(out[7]!, /ap-northeast-1 START RequestId: cccc-3/);
    const byId = await cli(['logs', 'edge', '--since', '1h', '--regions', REGIONS.join(','), '--request-id', 'bbbb-2', '--endpoint-url', moto.endpoint]);
    assert.equal(byId.stdout.trim().split('\n').length, 3);
    const api = await cli(['logs', 'api', '--since', '1h', '--endpoint-url', moto.endpoint]);
    assert.equal(api.status, 0, api.stderr);
    assert.match(api.stderr, /reading \/aws\/lambda\/logs-api in us-east-1/);
    assert.match(api.stdout, /us-east-1 START RequestId: dddd/);
    const none = await cli(['logs', 'edge', '--since', '1h', '--regions', 'sa-east-1', '--endpoint-url', moto.endpoint]);
    assert.equal(none.status, 0);
    assert.match(none.stderr, /no log group \/aws\/lambda\/us-east-1\.logs-edge in any of those Regions/);
    const bad = await cli(['logs', 'nope', '--endpoint-url', moto.endpoint]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /no function named "nope"[\s\S]*edge, api/);
  });

  test('--follow prints lines written after it started, once each', async () => {
    const got: LogLine[] = [];
    const stop = new AbortController();
    const polls: Array<() => void> = [];
    const following = followLogs({
      functionName: 'logs-edge',
      edge: true,
      regions: REGIONS,
      startTime: t0 + 3_500,
      endpoint: moto.endpoint,
      signal: stop.signal,
      onLine: (l) => got.push(l),
      sleep: () => new Promise<void>((r) => polls.push(r)),
    });
    const nextPoll = async () => {
      while (polls.length === 0) await new Promise((r) => setTimeout(r, 20));
      polls.shift()!();
    };
    await nextPoll();
    assert.deepEqual(got.map((l) => l.message), ['START RequestId: aaaa-4 Version: 1']);
    await put('eu-west-1', '/aws/lambda/us-east-1.logs-edge', [[5_000, 'START RequestId: eeee-5 Version: 1']]);
    await nextPoll();
    await nextPoll();
    stop.abort();
    await following;
    assert.deepEqual(got.map((l) => `${l.region} ${l.message}`), ['us-east-1 START RequestId: aaaa-4 Version: 1', 'eu-west-1 START RequestId: eeee-5 Version: 1']);
  });
});
