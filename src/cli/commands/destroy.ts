import { defineCommand } from 'citty';
import { loadConfig } from '../../config/load.js';
import { destroy, type DestroyResult } from '../../deploy/index.js';
import { EdgeError } from '../../errors.js';
import { functionNames } from '../args.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';
import { progressRenderer } from '../deploy-progress.js';
import { awsArgs, awsConnection } from './shared-flags.js';

export default defineCommand({
  meta: { name: 'destroy', description: 'Detach functions from their distributions and delete them (edge versions: once CloudFront has removed the replicas)' },
  args: {
    functions: { type: 'positional', required: false, description: 'functions to destroy (default: all in the config)' },
    'dry-run': { type: 'boolean', description: 'say what would be removed; no AWS call' },
    yes: { type: 'boolean', alias: 'y', description: 'confirm: really delete' },
    ...awsArgs,
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    const dryRun = args['dry-run'] === true;
    if (!dryRun && args.yes !== true) {
      throw new EdgeError('E_USAGE', 'destroy deletes functions in AWS: add --yes to confirm (or --dry-run to see what it would do)');
    }
    const progress = progressRenderer(args.json === true);
    const result = await destroy({
      config,
      functions: functionNames(args),
      dryRun,
      onProgress: progress.listener,
      ...awsConnection(args),
    }).finally(progress.end);
    if (args.json === true) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else render(result);
    // Replicas still present: not an error, but the job is not finished.
    return result.functions.some((f) => f.status === 'replicas-remain') ? ExitCode.Failure : ExitCode.Ok;
  },
});

function render(result: DestroyResult): void {
  for (const f of result.functions) {
    const detached = f.detached.map((d) => `detached from ${d.distributionId}`).join(', ');
    const line = {
      planned: `${paint.dim('would')} ${f.functionName}: remove its triggers${detached === '' ? '' : ` (${f.detached.map((d) => d.distributionId).join(', ')})`} and delete it`,
      deleted: `${paint.green('✓')} ${f.functionName} deleted${detached === '' ? '' : ` (${detached})`}`,
      'not-found': `${paint.green('✓')} ${f.functionName} does not exist`,
      'replicas-remain': `${paint.yellow('!')} ${f.functionName}: ${detached === '' ? 'not attached' : detached}, but CloudFront still has replicas; not deleted yet`,
    }[f.status];
    process.stdout.write(`${line}\n`);
  }
  for (const note of result.notes) process.stdout.write(`${paint.dim('note')} ${note}\n`);
}
