import { defineCommand } from 'citty';
import { EdgeError } from '../../errors.js';
import { ExitCode } from '../exit.js';
import { paint } from '../output.js';

export default defineCommand({
  meta: { name: 'invalidate', description: 'Drop cached objects from a running `lambda-wasm dev` (CloudFront invalidation paths)' },
  args: {
    paths: { type: 'positional', required: true, description: 'paths such as /index.html or /images/* (quote the *)' },
    url: { type: 'string', description: 'the dev server (default http://127.0.0.1:3000, or PORT)' },
  },
  async run({ args, rawArgs }) {
    const paths = rawArgs.filter((a) => a.startsWith('/'));
    if (paths.length === 0) throw new EdgeError('E_USAGE', `invalidation paths start with / (got ${JSON.stringify(args.paths)})`);
    const base = args.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
    let res: Response;
    try {
      res = await fetch(`${base}/_lambda-wasm/invalidate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ paths }) });
    } catch (error) {
      throw new EdgeError('E_USAGE', `no lambda-wasm dev server answers at ${base}: ${(error as Error).message}`, { hint: 'start it with `lambda-wasm dev`, or pass --url' });
    }
    const body = (await res.json()) as { invalidated?: number; message?: string };
    if (!res.ok) throw new EdgeError('E_USAGE', body.message ?? `the server answered ${res.status}`);
    process.stdout.write(`${paint.green('✓')} ${body.invalidated} cached object${body.invalidated === 1 ? '' : 's'} invalidated\n`);
    return ExitCode.Ok;
  },
});
