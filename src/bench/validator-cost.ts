/**
 * @module
 * V1: what CloudFront's rules cost when the local CloudFront checks every result: one
 * `validateResult` call on a typical result, timed in batches like B1.
 */
import { buildOriginResponseEvent, buildViewerRequestEvent, validateResult, type CloudFrontEventType } from '../events/index.js';
import { distribution, type Distribution } from './stats.js';

export interface ValidatorCase {
  name: string;
  eventType: CloudFrontEventType;
  event: unknown;
  result: unknown;
}

/** A passed-back viewer request, and an origin response with five security headers added. */
export function validatorCases(): ValidatorCase[] {
  const request = buildViewerRequestEvent({
    uri: '/products/shoes.html',
    querystring: 'size=42&colour=red',
    headers: [['Accept', 'text/html'], ['Accept-Language', 'en-GB'], ['User-Agent', 'Mozilla/5.0'], ['Cookie', 'session=8f3c2a1d']],
  });
  const response = buildOriginResponseEvent({ responseHeaders: [['Content-Type', 'text/html'], ['Content-Length', '5124'], ['ETag', '"abc"'], ['Server', 'AmazonS3']] });
  const secured = structuredClone(response.Records[0].cf.response) as { headers: Record<string, Array<{ key: string; value: string }>> };
  for (const [name, value] of [['Strict-Transport-Security', 'max-age=63072000'], ['X-Content-Type-Options', 'nosniff'], ['X-Frame-Options', 'DENY'], ['Referrer-Policy', 'same-origin'], ['Content-Security-Policy', "default-src 'self'"]] as const) {
    secured.headers[name.toLowerCase()] = [{ key: name, value }];
  }
  return [
    { name: 'viewer-request, request passed back', eventType: 'viewer-request', event: request, result: structuredClone(request.Records[0].cf.request) },
    { name: 'origin-response, 5 headers added', eventType: 'origin-response', event: response, result: secured },
  ];
}

export function timeValidator(c: ValidatorCase, samples: number, batch = 100): Distribution {
  for (let i = 0; i < 1000; i++) validateResult(c.eventType, c.result, c.event);
  const values: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) validateResult(c.eventType, c.result, c.event);
    values.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  return distribution(values, 'ns');
}
