/**
 * @module
 * What deploy, destroy and prune print while they wait on AWS.
 */
import type { DeployProgress } from '../deploy/index.js';
import { paint } from './output.js';

/**
 * Progress on stderr: on a terminal the waiting line is rewritten in place; elsewhere (CI, logs)
 * each step is a line and waits are reported at most every 30 seconds.
 */
export function progressRenderer(quiet: boolean): { listener: (e: DeployProgress) => void; end: () => void } {
  const tty = process.stderr.isTTY === true;
  let waiting = false;
  let lastWaitLine = 0;
  const clear = () => {
    if (waiting) process.stderr.write('\r\u001b[K');
    waiting = false;
  };
  return {
    listener: (e) => {
      if (quiet && e.phase !== 'warn') return;
      if (e.phase === 'wait') {
        const text = `${paint.dim('…')} ${e.message} ${paint.dim(`(${Math.round((e.elapsedMs ?? 0) / 1000)} s)`)}`;
        if (tty) {
          process.stderr.write(`\r\u001b[K${text}`);
          waiting = true;
        } else if (Date.now() - lastWaitLine > 30_000) {
          process.stderr.write(`${text}\n`);
          lastWaitLine = Date.now();
        }
        return;
      }
      clear();
      const mark = e.phase === 'done' ? paint.green('✓') : e.phase === 'retry' || e.phase === 'warn' ? paint.yellow('!') : paint.dim('→');
      process.stderr.write(`${mark} ${e.message}\n`);
    },
    end: clear,
  };
}
