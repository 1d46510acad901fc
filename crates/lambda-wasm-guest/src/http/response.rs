//! The payload 2.0 response.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Error;

/// A Function URL or HTTP API response. Empty headers, no cookies, no body and
/// `isBase64Encoded: false` are left out of the JSON, which Lambda reads the same way.
///
/// ```
/// use lambda_wasm_guest::http::Response;
/// let response = Response::json(200, &serde_json::json!({"ok": true})).unwrap();
/// assert_eq!(
///     serde_json::to_string(&response).unwrap(),
///     r#"{"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\"ok\":true}"}"#
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    pub status_code: u16,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// `Set-Cookie` values; they go here, not in `headers`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cookies: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_base64_encoded: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Response {
    pub fn new(status_code: u16) -> Self {
        Response {
            status_code,
            ..Response::default()
        }
    }

    /// `value` serialised as the body, with `content-type: application/json`.
    pub fn json<T: Serialize + ?Sized>(status_code: u16, value: &T) -> Result<Self, Error> {
        Ok(Response::new(status_code)
            .with_header("content-type", "application/json")
            .with_body(serde_json::to_string(value)?))
    }

    /// A redirect (301, 302, 303, 307 or 308) to `location`.
    pub fn redirect(status_code: u16, location: impl Into<String>) -> Self {
        Response::new(status_code).with_header("location", location)
    }

    /// A plain-text response (`content-type: text/plain; charset=utf-8`).
    pub fn text(status_code: u16, body: impl Into<String>) -> Self {
        Response::new(status_code)
            .with_header("content-type", "text/plain; charset=utf-8")
            .with_body(body)
    }

    /// Adds a `Set-Cookie` value, keeping those already there.
    pub fn with_cookie(mut self, cookie: impl Into<String>) -> Self {
        self.cookies.push(cookie.into());
        self
    }

    /// Adds a value to a header, comma-separated after any value already there.
    pub fn add_header(mut self, name: &str, value: impl Into<String>) -> Self {
        let value = value.into();
        self.headers
            .entry(name.to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(&value);
            })
            .or_insert_with(|| value.clone());
        self
    }

    /// Sets a header; names are stored lowercase, as AWS does.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.insert(name.to_ascii_lowercase(), value.into());
        self
    }

    pub fn with_body(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn leaves_out_what_is_empty_and_keeps_what_is_set() {
        assert_eq!(
            serde_json::to_value(Response::new(204)).unwrap(),
            json!({"statusCode": 204})
        );
        let full = Response {
            status_code: 200,
            headers: BTreeMap::new(),
            cookies: vec!["a=1; Secure".into()],
            body: Some("aGk=".into()),
            is_base64_encoded: true,
        }
        .with_header("Content-Type", "text/plain");
        assert_eq!(
            serde_json::to_value(&full).unwrap(),
            json!({"statusCode": 200, "headers": {"content-type": "text/plain"}, "cookies": ["a=1; Secure"], "body": "aGk=", "isBase64Encoded": true})
        );
    }
}
