import { writeFileSync } from 'node:fs';
import { defineCommand } from 'citty';
import { loadConfig } from '../../config/load.js';
import { cloudFormationTemplate, deploy, formatPlan, planDeployment, assertPreflight, type DeployResult } from '../../deploy/index.js';
import { EdgeError } from '../../errors.js';
import { functionNames } from '../args.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';
import { progressRenderer } from '../deploy-progress.js';
import { awsArgs, awsConnection } from './shared-flags.js';

export default defineCommand({
  meta: { name: 'deploy', description: 'Deploy built functions to AWS: role, function, numbered version, CloudFront trigger or Function URL' },
  args: {
    functions: { type: 'positional', required: false, description: 'functions to deploy (default: all in the config)' },
    'dry-run': { type: 'boolean', description: 'print the plan and run the pre-flight checks; no AWS call' },
    emit: { type: 'string', description: '"cloudformation": write a CloudFormation template of the plan instead of deploying' },
    output: { type: 'string', alias: 'o', description: 'with --emit: the file to write (default: standard output)' },
    wait: { type: 'boolean', default: true, description: 'wait until CloudFront has deployed the change (--no-wait to return at once)' },
    ...awsArgs,
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    const functions = functionNames(args);
    const region = args.region;
    if (args.emit !== undefined) {
      if (args.emit !== 'cloudformation') throw new EdgeError('E_USAGE', `--emit ${args.emit}: the only format is "cloudformation"`);
      const plan = planDeployment({ config, functions, ...(region === undefined ? {} : { region }) });
      assertPreflight(plan, config);
      const text = `${JSON.stringify(cloudFormationTemplate(plan), null, 2)}\n`;
      if (args.output === undefined) process.stdout.write(text);
      else {
        writeFileSync(args.output, text);
        process.stderr.write(`${paint.green('✓')} CloudFormation template → ${args.output} (upload each dist/<function>.zip to S3 under its CodeKey parameter)\n`);
      }
      return ExitCode.Ok;
    }
    const progress = progressRenderer(args.json === true);
    const result = await deploy({
      config,
      functions,
      dryRun: args['dry-run'] === true,
      waitForDistribution: args.wait !== false,
      onProgress: progress.listener,
      ...awsConnection(args),
    }).finally(progress.end);
    if (args.json === true) process.stdout.write(`${JSON.stringify(result.dryRun ? { dryRun: true, plan: result.plan } : result, null, 2)}\n`);
    else render(result);
    return ExitCode.Ok;
  },
});

function render(result: DeployResult): void {
  if (result.dryRun) {
    process.stdout.write(`${formatPlan(result.plan).join('\n')}\n\n${paint.green('✓')} pre-flight passed; nothing was sent to AWS (dry run)\n`);
    return;
  }
  for (const f of result.functions) {
    const what = f.action === 'unchanged' ? 'unchanged' : `${f.action}${f.changes.length > 0 ? ` (${f.changes.join(', ')})` : ''}`;
    process.stdout.write(`${paint.green('✓')} ${paint.bold(f.name)} → ${f.versionArn}  ${paint.dim(what)}\n`);
    if (f.aliasArn !== undefined) process.stdout.write(`  alias ${f.aliasArn}\n`);
    if (f.functionUrl !== undefined) process.stdout.write(`  ${f.functionUrl.url}  ${paint.dim(`auth ${f.functionUrl.authType}`)}\n`);
  }
  for (const d of result.distributions) {
    if (!d.updated) process.stdout.write(`${paint.green('✓')} distribution ${d.distributionId}: triggers already up to date (${d.status})\n`);
    for (const a of d.associations) {
      process.stdout.write(
        `${paint.green('✓')} distribution ${d.distributionId} ${a.pathPattern === '*' ? 'default behavior' : a.pathPattern}: ${a.eventType} → version ${a.arn.split(':').pop()}` +
          `${a.previousArn === undefined ? '' : paint.dim(` (was ${a.previousArn.split(':').pop()})`)}  ${d.status}\n`,
      );
    }
  }
}
