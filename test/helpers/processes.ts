// What a test checks after hostile guests: Lambda runtime processes still alive among this
// process's children, and threads of this process still burning CPU (Linux /proc).
import { readdirSync, readFileSync } from 'node:fs';

/** Lambda environment processes (the runtime client) among the children of `pid`. */
export function runtimePids(pid = process.pid): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && /bootstrap\.js|aws-lambda-ric/.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function threadTimes(): Map<string, number> {
  const times = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      times.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone meanwhile
    }
  }
  return times;
}

function threadName(tid: string): string {
  try {
    return readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return '(gone)';
  }
}

/** Threads of this process that used more than a third of a core over `ms` while the caller waited. */
export async function spinningThreads(ms = 1000): Promise<string[]> {
  const before = threadTimes();
  await new Promise((r) => setTimeout(r, ms));
  const after = threadTimes();
  const ticks = (ms / 1000) * 100;
  return [...after].filter(([tid, t]) => t - (before.get(tid) ?? t) > ticks / 3).map(([tid]) => `${tid} ${threadName(tid)}`);
}
