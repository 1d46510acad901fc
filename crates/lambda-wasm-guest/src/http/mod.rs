//! Lambda Function URL and API Gateway HTTP API events, payload format 2.0
//! (docs/cloudfront-rules.md §6.7).
//!
//! Optional fields that are absent are left out of the JSON, never written as `null`. Fields
//! these types do not know (authorizer details, for instance) are ignored on input.

mod request;
mod response;

pub use request::{HttpDetails, Request, RequestContext};
pub use response::Response;
