/**
 * @module
 * One error type for the whole library. Errors that cross a process or bundle boundary (the
 * zipped runtime, a sandbox child) are recognised by a brand, not `instanceof`, and serialise
 * with `toJSON()`.
 */

/** Stable codes; `E_USER_*`-style codes are the user's to fix, the rest are ours. */
export type EdgeErrorCode =
  | 'E_CONFIG'
  | 'E_USAGE'
  | 'E_EVENT_INVALID'
  | 'E_RESULT_INVALID'
  | 'E_FUNCTION_UNKNOWN'
  | 'E_TOOLCHAIN_MISSING'
  | 'E_COMPILE'
  | 'E_PACKAGE_TOO_LARGE'
  | 'E_NOT_BUILT'
  | 'E_GUEST'
  | 'E_TIMEOUT'
  | 'E_AWS'
  | 'E_PREFLIGHT'
  | 'E_DISPOSED'
  | 'E_INTERNAL';

const USER_CODES: ReadonlySet<EdgeErrorCode> = new Set<EdgeErrorCode>([
  'E_CONFIG',
  'E_USAGE',
  'E_EVENT_INVALID',
  'E_RESULT_INVALID',
  'E_FUNCTION_UNKNOWN',
  'E_TOOLCHAIN_MISSING',
  'E_COMPILE',
  'E_PACKAGE_TOO_LARGE',
  'E_NOT_BUILT',
  'E_GUEST',
  'E_TIMEOUT',
  'E_AWS',
  'E_PREFLIGHT',
  'E_DISPOSED',
]);

const BRAND = Symbol.for('lambda-wasm.EdgeError');

export interface EdgeErrorOptions {
  /** What the user can do about it; printed under the message. */
  hint?: string;
  cause?: unknown;
  /** Extra lines of detail (compiler output, a list of violations). */
  details?: string[];
}

export class EdgeError extends Error {
  readonly code: EdgeErrorCode;
  readonly hint: string | undefined;
  readonly details: string[];
  readonly [BRAND] = true;

  constructor(code: EdgeErrorCode, message: string, options: EdgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EdgeError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }

  toJSON(): { code: EdgeErrorCode; message: string; hint?: string; details: string[] } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      details: this.details,
    };
  }
}

/** Brand check that works across copies of this module. */
export function isEdgeError(value: unknown): value is EdgeError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** A user error gets a short message and a fix; anything else is a bug worth reporting. */
export function isUserError(value: unknown): boolean {
  return isEdgeError(value) && USER_CODES.has(value.code);
}

/**
 * The error an object gives once it has been closed (a runner, the function pool, the emulator):
 * it starts nothing new, and says so rather than quietly coming back to life.
 */
export function disposedError(what: string): EdgeError {
  return new EdgeError('E_DISPOSED', `${what} was closed: it runs nothing more`, { hint: `create a new one to run more` });
}
