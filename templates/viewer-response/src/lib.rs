//! viewer-response trigger: runs on every response on its way to the viewer, cached or not
//! (except when the origin answered 400 or more). Adds headers; the status cannot change here.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, Response};
use lambda_wasm_guest::{Context, Error};

fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<Response, Error> {
    let mut response = event.into_response()?;
    response.headers.insert("X-Frame-Options", "DENY");
    response.headers.insert("Referrer-Policy", "strict-origin-when-cross-origin");
    Ok(response)
}

lambda_wasm_guest::export_handler!(handler);
