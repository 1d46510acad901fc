//! Query strings, read and rebuilt as JavaScript's `URLSearchParams` does: `+` and `%XX` decoded
//! on the way in, `application/x-www-form-urlencoded` on the way out.
//!
//! ```
//! use lambda_wasm_guest::query::Query;
//! let mut params = Query::parse("sig=abc&expires=1700000000&q=red+shoes");
//! assert_eq!(params.get("q"), Some("red shoes"));
//! params.remove("sig");
//! params.set("page", "2");
//! assert_eq!(params.to_string(), "expires=1700000000&q=red+shoes&page=2");
//! ```
//!
//! For a single lookup without building a `Query`, [`find`] scans the raw text and allocates
//! only when the value needs decoding.

use std::borrow::Cow;
use std::fmt;

/// Decoded `(name, value)` pairs in their order; names may repeat.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn new() -> Self {
        Query::default()
    }

    /// Parses `a=1&b=2` (a leading `?` is ignored; empty pieces are skipped, a piece without
    /// `=` has an empty value), as `new URLSearchParams(text)`.
    pub fn parse(raw: &str) -> Self {
        Query {
            pairs: pieces(raw)
                .map(|(name, value)| (decode(name).into_owned(), decode(value).into_owned()))
                .collect(),
        }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name` to `value`: the first occurrence takes the value and later ones are removed;
    /// a new name goes last.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.pairs.iter().position(|(n, _)| n == name) {
            Some(i) => {
                self.pairs[i].1 = value;
                let mut seen = 0;
                self.pairs.retain(|(n, _)| {
                    if n != name {
                        return true;
                    }
                    seen += 1;
                    seen == 1
                });
            }
            None => self.pairs.push((name.to_owned(), value)),
        }
    }

    /// Adds a pair after the others, even when `name` is already there.
    pub fn append(&mut self, name: &str, value: impl Into<String>) {
        self.pairs.push((name.to_owned(), value.into()));
    }

    /// Removes every pair named `name` (JavaScript's `delete`).
    pub fn remove(&mut self, name: &str) {
        self.pairs.retain(|(n, _)| n != name);
    }

    /// The pairs, decoded, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

/// The encoded query string, without `?` (what CloudFront's `querystring` holds).
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            if i > 0 {
                f.write_str("&")?;
            }
            encode_into(f, name)?;
            f.write_str("=")?;
            encode_into(f, value)?;
        }
        Ok(())
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Query {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(pairs: I) -> Self {
        Query {
            pairs: pairs
                .into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        }
    }
}

/// The first value of `name` in the raw query string `raw`, decoded; borrowed when it has
/// nothing to decode.
pub fn find<'a>(raw: &'a str, name: &str) -> Option<Cow<'a, str>> {
    pieces(raw)
        .find(|(n, _)| decode(n) == name)
        .map(|(_, value)| decode(value))
}

/// `raw` split into undecoded `(name, value)` pieces.
fn pieces(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    raw.strip_prefix('?')
        .unwrap_or(raw)
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| piece.split_once('=').unwrap_or((piece, "")))
}

/// `+` → space and `%XX` → byte; invalid UTF-8 becomes U+FFFD, a bad escape stays as it is.
pub fn decode(text: &str) -> Cow<'_, str> {
    if !text.bytes().any(|b| b == b'+' || b == b'%') {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len()
                && hex(bytes[i + 1]).is_some()
                && hex(bytes[i + 2]).is_some() =>
            {
                out.push(hex(bytes[i + 1]).unwrap_or(0) << 4 | hex(bytes[i + 2]).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(text) => Cow::Owned(text),
        Err(error) => Cow::Owned(String::from_utf8_lossy(error.as_bytes()).into_owned()),
    }
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The form-urlencoded serialiser: ASCII letters, digits and `*-._` stay, space is `+`, every
/// other byte `%XX`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = encode_into(&mut out, text);
    out
}

fn encode_into(out: &mut impl fmt::Write, text: &str) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            continue;
        }
        // Runs that need no escaping are copied in one write; a run starts and ends next to an
        // escaped byte, and continuation bytes are all escaped, so runs lie on char boundaries.
        if start < i {
            out.write_str(&text[start..i])?;
        }
        start = i + 1;
        if b == b' ' {
            out.write_char('+')?;
        } else {
            out.write_char('%')?;
            out.write_char(HEX[(b >> 4) as usize] as char)?;
            out.write_char(HEX[(b & 15) as usize] as char)?;
        }
    }
    out.write_str(&text[start..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_like_url_search_params() {
        let q = Query::parse("?a=1&&b&a=2&c=x%20y+z&d=%E2%82%AC&e=%zz");
        assert_eq!(q.get("a"), Some("1"));
        assert_eq!(q.get_all("a").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(q.get("b"), Some(""));
        assert_eq!(q.get("c"), Some("x y z"));
        assert_eq!(q.get("d"), Some("€"));
        assert_eq!(q.get("e"), Some("%zz"));
        assert_eq!(q.get("missing"), None);
        assert_eq!(q.len(), 6);
    }

    #[test]
    fn set_replaces_the_first_and_drops_the_rest() {
        let mut q = Query::parse("a=1&b=2&a=3");
        q.set("a", "9");
        assert_eq!(q.to_string(), "a=9&b=2");
        q.set("c", "new");
        q.append("c", "again");
        q.remove("b");
        assert_eq!(q.to_string(), "a=9&c=new&c=again");
    }

    #[test]
    fn encodes_as_form_urlencoded() {
        assert_eq!(encode("a b&c=d/é*-._~"), "a+b%26c%3Dd%2F%C3%A9*-._%7E");
        let q: Query = [("k", "v w"), ("ü", "")].into_iter().collect();
        assert_eq!(q.to_string(), "k=v+w&%C3%BC=");
        assert_eq!(Query::parse(&q.to_string()), q);
    }

    #[test]
    fn find_borrows_when_nothing_needs_decoding() {
        let raw = "sig=abc&exp=17&n=a+b";
        assert!(matches!(find(raw, "sig"), Some(Cow::Borrowed("abc"))));
        assert_eq!(find(raw, "n").as_deref(), Some("a b"));
        assert_eq!(find(raw, "x"), None);
    }
}
