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
    use lambda_wasm_guest::cloudfront::CloudFrontEvent;
    use lambda_wasm_guest::testing;

    const ORIGIN_RESPONSE: &str = include_str!("../../../fixtures/events/origin-response.json");

    #[test]
    fn adds_the_five_headers_with_their_case_and_keeps_the_rest() {
        let run = testing::run(ORIGIN_RESPONSE, super::security_headers);
        let event: CloudFrontEvent = serde_json::from_str(ORIGIN_RESPONSE).unwrap();
        let original = event.response().unwrap();
        let out = run.value();
        assert_eq!(
            (out.status.as_str(), out.status_description.as_str()),
            ("200", "OK")
        );
        for (name, values) in &original.headers {
            assert_eq!(out.headers.entries(name), values, "{} kept", name);
        }
        for (name, value) in super::SECURITY_HEADERS {
            let entries = out.headers.entries(name);
            assert_eq!(entries.len(), 1, "{}", name);
            assert_eq!(entries[0].key.as_deref(), Some(name));
            assert_eq!(entries[0].value, value);
        }
        assert_eq!(out.headers.len(), original.headers.len() + 5);
    }

    #[test]
    fn replaces_a_weaker_header_from_the_origin() {
        let run = testing::origin_response("/")
            .response_header("x-frame-options", "SAMEORIGIN")
            .invoke(super::security_headers);
        assert_eq!(run.headers_all("X-Frame-Options"), ["DENY"]);
    }

    #[test]
    fn attached_to_a_request_trigger_it_says_so() {
        let run = testing::viewer_request("/").invoke(super::security_headers);
        assert_eq!(run.error().error_type, "InvalidEvent");
    }
}
