// Compiles the TypeScript library to lib/ and bundles the runtime adapter that goes into every zip.
// The adapter is bundled here, once, so `build` only copies a file and needs no bundler at run time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleAdapter, ADAPTER_ENTRIES } from './adapter-bundle.mjs';
import { bundleInspectorUi } from './inspector-bundle.mjs';

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
// The request inspector's page (Preact + htm), served by `dev`.
await bundleInspectorUi(root);
// The config's JSON Schema, generated from the zod schema just compiled; the package ships it for
// editors (`"$schema"` in lambda-wasm.config.json). Written only when it changed, so it stays put in git.
const { configJsonSchemaText, JSON_SCHEMA_FILE } = await import(pathToFileURL(join(root, 'lib/config/json-schema.js')).href);
const schemaFile = join(root, JSON_SCHEMA_FILE);
let previous;
try {
  previous = readFileSync(schemaFile, 'utf8');
} catch {}
if (previous !== configJsonSchemaText()) {
  mkdirSync(dirname(schemaFile), { recursive: true });
  writeFileSync(schemaFile, configJsonSchemaText());
  console.log(`compile: wrote ${JSON_SCHEMA_FILE} (commit it with the schema change)`);
}
