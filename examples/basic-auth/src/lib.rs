//! viewer-request: HTTP Basic authentication in front of a whole distribution.
//!
//! Lambda@Edge functions have no environment variables, so the expected `user:password` is
//! compiled in: `lambda-wasm build` passes the function's `buildEnv` to cargo, and
//! `env!("BASIC_AUTH_CREDENTIALS")` reads it at compile time (see README.md).

mod auth;
mod base64;

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
use lambda_wasm_guest::{Context, Error};

#[cfg(not(test))]
const CREDENTIALS: &str = env!(
    "BASIC_AUTH_CREDENTIALS",
    "set BASIC_AUTH_CREDENTIALS=user:password when building (lambda-wasm: the function's buildEnv)"
);
/// The credentials of the shared fixture `viewer-request-basic-auth.json`.
#[cfg(test)]
const CREDENTIALS: &str = "admin:lambda-wasm";

// A malformed value fails the build rather than locking everyone out after the deploy.
const _: () = assert!(
    auth::is_valid_credentials(CREDENTIALS),
    "BASIC_AUTH_CREDENTIALS must look like user:password"
);

fn basic_auth(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
    let request = event.into_request();
    if auth::is_authorized(request.headers.get("authorization"), CREDENTIALS) {
        return Ok(request.into());
    }
    lambda_wasm_guest::warn!(
        "basic-auth: refused {} {} from {}",
        request.method,
        request.uri,
        request.client_ip
    );
    Ok(GeneratedResponse::new(401, "Unauthorized")
        .with_header(
            "WWW-Authenticate",
            r#"Basic realm="lambda-wasm", charset="UTF-8""#,
        )
        .with_header("Content-Type", "text/plain")
        .with_text_body("Unauthorized")
        .into())
}

lambda_wasm_guest::export_handler!(basic_auth);

#[cfg(test)]
mod tests {
    use lambda_wasm_guest::cloudfront::CloudFrontEvent;
    use lambda_wasm_guest::{testing, Level};

    const FIXTURE: &str = include_str!("../../../fixtures/events/viewer-request-basic-auth.json");

    #[test]
    fn the_fixtures_credentials_pass_the_request_on_unchanged() {
        let run = testing::run(FIXTURE, super::basic_auth);
        let event: CloudFrontEvent = serde_json::from_str(FIXTURE).unwrap();
        assert_eq!(run.request(), event.request());
    }

    #[test]
    fn wrong_or_missing_credentials_get_a_401_challenge() {
        let wrong = testing::viewer_request("/private/index.html")
            .header("Authorization", "Basic d3Jvbmc6d3Jvbmc=");
        let missing = testing::viewer_request("/private/index.html");
        for event in [wrong, missing] {
            let run = event.client_ip("203.0.113.9").invoke(super::basic_auth);
            assert_eq!(run.status(), Some(401));
            assert_eq!(
                run.header("WWW-Authenticate"),
                Some(r#"Basic realm="lambda-wasm", charset="UTF-8""#)
            );
            assert_eq!(run.header("content-type"), Some("text/plain"));
            assert_eq!(run.body(), Some("Unauthorized"));
            assert_eq!(
                run.log_lines,
                [(
                    Level::Warn,
                    "basic-auth: refused GET /private/index.html from 203.0.113.9".to_string()
                )]
            );
        }
    }
}
