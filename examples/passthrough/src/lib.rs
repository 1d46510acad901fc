//! viewer-request: passes the request on unchanged and logs one line. The smallest useful
//! guest, and the one `bench` uses to measure what the Wasm round trip costs.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, Request};
use lambda_wasm_guest::{Context, Error};

fn passthrough(event: CloudFrontEvent, _ctx: &Context) -> Result<Request, Error> {
    let request = event.into_request();
    lambda_wasm_guest::info!("passthrough {} {}", request.method, request.uri);
    Ok(request)
}

lambda_wasm_guest::export_handler!(passthrough);

#[cfg(test)]
mod tests {
    use lambda_wasm_guest::cloudfront::CloudFrontEvent;
    use lambda_wasm_guest::{testing, Level};

    const FIXTURE: &str = include_str!("../../../fixtures/events/viewer-request.json");

    #[test]
    fn returns_the_fixture_request_unchanged_and_logs_it() {
        let run = testing::run(FIXTURE, super::passthrough);
        let event: CloudFrontEvent = serde_json::from_str(FIXTURE).unwrap();
        assert_eq!(run.value(), event.request());
        assert_eq!(
            run.log_lines,
            [(Level::Info, "passthrough GET /".to_string())]
        );
    }

    #[test]
    fn any_request_passes() {
        let run = testing::viewer_request("/a/b?c=d")
            .method("POST")
            .invoke(super::passthrough);
        assert_eq!(run.value().uri, "/a/b");
        assert_eq!(run.value().querystring, "c=d");
        assert_eq!(run.logs, ["passthrough POST /a/b"]);
    }
}
