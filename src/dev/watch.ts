/**
 * @module
 * `dev --watch`: rebuild a guest when its sources change and swap the new zip in without dropping
 * requests in flight. A build that fails keeps the old module running and says why.
 *
 * Watching is chokidar's: Node's recursive `fs.watch` on Linux loses a file that an editor saves by
 * writing a temporary file and renaming it over the old one (vim, `sed -i`, many IDEs), and then
 * stays deaf to it. chokidar watches the folders, so renames, deletes and re-creates and new files
 * are all seen. The config file is watched too: an edit rebuilds the functions whose settings changed.
 */
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import { basename, dirname, relative, sep } from 'node:path';
import { build } from '../build/build.js';
import { loadConfig, type FunctionConfig, type ProjectConfig } from '../config/load.js';
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
  /** Resolves when every watched folder has been scanned: changes after this are seen. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** Folders that never hold a guest's sources and can be huge. */
const NEVER_WATCHED = new Set(['target', 'node_modules', '.git', '.cache']);

/** Where a function's sources live: a folder to watch, how deep, and which paths in it count. */
interface SourceWatch {
  root: string;
  depth: number | undefined;
  matches: (path: string) => boolean;
}

function sourceWatch(fn: FunctionConfig): SourceWatch {
  const source = fn.source;
  if (source.kind === 'crate') {
    const root = source.path;
    return {
      root,
      depth: undefined,
      matches: (path) => {
        const rel = relative(root, path);
        return rel.startsWith(`src${sep}`) || rel === 'src' || rel === 'Cargo.toml' || rel === 'Cargo.lock' || rel === 'build.rs';
      },
    };
  }
  if (source.kind === 'wasm') {
    // The folder, not the file: a file replaced by rename is a new file that a file watch never sees.
    return { root: dirname(source.path), depth: 0, matches: (path) => path === source.path };
  }
  return { root: source.path, depth: undefined, matches: (path) => path === source.path || path.startsWith(source.path + sep) };
}

export function watchFunctions(options: WatchOptions): Watcher {
  const { logger } = options;
  const names = new Set(options.functions.map((f) => f.name));
  let config = options.config;
  let functions = [...options.functions];
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  let closed = false;

  const rebuild = async (name: string): Promise<void> => {
    const fn = functions.find((f) => f.name === name);
    if (fn === undefined) return;
    logger.info(`↻ ${name}: sources changed, rebuilding`);
    let ok = false;
    try {
      await build({ config, functions: [name], logger });
      ok = true;
      const swapped = options.reload(name);
      logger.info(swapped ? `✓ ${name}: new module in service` : `✓ ${name}: rebuilt, unchanged`);
    } catch (error) {
      const detail = isEdgeError(error) ? [error.message, ...error.details.slice(0, 20)].join('\n  ') : String(error);
      logger.error(`${name}: the build failed; the previous module keeps serving\n  ${detail}`);
    }
    options.onRebuilt?.(name, ok);
  };

  const schedule = (name: string) => {
    if (closed) return;
    clearTimeout(timers.get(name));
    timers.set(
      name,
      setTimeout(() => {
        timers.delete(name);
        if (running.has(name)) {
          again.add(name);
          return;
        }
        const p = rebuild(name).finally(() => {
          running.delete(name);
          if (again.delete(name)) schedule(name);
        });
        running.set(name, p);
      }, options.debounceMs ?? 300),
    );
  };

  let sourceWatchers: FSWatcher[] = [];
  const watchSources = (): Promise<void> => {
    const byRoot = new Map<string, { depth: number | undefined; fns: Array<{ name: string; matches: (p: string) => boolean }> }>();
    for (const fn of functions) {
      const w = sourceWatch(fn);
      const entry = byRoot.get(w.root) ?? { depth: w.depth, fns: [] };
      // Two functions in one folder: the deeper watch serves both.
      if (w.depth === undefined) entry.depth = undefined;
      entry.fns.push({ name: fn.name, matches: w.matches });
      byRoot.set(w.root, entry);
    }
    const outDir = config.outDir;
    sourceWatchers = [...byRoot].map(([root, { depth, fns }]) => {
      const w = chokidarWatch(root, {
        ignoreInitial: true,
        ...(depth === undefined ? {} : { depth }),
        ignored: (path) => NEVER_WATCHED.has(basename(path)) || path === outDir || path.startsWith(outDir + sep),
      });
      w.on('all', (_event, path) => {
        for (const f of fns) if (f.matches(path)) schedule(f.name);
      });
      w.on('error', (error) => logger.warn(`watching ${root}: ${(error as Error).message}`));
      return w;
    });
    return Promise.all(sourceWatchers.map((w) => new Promise<void>((resolve) => w.once('ready', () => resolve())))).then(() => undefined);
  };

  /** A config edit: rebuild what it changed; what `dev` cannot take in without a restart is said. */
  const reloadConfig = async () => {
    if (closed || config.file === undefined) return;
    let next: ProjectConfig;
    try {
      next = loadConfig({ configFile: config.file });
    } catch (error) {
      logger.error(`${basename(config.file)} changed but cannot be used; the previous config stays in service\n  ${(error as Error).message}`);
      return;
    }
    const changed: string[] = [];
    for (const fn of next.functions) {
      const old = config.functions.find((f) => f.name === fn.name);
      if (old === undefined || !names.has(fn.name)) logger.warn(`${fn.name} is new in the config: restart \`lambda-wasm dev\` to serve it`);
      else if (JSON.stringify(old) !== JSON.stringify(fn)) changed.push(fn.name);
    }
    for (const fn of config.functions) {
      if (names.has(fn.name) && !next.functions.some((f) => f.name === fn.name)) logger.warn(`${fn.name} left the config: restart \`lambda-wasm dev\` to stop serving it`);
    }
    if (JSON.stringify(next.distribution) !== JSON.stringify(config.distribution)) {
      logger.warn('the distribution changed in the config: restart `lambda-wasm dev` to apply it');
    }
    config = next;
    functions = next.functions.filter((f) => names.has(f.name));
    const previous = sourceWatchers;
    await Promise.all(previous.map((w) => w.close()));
    await watchSources();
    if (changed.length > 0) logger.info(`↻ the config changed for ${changed.join(', ')}`);
    for (const name of changed) schedule(name);
  };

  let configWatcher: FSWatcher | undefined;
  let configTimer: NodeJS.Timeout | undefined;
  const watchConfig = (): Promise<void> => {
    const file = config.file;
    if (file === undefined) return Promise.resolve();
    // The folder (depth 0), not the file: editors replace the config by rename as well.
    configWatcher = chokidarWatch(dirname(file), { ignoreInitial: true, depth: 0, ignored: (path) => path !== dirname(file) && path !== file });
    configWatcher.on('all', (event, path) => {
      if (path !== file || event === 'unlink' || closed) return;
      clearTimeout(configTimer);
      configTimer = setTimeout(() => void reloadConfig(), options.debounceMs ?? 300);
    });
    return new Promise<void>((resolve) => configWatcher!.once('ready', () => resolve()));
  };

  const ready = Promise.all([watchSources(), watchConfig()]).then(() => undefined);
  return {
    ready,
    async close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
      clearTimeout(configTimer);
      await Promise.all([...sourceWatchers, ...(configWatcher === undefined ? [] : [configWatcher])].map((w) => w.close()));
      await Promise.all(running.values());
    },
  };
}
