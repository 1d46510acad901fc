/**
 * @module
 * Deploy settings of a native function (`target: native`): the OS-only runtime, the handler
 * custom runtimes conventionally name, and the architecture of the `bootstrap` actually in the
 * zip (read from its ELF header, so the function can never be created for the wrong CPU).
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-provided.html
 */
import { readFileSync } from 'node:fs';
import { readElf } from '../build/native-elf.js';
import { readZip } from '../build/zip.js';
import { EdgeError } from '../errors.js';

/** Amazon Linux 2023, glibc 2.34: what `build --target native` links for. */
export const NATIVE_RUNTIME = 'provided.al2023';
/** Lambda passes it to a custom runtime as `_HANDLER`; ours ignores it. */
export const NATIVE_HANDLER = 'bootstrap';

/** `x86_64` or `arm64`, from the zip's `bootstrap`. */
export function nativeArchitecture(name: string, zipPath: string): 'x86_64' | 'arm64' {
  const bootstrap = readZip(readFileSync(zipPath)).get('bootstrap');
  const notNative = (why: string) =>
    new EdgeError('E_NOT_BUILT', `${name} is configured "target": "native" but ${zipPath} ${why}`, { hint: `run \`lambda-wasm build ${name}\`` });
  if (bootstrap === undefined) throw notNative('has no bootstrap (a Wasm build?)');
  let architecture: string;
  try {
    architecture = readElf(bootstrap).architecture;
  } catch (error) {
    throw notNative(`holds a bootstrap that is ${(error as Error).message}`);
  }
  if (architecture !== 'x86_64' && architecture !== 'arm64') throw notNative(`holds a bootstrap for ${architecture}`);
  return architecture;
}
