//! The payload 2.0 request.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A Function URL or HTTP API request. AWS always sends every field that is not an `Option`;
/// when a hand-written test event leaves one out, it reads as empty instead of failing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    /// `"2.0"`.
    pub version: String,
    /// `"$default"` for Function URLs.
    #[serde(default)]
    pub route_key: String,
    pub raw_path: String,
    /// Without the leading `?`; `""` when there is none.
    #[serde(default)]
    pub raw_query_string: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cookies: Option<Vec<String>>,
    /// Lowercase names; repeated headers joined with commas.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Repeated parameters joined with commas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query_string_parameters: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub request_context: RequestContext,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_parameters: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub is_base64_encoded: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage_variables: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RequestContext {
    pub account_id: String,
    pub api_id: String,
    pub domain_name: String,
    pub domain_prefix: String,
    pub http: HttpDetails,
    pub request_id: String,
    pub route_key: String,
    pub stage: String,
    /// `12/Mar/2020:19:03:58 +0000`.
    pub time: String,
    /// Milliseconds since the Unix epoch.
    pub time_epoch: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HttpDetails {
    pub method: String,
    pub path: String,
    pub protocol: String,
    pub source_ip: String,
    pub user_agent: String,
}

impl Request {
    /// The HTTP method, e.g. `GET`.
    pub fn method(&self) -> &str {
        &self.request_context.http.method
    }

    /// A header's value, whatever the case of `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        match self.headers.get(name) {
            Some(value) => Some(value),
            None => self.headers.get(&name.to_ascii_lowercase()),
        }
        .map(String::as_str)
    }

    /// The value of cookie `name` (payload 2.0 puts the `Cookie` header's pieces in `cookies`).
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.cookies
            .iter()
            .flatten()
            .find_map(|piece| crate::cookie::find(piece, name))
    }

    /// A query string parameter, already decoded by AWS.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query_string_parameters
            .as_ref()?
            .get(name)
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_query_and_headers_and_tolerates_a_null_authentication() {
        let request: Request = serde_json::from_value(json!({
            "version": "2.0", "routeKey": "$default", "rawPath": "/", "rawQueryString": "digits=5",
            "headers": {"content-type": "application/json"},
            "queryStringParameters": {"digits": "5"},
            "requestContext": {"http": {"method": "POST"}, "authentication": null},
            "isBase64Encoded": false
        }))
        .unwrap();
        assert_eq!(request.query("digits"), Some("5"));
        assert_eq!(request.query("other"), None);
        assert_eq!(request.header("Content-Type"), Some("application/json"));
        assert_eq!(request.method(), "POST");
        let out = serde_json::to_value(&request).unwrap();
        assert!(
            out.get("cookies").is_none()
                && out.get("body").is_none()
                && out.get("stageVariables").is_none()
        );
        assert!(out["requestContext"].get("authentication").is_none());
    }
}
