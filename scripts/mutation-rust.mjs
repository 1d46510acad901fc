// The `rust` group of `npm run test:mutation`: cargo-mutants over the guest crate's ABI glue and
// CloudFront types (the files are chosen in crates/lambda-wasm-guest/.cargo/mutants.toml), each
// mutant checked by the crate's own native tests with rustup's toolchain (they run on the host,
// not on wasm32). cargo-mutants is installed from crates.io into .cache/cargo-mutants the first
// time. Report: reports/mutation/rust/mutants.out (outcomes.json, caught.txt, missed.txt,
// timeout.txt, unviable.txt).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** cargo-mutants version we run (pinned so results stay comparable between runs). */
const CARGO_MUTANTS_VERSION = '27.1.0';
/** The share of viable mutants the tests must detect ((caught + timeout) / (caught + missed + timeout)). */
export const RUST_BREAK = 75;

function findRustupCargo() {
  const candidates = [process.env.CARGO_HOME && join(process.env.CARGO_HOME, 'bin', 'cargo'), join(homedir(), '.cargo', 'bin', 'cargo')];
  for (const cargo of candidates) {
    if (cargo && existsSync(cargo) && spawnSync(cargo, ['--version'], { encoding: 'utf8' }).status === 0) return cargo;
  }
  return undefined;
}

/** Runs the rust group; returns true when the score is at or above RUST_BREAK. */
export function runRustMutants(root, { incremental = false } = {}) {
  const cargo = findRustupCargo();
  if (cargo === undefined) {
    process.stderr.write(
      '[mutation] rust: needs rustup\'s cargo (~/.cargo/bin/cargo, or $CARGO_HOME/bin/cargo) to build cargo-mutants and run the ' +
        'crate\'s native tests; install rustup (https://rustup.rs) and run again\n',
    );
    return false;
  }
  const installRoot = join(root, '.cache', 'cargo-mutants');
  const binary = join(installRoot, 'bin', 'cargo-mutants');
  if (!existsSync(binary)) {
    process.stderr.write(`[mutation] rust: installing cargo-mutants ${CARGO_MUTANTS_VERSION} from crates.io into .cache/cargo-mutants (a few minutes, once)\n`);
    const install = spawnSync('nice', ['-n', '15', cargo, 'install', '--locked', '--version', CARGO_MUTANTS_VERSION, '--root', installRoot, 'cargo-mutants'], {
      stdio: 'inherit',
    });
    if (install.status !== 0 || !existsSync(binary)) {
      process.stderr.write(`[mutation] rust: \`cargo install cargo-mutants\` failed (exit ${install.status}); it needs crates.io — see its output above\n`);
      return false;
    }
  }
  const out = join(root, 'reports', 'mutation', 'rust');
  mkdirSync(out, { recursive: true });
  // Which files, what is excluded and the test timeout: crates/lambda-wasm-guest/.cargo/mutants.toml.
  // --gitignore: the copy leaves out Cargo.lock, which may come from Debian's offline registry
  // (other checksums than crates.io's, which rustup's cargo fetches from).
  const args = ['mutants', '--dir', join(root, 'crates', 'lambda-wasm-guest'), '--output', out, '--jobs', '1', '--build-timeout', '900', '--no-shuffle', '--gitignore', 'true'];
  if (incremental) args.push('--iterate');
  // cargo-mutants finds `cargo` on PATH: put rustup's first, so the tests run with its toolchain.
  const path = `${join(cargo, '..')}:${process.env.PATH}`;
  const run = spawnSync('nice', ['-n', '15', binary, ...args], {
    stdio: 'inherit',
    // The copy it tests is outside the repository: the fixture tests find the shared fixtures here.
    env: { ...process.env, PATH: path, CARGO_TARGET_DIR: undefined, LAMBDA_WASM_FIXTURES: join(root, 'fixtures', 'events') },
    // The whole run: a mutant that hangs is cut by --timeout, this guards the rest.
    timeout: 3 * 60 * 60 * 1000,
  });
  if (run.error !== undefined) {
    process.stderr.write(`[mutation] rust: cargo-mutants did not finish: ${run.error.message}\n`);
    return false;
  }
  return judgeRustRun(out, run.status, { incremental });
}

/**
 * The score from cargo-mutants' counts, counted as Stryker counts: a mutant the tests fail on or
 * that times out is detected; one that does not compile (unviable) is left out.
 */
export function rustScore(outcomes) {
  const detected = outcomes.caught + outcomes.timeout;
  const viable = detected + outcomes.missed;
  return { ...outcomes, score: viable === 0 ? 100 : (100 * detected) / viable };
}

const SUMMARIES = { CaughtMutant: 'caught', MissedMutant: 'missed', Timeout: 'timeout', Unviable: 'unviable' };

/** Each mutant's outcome in one run's outcomes.json: name → caught, missed, timeout or unviable. */
function outcomesOf(file) {
  const found = {};
  for (const outcome of JSON.parse(readFileSync(file, 'utf8')).outcomes ?? []) {
    const mutant = outcome.scenario?.Mutant;
    if (mutant !== undefined) found[mutant.name] = SUMMARIES[outcome.summary] ?? outcome.summary;
  }
  return found;
}

/**
 * Reads a finished run's outcomes.json and says whether the score reaches RUST_BREAK (printing it).
 * `--iterate` retests only what the last run did not catch, so the score comes from a ledger of
 * every mutant's latest outcome (ledger.json beside mutants.out), updated with this run's.
 */
export function judgeRustRun(out, status, { incremental = false } = {}) {
  const file = join(out, 'mutants.out', 'outcomes.json');
  if (!existsSync(file)) {
    process.stderr.write(`[mutation] rust: cargo-mutants exited ${status} without writing ${file} (see its output above)\n`);
    return false;
  }
  // Exit 4: the tests fail without any mutant, so no mutant could be judged.
  if (status === 4) {
    process.stderr.write('[mutation] rust: the crate\'s tests fail on the unmutated code; fix them first\n');
    return false;
  }
  const ledgerFile = join(out, 'ledger.json');
  const ledger = { ...(incremental && existsSync(ledgerFile) ? JSON.parse(readFileSync(ledgerFile, 'utf8')) : {}), ...outcomesOf(file) };
  writeFileSync(ledgerFile, `${JSON.stringify(ledger, null, 1)}\n`);
  const counts = { caught: 0, missed: 0, timeout: 0, unviable: 0 };
  for (const outcome of Object.values(ledger)) if (outcome in counts) counts[outcome]++;
  const result = rustScore(counts);
  const passed = result.score >= RUST_BREAK;
  process.stderr.write(
    `[mutation] rust: ${counts.caught} caught, ${counts.missed} missed, ${counts.timeout} timed out, ${counts.unviable} unviable: ` +
      `score ${result.score.toFixed(2)} % (break below ${RUST_BREAK} %); missed mutants: ${join(out, 'mutants.out', 'missed.txt')}\n`,
  );
  return passed;
}
