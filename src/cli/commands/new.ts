import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { defineCommand } from 'citty';
import { EdgeError } from '../../errors.js';
import { createProject, isTemplateName, TEMPLATE_NAMES, TEMPLATES, type TemplateName } from '../../new/index.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';

export default defineCommand({
  meta: { name: 'new', description: 'Create a project (package.json, Rust guest, config, fixture, README), or add one to an npm project with `new .`' },
  args: {
    dir: { type: 'positional', required: true, description: 'the project folder: created when missing; `.` adds to the current npm project' },
    template: { type: 'string', alias: 't', description: `${TEMPLATE_NAMES.join(' | ')} (asked on a terminal; default viewer-request)` },
    name: { type: 'string', description: 'crate and function name (default: from the folder name)' },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  async run({ args }) {
    const template = args.template ?? (interactive(args.json === true) ? await askTemplate() : 'viewer-request');
    if (!isTemplateName(template)) {
      throw new EdgeError('E_USAGE', `unknown template "${template}"`, { hint: `--template ${TEMPLATE_NAMES.join(' | ')}` });
    }
    const result = createProject({ dir: args.dir, template, ...(args.name === undefined ? {} : { name: args.name }) });
    if (args.json === true) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return ExitCode.Ok;
    }
    const where = relative(process.cwd(), result.dir) || '.';
    process.stdout.write(`${paint.green('✓')} ${paint.bold(result.name)}: ${TEMPLATES[template].summary}\n`);
    for (const file of result.files) process.stdout.write(`  ${where}/${file}${result.merged.includes(file) ? paint.dim('  (merged)') : ''}\n`);
    for (const script of result.keptScripts) process.stdout.write(`${paint.yellow('note')}  package.json already has a "${script}" script: kept as it was\n`);
    const installed = existsSync(join(result.dir, result.packageDir, 'package.json'));
    const steps = [
      ...(where === '.' ? [] : [`cd ${where}`]),
      ...(installed ? [] : ['npm install']),
      'npm run build',
      `npx lambda-wasm invoke ${result.name}`,
      'npm run dev',
      'npx lambda-wasm deploy --dry-run',
    ];
    process.stdout.write(`\nnext:\n${steps.map((s) => `  ${s}\n`).join('')}`);
    return ExitCode.Ok;
  },
});

/** Ask only when a person is there to answer: both ends a terminal, and not --json. */
function interactive(json: boolean): boolean {
  return !json && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

async function askTemplate(): Promise<TemplateName> {
  process.stdout.write('Which template?\n');
  TEMPLATE_NAMES.forEach((t, i) => process.stdout.write(`  ${i + 1}. ${paint.bold(t.padEnd(16))} ${TEMPLATES[t].summary}\n`));
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    for (;;) {
      const answer = (await rl.question(`template [1-${TEMPLATE_NAMES.length} or a name, Enter for 1]: `)).trim();
      if (answer === '') return TEMPLATE_NAMES[0];
      const picked = /^\d+$/.test(answer) ? TEMPLATE_NAMES[Number(answer) - 1] : answer;
      if (isTemplateName(picked)) return picked;
      process.stdout.write(`"${answer}" is not one of them\n`);
    }
  } finally {
    rl.close();
  }
}
