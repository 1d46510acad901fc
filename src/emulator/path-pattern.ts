/**
 * @module
 * CloudFront path patterns: `*` matches any run of characters (slashes included), `?` exactly one;
 * matching is case-sensitive; a pattern without a leading `/` is matched as if it had one.
 */

export function compilePathPattern(pattern: string): (path: string) => boolean {
  if (pattern === '*') return () => true;
  const normalized = pattern.startsWith('/') || pattern.startsWith('*') ? pattern : `/${pattern}`;
  const source = normalized.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  const re = new RegExp(`^${source}$`, 's');
  return (path) => re.test(path);
}
