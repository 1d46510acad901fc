//! Lambda@Edge events and results, mirroring `docs/cloudfront-rules.md` §1–§2 and `@types/aws-lambda`.
//!
//! Optional fields that are absent are left out of the JSON, never written as `null` (CloudFront
//! rejects `null`). Fields these types do not know are ignored on input.

mod event;
mod headers;
mod request;
mod response;

pub use event::{Cf, CloudFrontEvent, Config, EventType, Record};
pub use headers::{HeaderValue, Headers, Iter as HeaderIter};
pub use request::{
    Body, BodyAction, BodyEncoding, CustomOrigin, Origin, OriginProtocol, Request, S3AuthMethod,
    S3Origin,
};
pub use response::{CloudFrontResult, GeneratedResponse, RequestResult, Response, ResponseResult};
