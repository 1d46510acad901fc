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
    use lambda_wasm_guest::cloudfront::CloudFrontEvent;
    use lambda_wasm_guest::testing;

    const OLD_PATH: &str = include_str!("../../../fixtures/events/viewer-request-old-path.json");

    #[test]
    fn the_old_path_fixture_gets_a_301_to_the_new_path() {
        let run = testing::run(OLD_PATH, super::redirect);
        assert_eq!(run.status(), Some(301));
        assert_eq!(run.header("Location"), Some("/new/products/shoes.html"));
        assert_eq!(
            run.logs,
            ["redirect /old/products/shoes.html -> /new/products/shoes.html"]
        );
    }

    #[test]
    fn the_query_string_goes_along() {
        let run = testing::viewer_request("/old/a?x=1").invoke(super::redirect);
        assert_eq!(run.header("location"), Some("/new/a?x=1"));
    }

    #[test]
    fn a_folder_uri_is_rewritten_and_the_rest_of_the_request_kept() {
        let built = testing::viewer_request("/docs/").header("Accept", "text/html");
        let mut expected = built.clone().event().into_request();
        expected.uri = "/docs/index.html".into();
        let run = built.invoke(super::redirect);
        assert_eq!(run.request(), &expected);
    }

    #[test]
    fn other_requests_come_back_unchanged() {
        let event: CloudFrontEvent = testing::viewer_request("/style.css").event();
        let run = testing::run(&serde_json::to_string(&event).unwrap(), super::redirect);
        assert!(run.is_pass_through());
        assert_eq!(run.request(), event.request());
    }
}
