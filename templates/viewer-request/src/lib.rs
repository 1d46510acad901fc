//! viewer-request trigger: runs on every request, before CloudFront looks in its cache.
//! Answers /healthz itself and appends index.html to URIs that end in /.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
use lambda_wasm_guest::{Context, Error};

fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
    let mut request = event.into_request();
    if request.uri == "/healthz" {
        // A generated response: CloudFront sends it without contacting the origin.
        let ok = GeneratedResponse::new(200, "OK")
            .with_header("Content-Type", "text/plain")
            .with_text_body("ok");
        return Ok(ok.into());
    }
    if request.uri.ends_with('/') {
        request.uri.push_str("index.html");
    }
    lambda_wasm_guest::info!("{} {}", request.method, request.uri);
    Ok(request.into())
}

lambda_wasm_guest::export_handler!(handler);
