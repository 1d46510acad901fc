/**
 * @module
 * A custom origin reached over HTTP(S). CloudFront answers 502 when it cannot connect and 504 when
 * the origin does not answer within its read timeout.
 */
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HeaderPairs, HttpResponse } from '../http-types.js';

export interface OriginFetch {
  protocol: 'http' | 'https';
  host: string;
  port: number;
  /** Path (origin path + URI) and query. */
  path: string;
  method: string;
  headers: HeaderPairs;
  body: Buffer;
  readTimeoutMs: number;
}

export type OriginFailure = { failed: 'connect' | 'timeout'; message: string };

export function fetchOrigin(f: OriginFetch): Promise<HttpResponse | OriginFailure> {
  return new Promise((resolve) => {
    const send = f.protocol === 'https' ? httpsRequest : httpRequest;
    // One value per name (repeats joined, as HTTP allows), Set-Cookie aside: Node wants Host as a string.
    // No prototype: a header may be called `__proto__` (a valid HTTP token).
    const headers: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    for (const [k, raw] of f.headers) {
      const name = k.toLowerCase();
      // A function may set a value above Latin-1 (header values are UTF-8): send its UTF-8 bytes.
      const v = /[^\x00-\xff]/.test(raw) ? Buffer.from(raw, 'utf8').toString('latin1') : raw;
      const had = headers[name];
      if (had === undefined) headers[name] = v;
      else if (name === 'set-cookie') headers[name] = [...(Array.isArray(had) ? had : [had]), v];
      else headers[name] = `${had as string}, ${v}`;
    }
    if (f.body.length > 0) headers['content-length'] = String(f.body.length);
    // autoSelectFamily: `localhost` may be ::1 or 127.0.0.1; try both, as a browser would.
    const options = { host: f.host, port: f.port, path: f.path, method: f.method, headers, timeout: f.readTimeoutMs, autoSelectFamily: true } as RequestOptions;
    let req: ReturnType<typeof send>;
    try {
      req = send(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const pairs: HeaderPairs = [];
          for (let i = 0; i < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
          resolve({ status: res.statusCode ?? 502, statusDescription: res.statusMessage ?? '', headers: pairs, body: Buffer.concat(chunks) });
        });
        res.on('error', (e) => resolve({ failed: 'connect', message: e.message }));
      });
    } catch (error) {
      // Node refuses to send some requests a function can shape (a URI with a space or "é" in it):
      // CloudFront could not reach the origin with it either.
      resolve({ failed: 'connect', message: `the origin request could not be sent: ${(error as Error).message}` });
      return;
    }
    req.on('timeout', () => {
      req.destroy();
      resolve({ failed: 'timeout', message: `the origin did not answer within ${f.readTimeoutMs / 1000} s` });
    });
    req.on('error', (e) => resolve({ failed: 'connect', message: e.message }));
    req.end(f.body);
  });
}
