/**
 * @module
 * Writes a response to the socket so that nothing in it can throw past the server: a result the
 * validator let through but Node cannot put on the wire (a status line or header value it refuses)
 * becomes a fixed 502, and if even that cannot be written the connection is closed.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import type { HttpResponse } from '../http-types.js';

/** What Node (and HTTP/1.1) allow in a reason phrase or a header value, as single bytes. */
const NOT_A_BYTE_STRING = /[^\t\x20-\x7e\x80-\xff]/;
const ABOVE_LATIN1 = /[^\x00-\xff]/;

const LAST_RESORT_BODY = 'lambda-wasm dev: the response could not be sent (see the terminal)';

export function writeResponse(res: ServerResponse, r: HttpResponse, logger: Logger): void {
  if (res.headersSent || res.destroyed) return;
  try {
    const problem = unsendable(r);
    if (problem !== undefined) throw new Error(problem);
    // No prototype: a header may be called `__proto__` (a valid HTTP token).
    const headers: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
    for (const [k, v] of r.headers) (headers[k] ??= []).push(toWire(v));
    res.writeHead(r.status, r.statusDescription ?? '', headers);
    res.end(r.body);
  } catch (error) {
    logger.warn(`could not send the response, answering 502 instead: ${(error as Error).message}`);
    lastResort(res);
  }
}

/** A 502 with a fixed status line and headers: nothing in it comes from a guest or an origin. */
export function lastResort(res: ServerResponse): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  try {
    for (const name of res.getHeaderNames()) res.removeHeader(name);
    // Node keeps a status message from a failed writeHead and would reuse it: give one explicitly.
    res.statusMessage = 'Bad Gateway';
    res.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(LAST_RESORT_BODY)), Server: 'CloudFront', 'X-Cache': 'Error from cloudfront' });
    res.end(LAST_RESORT_BODY);
  } catch {
    res.destroy();
  }
}

/** Why `r` cannot go on the wire as it is, or undefined. */
function unsendable(r: HttpResponse): string | undefined {
  if (!Number.isInteger(r.status) || r.status < 100 || r.status > 999) return `status ${String(r.status)} is not an HTTP status code`;
  if (r.statusDescription !== undefined && NOT_A_BYTE_STRING.test(r.statusDescription)) return `the status message ${JSON.stringify(r.statusDescription)} has a character HTTP does not allow there`;
  for (const [k, v] of r.headers) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(k)) return `${JSON.stringify(k)} is not a header name`;
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(v)) return `the ${k} header has a control character`;
  }
  return undefined;
}

/**
 * Header values above Latin-1 (only a function can produce them; CloudFront's header values are
 * UTF-8) go out as their UTF-8 bytes: Node writes a header string one byte per character.
 */
export function toWire(value: string): string {
  return ABOVE_LATIN1.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
}
