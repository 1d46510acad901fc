// Runs cargo natively with the toolchain `build` would pick (and Debian's offline registry).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { dirname, join } from 'node:path';
import { requireToolchain } from '../../src/build/toolchain.js';
import { repoRoot } from './paths.js';

export const toolchain = requireToolchain();

export function cargoTest(crate: string, extraArgs: string[] = [], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const args = ['test', '--quiet', '--manifest-path', join(repoRoot, crate, 'Cargo.toml'), '--target-dir', join(repoRoot, 'target', 'native'), ...extraArgs];
  if (toolchain.offlineRegistry !== undefined) {
    args.push('--offline', '--config', 'source.crates-io.replace-with="lambda-wasm-offline"', '--config', `source.lambda-wasm-offline.directory="${toolchain.offlineRegistry}"`);
  }
  return spawnSync(toolchain.cargo, args, {
    encoding: 'utf8',
    env: { ...process.env, RUSTC: toolchain.rustc, RUSTDOC: join(dirname(toolchain.rustc), 'rustdoc'), ...env },
  });
}
