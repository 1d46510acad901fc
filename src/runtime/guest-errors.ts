/**
 * @module
 * Errors the adapter throws so that the Lambda runtime reports them as AWS does:
 * `errorType` = `error.name`, `errorMessage` = `error.message`, `trace` = the stack lines.
 */

/** An Error whose `name` becomes Lambda's `errorType`. */
export function guestError(errorType: string, message: string): Error {
  const error = new Error(message);
  error.name = errorType;
  return error;
}

/** Stack overflow in Wasm surfaces as a RangeError from V8, not a RuntimeError. */
function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/**
 * Turns whatever escaped the guest into `WasmPanic` (the guest told us why) or `WasmTrap`, keeping
 * the wasm frames of the original stack so a name section can point at the Rust function.
 */
export function trapError(error: unknown, panicMessage: string | undefined): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const kind = original instanceof WebAssembly.RuntimeError || isStackOverflow(original) ? original.name : `${original.name} thrown inside the guest`;
  const result =
    panicMessage !== undefined
      ? guestError('WasmPanic', panicMessage)
      : guestError('WasmTrap', `${kind}: ${original.message}`);
  const frames = (original.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at '));
  result.stack = [`${result.name}: ${result.message}`, ...frames].join('\n');
  return result;
}
