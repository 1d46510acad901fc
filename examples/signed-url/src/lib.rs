//! viewer-request: a URL is served only with `?expires=<unix seconds>&sig=<hex>`, where `sig` is
//! HMAC-SHA256 over `<uri>:<expires>` with a secret compiled in at build time (the function's
//! `buildEnv`), and only until `expires`. Both parameters are removed before the request goes on,
//! so every signed URL of an object shares one cache entry. The JavaScript equivalent:
//!
//! ```js
//! export const handler = async (event) => {
//!   const request = event.Records[0].cf.request;
//!   const params = new URLSearchParams(request.querystring);
//!   const expires = Number(params.get('expires'));
//!   if (!Number.isInteger(expires) || expires < Date.now() / 1000) return forbidden('expired');
//!   const expected = createHmac('sha256', SECRET).update(`${request.uri}:${expires}`).digest();
//!   const given = Buffer.from(params.get('sig') ?? '', 'hex');
//!   if (given.length !== expected.length || !timingSafeEqual(given, expected)) return forbidden('bad signature');
//!   params.delete('sig');
//!   params.delete('expires');
//!   request.querystring = params.toString();
//!   return request;
//! };
//! ```

use hmac::{Hmac, Mac};
use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
use lambda_wasm_guest::{time, Context, Error};
use sha2::Sha256;

const SECRET: &str = env!(
    "SIGNED_URL_SECRET",
    "set SIGNED_URL_SECRET when building (lambda-wasm build and test take it from the function's buildEnv)"
);

fn signed_url(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
    let mut request = event.into_request();
    let mut params = request.query_params();
    let expires: u64 = match params.get("expires").map(str::parse) {
        Some(Ok(expires)) => expires,
        _ => return Ok(forbidden("no valid expires parameter")),
    };
    if expires < time::unix_seconds() {
        return Ok(forbidden("the link has expired"));
    }
    let given = params.get("sig").and_then(hex).unwrap_or_default();
    if signer(&request.uri, expires)?.verify_slice(&given).is_err() {
        lambda_wasm_guest::warn!(
            "signed-url: bad signature for {} from {}",
            request.uri,
            request.client_ip
        );
        return Ok(forbidden("bad signature"));
    }
    params.remove("sig");
    params.remove("expires");
    request.set_query(&params);
    Ok(request.into())
}

/// The MAC over `<uri>:<expires>`, ready to finalise or verify.
fn signer(uri: &str, expires: u64) -> Result<Hmac<Sha256>, Error> {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes())?;
    mac.update(uri.as_bytes());
    mac.update(b":");
    mac.update(expires.to_string().as_bytes());
    Ok(mac)
}

fn forbidden(reason: &str) -> RequestResult {
    GeneratedResponse::text(403, format!("Forbidden: {}\n", reason))
        .with_header("Cache-Control", "no-store")
        .into()
}

/// Lowercase or uppercase hex to bytes; `None` for anything else.
fn hex(text: &str) -> Option<Vec<u8>> {
    fn nibble(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    if text.len() % 2 != 0 {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| Some(nibble(pair[0])? << 4 | nibble(pair[1])?))
        .collect()
}

lambda_wasm_guest::export_handler!(signed_url);

#[cfg(test)]
mod tests {
    use hmac::Mac;
    use lambda_wasm_guest::testing;

    const NOW: u64 = 1_750_000_000;

    fn sign(uri: &str, expires: u64) -> String {
        let bytes = super::signer(uri, expires).unwrap().finalize().into_bytes();
        bytes.iter().map(|b| format!("{:02x}", b)).collect()
    }

    fn at_now() {
        testing::reset();
        testing::set_now_ms(Some(NOW as f64 * 1000.0));
    }

    #[test]
    fn the_fixture_is_signed_with_the_default_secret_and_passes_without_its_parameters() {
        at_now();
        let run = testing::run(
            include_str!("../../../fixtures/events/viewer-request-signed-url.json"),
            super::signed_url,
        );
        assert!(run.is_pass_through(), "{}", run.output);
        assert_eq!(run.request().uri, "/downloads/report.pdf");
        assert_eq!(run.request().querystring, "download=1");
    }

    #[test]
    fn a_fresh_signature_passes_and_other_parameters_stay() {
        at_now();
        let expires = NOW + 60;
        let run = testing::viewer_request("/downloads/a.zip")
            .query("v", "2")
            .query("expires", &expires.to_string())
            .query("sig", &sign("/downloads/a.zip", expires))
            .invoke(super::signed_url);
        assert_eq!(run.request().querystring, "v=2");
    }

    #[test]
    fn expired_tampered_or_missing_signatures_get_a_403() {
        at_now();
        let past = NOW - 1;
        let future = NOW + 60;
        let cases = [
            (past, sign("/downloads/a.zip", past), "the link has expired"),
            (future, sign("/downloads/b.zip", future), "bad signature"),
            (future, "zz".to_string(), "bad signature"),
            (future, String::new(), "bad signature"),
        ];
        for (expires, sig, reason) in cases {
            let run = testing::viewer_request("/downloads/a.zip")
                .query("expires", &expires.to_string())
                .query("sig", &sig)
                .invoke(super::signed_url);
            assert_eq!(run.status(), Some(403), "{}", sig);
            assert_eq!(
                run.body(),
                Some(format!("Forbidden: {}\n", reason).as_str())
            );
            assert_eq!(run.header("cache-control"), Some("no-store"));
        }
        let unsigned = testing::viewer_request("/downloads/a.zip").invoke(super::signed_url);
        assert_eq!(
            unsigned.body(),
            Some("Forbidden: no valid expires parameter\n")
        );
    }

    #[test]
    fn the_clock_is_the_hosts_not_a_constant() {
        testing::reset();
        let expires = lambda_wasm_guest::time::unix_seconds() + 5;
        let run = testing::viewer_request("/f")
            .query("expires", &expires.to_string())
            .query("sig", &sign("/f", expires))
            .invoke(super::signed_url);
        assert!(run.is_pass_through());
    }
}
