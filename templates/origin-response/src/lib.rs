//! origin-response trigger: runs when the origin answers a cache miss, before CloudFront
//! caches the response. Adds security headers and a default Cache-Control.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, Response};
use lambda_wasm_guest::{Context, Error};

fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<Response, Error> {
    let mut response = event.into_response()?;
    response.headers.insert("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    response.headers.insert("X-Content-Type-Options", "nosniff");
    if !response.headers.contains("cache-control") {
        response.headers.insert("Cache-Control", "public, max-age=300");
    }
    Ok(response)
}

lambda_wasm_guest::export_handler!(handler);
