import { defineCommand } from 'citty';
import { loadConfig } from '../../config/load.js';
import { parseDeployConfig } from '../../deploy/config.js';
import { EDGE_LOG_REGIONS, followLogs, logGroupsOf, parseSince, readLogs, type LogLine, type LogsOptions } from '../../deploy/logs.js';
import { EdgeError } from '../../errors.js';
import { functionNames } from '../args.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';
import { escapeControl } from '../terminal-text.js';
import { awsConnection, awsConnectionFlags, configFlag } from './shared-flags.js';

export default defineCommand({
  meta: { name: 'logs', description: "A deployed function's CloudWatch Logs: an edge function's from every Region its replicas log in, merged by time" },
  args: {
    function: { type: 'positional', required: true, description: 'the function (its name in the config)' },
    since: { type: 'string', default: '10m', description: 'how far back: 30s, 10m, 2h, 1d or a date (default 10m)' },
    follow: { type: 'boolean', alias: 'f', description: 'keep reading new lines until Ctrl-C' },
    filter: { type: 'string', description: 'only lines containing this text' },
    'request-id': { type: 'string', description: 'only the lines of this invocation (START … REPORT)' },
    regions: { type: 'string', description: `edge functions: the Regions to read, comma-separated (default: the ${EDGE_LOG_REGIONS.length} with regional edge caches)` },
    ...configFlag,
    ...awsConnectionFlags,
    region: { type: 'string', description: 'a plain Lambda function\'s Region (default: deploy.region, us-east-1)' },
  },
  async run({ args }) {
    const config = loadConfig({ configFile: args.config });
    const [name] = functionNames(args);
    const fn = config.functions.find((f) => f.name === name);
    if (fn === undefined) throw new EdgeError('E_USAGE', `no function named ${JSON.stringify(name)} in ${config.file ?? 'the config'}`, { hint: `one of: ${config.functions.map((f) => f.name).join(', ')}` });
    const startTime = parseSince(args.since);
    if (startTime === undefined) throw new EdgeError('E_USAGE', `--since ${args.since}: give a duration such as 30s, 10m, 2h, 1d, or a date`);
    const deployConfig = parseDeployConfig(config);
    const regions = args.regions?.split(',').map((r) => r.trim()).filter((r) => r !== '');
    const options: LogsOptions = {
      functionName: deployConfig.functions[fn.name]!.functionName,
      edge: fn.kind !== 'lambda',
      region: args.region ?? deployConfig.region,
      ...(regions === undefined ? {} : { regions }),
      startTime,
      ...(args.filter === undefined ? {} : { filter: args.filter }),
      ...(args['request-id'] === undefined ? {} : { requestId: args['request-id'] }),
      ...awsConnection({ profile: args.profile, 'endpoint-url': args['endpoint-url'] }),
    };
    const groups = logGroupsOf(options);
    const where = options.edge ? `${groups[0]!.logGroup} in ${groups.length} Regions` : `${groups[0]!.logGroup} in ${groups[0]!.region}`;
    process.stderr.write(`${paint.dim(`reading ${where} since ${new Date(startTime).toISOString()}…`)}\n`);
    const width = Math.max(...groups.map((g) => g.region.length));
    const print = (l: LogLine) => process.stdout.write(`${paint.dim(new Date(l.timestamp).toISOString())} ${paint.cyan(l.region.padEnd(width))} ${escapeControl(l.message)}\n`);
    if (args.follow === true) {
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.once('SIGTERM', () => stop.abort());
      await followLogs({ ...options, signal: stop.signal, onLine: print });
      return ExitCode.Ok;
    }
    const { lines, groupsFound } = await readLogs(options);
    for (const l of lines) print(l);
    if (groupsFound.length === 0) {
      process.stderr.write(`${paint.yellow('no log group')} ${groups[0]!.logGroup} ${options.edge ? 'in any of those Regions' : `in ${groups[0]!.region}`}: the function has not run since it was deployed, or it is deployed under another name or account\n`);
    } else if (lines.length === 0) {
      process.stderr.write(`${paint.dim(`no lines since ${args.since} (log groups in ${groupsFound.map((g) => g.split(' ')[0]).join(', ')})`)}\n`);
    }
    return ExitCode.Ok;
  },
});
