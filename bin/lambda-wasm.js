#!/usr/bin/env node
import { existsSync } from 'node:fs';

const main = new URL('../lib/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  // A git install builds lib/ in the package's `prepare` script, which npm runs only when allowed.
  process.stderr.write(
    'error lambda-wasm is installed without its compiled lib/ folder\n' +
      'hint  installed from a git URL? npm skips its build unless allowed: add "allowScripts": {"lambda-wasm": true}\n' +
      '      to your package.json and run npm install again (or install a tarball made by `npm pack`).\n' +
      '      In a clone of lambda-wasm itself: npm run compile\n',
  );
  process.exit(1);
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
