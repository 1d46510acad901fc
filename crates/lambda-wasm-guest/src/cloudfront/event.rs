//! The Lambda@Edge event envelope: `{"Records": [{"cf": {config, request, response?}}]}`.

use std::fmt;

use serde::{de, Deserialize, Deserializer, Serialize};

use super::{Request, Response};
use crate::Error;

/// An event of any of the four Lambda@Edge triggers.
///
/// CloudFront sends exactly one record; deserialisation refuses an empty `Records`, so the
/// accessors below can return the first record's parts directly.
///
/// ```
/// use lambda_wasm_guest::cloudfront::{CloudFrontEvent, EventType};
/// let event: CloudFrontEvent = serde_json::from_str(r#"{"Records":[{"cf":{
///   "config":{"distributionDomainName":"d111111abcdef8.cloudfront.net","distributionId":"EDFDVBD6EXAMPLE",
///             "eventType":"viewer-request","requestId":"4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ=="},
///   "request":{"clientIp":"203.0.113.178","headers":{},"method":"GET","querystring":"","uri":"/"}}}]}"#).unwrap();
/// assert_eq!(event.event_type(), EventType::ViewerRequest);
/// assert_eq!(event.request().uri, "/");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CloudFrontEvent {
    #[serde(rename = "Records", deserialize_with = "at_least_one")]
    pub records: Vec<Record>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub cf: Cf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cf {
    pub config: Config,
    pub request: Request,
    /// In origin-response and viewer-response events only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<Response>,
}

/// Which distribution and trigger the event comes from (read-only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    pub distribution_domain_name: String,
    pub distribution_id: String,
    pub event_type: EventType,
    /// The encrypted viewer request id (`x-edge-request-id` in the access logs).
    pub request_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventType {
    ViewerRequest,
    OriginRequest,
    OriginResponse,
    ViewerResponse,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ViewerRequest => "viewer-request",
            EventType::OriginRequest => "origin-request",
            EventType::OriginResponse => "origin-response",
            EventType::ViewerResponse => "viewer-response",
        }
    }

    pub fn is_request(self) -> bool {
        matches!(self, EventType::ViewerRequest | EventType::OriginRequest)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The accessors panic only on an event whose `records` was emptied after deserialisation.
impl CloudFrontEvent {
    pub fn record(&self) -> &Record {
        &self.records[0]
    }

    pub fn config(&self) -> &Config {
        &self.record().cf.config
    }

    pub fn event_type(&self) -> EventType {
        self.config().event_type
    }

    pub fn request(&self) -> &Request {
        &self.record().cf.request
    }

    pub fn request_mut(&mut self) -> &mut Request {
        &mut self.records[0].cf.request
    }

    /// The request, to change and return from a request trigger.
    pub fn into_request(self) -> Request {
        self.into_cf().request
    }

    pub fn response(&self) -> Option<&Response> {
        self.record().cf.response.as_ref()
    }

    pub fn response_mut(&mut self) -> Option<&mut Response> {
        self.records[0].cf.response.as_mut()
    }

    /// The response, to change and return from a response trigger; an `InvalidEvent` error for
    /// request events, which have none (a function attached to the wrong trigger).
    pub fn into_response(self) -> Result<Response, Error> {
        let event_type = self.event_type();
        self.into_cf().response.ok_or_else(|| {
            Error::new(
                "InvalidEvent",
                format!("a {} event has no response: attach this function to origin-response or viewer-response", event_type),
            )
        })
    }

    /// Config, request and response (response triggers only) as separate values, for handlers
    /// that change the request and still want the request id or event type.
    pub fn into_parts(self) -> (Config, Request, Option<Response>) {
        let cf = self.into_cf();
        (cf.config, cf.request, cf.response)
    }

    /// Config, request and response together, for handlers that need more than one of them.
    pub fn into_cf(self) -> Cf {
        self.records
            .into_iter()
            .next()
            .expect("CloudFrontEvent without records")
            .cf
    }
}

fn at_least_one<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Record>, D::Error> {
    let records = Vec::<Record>::deserialize(deserializer)?;
    if records.is_empty() {
        return Err(de::Error::invalid_length(0, &"one record"));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(event_type: &str, response: Option<serde_json::Value>) -> serde_json::Value {
        let mut cf = json!({
            "config": {"distributionDomainName": "d111111abcdef8.cloudfront.net", "distributionId": "EDFDVBD6EXAMPLE", "eventType": event_type, "requestId": "r"},
            "request": {"clientIp": "203.0.113.178", "headers": {}, "method": "GET", "querystring": "", "uri": "/a"}
        });
        if let Some(response) = response {
            cf["response"] = response;
        }
        json!({"Records": [{"cf": cf}]})
    }

    #[test]
    fn refuses_an_empty_record_list_and_unknown_event_types() {
        let empty = serde_json::from_value::<CloudFrontEvent>(json!({"Records": []})).unwrap_err();
        assert!(empty.to_string().contains("one record"), "{}", empty);
        assert!(serde_json::from_value::<CloudFrontEvent>(event("viewer-lunch", None)).is_err());
    }

    #[test]
    fn into_response_explains_a_request_event() {
        let request_event: CloudFrontEvent =
            serde_json::from_value(event("viewer-request", None)).unwrap();
        assert!(request_event.event_type().is_request());
        let error = request_event.into_response().unwrap_err();
        assert_eq!(error.error_type, "InvalidEvent");
        assert!(
            error
                .message
                .starts_with("a viewer-request event has no response"),
            "{}",
            error.message
        );
    }

    #[test]
    fn response_events_expose_their_response() {
        let response = json!({"status": "200", "statusDescription": "OK", "headers": {}});
        let mut parsed: CloudFrontEvent =
            serde_json::from_value(event("viewer-response", Some(response))).unwrap();
        assert_eq!(parsed.event_type().to_string(), "viewer-response");
        parsed
            .response_mut()
            .unwrap()
            .headers
            .insert("X-Served-By", "wasm");
        assert_eq!(
            parsed.response().unwrap().headers.get("x-served-by"),
            Some("wasm")
        );
        parsed.request_mut().uri = "/b".into();
        assert_eq!(parsed.clone().into_request().uri, "/b");
        assert_eq!(parsed.into_response().unwrap().status, "200");
    }
}
