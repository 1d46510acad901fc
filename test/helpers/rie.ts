// AWS's Lambda runtime interface emulator (the Go module), built into .cache/ on first use, and
// started around one unpacked zip with AWS's runtime interface client on Node 22.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { findNodeBinary, ricEntry } from '../../src/lambda/index.js';
import { repoRoot } from './paths.js';

/** A version the Go module proxy serves (the project's releases are not tagged as modules). */
const RIE_VERSION = 'v0.0.0-20261030222936-bef5c4ba774d';
const bin = join(repoRoot, '.cache', 'rie-bin');

export function ensureRie(): string {
  const exe = join(bin, 'aws-lambda-rie');
  if (existsSync(exe)) return exe;
  mkdirSync(bin, { recursive: true });
  execFileSync('go', ['install', `github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie@${RIE_VERSION}`], {
    env: { ...process.env, GOBIN: bin, GOFLAGS: '-mod=mod' },
    stdio: 'inherit',
    timeout: 600_000,
  });
  return exe;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningRie {
  invoke(event: unknown): Promise<{ status: number; body: unknown }>;
  stop(): Promise<void>;
}

export async function startRie(codeDir: string, timeoutSeconds: number, memorySize: number): Promise<RunningRie> {
  const exe = ensureRie();
  const node = findNodeBinary(22);
  if (node === undefined) throw new Error('node22 is a dev dependency; run npm ci');
  const [apiPort, invokePort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(exe, ['--runtime-api-address', `127.0.0.1:${apiPort}`, '--runtime-interface-emulator-address', `127.0.0.1:${invokePort}`, node, ricEntry(), 'index.handler'], {
    cwd: codeDir,
    env: { PATH: process.env.PATH ?? '', LAMBDA_TASK_ROOT: codeDir, _HANDLER: 'index.handler', AWS_LAMBDA_FUNCTION_TIMEOUT: String(timeoutSeconds), AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize), LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${invokePort}/2015-03-31/functions/function/invocations`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`http://127.0.0.1:${invokePort}/`);
      break;
    } catch {
      if (i > 100) throw new Error('the runtime interface emulator did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    async invoke(event) {
      const r = await fetch(url, { method: 'POST', body: JSON.stringify(event) });
      return { status: r.status, body: JSON.parse(await r.text()) as unknown };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
