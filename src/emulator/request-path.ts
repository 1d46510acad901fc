/**
 * @module
 * The path CloudFront compares with the cache behaviors' path patterns. An AWS Support answer
 * (https://repost.aws/questions/QUYxerjgCwQlSRsrxUx-hoAg/cloudfront-behaviour-path-pattern-matching) says CloudFront decodes the path and
 * removes dot segments (RFC 3986 §2.4, §5.2.4) before matching, while functions and the origin
 * get the URI as the viewer sent it. Nothing else is normalised: `//private/x` stays as it is, so
 * the pattern `/private/*` does not match it.
 */

export function pathForMatching(path: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // A malformed escape is left as sent; the pattern sees the raw text.
    decoded = path;
  }
  return removeDotSegments(decoded);
}

/** RFC 3986 §5.2.4, which keeps empty segments (`/a//b` stays, `/a/../b` is `/b`). */
export function removeDotSegments(path: string): string {
  let input = path;
  const out: string[] = [];
  while (input.length > 0) {
    if (input.startsWith('../')) input = input.slice(3);
    else if (input.startsWith('./')) input = input.slice(2);
    else if (input.startsWith('/./')) input = input.slice(2);
    else if (input === '/.') input = '/';
    else if (input.startsWith('/../')) {
      input = input.slice(3);
      out.pop();
    } else if (input === '/..') {
      input = '/';
      out.pop();
    } else if (input === '.' || input === '..') input = '';
    else {
      const next = input.indexOf('/', input.startsWith('/') ? 1 : 0);
      const segment = next < 0 ? input : input.slice(0, next);
      out.push(segment);
      input = input.slice(segment.length);
    }
  }
  return out.join('');
}
