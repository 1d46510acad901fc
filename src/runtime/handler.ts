/**
 * @module
 * The entry point inside every zip (`index.mjs`, handler `index.handler`). The module is compiled
 * and instantiated at cold start — in Lambda's INIT phase, which is measured as `Init Duration` —
 * and every invocation reuses it.
 */
import { fs, nowMs } from './builtins.js';
import { WasmGuest, type ContextLike } from './abi-host.js';

// When the adapter's own code starts (`nowMs()`, process.hrtime in ms): `bench` tells module load from the rest.
const loadedAt = nowMs();
const readStart = nowMs();
const bytes = fs.readFileSync(new URL('./guest.wasm', import.meta.url));
const readMs = nowMs() - readStart;
const guest = await WasmGuest.load(bytes, console);

/** How the cold start was spent, in ms; `bench` reads it. */
export const initTimings = { loadedAt, readMs, ...guest.timings };

export const handler = async (event: unknown, context: ContextLike): Promise<unknown> => guest.handle(event, context);
