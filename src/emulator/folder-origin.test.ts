import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { serveFolder } from './folder-origin.js';

const root = mkdtempSync(join(tmpdir(), 'lambda-wasm-folder-'));
mkdirSync(join(root, 'private'));
writeFileSync(join(root, 'private', 'index.html'), 'secret');
after(() => rmSync(root, { recursive: true, force: true }));

const get = (uri: string) => serveFolder(root, { method: 'GET', uri, headers: [] });

test('the key is the path minus exactly one leading slash, as S3 takes it', () => {
  assert.equal(get('/private/index.html').status, 200);
  assert.match(get('//private/index.html').body.toString(), /<Key>\/private\/index.html<\/Key>/, 'the key keeps the second slash');
  for (const uri of ['//private/index.html', '///private/index.html', '/%2Fprivate/index.html']) {
    const r = get(uri);
    assert.equal(r.status, 404, uri);
    assert.match(r.body.toString(), /<Code>NoSuchKey<\/Code>/, uri);
    assert.doesNotMatch(r.body.toString(), /secret/);
  }
});
