/**
 * @module
 * `Range: bytes=…` on a whole object: the folder origin answers ranges itself, and CloudFront
 * serves ranges of whole objects it has (from its cache or an origin that ignored the Range).
 */
import type { HeaderPairs, HttpResponse } from '../http-types.js';

/** A 206 (or 416) for a single byte range of `full`, or undefined when `range` is not one CloudFront serves. */
export function rangeOf(full: HttpResponse, range: string | undefined): HttpResponse | undefined {
  if (range === undefined || full.status !== 200) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  const size = full.body.length;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  const keep = (h: HeaderPairs) => h.filter(([k]) => !/^content-(length|range)$/i.test(k));
  if (start >= size || start > end) {
    return { status: 416, statusDescription: 'Requested Range Not Satisfiable', headers: [...keep(full.headers), ['Content-Range', `bytes */${size}`]], body: Buffer.alloc(0) };
  }
  const part = full.body.subarray(start, end + 1);
  return { status: 206, statusDescription: 'Partial Content', headers: [...keep(full.headers), ['Content-Range', `bytes ${start}-${end}/${size}`], ['Content-Length', String(part.length)]], body: part };
}
