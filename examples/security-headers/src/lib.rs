//! origin-response: adds the usual security headers to every response from the origin, so
//! CloudFront caches them together with the object.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, Response};
use lambda_wasm_guest::{Context, Error};

/// Name (in the case viewers will see) and value. They replace whatever the origin sent, so the
/// policy is the same for every object whatever its origin.
const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload"),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'",
    ),
];

fn security_headers(event: CloudFrontEvent, _ctx: &Context) -> Result<Response, Error> {
    let mut response = event.into_response()?;
    for (name, value) in SECURITY_HEADERS {
        response.headers.insert(name, value);
    }
    Ok(response)
}

lambda_wasm_guest::export_handler!(security_headers);

#[cfg(test)]
mod tests {
    use lambda_wasm_guest::testing;
    use serde_json::{json, Value};

    const ORIGIN_RESPONSE: &str = include_str!("../../../fixtures/events/origin-response.json");

    #[test]
    fn adds_the_five_headers_with_their_case_and_keeps_the_rest() {
        let run = testing::invoke(ORIGIN_RESPONSE, super::security_headers);
        assert_eq!(run.status, 0);
        let out = run.json();
        let event: Value = serde_json::from_str(ORIGIN_RESPONSE).unwrap();
        let original = &event["Records"][0]["cf"]["response"];
        assert_eq!(out["status"], "200");
        assert_eq!(out["statusDescription"], "OK");
        for (name, values) in original["headers"].as_object().unwrap() {
            assert_eq!(&out["headers"][name], values, "{} kept", name);
        }
        assert_eq!(
            out["headers"]["strict-transport-security"],
            json!([{"key": "Strict-Transport-Security", "value": "max-age=63072000; includeSubDomains; preload"}])
        );
        assert_eq!(
            out["headers"]["x-content-type-options"],
            json!([{"key": "X-Content-Type-Options", "value": "nosniff"}])
        );
        assert_eq!(
            out["headers"]["x-frame-options"],
            json!([{"key": "X-Frame-Options", "value": "DENY"}])
        );
        assert_eq!(
            out["headers"]["referrer-policy"],
            json!([{"key": "Referrer-Policy", "value": "strict-origin-when-cross-origin"}])
        );
        assert_eq!(
            out["headers"]["content-security-policy"][0]["value"],
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'"
        );
        assert_eq!(
            out["headers"].as_object().unwrap().len(),
            original["headers"].as_object().unwrap().len() + 5
        );
    }

    #[test]
    fn replaces_a_weaker_header_from_the_origin() {
        let mut event: Value = serde_json::from_str(ORIGIN_RESPONSE).unwrap();
        event["Records"][0]["cf"]["response"]["headers"]["x-frame-options"] =
            json!([{"key": "x-frame-options", "value": "SAMEORIGIN"}]);
        let out = testing::invoke(&event.to_string(), super::security_headers).json();
        assert_eq!(
            out["headers"]["x-frame-options"],
            json!([{"key": "X-Frame-Options", "value": "DENY"}])
        );
    }

    #[test]
    fn attached_to_a_request_trigger_it_says_so() {
        let run = testing::invoke(
            include_str!("../../../fixtures/events/viewer-request.json"),
            super::security_headers,
        );
        assert_eq!(run.status, 1);
        assert_eq!(run.json()["errorType"], "InvalidEvent");
    }
}
