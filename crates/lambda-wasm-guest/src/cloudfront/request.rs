//! `Records[0].cf.request` and its body and origin (docs/cloudfront-rules.md §1.2).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Headers;
use crate::query::{self, Query};

/// The request as CloudFront sees it. In request events the function may change `uri`,
/// `querystring`, `headers`, `body` (with `action: replace`) and, in origin-request, `origin`,
/// and return it; `client_ip` and `method` are read-only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub client_ip: String,
    pub headers: Headers,
    pub method: String,
    /// Without the leading `?`; `""` when there is none.
    pub querystring: String,
    pub uri: String,
    /// Only in request events of a trigger with IncludeBody.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
    /// Only in origin events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

impl Request {
    /// The first value of a header, whatever the case of `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The value of cookie `name`, from any of the `Cookie` headers.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers.cookie(name)
    }

    /// The first value of query parameter `name`, decoded (borrowed when nothing needed decoding).
    pub fn query(&self, name: &str) -> Option<Cow<'_, str>> {
        query::find(&self.querystring, name)
    }

    /// The query string parsed, to read or change and put back with [`Request::set_query`]
    /// (JavaScript's `new URLSearchParams(request.querystring)`).
    pub fn query_params(&self) -> Query {
        Query::parse(&self.querystring)
    }

    pub fn set_query(&mut self, params: &Query) {
        self.querystring = params.to_string();
    }

    /// The ISO 3166-1 country of the viewer, from `CloudFront-Viewer-Country` (present when the
    /// cache or origin request policy includes that header).
    pub fn viewer_country(&self) -> Option<&str> {
        self.headers.get("cloudfront-viewer-country")
    }
}

/// The viewer's request body, with IncludeBody (docs/cloudfront-rules.md §2.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    /// Read-only: CloudFront cut the body at 40 KB (viewer) or 1 MB (origin).
    pub input_truncated: bool,
    pub action: BodyAction,
    pub encoding: BodyEncoding,
    pub data: String,
}

impl Body {
    /// A body that replaces the viewer's, as UTF-8 text.
    pub fn replace_with_text(&mut self, text: impl Into<String>) {
        self.action = BodyAction::Replace;
        self.encoding = BodyEncoding::Text;
        self.data = text.into();
    }
}

/// Whether CloudFront forwards `data` (`replace`) or the original body (`read-only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BodyAction {
    ReadOnly,
    Replace,
}

/// How a body's `data` is encoded. CloudFront always hands bodies in as base64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyEncoding {
    Base64,
    Text,
}

/// The origin CloudFront will contact: exactly one of `{"custom": …}` or `{"s3": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Custom(CustomOrigin),
    S3(S3Origin),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomOrigin {
    pub custom_headers: Headers,
    pub domain_name: String,
    /// Seconds.
    pub keepalive_timeout: u32,
    /// `""`, or starting with `/` and without a trailing `/`.
    pub path: String,
    pub port: u16,
    pub protocol: OriginProtocol,
    /// Seconds.
    pub read_timeout: u32,
    /// Drawn from `TLSv1.2`, `TLSv1.1`, `TLSv1`, `SSLv3`.
    pub ssl_protocols: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OriginProtocol {
    Http,
    Https,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct S3Origin {
    pub auth_method: S3AuthMethod,
    pub custom_headers: Headers,
    pub domain_name: String,
    pub path: String,
    /// Required with an origin access identity only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum S3AuthMethod {
    OriginAccessIdentity,
    None,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn origin_is_exactly_one_of_custom_or_s3() {
        let s3 = json!({"s3": {"authMethod": "origin-access-identity", "customHeaders": {}, "domainName": "b.s3.amazonaws.com", "path": "", "region": "eu-west-1"}});
        let origin: Origin = serde_json::from_value(s3.clone()).unwrap();
        assert!(
            matches!(&origin, Origin::S3(o) if o.auth_method == S3AuthMethod::OriginAccessIdentity)
        );
        assert_eq!(serde_json::to_value(&origin).unwrap(), s3);

        let both = json!({"s3": s3["s3"], "custom": {}});
        assert!(serde_json::from_value::<Origin>(both).is_err());
        assert!(serde_json::from_value::<Origin>(json!({})).is_err());
    }

    #[test]
    fn absent_body_and_origin_are_omitted_and_unknown_fields_tolerated() {
        let input = json!({"clientIp": "203.0.113.178", "headers": {}, "method": "GET", "querystring": "", "uri": "/", "someFutureField": 1});
        let request: Request = serde_json::from_value(input).unwrap();
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            json!({"clientIp": "203.0.113.178", "headers": {}, "method": "GET", "querystring": "", "uri": "/"})
        );
    }

    fn request(querystring: &str) -> Request {
        serde_json::from_value(json!({
            "clientIp": "203.0.113.178",
            "headers": {"user-agent": [{"key": "User-Agent", "value": "curl/8.5.0"}], "cloudfront-viewer-country": [{"key": "CloudFront-Viewer-Country", "value": "GB"}]},
            "method": "GET",
            "querystring": querystring,
            "uri": "/index.html"
        }))
        .unwrap()
    }

    #[test]
    fn header_and_viewer_country_read_the_headers_in_any_case() {
        let r = request("");
        assert_eq!(r.header("User-Agent"), Some("curl/8.5.0"));
        assert_eq!(r.header("user-agent"), Some("curl/8.5.0"));
        assert_eq!(r.header("accept"), None);
        assert_eq!(r.viewer_country(), Some("GB"));
    }

    #[test]
    fn query_reads_decoded_values_and_set_query_writes_them_back() {
        let mut r = request("size=LARGE&color=dark%20red&empty=");
        assert_eq!(r.query("color").as_deref(), Some("dark red"));
        assert_eq!(r.query("size").as_deref(), Some("LARGE"));
        assert_eq!(r.query("empty").as_deref(), Some(""));
        assert_eq!(r.query("missing"), None);
        let mut params = r.query_params();
        assert_eq!(params.get("size"), Some("LARGE"));
        assert_eq!(params.len(), 3);
        params.set("size", "small");
        params.remove("empty");
        r.set_query(&params);
        assert_eq!(r.querystring, "size=small&color=dark+red");
        assert_eq!(r.query("size").as_deref(), Some("small"));
    }

    #[test]
    fn replacing_the_body_sets_action_and_encoding() {
        let mut body = Body {
            input_truncated: false,
            action: BodyAction::ReadOnly,
            encoding: BodyEncoding::Base64,
            data: "YT0x".into(),
        };
        body.replace_with_text("a=2");
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"inputTruncated": false, "action": "replace", "encoding": "text", "data": "a=2"})
        );
    }
}
