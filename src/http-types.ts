/**
 * @module
 * The emulator's own view of an HTTP exchange: header pairs in order (names as sent), the body as
 * bytes. The pipeline works on these, so it runs the same over a socket and in `dispatch()`.
 */
import type { CloudFrontHeaders } from './events/index.js';
import { titleCase } from './events/index.js';

export type HeaderPairs = Array<[string, string]>;

export interface ViewerRequest {
  method: string;
  /** The path as received, still percent-encoded. */
  path: string;
  /** Without the leading `?`. */
  querystring: string;
  headers: HeaderPairs;
  body: Buffer;
  clientIp: string;
}

export interface HttpResponse {
  status: number;
  statusDescription?: string;
  headers: HeaderPairs;
  body: Buffer;
}

export function getHeader(headers: HeaderPairs, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === lower)?.[1];
}

export function setHeader(headers: HeaderPairs, name: string, value: string): void {
  removeHeader(headers, name);
  headers.push([name, value]);
}

export function removeHeader(headers: HeaderPairs, name: string): void {
  const lower = name.toLowerCase();
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0].toLowerCase() === lower) headers.splice(i, 1);
}

/** From CloudFront's map back to pairs; a missing `key` is spelled as CloudFront spells it. */
export function fromCfHeaders(headers: CloudFrontHeaders | undefined): HeaderPairs {
  const out: HeaderPairs = [];
  for (const [name, entries] of Object.entries(headers ?? {})) {
    for (const e of entries) out.push([e.key ?? titleCase(name), e.value]);
  }
  return out;
}

/** Bytes of the request line and headers, as CloudFront's 20 480-byte quota counts them. */
export function headerBytes(headers: HeaderPairs): number {
  let n = 0;
  for (const [k, v] of headers) n += Buffer.byteLength(k) + Buffer.byteLength(v) + 4;
  return n;
}
