/**
 * @module
 * The choices docs/cloudfront-rules.md §8 marks as disputed (the viewer limits of §4.1 among them), as settings
 * with the defaults we believe CloudFront applies today. The config file's `cloudfront` section
 * overrides them (docs/validator.md).
 */

const KB = 1024;
const MB = 1024 * KB;

export interface CloudFrontSettings {
  /** Largest generated response (headers + body), viewer and origin events (§4.1). */
  maxGeneratedResponseBytes: { viewer: number; origin: number };
  /** Largest replaced request body, as the `data` string, per encoding (§2.6). */
  maxReplacedBodyBytes: { viewer: { text: number; base64: number }; origin: { text: number; base64: number } };
  /** Largest origin `readTimeout`/`keepaliveTimeout` a function may set: the event doc's 60, or the quota's 120 (§8.7). */
  maxOriginTimeout: number;
  /** A changed `method` or `clientIp` (documented read-only, effect undocumented, §8.9): reject, or let it through. */
  readOnlyFields: 'reject' | 'allow';
  /** The viewer's status when the function throws or times out: 503 in today's docs, 500 in older ones (§8.2). */
  executionErrorStatus: 500 | 503;
}

export const DEFAULT_CLOUDFRONT_SETTINGS: Readonly<CloudFrontSettings> = Object.freeze({
  maxGeneratedResponseBytes: { viewer: 40 * KB, origin: 1 * MB },
  maxReplacedBodyBytes: {
    viewer: { text: 40 * KB, base64: Math.round(53.2 * KB) },
    origin: { text: 1 * MB, base64: Math.round(1.33 * MB) },
  },
  maxOriginTimeout: 60,
  readOnlyFields: 'reject',
  executionErrorStatus: 503,
});
