/**
 * @module
 * Execution environments for custom runtimes (`provided.al2023`): the package's own `bootstrap`
 * executable is the process, with the environment Lambda gives an OS-only runtime. Everything
 * else — the Runtime API server, Init Duration, peak memory, timeout and memory enforcement,
 * `Runtime.ExitError` — is the same `Environment` that runs Node.js functions.
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-custom.html
 */
import { spawnSync } from 'node:child_process';
import { accessSync, closeSync, constants, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { FunctionSpec, InvocationError } from './types.js';

/** `provided` when the spec says so, or when the package is a bootstrap without a Node.js entry. */
export function runtimeOf(spec: FunctionSpec): 'nodejs' | 'provided' {
  if (spec.runtime !== undefined) return spec.runtime;
  return existsSync(join(spec.codeDir, 'bootstrap')) && !existsSync(join(spec.codeDir, 'index.mjs')) ? 'provided' : 'nodejs';
}

export interface Launch {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * How to start a custom runtime: `$LAMBDA_TASK_ROOT/bootstrap`, no arguments. OS-only runtimes
 * have no `AWS_EXECUTION_ENV`, and `_HANDLER` is the function's handler setting (`bootstrap`).
 */
export function nativeLaunch(spec: FunctionSpec, env: Record<string, string>): Launch | { initError: InvocationError } {
  const bootstrap = join(spec.codeDir, 'bootstrap');
  try {
    accessSync(bootstrap, constants.X_OK);
  } catch {
    // Lambda's own wording when the package has no runnable bootstrap.
    const reason = existsSync(bootstrap) ? 'is not executable (zip it with mode 0755)' : 'is missing';
    return { initError: { errorType: 'Runtime.InvalidEntrypoint', errorMessage: `RequestId: Error: Couldn't find valid bootstrap(s): [${bootstrap}] (${reason})` } };
  }
  const { AWS_EXECUTION_ENV: _nodeOnly, ...rest } = env;
  const childEnv = { ...rest, _HANDLER: spec.handler ?? 'bootstrap' };
  const foreign = foreignArchitecture(bootstrap);
  if (foreign === undefined) return { command: bootstrap, args: [], env: childEnv };
  const emulator = EMULATORS[foreign];
  const sysroot = env.QEMU_LD_PREFIX ?? process.env.QEMU_LD_PREFIX ?? emulator.sysroot;
  if (spawnSync(emulator.qemu, ['--version'], { stdio: 'ignore' }).status !== 0 || !existsSync(sysroot)) {
    return {
      initError: {
        errorType: 'Runtime.InvalidEntrypoint',
        errorMessage: `RequestId: Error: ${bootstrap} is an ${foreign} executable and this machine is ${process.arch}: running it needs ${emulator.qemu} and ${emulator.sysroot} (apt-get install ${emulator.packages}), or a ${foreign} machine`,
      },
    };
  }
  if (!announced.has(foreign)) {
    announced.add(foreign);
    process.stderr.write(`[lambda-wasm] running the ${foreign} bootstrap under \`${emulator.qemu} -L ${sysroot}\` (this machine is ${process.arch}; timings are the emulator's)\n`);
  }
  return { command: emulator.qemu, args: ['-L', sysroot, bootstrap], env: childEnv };
}

/** qemu-user runs a bootstrap built for the other Lambda architecture, with the cross glibc as its root. */
const EMULATORS = {
  arm64: { qemu: 'qemu-aarch64', sysroot: '/usr/aarch64-linux-gnu', packages: 'qemu-user libc6-arm64-cross' },
  x86_64: { qemu: 'qemu-x86_64', sysroot: '/usr/x86_64-linux-gnu', packages: 'qemu-user libc6-amd64-cross' },
} as const;
const announced = new Set<string>();

/** The bootstrap's ELF machine when this machine cannot run it natively; undefined otherwise (or not an ELF: the kernel says). */
function foreignArchitecture(path: string): 'arm64' | 'x86_64' | undefined {
  const header = Buffer.alloc(20);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, header, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (header.readUInt32BE(0) !== 0x7f454c46 || header[5] !== 1) return undefined;
  const machine = header.readUInt16LE(18) === 183 ? 'arm64' : header.readUInt16LE(18) === 62 ? 'x86_64' : undefined;
  const host = process.arch === 'arm64' ? 'arm64' : process.arch === 'x64' ? 'x86_64' : undefined;
  return machine !== undefined && host !== undefined && machine !== host ? machine : undefined;
}
