/**
 * @module
 * A configured function made runnable on the local platform: its built zip unpacked, and the
 * `FunctionSpec` the runner takes — its name, memory size, timeout, whether it is a Lambda@Edge
 * replica and the version it runs. One place for `invoke`, the function pool behind `dev` and the
 * Invoke API, so they run a function the same way.
 */
import { join } from 'node:path';
import type { FunctionConfig, ProjectConfig } from '../config/load.js';
import { extractZip } from './extract.js';
import { LATEST } from './identity.js';
import type { FunctionSpec } from './types.js';

/**
 * The version a function runs: a plain Lambda function `$LATEST`; a Lambda@Edge trigger a numbered
 * version (CloudFront associates only published versions), the first one locally.
 */
export function localVersion(fn: Pick<FunctionConfig, 'kind'>): string {
  return fn.kind === 'lambda' ? LATEST : '1';
}

/** Unpacks `<outDir>/<name>.zip` under `.cache/<purpose>/<name>/` and returns the folder (E_NOT_BUILT when there is no zip). */
export function unpackBuiltFunction(config: ProjectConfig, fn: Pick<FunctionConfig, 'name'>, purpose: 'invoke' | 'dev'): string {
  return extractZip(join(config.outDir, `${fn.name}.zip`), join(config.root, '.cache', purpose, fn.name));
}

/** How the function is run beyond its config: the caller's choices. */
export type RunChoices = Pick<FunctionSpec, 'runtimeClient' | 'isolation' | 'nodeBinary'> & {
  /** Seconds, instead of the configured timeout. */
  timeout?: number;
};

/** The runner's spec for a configured function whose package is unpacked in `codeDir`. */
export function functionSpecOf(fn: FunctionConfig, codeDir: string, choices: RunChoices = {}): FunctionSpec {
  return {
    name: fn.name,
    codeDir,
    memorySize: fn.memorySize,
    timeout: choices.timeout ?? fn.timeout,
    edge: fn.kind !== 'lambda',
    version: localVersion(fn),
    runtimeClient: choices.runtimeClient ?? 'builtin',
    ...(choices.isolation === undefined ? {} : { isolation: choices.isolation }),
    ...(choices.nodeBinary === undefined ? {} : { nodeBinary: choices.nodeBinary }),
  };
}
