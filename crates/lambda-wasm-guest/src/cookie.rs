//! Cookies: read from `Cookie` header values, written as `Set-Cookie` values.
//!
//! ```
//! use lambda_wasm_guest::cookie::{self, SameSite, SetCookie};
//! assert_eq!(cookie::find("session=8f3c; ab=b", "ab"), Some("b"));
//! let set = SetCookie::new("ab", "b").path("/").max_age(86_400).secure().http_only().same_site(SameSite::Lax);
//! assert_eq!(set.to_string(), "ab=b; Path=/; Max-Age=86400; Secure; HttpOnly; SameSite=Lax");
//! ```
//!
//! [`crate::cloudfront::Headers::cookie`] looks across every `Cookie` header of a request.

use std::fmt;

/// The value of cookie `name` in one `Cookie` header value (`a=1; b=2`); surrounding double
/// quotes are kept, as browsers send them.
pub fn find<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    pairs(header).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// The `(name, value)` pairs of one `Cookie` header value, in order.
pub fn pairs(header: &str) -> impl Iterator<Item = (&str, &str)> {
    header
        .split(';')
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.split_once('=') {
            Some((name, value)) => (name.trim(), value.trim()),
            None => ("", piece),
        })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    Strict,
    Lax,
    None,
}

/// A `Set-Cookie` value; attributes are written in the order they are set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetCookie {
    text: String,
}

impl SetCookie {
    /// `name=value`. Neither may contain `;`, `,` or whitespace (RFC 6265); encode the value
    /// (e.g. with [`crate::query::encode`]) when it might.
    pub fn new(name: &str, value: &str) -> Self {
        let mut text = String::with_capacity(name.len() + value.len() + 48);
        text.push_str(name);
        text.push('=');
        text.push_str(value);
        SetCookie { text }
    }

    /// A cookie that deletes `name` (empty value, `Max-Age=0`); give it the same `path` and
    /// `domain` as the cookie it removes.
    pub fn delete(name: &str) -> Self {
        SetCookie::new(name, "").max_age(0)
    }

    pub fn path(self, path: &str) -> Self {
        self.attribute("Path", Some(path))
    }

    pub fn domain(self, domain: &str) -> Self {
        self.attribute("Domain", Some(domain))
    }

    /// Seconds until the browser drops the cookie.
    pub fn max_age(self, seconds: u64) -> Self {
        self.attribute("Max-Age", Some(&seconds.to_string()))
    }

    /// An HTTP date, e.g. `Wed, 21 Oct 2026 07:28:00 GMT` (prefer [`SetCookie::max_age`]).
    pub fn expires(self, http_date: &str) -> Self {
        self.attribute("Expires", Some(http_date))
    }

    pub fn secure(self) -> Self {
        self.attribute("Secure", None)
    }

    pub fn http_only(self) -> Self {
        self.attribute("HttpOnly", None)
    }

    pub fn same_site(self, same_site: SameSite) -> Self {
        let value = match same_site {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        };
        self.attribute("SameSite", Some(value))
    }

    fn attribute(mut self, name: &str, value: Option<&str>) -> Self {
        self.text.push_str("; ");
        self.text.push_str(name);
        if let Some(value) = value {
            self.text.push('=');
            self.text.push_str(value);
        }
        self
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SetCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<SetCookie> for String {
    fn from(cookie: SetCookie) -> String {
        cookie.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cookies_with_loose_spacing_and_no_false_prefixes() {
        let header = " a=1;b = 2 ;;flag; ab=\"q\"";
        assert_eq!(find(header, "a"), Some("1"));
        assert_eq!(find(header, "b"), Some("2"));
        assert_eq!(find(header, "ab"), Some("\"q\""));
        assert_eq!(find(header, "flag"), None);
        assert_eq!(pairs(header).count(), 4);
    }

    #[test]
    fn deletes_with_max_age_zero() {
        assert_eq!(
            String::from(SetCookie::delete("s").path("/").domain("example.com")),
            "s=; Max-Age=0; Path=/; Domain=example.com"
        );
    }
}
