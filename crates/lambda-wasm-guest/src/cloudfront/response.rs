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

    /// Adds a `Set-Cookie` header, keeping those already there.
    pub fn set_cookie(&mut self, cookie: impl Into<String>) {
        self.headers.set_cookie(cookie);
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

    /// A response with only a status; CloudFront supplies the usual reason phrase.
    pub fn from_status(status: u16) -> Self {
        GeneratedResponse {
            status: status.to_string(),
            status_description: None,
            headers: Headers::new(),
            body_encoding: None,
            body: None,
        }
    }

    /// A redirect (301, 302, 303, 307 or 308) to `location`.
    ///
    /// ```
    /// use lambda_wasm_guest::cloudfront::GeneratedResponse;
    /// let to = GeneratedResponse::redirect(302, "/fr/");
    /// assert_eq!(serde_json::to_string(&to).unwrap(), r#"{"status":"302","headers":{"location":[{"key":"Location","value":"/fr/"}]}}"#);
    /// ```
    pub fn redirect(status: u16, location: impl Into<String>) -> Self {
        GeneratedResponse::from_status(status).with_header("Location", location)
    }

    /// A plain-text response (`Content-Type: text/plain; charset=utf-8`).
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        GeneratedResponse::from_status(status)
            .with_header("Content-Type", "text/plain; charset=utf-8")
            .with_text_body(body)
    }

    /// `value` as JSON (`Content-Type: application/json`).
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Result<Self, crate::Error> {
        Ok(GeneratedResponse::from_status(status)
            .with_header("Content-Type", "application/json")
            .with_text_body(serde_json::to_string(value)?))
    }

    /// Sets `name` to `value`, replacing earlier values (see [`Headers::insert`]).
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Adds one more value of `name` after the existing ones (see [`Headers::append`]).
    pub fn add_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Adds a `Set-Cookie` header, keeping those already there.
    pub fn with_cookie(mut self, cookie: impl Into<String>) -> Self {
        self.headers.set_cookie(cookie);
        self
    }

    pub fn with_status_description(mut self, description: impl Into<String>) -> Self {
        self.status_description = Some(description.into());
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

/// A response passed on unchanged, e.g. from a viewer-response branch of a crate that serves
/// several triggers with [`CloudFrontResult`].
impl From<Response> for RequestResult {
    fn from(response: Response) -> Self {
        RequestResult::Response(response.into())
    }
}

/// What a crate serving several triggers returns: the request (request triggers) or a response
/// (generated, or the origin's passed on). The same type as [`RequestResult`].
///
/// ```
/// use lambda_wasm_guest::cloudfront::{CloudFrontEvent, CloudFrontResult};
/// use lambda_wasm_guest::{Context, Error};
/// fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<CloudFrontResult, Error> {
///     if event.event_type().is_request() {
///         return Ok(event.into_request().into());
///     }
///     let mut response = event.into_response()?;
///     response.headers.insert("X-Seen", "1");
///     Ok(response.into())
/// }
/// ```
pub type CloudFrontResult = RequestResult;

/// What origin-response and viewer-response functions return: the response, which may carry a
/// replacement body. Returning [`Response`] itself also works when the body stays as it is.
pub type ResponseResult = GeneratedResponse;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn set_cookie_adds_after_the_origin_s_own() {
        let mut response: Response = serde_json::from_value(json!({
            "status": "200",
            "statusDescription": "OK",
            "headers": {"set-cookie": [{"key": "Set-Cookie", "value": "origin=1"}]}
        }))
        .unwrap();
        response.set_cookie("edge=2; Secure");
        assert_eq!(
            response.headers.get_all("set-cookie").collect::<Vec<_>>(),
            ["origin=1", "edge=2; Secure"]
        );
        assert_eq!(response.status_code(), Some(200));
    }

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
