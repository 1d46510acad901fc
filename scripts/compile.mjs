// Compiles the TypeScript library to lib/ and bundles the runtime adapter that goes into every zip.
// The adapter is bundled here, once, so `build` only copies a file and needs no bundler at run time.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleAdapter, ADAPTER_ENTRIES } from './adapter-bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'lib'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
  cwd: root,
});
// esbuild strips types without checking them: the adapter is type-checked on its own (no DOM, no npm types).
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.runtime.json')], {
  stdio: 'inherit',
  cwd: root,
});
for (const [name, entry] of Object.entries(ADAPTER_ENTRIES)) {
  await bundleAdapter(entry, join(root, 'lib/runtime', name));
}
