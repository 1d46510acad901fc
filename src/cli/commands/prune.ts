import { defineCommand } from 'citty';
import { loadConfig } from '../../config/load.js';
import { prune, type PruneResult } from '../../deploy/index.js';
import { EdgeError } from '../../errors.js';
import { functionNames } from '../args.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';
import { progressRenderer } from '../deploy-progress.js';
import { awsArgs, awsConnection } from './shared-flags.js';

export default defineCommand({
  meta: { name: 'prune', description: 'Delete old numbered versions, keeping the newest, the attached and the aliased ones' },
  args: {
    functions: { type: 'positional', required: false, description: 'functions to prune (default: all in the config)' },
    keep: { type: 'string', description: 'newest versions to keep (default 3)' },
    'dry-run': { type: 'boolean', description: 'list what would be deleted (reads from AWS, changes nothing)' },
    ...awsArgs,
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    const keep = args.keep === undefined ? 3 : Number(args.keep);
    if (!Number.isInteger(keep) || keep < 0) throw new EdgeError('E_USAGE', `--keep must be a whole number ≥ 0 (got ${args.keep})`);
    const progress = progressRenderer(args.json === true);
    const result = await prune({
      config,
      functions: functionNames(args),
      keep,
      dryRun: args['dry-run'] === true,
      onProgress: progress.listener,
      ...awsConnection(args),
    }).finally(progress.end);
    if (args.json === true) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else render(result);
    return ExitCode.Ok;
  },
});

function render(result: PruneResult): void {
  for (const f of result.functions) {
    const verb = result.dryRun ? 'would delete' : 'deleted';
    process.stdout.write(`${paint.green('✓')} ${paint.bold(f.functionName)}: ${verb} ${f.deleted.length === 0 ? 'no version' : `version${f.deleted.length > 1 ? 's' : ''} ${f.deleted.join(', ')}`}\n`);
    if (f.kept.length > 0) process.stdout.write(`  kept ${f.kept.map((k) => `${k.version} (${k.reason})`).join(', ')}\n`);
    for (const s of f.skipped) process.stdout.write(`  ${paint.yellow('!')} ${s.version}: ${s.reason}\n`);
  }
  for (const note of result.notes) process.stdout.write(`${paint.dim('note')} ${note}\n`);
}
