//! origin-request trigger: runs on cache misses, before CloudFront forwards the request to
//! the origin. Tells the origin which country the viewer is in (when the cache or origin
//! request policy forwards CloudFront-Viewer-Country) and strips a tracking query string.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, RequestResult};
use lambda_wasm_guest::{Context, Error};

fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
    let mut request = event.into_request();
    let country = request
        .headers
        .get("cloudfront-viewer-country")
        .unwrap_or("unknown")
        .to_string();
    request.headers.insert("X-Viewer-Country", country);
    let kept: Vec<&str> = request
        .querystring
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("utm_"))
        .collect();
    request.querystring = kept.join("&");
    lambda_wasm_guest::info!("origin request {} {}", request.method, request.uri);
    Ok(request.into())
}

lambda_wasm_guest::export_handler!(handler);
