//! CloudFront's header map: lowercase name → one `{key, value}` entry per value.

use std::fmt;
use std::slice;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One value of a header. `key` is the name in its original case; CloudFront derives it from the
/// map key (`user-agent` → `User-Agent`) when it is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub value: String,
}

/// Headers as CloudFront hands them to Lambda@Edge and takes them back:
/// `{"user-agent": [{"key": "User-Agent", "value": "curl/8.5.0"}]}`.
///
/// Lookups take a name in any case. Names keep the order they arrived in, new ones go last, so
/// a request passed through comes out as it came in. A list rather than a tree: an event has a
/// few dozen headers at most, where a scan is quicker than a tree and much less code in the
/// `.wasm`.
///
/// ```
/// use lambda_wasm_guest::cloudfront::Headers;
/// let mut headers = Headers::new();
/// headers.insert("X-Frame-Options", "DENY");
/// headers.append("Set-Cookie", "a=1");
/// headers.append("Set-Cookie", "b=2");
/// assert_eq!(headers.get("x-frame-options"), Some("DENY"));
/// assert_eq!(headers.get_all("set-cookie").collect::<Vec<_>>(), ["a=1", "b=2"]);
/// assert_eq!(
///     serde_json::to_string(&headers).unwrap(),
///     r#"{"x-frame-options":[{"key":"X-Frame-Options","value":"DENY"}],"set-cookie":[{"key":"Set-Cookie","value":"a=1"},{"key":"Set-Cookie","value":"b=2"}]}"#
/// );
/// ```
///
/// Two `Headers` are equal when they hold the same names with the same values, in any order of
/// names, as for any map.
#[derive(Debug, Clone, Default)]
pub struct Headers(Vec<(String, Vec<HeaderValue>)>);

impl Headers {
    pub fn new() -> Self {
        Headers(Vec::new())
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.entries(name).first().map(|entry| entry.value.as_str())
    }

    /// Every value of `name`, in order.
    pub fn get_all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.entries(name).iter().map(|entry| entry.value.as_str())
    }

    /// The `{key, value}` entries of `name`; empty when there are none.
    pub fn entries(&self, name: &str) -> &[HeaderValue] {
        match self.position(name) {
            Some(i) => &self.0[i].1,
            None => &[],
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        !self.entries(name).is_empty()
    }

    /// Replaces every value of `name` with `value`. `name` is stored lowercase as the map key and
    /// as given in `key`, so pass the case the viewer or origin should see (`X-Frame-Options`).
    pub fn insert(&mut self, name: &str, value: impl Into<String>) {
        let values = vec![entry(name, value.into())];
        match self.position(name) {
            Some(i) => self.0[i].1 = values,
            None => self.0.push((name.to_ascii_lowercase(), values)),
        }
    }

    /// Adds one more value of `name` after the existing ones.
    pub fn append(&mut self, name: &str, value: impl Into<String>) {
        let added = entry(name, value.into());
        match self.position(name) {
            Some(i) => self.0[i].1.push(added),
            None => self.0.push((name.to_ascii_lowercase(), vec![added])),
        }
    }

    /// Removes `name` and returns its entries.
    pub fn remove(&mut self, name: &str) -> Option<Vec<HeaderValue>> {
        self.position(name).map(|i| self.0.remove(i).1)
    }

    /// The value of cookie `name`, looked for in every `Cookie` header (CloudFront may pass
    /// several; JavaScript code usually forgets the second).
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.get_all("cookie")
            .find_map(|header| crate::cookie::find(header, name))
    }

    /// Every cookie of every `Cookie` header, as `(name, value)`.
    pub fn cookies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.get_all("cookie").flat_map(crate::cookie::pairs)
    }

    /// Adds a `Set-Cookie` header after any others (each cookie needs its own).
    pub fn set_cookie(&mut self, cookie: impl Into<String>) {
        self.append("Set-Cookie", cookie);
    }

    /// Names (lowercase) with their entries, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }

    /// The number of distinct names.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.0
            .iter()
            .position(|(known, _)| known.eq_ignore_ascii_case(name))
    }

    /// JSON's rule for a repeated name, as in `JSON.parse`: the first position, the last value.
    pub(crate) fn set_parsed(&mut self, name: String, values: Vec<HeaderValue>) {
        match self.0.iter().position(|(known, _)| *known == name) {
            Some(i) => self.0[i].1 = values,
            None => self.0.push((name, values)),
        }
    }
}

impl PartialEq for Headers {
    fn eq(&self, other: &Headers) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .all(|(name, values)| other.0.iter().any(|(n, v)| n == name && v == values))
    }
}

impl Eq for Headers {}

fn entry(name: &str, value: String) -> HeaderValue {
    HeaderValue {
        key: Some(name.to_owned()),
        value,
    }
}

/// Iterator over `(name, entries)`, from [`Headers::iter`].
pub struct Iter<'a>(slice::Iter<'a, (String, Vec<HeaderValue>)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a [HeaderValue]);

    fn next(&mut self) -> Option<Self::Item> {
        self.0
            .next()
            .map(|(name, values)| (name.as_str(), values.as_slice()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = (&'a str, &'a [HeaderValue]);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<N: AsRef<str>, V: Into<String>> FromIterator<(N, V)> for Headers {
    /// Collects `(name, value)` pairs; a repeated name gets one entry per value.
    fn from_iter<I: IntoIterator<Item = (N, V)>>(pairs: I) -> Self {
        let mut headers = Headers::new();
        for (name, value) in pairs {
            headers.append(name.as_ref(), value);
        }
        headers
    }
}

impl Serialize for Headers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, values) in &self.0 {
            map.serialize_entry(name, values)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct HeadersVisitor;

        impl<'de> Visitor<'de> for HeadersVisitor {
            type Value = Headers;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of header names to lists of {key, value}")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
                let mut headers = Headers(Vec::with_capacity(map.size_hint().unwrap_or(0)));
                while let Some((name, values)) = map.next_entry::<String, Vec<HeaderValue>>()? {
                    headers.set_parsed(name, values);
                }
                Ok(headers)
            }
        }

        deserializer.deserialize_map(HeadersVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// From text, not `json!`: serde_json's `Value` sorts object keys, and order matters here.
    fn sample() -> Headers {
        serde_json::from_str(
            r#"{
                "host": [{"key": "Host", "value": "d111111abcdef8.cloudfront.net"}],
                "accept-language": [
                    {"key": "Accept-Language", "value": "en-GB"},
                    {"key": "Accept-Language", "value": "fr;q=0.5"}
                ],
                "x-no-key": [{"value": "v"}]
            }"#,
        )
        .unwrap()
    }

    #[test]
    fn lookups_ignore_case_and_keep_every_value() {
        let headers = sample();
        assert_eq!(headers.get("Host"), Some("d111111abcdef8.cloudfront.net"));
        assert_eq!(headers.get("ACCEPT-language"), Some("en-GB"));
        assert_eq!(
            headers.get_all("accept-language").collect::<Vec<_>>(),
            ["en-GB", "fr;q=0.5"]
        );
        assert_eq!(headers.entries("x-no-key")[0].key, None);
        assert_eq!(headers.get("missing"), None);
        assert!(headers.entries("missing").is_empty());
        assert!(!headers.contains("missing"));
        assert!(headers.contains("HOST"));
        assert!(headers.contains("x-no-key"));
        assert_eq!(headers.len(), 3);
    }

    #[test]
    fn insert_replaces_and_keeps_the_original_case_in_key() {
        let mut headers = sample();
        headers.insert("Accept-Language", "de");
        headers.insert("Strict-Transport-Security", "max-age=63072000");
        let value = serde_json::to_value(&headers).unwrap();
        assert_eq!(
            value["accept-language"],
            json!([{"key": "Accept-Language", "value": "de"}])
        );
        assert_eq!(
            value["strict-transport-security"],
            json!([{"key": "Strict-Transport-Security", "value": "max-age=63072000"}])
        );
    }

    #[test]
    fn append_adds_after_existing_values() {
        let mut headers = sample();
        headers.append("accept-language", "es");
        assert_eq!(
            headers.get_all("accept-language").collect::<Vec<_>>(),
            ["en-GB", "fr;q=0.5", "es"]
        );
    }

    #[test]
    fn remove_takes_all_values_whatever_the_case() {
        let mut headers = sample();
        let removed = headers.remove("Accept-Language").unwrap();
        assert_eq!(removed.len(), 2);
        assert!(!headers.contains("accept-language"));
        assert_eq!(headers.remove("accept-language"), None);
    }

    #[test]
    fn keeps_arrival_order_and_puts_new_names_last() {
        let mut headers = sample();
        headers.insert("Via", "1.1 proxy");
        headers.insert("HOST", "example.org");
        let names: Vec<&str> = headers.iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["host", "accept-language", "x-no-key", "via"]);
        let json = serde_json::to_string(&headers).unwrap();
        assert!(
            json.starts_with(
                r#"{"host":[{"key":"HOST","value":"example.org"}],"accept-language":"#
            ),
            "{}",
            json
        );
    }

    #[test]
    fn equality_ignores_the_order_of_names_but_not_of_values() {
        let ab: Headers = vec![("a", "1"), ("b", "2")].into_iter().collect();
        let ba: Headers = vec![("b", "2"), ("a", "1")].into_iter().collect();
        assert_eq!(ab, ba);
        let twice: Headers = vec![("a", "1"), ("a", "2")].into_iter().collect();
        let swapped: Headers = vec![("a", "2"), ("a", "1")].into_iter().collect();
        assert_ne!(twice, swapped);
        assert_ne!(ab, twice);
    }

    #[test]
    fn a_repeated_name_in_the_json_keeps_its_place_and_its_last_value() {
        let headers: Headers = serde_json::from_str(
            r#"{"a":[{"value":"1"}],"b":[{"value":"2"}],"a":[{"value":"3"}]}"#,
        )
        .unwrap();
        assert_eq!(
            serde_json::to_string(&headers).unwrap(),
            r#"{"a":[{"value":"3"}],"b":[{"value":"2"}]}"#
        );
    }

    #[test]
    fn refuses_values_that_are_not_lists_of_key_value() {
        assert!(serde_json::from_str::<Headers>(r#"{"a":"b"}"#).is_err());
        assert!(serde_json::from_str::<Headers>(r#"{"a":[{"key":"A"}]}"#).is_err());
        assert!(serde_json::from_str::<Headers>(r#"[]"#).is_err());
    }

    #[test]
    fn serialises_without_null_keys_and_round_trips() {
        let headers = sample();
        let value = serde_json::to_value(&headers).unwrap();
        assert_eq!(value["x-no-key"], json!([{"value": "v"}]));
        assert_eq!(serde_json::from_value::<Headers>(value).unwrap(), headers);
    }

    #[test]
    fn cookies_come_from_every_cookie_header_and_set_cookie_appends() {
        // CloudFront may pass several Cookie headers (AWS's Lambda@Edge event structure page).
        let mut headers: Headers = vec![
            ("Cookie", "session=abc; theme=dark"),
            ("Cookie", "ab=b"),
            ("Set-Cookie", "a=1"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            headers.cookies().collect::<Vec<_>>(),
            [("session", "abc"), ("theme", "dark"), ("ab", "b")]
        );
        assert_eq!(headers.cookie("ab"), Some("b"));
        headers.set_cookie("b=2; Path=/");
        assert_eq!(
            headers.get_all("set-cookie").collect::<Vec<_>>(),
            ["a=1", "b=2; Path=/"]
        );
        assert_eq!(
            headers.entries("set-cookie")[1].key.as_deref(),
            Some("Set-Cookie")
        );
    }

    #[test]
    fn iter_knows_how_many_names_are_left() {
        let headers = sample();
        let mut iter = headers.iter();
        assert_eq!(iter.size_hint(), (3, Some(3)));
        iter.next();
        assert_eq!(iter.size_hint(), (2, Some(2)));
        assert_eq!((&headers).into_iter().count(), 3);
    }

    #[test]
    fn a_value_that_is_not_a_map_says_what_was_expected() {
        let error = serde_json::from_str::<Headers>("[]")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("a map of header names to lists of {key, value}"),
            "{}",
            error
        );
    }

    #[test]
    fn collects_pairs() {
        let headers: Headers = vec![
            ("Cookie", "a=1"),
            ("Cookie", "b=2"),
            ("Host", "example.org"),
        ]
        .into_iter()
        .collect();
        assert_eq!(headers.get_all("cookie").count(), 2);
        assert_eq!(headers.entries("host")[0].key.as_deref(), Some("Host"));
    }
}
