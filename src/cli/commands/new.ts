import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { EdgeError } from '../../errors.js';
import { createProject, isTemplateName, TEMPLATE_NAMES, TEMPLATES } from '../../new/index.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';

export default defineCommand({
  meta: { name: 'new', description: 'Create a project (Rust guest, config, fixture, README) from a template' },
  args: {
    dir: { type: 'positional', required: true, description: 'the project folder (created; must be new or empty)' },
    template: { type: 'string', alias: 't', description: `${TEMPLATE_NAMES.join(' | ')} (default viewer-request)` },
    name: { type: 'string', description: 'crate and function name (default: from the folder name)' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  run({ args }) {
    const template = args.template ?? 'viewer-request';
    if (!isTemplateName(template)) {
      throw new EdgeError('E_USAGE', `unknown template "${template}"`, { hint: TEMPLATE_NAMES.map((t) => `${t}: ${TEMPLATES[t].summary}`).join('; ') });
    }
    const result = createProject({ dir: args.dir, template, ...(args.name === undefined ? {} : { name: args.name }) });
    if (args.json === true) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const where = relative(process.cwd(), result.dir) || '.';
    process.stdout.write(`${paint.green('✓')} ${paint.bold(result.name)}: ${TEMPLATES[template].summary}\n`);
    for (const file of result.files) process.stdout.write(`  ${where}/${file}\n`);
    process.stdout.write(`\nnext:\n  cd ${where}\n  npx lambda-wasm build\n  npx lambda-wasm invoke ${result.name}\n  npx lambda-wasm deploy --dry-run\n`);
    return ExitCode.Ok;
  },
});
