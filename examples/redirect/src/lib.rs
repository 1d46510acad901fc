//! viewer-request: `/old/*` has moved to `/new/*` (301, query string kept), folder URIs get
//! `index.html`, everything else passes through. The rules are in `rules.rs`.

mod rules;

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
use lambda_wasm_guest::{Context, Error};

use rules::Decision;

fn redirect(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
    let mut request = event.into_request();
    Ok(match rules::decide(&request.uri, &request.querystring) {
        Decision::MovedPermanently(location) => {
            lambda_wasm_guest::info!("redirect {} -> {}", request.uri, location);
            GeneratedResponse::new(301, "Moved Permanently")
                .with_header("Location", location)
                .into()
        }
        Decision::Rewrite(uri) => {
            request.uri = uri;
            request.into()
        }
        Decision::Unchanged => request.into(),
    })
}

lambda_wasm_guest::export_handler!(redirect);

#[cfg(test)]
mod tests {
    use lambda_wasm_guest::testing;
    use serde_json::{json, Value};

    const OLD_PATH: &str = include_str!("../../../fixtures/events/viewer-request-old-path.json");
    const HOME: &str = include_str!("../../../fixtures/events/viewer-request.json");

    fn with_uri(fixture: &str, uri: &str) -> Value {
        let mut event: Value = serde_json::from_str(fixture).unwrap();
        event["Records"][0]["cf"]["request"]["uri"] = Value::from(uri);
        event
    }

    #[test]
    fn the_old_path_fixture_gets_a_301_to_the_new_path() {
        let run = testing::invoke(OLD_PATH, super::redirect);
        assert_eq!(run.status, 0);
        assert_eq!(
            run.json(),
            json!({
                "status": "301",
                "statusDescription": "Moved Permanently",
                "headers": {"location": [{"key": "Location", "value": "/new/products/shoes.html"}]}
            })
        );
    }

    #[test]
    fn a_folder_uri_is_rewritten_and_the_rest_of_the_request_kept() {
        let run = testing::invoke(HOME, super::redirect);
        let mut expected = with_uri(HOME, "/index.html");
        assert_eq!(run.json(), expected["Records"][0]["cf"]["request"].take());
    }

    #[test]
    fn other_requests_come_back_unchanged() {
        let event = with_uri(HOME, "/style.css");
        let run = testing::invoke(&event.to_string(), super::redirect);
        assert_eq!(run.json(), event["Records"][0]["cf"]["request"]);
    }
}
