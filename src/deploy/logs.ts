/**
 * @module
 * `lambda-wasm logs`: a deployed function's CloudWatch Logs, merged by time. A Lambda@Edge
 * function logs in the Region where its replica ran, under `/aws/lambda/us-east-1.<name>`, so one
 * failing request can be in any of a dozen Regions: this reads the group in every Region where
 * CloudFront runs Lambda@Edge (or the ones given), and a plain Lambda function's one group
 * (`/aws/lambda/<name>`) in its Region. Log lines are returned oldest first with their Region.
 * See https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-logs.html.
 */
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DEFAULT_REGION, logGroupName } from '../lambda/identity.js';

/** The Regions with CloudFront regional edge caches, where Lambda@Edge replicas run and log. */
export const EDGE_LOG_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

export interface LogLine {
  /** Milliseconds since the epoch, as CloudWatch stamped the event. */
  timestamp: number;
  region: string;
  logGroup: string;
  logStream: string;
  message: string;
  eventId: string;
}

export interface LogsOptions {
  /** The function's name in AWS. */
  functionName: string;
  /** Lambda@Edge (`/aws/lambda/us-east-1.<name>` in every Region) or plain Lambda. */
  edge: boolean;
  /** A plain Lambda function's Region (default us-east-1). */
  region?: string;
  /** Regions to read an edge function's logs in (default EDGE_LOG_REGIONS). */
  regions?: readonly string[];
  /** Only events at or after this time (ms since the epoch). */
  startTime: number;
  /** Only lines containing this text. */
  filter?: string;
  /** Only the lines of this invocation (its START, its own lines, END, REPORT). */
  requestId?: string;
  endpoint?: string;
  profile?: string;
}

export interface LogGroupRef {
  region: string;
  logGroup: string;
}

/** The log groups a function writes to. */
export function logGroupsOf(options: Pick<LogsOptions, 'functionName' | 'edge' | 'region' | 'regions'>): LogGroupRef[] {
  const logGroup = logGroupName({ name: options.functionName, edge: options.edge });
  if (!options.edge) return [{ region: options.region ?? DEFAULT_REGION, logGroup }];
  return (options.regions ?? EDGE_LOG_REGIONS).map((region) => ({ region, logGroup }));
}

/** A reader that keeps its clients (one per Region) for repeated reads (`--follow`). */
export class LogReader {
  private readonly clients = new Map<string, CloudWatchLogsClient>();
  /** Groups seen to exist: a Region with no group yet is asked again on every read. */
  readonly found = new Set<string>();

  constructor(private readonly options: LogsOptions) {}

  /** Every matching line from `startTime` on, in every group, oldest first. */
  async read(startTime: number = this.options.startTime): Promise<LogLine[]> {
    const groups = logGroupsOf(this.options);
    const perGroup = await Promise.all(groups.map((g) => this.readGroup(g, startTime)));
    const wanted = (m: string) => (this.options.filter === undefined || m.includes(this.options.filter)) && (this.options.requestId === undefined || m.includes(this.options.requestId));
    return perGroup
      .flat()
      .filter((l) => wanted(l.message))
      .sort((a, b) => a.timestamp - b.timestamp || a.region.localeCompare(b.region) || a.eventId.localeCompare(b.eventId));
  }

  destroy(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }

  private async readGroup(group: LogGroupRef, startTime: number): Promise<LogLine[]> {
    const sdk = await import('@aws-sdk/client-cloudwatch-logs');
    const client = await this.client(group.region);
    const terms = [this.options.filter, this.options.requestId].filter((t): t is string => t !== undefined && t !== '' && !t.includes('"'));
    const out: LogLine[] = [];
    let nextToken: string | undefined;
    do {
      let page: import('@aws-sdk/client-cloudwatch-logs').FilterLogEventsCommandOutput;
      try {
        page = await client.send(
          new sdk.FilterLogEventsCommand({
            logGroupName: group.logGroup,
            startTime,
            // CloudWatch narrows by the terms; the exact text match is done here as well.
            ...(terms.length === 0 ? {} : { filterPattern: terms.map((t) => `"${t}"`).join(' ') }),
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        );
      } catch (error) {
        // No group in this Region: no replica ran there (yet).
        if ((error as Error).name === 'ResourceNotFoundException') return out;
        throw error;
      }
      this.found.add(`${group.region} ${group.logGroup}`);
      for (const e of page.events ?? []) {
        out.push({
          timestamp: e.timestamp ?? 0,
          region: group.region,
          logGroup: group.logGroup,
          logStream: e.logStreamName ?? '',
          message: (e.message ?? '').replace(/\n$/, ''),
          eventId: e.eventId ?? `${e.logStreamName}/${e.timestamp}/${out.length}`,
        });
      }
      nextToken = page.nextToken === nextToken ? undefined : page.nextToken;
    } while (nextToken !== undefined);
    return out;
  }

  private async client(region: string): Promise<CloudWatchLogsClient> {
    let c = this.clients.get(region);
    if (c === undefined) {
      const sdk = await import('@aws-sdk/client-cloudwatch-logs');
      c = new sdk.CloudWatchLogsClient({
        region,
        maxAttempts: 3,
        ...(this.options.endpoint === undefined ? {} : { endpoint: this.options.endpoint }),
        ...(this.options.profile === undefined ? {} : { profile: this.options.profile }),
      });
      this.clients.set(region, c);
    }
    return c;
  }
}

/** One read of a function's logs, merged by time. */
export async function readLogs(options: LogsOptions): Promise<{ lines: LogLine[]; groupsFound: string[] }> {
  const reader = new LogReader(options);
  try {
    const lines = await reader.read();
    return { lines, groupsFound: [...reader.found] };
  } finally {
    reader.destroy();
  }
}

/**
 * Reads, then polls every `pollMs` for new lines until `signal` aborts, handing each line to
 * `onLine` once, in time order within each poll.
 */
export async function followLogs(options: LogsOptions & { pollMs?: number; signal: AbortSignal; onLine: (line: LogLine) => void; sleep?: (ms: number) => Promise<void> }): Promise<void> {
  const reader = new LogReader(options);
  const seen = new Map<string, number>();
  let from = options.startTime;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  try {
    while (!options.signal.aborted) {
      const lines = await reader.read(from);
      for (const l of lines) {
        if (seen.has(l.eventId)) continue;
        seen.set(l.eventId, l.timestamp);
        options.onLine(l);
      }
      // Events can arrive late (another Region, a delayed flush): read the last minute again, and
      // forget ids older than that so the set stays small.
      const newest = lines.reduce((m, l) => Math.max(m, l.timestamp), from);
      from = Math.max(options.startTime, newest - 60_000);
      for (const [id, ts] of seen) if (ts < from) seen.delete(id);
      if (options.signal.aborted) break;
      await Promise.race([sleep(options.pollMs ?? 2_000), new Promise((r) => options.signal.addEventListener('abort', r, { once: true }))]);
    }
  } finally {
    reader.destroy();
  }
}

/** `10m`, `2h`, `1d`, `30s`, or a date: the start time in ms since the epoch. */
export function parseSince(text: string, now: number = Date.now()): number | undefined {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (m !== null) return now - Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}
