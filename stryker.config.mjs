// Mutation testing (StrykerJS, `npm run test:mutation`; CONTRIBUTING.md "Tests"). Each group is one
// area users rely on, the source files Stryker mutates in it, the test files that may kill those
// mutants (run through Node's own test runner with tsx, one process per file, TAP output), and
// the score below which the run fails. `MUTATION_GROUP=events` (the default) picks a group;
// scripts/mutation.mjs runs several in turn.
const GROUPS = {
  events: {
    mutate: ['src/events/validate.ts', 'src/events/header-rules.ts'],
    // Not validate.property.test.ts: instrumented, its thousands of generated cases take minutes a mutant.
    testFiles: ['src/events/validate.test.ts', 'src/events/header-lists.test.ts', 'src/events/validate-boundaries.test.ts', 'src/events/validate-paths.test.ts'],
    break: 85,
  },
  runtime: {
    mutate: ['src/runtime/abi-host.ts'],
    testFiles: ['test/runtime/abi-host.test.ts', 'test/runtime/abi-safety.test.ts', 'test/runtime/abi-host-clock-random.test.ts', 'test/runtime/abi-host-edges.test.ts'],
    break: 75,
  },
  cache: {
    mutate: ['src/emulator/cache.ts'],
    testFiles: ['src/emulator/cache.test.ts'],
    break: 75,
  },
  // The log lines, and the runner's lines that turn what was measured into REPORT's values and the
  // record (Duration, Billed Duration with the init phase, Max Memory Used, the timeout line). The
  // rest of the runner and the environments need the whole platform suite for each mutant (minutes
  // on a 2-core machine): test/lambda/platform-values.test.ts checks their values instead. The ranges
  // are the REPORT push in invoke() and the start of record(): re-point them when the file changes.
  lambda: {
    mutate: ['src/lambda/log-lines.ts', 'src/lambda/function-runner.ts:166-178', 'src/lambda/function-runner.ts:253-265'],
    testFiles: ['src/lambda/log-lines.test.ts', 'test/lambda/platform-values.test.ts'],
    break: 75,
    // Environments run the compiled bootstrap and thread worker from lib/ (not mutated; `npm run compile`).
    sandboxNeeds: ['lib'],
  },
};

const name = process.env.MUTATION_GROUP ?? 'events';
const group = GROUPS[name];
if (group === undefined) throw new Error(`MUTATION_GROUP=${name}: expected one of ${Object.keys(GROUPS).join(', ')}`);

export default {
  testRunner: 'tap',
  plugins: ['@stryker-mutator/tap-runner'],
  tap: {
    testFiles: group.testFiles,
    // Run the file itself (not `--test`, which would start another process the hook does not see).
    nodeArgs: ['-r', '{{hookFile}}', '--import', 'tsx', '--test-reporter=tap', '{{testFile}}'],
  },
  mutate: group.mutate,
  coverageAnalysis: 'perTest',
  // Type errors from mutants are not checked; a mutant that does not run is counted as killed by the tests.
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  thresholds: { high: 90, low: group.break, break: group.break },
  // One mutant at a time by default: the machine has 2 cores and other jobs; MUTATION_CONCURRENCY=2 on an idle one.
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  // `npm run test:mutation -- --incremental events`: reuse the last run's results for mutants whose
  // code and covering tests did not change (the file is kept beside the reports).
  incrementalFile: `reports/mutation/${name}.incremental.json`,
  timeoutMS: 30_000,
  // Stryker rewrites the tsconfig's paths with the `typescript` package's JS API, which TypeScript 7
  // (the native compiler we use) no longer has; the sandbox keeps tsconfig.json as it is (tsx needs
  // nothing rewritten), so point Stryker at a file that does not exist.
  tsconfigFile: 'tsconfig.stryker-none.json',
  tempDirName: `.stryker-tmp-${name}`,
  cleanTempDir: true,
  ignorePatterns: ['dist', 'lib', 'target', '.cache', 'reports', 'bench-results', 'crates/*/target', '.stryker-tmp*'].filter(
    (pattern) => !(group.sandboxNeeds ?? []).includes(pattern),
  ),
};
