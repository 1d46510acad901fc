//! `Records[0].cf.response` and what a function returns (docs/cloudfront-rules.md §1.3, §2).

use serde::{Deserialize, Serialize};

use super::{BodyEncoding, Headers, Request};

/// The origin's response, in origin-response and viewer-response events. The body is never
/// exposed to the function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// The HTTP status as a string, e.g. `"200"`. Read-only in viewer-response.
    pub status: String,
    pub status_description: String,
    pub headers: Headers,
}

impl Response {
    /// The status as a number, when it is one.
    pub fn status_code(&self) -> Option<u16> {
        self.status.parse().ok()
    }
}

/// A response the function makes itself: from a request event, sent to the viewer without
/// contacting the origin; from origin-response, the origin's response with a new body.
///
/// Only `status` is required; everything else is left out of the JSON when empty, since
/// CloudFront rejects `null` where it expects a string.
///
/// ```
/// use lambda_wasm_guest::cloudfront::GeneratedResponse;
/// let moved = GeneratedResponse::new(301, "Moved Permanently").with_header("Location", "/new/");
/// assert_eq!(
///     serde_json::to_string(&moved).unwrap(),
///     r#"{"status":"301","statusDescription":"Moved Permanently","headers":{"location":[{"key":"Location","value":"/new/"}]}}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneratedResponse {
    /// 200–599, as a string.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
    #[serde(default, skip_serializing_if = "Headers::is_empty")]
    pub headers: Headers,
    /// `text` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_encoding: Option<BodyEncoding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl GeneratedResponse {
    pub fn new(status: u16, status_description: impl Into<String>) -> Self {
        GeneratedResponse {
            status: status.to_string(),
            status_description: Some(status_description.into()),
            headers: Headers::new(),
            body_encoding: None,
            body: None,
        }
    }

    /// Sets `name` to `value`, replacing earlier values (see [`Headers::insert`]).
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.insert(name, value);
        self
    }

    pub fn with_text_body(mut self, body: impl Into<String>) -> Self {
        self.body_encoding = Some(BodyEncoding::Text);
        self.body = Some(body.into());
        self
    }

    /// `body` must already be base64; CloudFront decodes it, and rejects invalid base64.
    pub fn with_base64_body(mut self, body: impl Into<String>) -> Self {
        self.body_encoding = Some(BodyEncoding::Base64);
        self.body = Some(body.into());
        self
    }
}

/// The origin's response passed on, ready to get a body of its own.
impl From<Response> for GeneratedResponse {
    fn from(response: Response) -> Self {
        GeneratedResponse {
            status: response.status,
            status_description: Some(response.status_description),
            headers: response.headers,
            body_encoding: None,
            body: None,
        }
    }
}

/// What viewer-request and origin-request functions return: the request (changed or not), or a
/// response that CloudFront sends without going to the origin. Serialised as the inner object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RequestResult {
    Request(Request),
    Response(GeneratedResponse),
}

impl From<Request> for RequestResult {
    fn from(request: Request) -> Self {
        RequestResult::Request(request)
    }
}

impl From<GeneratedResponse> for RequestResult {
    fn from(response: GeneratedResponse) -> Self {
        RequestResult::Response(response)
    }
}

/// What origin-response and viewer-response functions return: the response, which may carry a
/// replacement body. Returning [`Response`] itself also works when the body stays as it is.
pub type ResponseResult = GeneratedResponse;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_minimal_generated_response_has_only_a_status() {
        let response = GeneratedResponse {
            status: "204".into(),
            status_description: None,
            headers: Headers::new(),
            body_encoding: None,
            body: None,
        };
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            json!({"status": "204"})
        );
    }

    #[test]
    fn request_results_serialise_as_the_inner_object() {
        let unauthorized =
            GeneratedResponse::new(401, "Unauthorized").with_text_body("Unauthorized");
        let value = serde_json::to_value(RequestResult::from(unauthorized.clone())).unwrap();
        assert_eq!(
            value,
            json!({"status": "401", "statusDescription": "Unauthorized", "bodyEncoding": "text", "body": "Unauthorized"})
        );
        assert_eq!(
            serde_json::from_value::<RequestResult>(value).unwrap(),
            RequestResult::Response(unauthorized)
        );

        let request = json!({"clientIp": "203.0.113.178", "headers": {}, "method": "GET", "querystring": "", "uri": "/"});
        let parsed: RequestResult = serde_json::from_value(request.clone()).unwrap();
        assert!(matches!(parsed, RequestResult::Request(_)));
        assert_eq!(serde_json::to_value(parsed).unwrap(), request);
    }

    #[test]
    fn an_origin_response_keeps_its_fields_when_given_a_body() {
        let response: Response = serde_json::from_value(
            json!({"status": "404", "statusDescription": "Not Found", "headers": {}}),
        )
        .unwrap();
        assert_eq!(response.status_code(), Some(404));
        let result = ResponseResult::from(response).with_base64_body("PGgxPk5vdCBoZXJlPC9oMT4=");
        assert_eq!(
            serde_json::to_value(&result).unwrap(),
            json!({"status": "404", "statusDescription": "Not Found", "bodyEncoding": "base64", "body": "PGgxPk5vdCBoZXJlPC9oMT4="})
        );
    }
}
