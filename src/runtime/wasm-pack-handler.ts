/**
 * @module
 * The entry point for the usual wasm-bindgen kind of guest: a `wasm-pack build --target nodejs` package in
 * `pkg/` whose module exports `handler(event, context)`. wasm-bindgen owns memory and conversions;
 * this adds the error mapping and a fresh module after a trap.
 */
import { fs, nodeModule } from './builtins.js';
import { guestError, trapError } from './guest-errors.js';

type PkgHandler = (event: unknown, context: unknown) => unknown;

const require = (await nodeModule()).createRequire(import.meta.url);
const manifest = JSON.parse(fs.readFileSync(new URL('./pkg/package.json', import.meta.url), 'utf8')) as { main?: string };
const entry = require.resolve(`./pkg/${manifest.main ?? 'index.js'}`);

function load(): PkgHandler {
  const mod = require(entry) as { handler?: unknown };
  if (typeof mod.handler !== 'function') {
    throw guestError('WasmInitError', `pkg/${manifest.main ?? 'index.js'} does not export handler(event, context); add #[wasm_bindgen] pub fn handler(...) to the crate`);
  }
  return mod.handler as PkgHandler;
}

let guestHandler = load();

export const handler = async (event: unknown, context: unknown): Promise<unknown> => {
  try {
    return await guestHandler(event, context);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError || (error instanceof RangeError && /call stack/i.test(error.message))) {
      // wasm-bindgen instantiates at require time: drop the cached module to get a fresh instance.
      delete require.cache[entry];
      guestHandler = load();
      throw trapError(error, undefined);
    }
    throw error;
  }
};
