/**
 * @module
 * A local folder served the way an S3 REST origin serves a bucket: the key is the decoded path
 * without its one leading slash (a key with a leading slash, or an empty segment, is no file),
 * with the content type, ETag, Last-Modified, conditional requests and byte ranges. Nothing
 * outside the folder is ever read, whatever the encoding of the path.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { rangeOf } from './byte-range.js';
import { getHeader, type HeaderPairs, type HttpResponse } from '../http-types.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.htm': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.json': 'application/json', '.txt': 'text/plain', '.xml': 'application/xml', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif', '.ico': 'image/x-icon',
  '.wasm': 'application/wasm', '.woff': 'font/woff', '.woff2': 'font/woff2', '.pdf': 'application/pdf', '.mp4': 'video/mp4',
};

export interface FolderRequest {
  method: string;
  /** The URI (percent-encoded), as the origin request carries it. */
  uri: string;
  headers: HeaderPairs;
}

export function serveFolder(root: string, req: FolderRequest): HttpResponse {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return s3Error(405, 'Method Not Allowed', 'MethodNotAllowed', `The specified method is not allowed against this resource.`);
  }
  let key: string;
  try {
    // S3 takes the key from the path minus its one leading slash: `//private/x` asks for the key
    // `/private/x`, which a folder cannot hold (a key is a file's path below the folder).
    key = decodeURIComponent(req.uri.startsWith('/') ? req.uri.slice(1) : req.uri);
  } catch {
    return s3Error(400, 'Bad Request', 'InvalidURI', "Couldn't parse the specified URI.");
  }
  const file = resolveInside(root, key);
  if (file === undefined) return s3Error(404, 'Not Found', 'NoSuchKey', 'The specified key does not exist.', key);
  const stat = statSync(file);
  const body = readFileSync(file);
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  const lastModified = new Date(Math.floor(stat.mtimeMs / 1000) * 1000).toUTCString();
  const headers: HeaderPairs = [
    ['Last-Modified', lastModified],
    ['ETag', etag],
    ['Accept-Ranges', 'bytes'],
    ['Content-Type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'],
    ['Server', 'AmazonS3'],
  ];
  const ifNoneMatch = getHeader(req.headers, 'if-none-match');
  const ifModifiedSince = getHeader(req.headers, 'if-modified-since');
  if (ifNoneMatch !== undefined ? ifNoneMatch.split(/\s*,\s*/).includes(etag) || ifNoneMatch === '*' : ifModifiedSince !== undefined && Date.parse(ifModifiedSince) >= Date.parse(lastModified)) {
    return { status: 304, statusDescription: 'Not Modified', headers: headers.filter(([k]) => k !== 'Content-Type'), body: Buffer.alloc(0) };
  }
  headers.push(['Content-Length', String(body.length)]);
  const full: HttpResponse = { status: 200, statusDescription: 'OK', headers, body };
  const partial = rangeOf(full, getHeader(req.headers, 'range'));
  if (partial !== undefined) return partial;
  return req.method === 'HEAD' ? { ...full, body: Buffer.alloc(0) } : full;
}

/** The file for `key` if it is a regular file inside `root` (after following links), else undefined. */
function resolveInside(root: string, key: string): string | undefined {
  if (key === '' || key.endsWith('/') || key.includes('\0')) return undefined;
  const segments = key.split('/');
  if (segments.some((s) => s === '..' || s === '.' || s === '')) return undefined;
  const candidate = join(root, ...segments);
  try {
    const real = realpathSync(candidate);
    const realRoot = realpathSync(root);
    if (!real.startsWith(realRoot + sep)) return undefined;
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

function s3Error(status: number, description: string, code: string, message: string, key?: string): HttpResponse {
  const body = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${key === undefined ? '' : `<Key>${escapeXml(key)}</Key>`}<RequestId>LOCAL</RequestId></Error>`,
  );
  return { status, statusDescription: description, headers: [['Content-Type', 'application/xml'], ['Server', 'AmazonS3'], ['Content-Length', String(body.length)]], body };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
