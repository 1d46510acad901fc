/**
 * @module
 * `testFunctions()`: each guest crate's own `cargo test`, run natively with the toolchain and
 * crate registry that `build` uses and the function's `buildEnv` set, so `env!("…")` secrets
 * compile and Cargo.lock stays in step with the builds.
 */
import { dirname, join } from 'node:path';
import type { ProjectConfig } from '../config/load.js';
import { selectFunctions } from '../config/load.js';
import { EdgeError } from '../errors.js';
import { noopLogger, type Logger } from '../logger.js';
import { registryArgs, runWithLockRetry, spawnCollect } from './cargo.js';
import { requireToolchain, type Toolchain } from './toolchain.js';

export interface TestOptions {
  config: ProjectConfig;
  /** Function names; every function with a crate when empty or absent. */
  functions?: readonly string[];
  /** Passed to `cargo test` after the crate's flags (e.g. a test name filter). */
  cargoArgs?: readonly string[];
  logger?: Logger;
  /** cargo's output as it comes, for progress. */
  onOutput?: (name: string, chunk: string) => void;
}

export interface CrateTestResult {
  name: string;
  crateDir: string;
  ok: boolean;
  /** Tests passed and failed, summed over cargo's `test result:` lines (unit, integration, doc). */
  passed: number;
  failed: number;
  /** cargo's stdout and stderr. */
  output: string;
}

export interface TestResult {
  results: CrateTestResult[];
  toolchain: Toolchain;
  /** Functions without a crate (a prebuilt .wasm or wasm-pack folder): nothing to test. */
  skipped: string[];
}

export async function testFunctions(options: TestOptions): Promise<TestResult> {
  const { config } = options;
  const logger = options.logger ?? noopLogger;
  const selected = selectFunctions(config, options.functions ?? []);
  const crates = selected.filter((fn) => fn.source.kind === 'crate');
  if (crates.length === 0) {
    throw new EdgeError('E_CONFIG', 'none of the selected functions has a "crate" to test', {
      hint: 'cargo test runs for functions built from a Rust crate ("crate": "path/to/crate")',
    });
  }
  const toolchain = requireToolchain();
  const results: CrateTestResult[] = [];
  for (const fn of crates) {
    const crateDir = fn.source.path;
    const args = [
      'test',
      '--manifest-path',
      join(crateDir, 'Cargo.toml'),
      // Native artefacts apart from the wasm32 ones: both stay cached.
      '--target-dir',
      join(config.root, 'target', 'native'),
      ...registryArgs(toolchain),
      ...(options.cargoArgs ?? []),
    ];
    const env = {
      ...process.env,
      ...fn.buildEnv,
      RUSTC: toolchain.rustc,
      RUSTDOC: join(dirname(toolchain.rustc), 'rustdoc'),
    };
    logger.debug(`${toolchain.cargo} ${args.join(' ')}`);
    const run = await runWithLockRetry(crateDir, logger, () =>
      spawnCollect(toolchain.cargo, args, env, (chunk) => options.onOutput?.(fn.name, chunk)),
    );
    const output = run.stdout + run.stderr;
    results.push({ name: fn.name, crateDir, ok: run.code === 0, ...countTests(output), output });
  }
  return { results, toolchain, skipped: selected.filter((fn) => fn.source.kind !== 'crate').map((fn) => fn.name) };
}

function countTests(output: string): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const m of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  return { passed, failed };
}
