// B1, B3, B4 and B5 (docs/bench.md) of the built passthrough example and every zip, in one small
// script with no dependency on lib/ beyond the built zips — a cross-check of `lambda-wasm bench`,
// which is the full tool. Needs `lambda-wasm build` first.
//   node scripts/measure-foundation.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const event = JSON.parse(readFileSync(join(root, 'fixtures/events/viewer-request.json'), 'utf8'));
const context = { awsRequestId: 'bench', functionName: 'passthrough', getRemainingTimeInMillis: () => 5000 };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// B1: warm invoke, in process, ns per call; median of batch means.
async function perCall(handler, batches, size) {
  for (let i = 0; i < 2000; i++) await handler(event, context);
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < size; i++) await handler(event, context);
    samples.push(Number(process.hrtime.bigint() - t0) / size);
  }
  return median(samples);
}

let logged = [];
const silent = { ...console, info(...args) { logged?.push(args.join(' ')); }, log() {} };
const realConsole = globalThis.console;
globalThis.console = silent; // the passthrough guest logs a line per call; measure the call, not the terminal
const { handler: wasmHandler } = await import(pathToFileURL(join(root, 'dist/passthrough/index.mjs')).href);
await wasmHandler(event, context);
const guestLines = logged; // what one call logs: the JS baseline of B3/B4 logs the same
logged = undefined;
const noop = async (e) => e.Records[0].cf.request;
const floor = async (e) => JSON.parse(JSON.stringify(e)).Records[0].cf.request;
const batches = quick ? 30 : 200;
const b1 = {
  wasmNs: await perCall(wasmHandler, batches, 100),
  jsNoopNs: await perCall(noop, batches, 100),
  jsFloorNs: await perCall(floor, batches, 100),
};
globalThis.console = realConsole;

// B3/B4: cold start and peak RSS of a fresh node process that imports a zip's handler and invokes once.
const work = mkdtempSync(join(tmpdir(), 'lambda-wasm-cold-'));
const runner = join(work, 'runner.mjs');
writeFileSync(
  runner,
  `const t0 = performance.now();
const { handler } = await import(process.argv[2]);
const event = JSON.parse(process.argv[3]);
await handler(event, { awsRequestId: 'cold', getRemainingTimeInMillis: () => 5000 });
process.stdout.write('\\n@@' + JSON.stringify({ ms: performance.now() - t0, maxRssKB: process.resourceUsage().maxRSS }));`,
);
const jsDir = join(work, 'js-noop');
mkdirSync(jsDir);
// Does the guest's observable work: logs the same line(s), returns the request.
writeFileSync(join(jsDir, 'index.mjs'), `export const handler = async (event) => {\n${guestLines.map((l) => `  console.info(${JSON.stringify(l)});\n`).join('')}  return event.Records[0].cf.request;\n};\n`);
function cold(dir, runs) {
  const wall = [];
  const inside = [];
  const rss = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, [runner, pathToFileURL(join(dir, 'index.mjs')).href, JSON.stringify(event)], { encoding: 'utf8' });
    wall.push(performance.now() - t0);
    const parsed = JSON.parse(out.slice(out.lastIndexOf('@@') + 2));
    inside.push(parsed.ms);
    rss.push(parsed.maxRssKB / 1024);
  }
  return { wallMs: median(wall), importAndInvokeMs: median(inside), maxRssMB: median(rss) };
}
const runs = quick ? 5 : 15;
const b3 = { wasm: cold(join(root, 'dist/passthrough'), runs), js: cold(jsDir, runs) };
rmSync(work, { recursive: true, force: true });

// B5: zip sizes.
const b5 = readdirSync(join(root, 'dist'))
  .filter((f) => f.endsWith('.zip'))
  .map((f) => ({ zip: f, bytes: statSync(join(root, 'dist', f)).size }));

const result = {
  machine: { node: process.version, cpus: (await import('node:os')).cpus()[0]?.model, nproc: (await import('node:os')).cpus().length },
  B1: { ...b1, ratioToFloor: b1.wasmNs / b1.jsFloorNs, target: '≤ 2× JS floor' },
  B3: { ...b3, ratioWall: b3.wasm.wallMs / b3.js.wallMs, target: '≤ 1.10×' },
  B4: { wasmMB: b3.wasm.maxRssMB, jsMB: b3.js.maxRssMB, deltaMB: b3.wasm.maxRssMB - b3.js.maxRssMB, target: '≤ +4 MB' },
  B5: { zips: b5, target: 'passthrough ≤ 48 KB' },
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

