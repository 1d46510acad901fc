// The project the inspector tests serve: hand-written WAT guests only (no Rust build needed), a
// folder origin, and one behavior per case the inspector must show — a pass-through with a cache
// hit on the second request, a result CloudFront refuses (502), a trap (503), a function that logs
// its input, and an origin-response trigger whose result differs from its input (the diff).
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { makeProject } from '../helpers/project.js';
import { compileWat, compileWatText, constantGuestWat } from '../helpers/wat.js';

/** origin-response: replaces the origin's headers with its own (a cache TTL and a marker). */
const ORIGIN_RESPONSE = JSON.stringify({
  status: '200',
  statusDescription: 'OK',
  headers: {
    'content-type': [{ key: 'Content-Type', value: 'text/html' }],
    'cache-control': [{ key: 'Cache-Control', value: 'max-age=300' }],
    'x-inspected': [{ key: 'X-Inspected', value: 'by origin-response' }],
  },
});

export function inspectorProject(): ReturnType<typeof makeProject> {
  return makeProject(
    {
      'add-headers': { wasm: compileWatText(constantGuestWat(ORIGIN_RESPONSE, { logInput: true })), eventType: 'origin-response' },
      'returns-null': { wasm: compileWatText(constantGuestWat('null')), eventType: 'viewer-request' },
      trap: { wasm: compileWat('trap'), eventType: 'viewer-request' },
    },
    {
      defaultRootObject: 'index.html',
      origins: { site: { folder: 'site' } },
      defaultBehavior: { origin: 'site', triggers: { 'origin-response': 'add-headers' } },
      behaviors: [
        { pathPattern: '/null/*', origin: 'site', triggers: { 'viewer-request': 'returns-null' } },
        { pathPattern: '/trap/*', origin: 'site', triggers: { 'viewer-request': 'trap' } },
      ],
    },
  );
}

export async function startEmulator(history?: number): Promise<{ emulator: Emulator; base: string; dir: string; remove: () => void }> {
  const project = await inspectorProject();
  const emulator = createEmulator({ config: project.config, port: 0, ...(history === undefined ? {} : { inspector: { history } }) });
  const base = await emulator.ready;
  return { emulator, base, dir: project.dir, remove: project.remove };
}
