// The one definition of how the runtime adapter is bundled: used by the compile step and by the
// size-budget test, so the test measures exactly what ships.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const ADAPTER_ENTRIES = {
  'adapter.mjs': join(root, 'src/runtime/handler.ts'),
  'adapter-wasm-pack.mjs': join(root, 'src/runtime/wasm-pack-handler.ts'),
};

/** Bundles one adapter entry; returns the bytes and esbuild's metafile. */
export async function bundleAdapter(entry, outfile) {
  const result = await build({
    entryPoints: [entry],
    outfile,
    write: outfile !== undefined,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
    // Only Node built-ins may be imported: the adapter has no npm dependencies by design.
    external: ['node:*'],
  });
  const bytes = result.outputFiles?.[0]?.contents;
  return { bytes, metafile: result.metafile };
}
