/**
 * @module
 * One error type for the whole library. Errors that cross a process or bundle boundary (the
 * zipped runtime, a sandbox child) are recognised by a brand, not `instanceof`, and serialise
 * with `toJSON()`.
 */

/**
 * Stable codes. All but `E_INTERNAL` are the user's to fix (a short message and a hint); the CLI
 * exits 2 for `E_USAGE` and 1 for the others.
 */
export type EdgeErrorCode =
  /** `lambda-wasm.config.json` is missing or wrong: schema problems, a path or fixture that is not there, an unset `${VAR}`, a distribution without the named behavior. */
  | 'E_CONFIG'
  /** A usage mistake: an unknown command, flag or value, a flag that does not fit the function (the CLI's one form of them). */
  | 'E_USAGE'
  /** An event that cannot be used: not JSON, not CloudFront-shaped for a trigger, of another trigger's type, not serialisable. */
  | 'E_EVENT_INVALID'
  /** Reserved, not thrown today: a result CloudFront would refuse is reported as violations (`validateResult`), not thrown. */
  | 'E_RESULT_INVALID'
  /** A function name that is not in the config (`getFunction`, the emulator's `reload`). */
  | 'E_FUNCTION_UNKNOWN'
  /** A tool the build needs is not installed (the wasm32 Rust target, cargo, zig for native builds), with how to get it. */
  | 'E_TOOLCHAIN_MISSING'
  /** The guest did not compile, or a built or prebuilt module is not a guest the adapter would load (src/runtime/abi-contract.ts). */
  | 'E_COMPILE'
  /** The zip is over the size limit of the function's kind (1 MB for viewer triggers): the largest parts are listed. */
  | 'E_PACKAGE_TOO_LARGE'
  /** A command needs a built zip (`dist/<name>.zip`) that is not there: run `lambda-wasm build`. */
  | 'E_NOT_BUILT'
  /** Reserved, not thrown today: a guest's failure is the invocation's error (`InvocationRecord.error`), as Lambda reports it. */
  | 'E_GUEST'
  /** Reserved, not thrown today: a timeout is the invocation's `Sandbox.Timedout` error, as Lambda reports it. */
  | 'E_TIMEOUT'
  /** An AWS call failed (credentials, permissions, throttling after retries), with AWS's code and message. */
  | 'E_AWS'
  /** `deploy` refused before any change: what CloudFront or Lambda would refuse (limits, runtimes, IncludeBody, an unversioned ARN), or a `deploy.role` that is missing or does not trust Lambda. */
  | 'E_PREFLIGHT'
  /** A runner, the function pool or the emulator was used after `dispose()`/`close()`: it starts nothing new. */
  | 'E_DISPOSED'
  /** A bug in lambda-wasm (a missing compiled file, an impossible state): the CLI prints the stack and asks for a report. */
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
