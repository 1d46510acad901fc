/**
 * @module
 * The platform's own log lines, exactly as Lambda writes them to CloudWatch (tab-separated fields).
 */

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedMs: number;
  memorySize: number;
  maxMemoryMB: number;
  initDurationMs: number | undefined;
}

export function reportLine(f: ReportFields): string {
  const fields = [
    `REPORT RequestId: ${f.requestId}`,
    `Duration: ${f.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${f.billedMs} ms`,
    `Memory Size: ${f.memorySize} MB`,
    `Max Memory Used: ${f.maxMemoryMB} MB`,
  ];
  if (f.initDurationMs !== undefined) fields.push(`Init Duration: ${f.initDurationMs.toFixed(2)} ms`);
  return fields.join('\t');
}

/** `2024-01-01T00:00:00.000Z <id> Task timed out after 5.00 seconds` */
export function timeoutLine(requestId: string, timeoutSeconds: number): string {
  return `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/**
 * `INIT_REPORT Init Duration: 10000.00 ms	Phase: init	Status: timeout`: an init phase that did not
 * finish; `Phase: invoke` is the init Lambda retries inside the first invocation (a suppressed init).
 */
export function initReportLine(durationMs: number, phase: 'init' | 'invoke', status: 'timeout' | 'error'): string {
  return `INIT_REPORT Init Duration: ${durationMs.toFixed(2)} ms\tPhase: ${phase}\tStatus: ${status}`;
}
