//! viewer-request + viewer-response, one crate: an A/B test with a sticky cookie.
//!
//! viewer-request: `/experiment/<page>` becomes `/experiment/a/<page>` or `/experiment/b/<page>`,
//! by the visitor's `ab` cookie, or at random (the host's CSPRNG) for a new visitor, who is
//! marked with an `x-ab-new` header. viewer-response: a marked visitor gets the cookie, so they
//! see the same variant for 30 days. The cache keys on the rewritten URI, so each variant is
//! cached once. The JavaScript equivalent:
//!
//! ```js
//! export const handler = async (event) => {
//!   const { config, request, response } = event.Records[0].cf;
//!   if (config.eventType === 'viewer-request') {
//!     let bucket = cookie(request, 'ab');
//!     if (bucket !== 'a' && bucket !== 'b') {
//!       bucket = crypto.randomInt(2) === 0 ? 'a' : 'b';
//!       request.headers['x-ab-new'] = [{ key: 'X-AB-New', value: bucket }];
//!     }
//!     request.uri = request.uri.replace('/experiment/', `/experiment/${bucket}/`);
//!     return request;
//!   }
//!   const bucket = request.headers['x-ab-new']?.[0]?.value;
//!   if (bucket) {
//!     (response.headers['set-cookie'] ??= []).push({ key: 'Set-Cookie',
//!       value: `ab=${bucket}; Path=/experiment/; Max-Age=2592000; Secure; SameSite=Lax` });
//!   }
//!   return response;
//! };
//! ```

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, CloudFrontResult, EventType, Request};
use lambda_wasm_guest::cookie::{SameSite, SetCookie};
use lambda_wasm_guest::{random, Context, Error};

const COOKIE: &str = "ab";
/// Set by viewer-request for a visitor it just assigned; viewer-response sees the same request.
const NEW_VISITOR: &str = "X-AB-New";
const THIRTY_DAYS: u64 = 30 * 24 * 60 * 60;

fn ab_test(event: CloudFrontEvent, _ctx: &Context) -> Result<CloudFrontResult, Error> {
    if event.event_type() == EventType::ViewerRequest {
        return Ok(assign(event.into_request()).into());
    }
    let (_config, request, response) = event.into_parts();
    let mut response = response.ok_or("attach ab-test to viewer-request and viewer-response")?;
    if let Some(bucket) = request.headers.get(NEW_VISITOR) {
        let cookie = SetCookie::new(COOKIE, bucket)
            .path("/experiment/")
            .max_age(THIRTY_DAYS)
            .secure()
            .same_site(SameSite::Lax);
        response.set_cookie(cookie);
    }
    Ok(response.into())
}

fn assign(mut request: Request) -> Request {
    let bucket = match request.cookie(COOKIE) {
        Some("a") => "a",
        Some("b") => "b",
        _ => {
            let bucket = if random::below(2) == 0 { "a" } else { "b" };
            request.headers.insert(NEW_VISITOR, bucket);
            lambda_wasm_guest::info!("ab-test: new visitor in bucket {}", bucket);
            bucket
        }
    };
    request.uri = request
        .uri
        .replacen("/experiment/", &format!("/experiment/{}/", bucket), 1);
    request
}

lambda_wasm_guest::export_handler!(ab_test);

#[cfg(test)]
mod tests {
    use lambda_wasm_guest::testing;

    #[test]
    fn the_fixture_a_returning_visitor_keeps_their_bucket() {
        let run = testing::run(
            include_str!("../../../fixtures/events/viewer-request-ab.json"),
            super::ab_test,
        );
        assert_eq!(run.request().uri, "/experiment/b/index.html");
        assert_eq!(run.header("x-ab-new"), None);
        assert!(run.logs.is_empty());
    }

    #[test]
    fn new_visitors_are_spread_over_both_buckets_and_marked() {
        let mut seen = [0; 2];
        for _ in 0..64 {
            let run = testing::viewer_request("/experiment/index.html")
                .cookie("ab", "stale")
                .invoke(super::ab_test);
            let bucket = run.header("X-AB-New").expect("marked as new").to_string();
            assert_eq!(
                run.request().uri,
                format!("/experiment/{}/index.html", bucket)
            );
            seen[usize::from(bucket == "b")] += 1;
        }
        // 64 fair coin flips all landing on one side: 2 in 2^64.
        assert!(seen[0] > 0 && seen[1] > 0, "{:?}", seen);
    }

    #[test]
    fn viewer_response_sets_the_cookie_for_a_new_visitor_only() {
        let run = testing::run(
            include_str!("../../../fixtures/events/viewer-response-ab.json"),
            super::ab_test,
        );
        assert_eq!(run.status(), Some(200));
        assert_eq!(
            run.headers_all("Set-Cookie"),
            ["ab=a; Path=/experiment/; Max-Age=2592000; Secure; SameSite=Lax"]
        );

        let returning = testing::viewer_response("/experiment/a/index.html")
            .cookie("ab", "a")
            .response_header("Set-Cookie", "session=1")
            .invoke(super::ab_test);
        assert_eq!(returning.headers_all("set-cookie"), ["session=1"]);
    }

    #[test]
    fn a_second_set_cookie_is_appended_not_replaced() {
        let run = testing::viewer_response("/experiment/b/")
            .header("X-AB-New", "b")
            .response_header("Set-Cookie", "session=1")
            .invoke(super::ab_test);
        assert_eq!(run.headers_all("set-cookie").len(), 2);
    }
}
