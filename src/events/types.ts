/**
 * @module
 * The CloudFront (Lambda@Edge) events, their results, and the Function URL / HTTP API 2.0 shapes.
 * Built on `@types/aws-lambda`, tightened where it is looser than CloudFront: a result is never
 * `null` or `undefined`, and the event is a union discriminated on `config.eventType`.
 */
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  CloudFrontCustomOrigin,
  CloudFrontEvent as DtCloudFrontEvent,
  CloudFrontHeaders,
  CloudFrontOrigin,
  CloudFrontRequest,
  CloudFrontResponse,
  CloudFrontResultResponse,
  CloudFrontS3Origin,
} from 'aws-lambda';

export type { CloudFrontCustomOrigin, CloudFrontHeaders, CloudFrontOrigin, CloudFrontRequest, CloudFrontResponse, CloudFrontResultResponse, CloudFrontS3Origin };

export const CLOUDFRONT_EVENT_TYPES = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response'] as const;
export type CloudFrontEventType = (typeof CLOUDFRONT_EVENT_TYPES)[number];
export type RequestEventType = 'viewer-request' | 'origin-request';
export type ResponseEventType = 'origin-response' | 'viewer-response';

export interface CloudFrontConfig<T extends CloudFrontEventType = CloudFrontEventType> {
  distributionDomainName: string;
  distributionId: string;
  eventType: T;
  requestId: string;
}

/** One event of a given type, exactly as CloudFront hands it to the function. */
export interface CloudFrontEventOf<T extends CloudFrontEventType> {
  Records: [
    {
      cf: T extends RequestEventType
        ? { config: CloudFrontConfig<T>; request: CloudFrontRequest }
        : { config: CloudFrontConfig<T>; request: Omit<CloudFrontRequest, 'body'>; response: CloudFrontResponse };
    },
  ];
}

export type ViewerRequestEvent = CloudFrontEventOf<'viewer-request'>;
export type OriginRequestEvent = CloudFrontEventOf<'origin-request'>;
export type OriginResponseEvent = CloudFrontEventOf<'origin-response'>;
export type ViewerResponseEvent = CloudFrontEventOf<'viewer-response'>;
/** Any of the four; narrow it with `eventTypeOf` or `Records[0].cf.config.eventType`. */
export type CloudFrontEvent = ViewerRequestEvent | OriginRequestEvent | OriginResponseEvent | ViewerResponseEvent;

/** What a function may return for each event type: never null. */
export type CloudFrontResultOf<T extends CloudFrontEventType> = T extends RequestEventType
  ? CloudFrontRequest | CloudFrontResultResponse
  : CloudFrontResultResponse;

/** `@types/aws-lambda`'s own, for code that already uses it. */
export type { DtCloudFrontEvent };

export type FunctionUrlEvent = APIGatewayProxyEventV2;
export type FunctionUrlResult = APIGatewayProxyStructuredResultV2;
