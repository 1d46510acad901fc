//! Checking an `Authorization: Basic …` header against the expected `user:password`.

use crate::base64;

/// Whether `authorization` (the header's value) carries exactly `expected` (`user:password`).
/// The scheme name is case-insensitive (RFC 7617); the credentials are compared in constant
/// time, so response timing does not reveal how much of a guess was right.
pub fn is_authorized(authorization: Option<&str>, expected: &str) -> bool {
    let credentials = match authorization.and_then(basic_token).and_then(base64::decode) {
        Some(credentials) => credentials,
        None => return false,
    };
    constant_time_eq(&credentials, expected.as_bytes())
}

fn basic_token(header: &str) -> Option<&str> {
    let header = header.trim();
    let (scheme, token) = header.split_at(header.find(' ')?);
    if scheme.eq_ignore_ascii_case("Basic") {
        Some(token.trim())
    } else {
        None
    }
}

/// Compares every byte of `expected` whatever `given` holds; only the length of the
/// expected value, which is not secret to anyone who can read the deployed code, shapes the time.
fn constant_time_eq(given: &[u8], expected: &[u8]) -> bool {
    let mut difference = (given.len() != expected.len()) as u8;
    for (i, &e) in expected.iter().enumerate() {
        let g = given.get(i).copied().unwrap_or(!e);
        difference |= g ^ e;
    }
    difference == 0
}

/// `user:password` with a non-empty user: what the build must be given.
// Called only from a `const` assertion, which Rust 1.63's dead-code lint does not see.
#[allow(dead_code)]
pub const fn is_valid_credentials(credentials: &str) -> bool {
    let bytes = credentials.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            return i > 0;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64::encode;

    const EXPECTED: &str = "admin:lambda-wasm";

    fn basic(credentials: &str) -> String {
        format!("Basic {}", encode(credentials.as_bytes()))
    }

    #[test]
    fn accepts_the_right_credentials_whatever_the_scheme_case_and_spacing() {
        assert!(is_authorized(
            Some("Basic YWRtaW46bGFtYmRhLXdhc20="),
            EXPECTED
        ));
        assert!(is_authorized(
            Some(&format!("BASIC {}", encode(EXPECTED.as_bytes()))),
            EXPECTED
        ));
        assert!(is_authorized(Some(&basic(EXPECTED)), EXPECTED));
        assert!(is_authorized(
            Some("  basic   YWRtaW46bGFtYmRhLXdhc20  "),
            EXPECTED
        ));
    }

    #[test]
    fn refuses_everything_else() {
        for header in [
            None,
            Some(String::new()),
            Some(basic("admin:lambda-was")),
            Some(basic("admin:lambda-wasm2")),
            Some(basic("Admin:lambda-wasm")),
            Some(basic("")),
            Some(format!("Bearer {}", encode(EXPECTED.as_bytes()))),
            Some("Basic".to_string()),
            Some("Basic not*base64".to_string()),
            Some(encode(EXPECTED.as_bytes())),
        ] {
            assert!(!is_authorized(header.as_deref(), EXPECTED), "{:?}", header);
        }
    }

    #[test]
    fn constant_time_eq_is_plain_equality() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"ab", b"abc"));
        assert!(!constant_time_eq(b"abcd", b"abc"));
        // A missing byte must not match an expected byte by accident.
        assert!(!constant_time_eq(&[], &[0xff]));
        assert!(!constant_time_eq(&[], &[0x00]));
    }

    #[test]
    fn credentials_need_a_user_and_a_colon() {
        assert!(is_valid_credentials("admin:lambda-wasm"));
        assert!(is_valid_credentials("admin:"));
        assert!(is_valid_credentials("a:b:c"));
        assert!(!is_valid_credentials(":secret"));
        assert!(!is_valid_credentials("admin"));
        assert!(!is_valid_credentials(""));
    }
}
