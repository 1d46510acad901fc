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
    use lambda_wasm_guest::{testing, Level};
    use serde_json::{json, Value};

    const FIXTURE: &str = include_str!("../../../fixtures/events/viewer-request-basic-auth.json");

    fn with_authorization(value: Option<&str>) -> String {
        let mut event: Value = serde_json::from_str(FIXTURE).unwrap();
        let headers = event["Records"][0]["cf"]["request"]["headers"]
            .as_object_mut()
            .unwrap();
        match value {
            Some(value) => headers.insert(
                "authorization".into(),
                json!([{"key": "Authorization", "value": value}]),
            ),
            None => headers.remove("authorization"),
        };
        event.to_string()
    }

    #[test]
    fn the_fixtures_credentials_pass_the_request_on_unchanged() {
        let run = testing::invoke(FIXTURE, super::basic_auth);
        let event: Value = serde_json::from_str(FIXTURE).unwrap();
        assert_eq!(run.status, 0);
        assert_eq!(run.json(), event["Records"][0]["cf"]["request"]);
    }

    #[test]
    fn wrong_or_missing_credentials_get_a_401_challenge() {
        for authorization in [Some("Basic d3Jvbmc6d3Jvbmc="), None] {
            testing::reset();
            let run = testing::invoke(&with_authorization(authorization), super::basic_auth);
            assert_eq!(run.status, 0);
            assert_eq!(
                run.json(),
                json!({
                    "status": "401",
                    "statusDescription": "Unauthorized",
                    "headers": {
                        "www-authenticate": [{"key": "WWW-Authenticate", "value": "Basic realm=\"lambda-wasm\", charset=\"UTF-8\""}],
                        "content-type": [{"key": "Content-Type", "value": "text/plain"}]
                    },
                    "bodyEncoding": "text",
                    "body": "Unauthorized"
                })
            );
            let logs = testing::take_logs();
            assert_eq!(
                logs,
                vec![(
                    Level::Warn,
                    "basic-auth: refused GET /private/index.html from 203.0.113.9".to_string()
                )]
            );
        }
    }
}
