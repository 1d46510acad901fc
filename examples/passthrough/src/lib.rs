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
    use lambda_wasm_guest::{testing, Level};
    use serde_json::Value;

    #[test]
    fn returns_the_fixture_request_unchanged_and_logs_it() {
        let fixture = include_str!("../../../fixtures/events/viewer-request.json");
        let run = testing::invoke(fixture, super::passthrough);
        assert_eq!(run.status, 0);
        let event: Value = serde_json::from_str(fixture).unwrap();
        assert_eq!(run.json(), event["Records"][0]["cf"]["request"]);
        assert_eq!(
            testing::take_logs(),
            vec![(Level::Info, "passthrough GET /".to_string())]
        );
    }
}
