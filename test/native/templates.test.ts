// The native templates (templates/native, templates/native-http): each crate builds as a native
// bootstrap and, unchanged, as Wasm, and both answer the template's fixture the same way.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { invoke } from '../../src/invoke/invoke.js';
import { readEventFile } from '../../src/invoke/event-input.js';
import { repoRoot } from '../helpers/paths.js';
import { buildAll, nativeProject } from './_native.js';

const cleanups: Array<() => void> = [];
after(() => cleanups.forEach((c) => c()));

interface TemplateInfo {
  summary: string;
  eventType: string;
  target: string;
  fixture: string;
}

describe('native templates', () => {
  for (const name of ['native', 'native-http']) {
    test(name, { timeout: 900_000 }, async () => {
      const from = join(repoRoot, 'templates', name);
      const info = JSON.parse(readFileSync(join(from, 'template.json'), 'utf8')) as TemplateInfo;
      assert.equal(info.eventType, 'lambda');
      assert.equal(info.target, 'native');
      const crate = mkdtempSync(join(tmpdir(), `lambda-wasm-${name}-`));
      cleanups.push(() => rmSync(crate, { recursive: true, force: true }));
      cpSync(from, crate, { recursive: true });
      writeFileSync(
        join(crate, 'Cargo.toml'),
        `[package]\nname = "${name}"\nversion = "0.1.0"\nedition = "2021"\n\n[lib]\ncrate-type = ["cdylib"]\n\n[dependencies]\nlambda-wasm-guest = { path = "${join(repoRoot, 'crates', 'lambda-wasm-guest')}" }\n`,
      );
      const project = nativeProject({
        native: { crate, eventType: info.eventType, target: info.target },
        wasm: { crate, eventType: info.eventType },
      });
      cleanups.push(project.remove);
      const built = await buildAll(project.config);
      assert.deepEqual(built.map((b) => b.target ?? 'wasm'), ['native', 'wasm']);
      const event = readEventFile(join(crate, info.fixture));
      const native = await invoke({ config: project.config, function: 'native', event });
      const wasm = await invoke({ config: project.config, function: 'wasm', event });
      assert.equal(native.verdict, 'ok', JSON.stringify(native.record.error));
      // The time left differs from run to run: compare the rest of the Function URL body.
      const strip = (r: unknown) => {
        const res = r as { body?: string };
        if (typeof res.body !== 'string') return r;
        const { remainingMs: _left, ...body } = JSON.parse(res.body) as Record<string, unknown>;
        return { ...res, body };
      };
      assert.deepEqual(strip(native.record.result), strip(wasm.record.result));
      if (name === 'native') assert.deepEqual(native.record.result, { count: 8, sum: 31, mean: 3.88, max: 9 });
      else assert.equal((native.record.result as { statusCode: number }).statusCode, 200);
    });
  }
});
