//! Bench baseline: a passthrough viewer-request handler written the usual wasm-bindgen way,
//! with wasm-bindgen. The event arrives as a `JsValue`, is converted into typed CloudFront structs
//! with serde (`JsValue::into_serde`: `JSON.stringify` on the JS side, `serde_json` in the guest),
//! and the request goes back the same way (`JsValue::from_serde`: `serde_json`, then `JSON.parse`).
//! It logs nothing. `lambda-wasm bench` compares this with our ABI (docs/abi.md).

// `into_serde`/`from_serde` are deprecated in favour of the serde-wasm-bindgen crate, which Debian
// does not package; they are also exactly what such guests use, which is the point of this baseline.
#![allow(deprecated)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[derive(Deserialize)]
pub struct CloudFrontEvent {
    #[serde(rename = "Records")]
    pub records: Vec<Record>,
}

#[derive(Deserialize)]
pub struct Record {
    pub cf: Cf,
}

#[derive(Deserialize)]
pub struct Cf {
    pub config: Config,
    pub request: Request,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    pub distribution_domain_name: String,
    pub distribution_id: String,
    pub event_type: String,
    pub request_id: String,
}

#[derive(Deserialize, Serialize)]
pub struct HeaderValue {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub value: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    pub input_truncated: bool,
    pub action: String,
    pub encoding: String,
    pub data: String,
}

#[derive(Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Request {
    pub client_ip: String,
    pub headers: BTreeMap<String, Vec<HeaderValue>>,
    pub method: String,
    pub querystring: String,
    pub uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

#[wasm_bindgen]
pub fn handler(event: JsValue, _context: JsValue) -> Result<JsValue, JsValue> {
    let event: CloudFrontEvent = event
        .into_serde()
        .map_err(|e| JsValue::from_str(&format!("invalid CloudFront event: {}", e)))?;
    let request = event
        .records
        .into_iter()
        .next()
        .ok_or_else(|| JsValue::from_str("invalid CloudFront event: no records"))?
        .cf
        .request;
    JsValue::from_serde(&request).map_err(|e| JsValue::from_str(&format!("cannot serialise the request: {}", e)))
}
