/**
 * @module
 * `dev --watch`: rebuild a guest when its sources change and swap the new zip in without dropping
 * requests in flight. A build that fails keeps the old module running and says why.
 */
import { watch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from '../build/build.js';
import type { FunctionConfig, ProjectConfig } from '../config/load.js';
import { isEdgeError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface WatchOptions {
  config: ProjectConfig;
  functions: readonly FunctionConfig[];
  /** Swaps the rebuilt function in (the emulator's `reload`). */
  reload: (name: string) => boolean;
  logger: Logger;
  /** Quiet time before a rebuild starts, so one save of many files builds once. Default 300 ms. */
  debounceMs?: number;
  /** After each rebuild attempt (tests wait on it). */
  onRebuilt?: (name: string, ok: boolean) => void;
}

export interface Watcher {
  close(): void;
}

export function watchFunctions(options: WatchOptions): Watcher {
  const watchers: FSWatcher[] = [];
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  const rebuild = async (fn: FunctionConfig): Promise<void> => {
    options.logger.info(`↻ ${fn.name}: sources changed, rebuilding`);
    let ok = false;
    try {
      await build({ config: options.config, functions: [fn.name], logger: options.logger });
      ok = true;
      const swapped = options.reload(fn.name);
      options.logger.info(swapped ? `✓ ${fn.name}: new module in service` : `✓ ${fn.name}: rebuilt, unchanged`);
    } catch (error) {
      const detail = isEdgeError(error) ? [error.message, ...error.details.slice(0, 20)].join('\n  ') : String(error);
      options.logger.error(`${fn.name}: the build failed; the previous module keeps serving\n  ${detail}`);
    }
    options.onRebuilt?.(fn.name, ok);
  };

  const schedule = (fn: FunctionConfig) => {
    clearTimeout(timers.get(fn.name));
    timers.set(
      fn.name,
      setTimeout(() => {
        if (running.has(fn.name)) {
          again.add(fn.name);
          return;
        }
        const p = rebuild(fn).finally(() => {
          running.delete(fn.name);
          if (again.delete(fn.name)) schedule(fn);
        });
        running.set(fn.name, p);
      }, options.debounceMs ?? 300),
    );
  };

  for (const fn of options.functions) {
    const paths = fn.source.kind === 'crate' ? [join(fn.source.path, 'src'), join(fn.source.path, 'Cargo.toml')] : fn.source.kind === 'wasm' ? [dirname(fn.source.path)] : [fn.source.path];
    for (const path of paths) {
      try {
        const w = watch(path, { recursive: true }, (_event, file) => {
          if (fn.source.kind === 'wasm' && file !== null && !fn.source.path.endsWith(String(file))) return;
          schedule(fn);
        });
        watchers.push(w);
      } catch (error) {
        options.logger.warn(`cannot watch ${path}: ${(error as Error).message}`);
      }
    }
  }
  return {
    close() {
      for (const w of watchers) w.close();
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
