/**
 * @module
 * The library never writes to the console itself: commands take a `Logger`. The CLI passes one
 * that prints; tests pass a `TestLogger` and assert on what was recorded.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const noopLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};

export interface LogEntry {
  level: LogLevel;
  message: string;
}

/** Records every entry, for assertions. */
export class TestLogger implements Logger {
  readonly entries: LogEntry[] = [];
  debug(message: string): void {
    this.entries.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.entries.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.entries.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.entries.push({ level: 'error', message });
  }
  text(level?: LogLevel): string {
    return this.entries
      .filter((e) => level === undefined || e.level === level)
      .map((e) => e.message)
      .join('\n');
  }
}
