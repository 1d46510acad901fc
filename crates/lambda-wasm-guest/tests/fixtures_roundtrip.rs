//! Every shared fixture in `fixtures/events` goes through its Rust type and back unchanged.
//!
//! This keeps the Rust types and the TypeScript ones (tested on the same files) in step: a field
//! the Rust types do not know would be dropped on the way back, and the comparison would fail.

use std::fs;
use std::path::{Path, PathBuf};

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, EventType};
use lambda_wasm_guest::http;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    // cargo-mutants tests a copy of the crate outside the repository: it says where they are.
    std::env::var_os("LAMBDA_WASM_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/events"))
}

fn fixtures() -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = fs::read_dir(fixtures_dir())
        .expect("fixtures/events exists")
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().map_or(false, |ext| ext == "json"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {}", name, e));
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not JSON: {}", name, e));
            (name, value)
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

enum Kind {
    CloudFront(EventType),
    Http,
    Json,
}

fn kind(value: &Value) -> Kind {
    if let Some(event_type) = value.pointer("/Records/0/cf/config/eventType") {
        Kind::CloudFront(serde_json::from_value(event_type.clone()).expect("a known eventType"))
    } else if value.get("version").and_then(Value::as_str) == Some("2.0") {
        Kind::Http
    } else {
        Kind::Json
    }
}

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str, value: &Value) -> T {
    let typed: T =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{}: {}", name, e));
    let again = serde_json::to_value(&typed).unwrap();
    assert_eq!(
        &again, value,
        "{} changed on the way through its Rust type",
        name
    );
    typed
}

fn null_paths(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Null => out.push(path.to_string()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| null_paths(v, &format!("{}/{}", path, i), out)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| null_paths(v, &format!("{}/{}", path, k), out)),
        _ => {}
    }
}

/// docs/cloudfront-rules.md §1.4: which parts each event type carries.
fn check_cloudfront_shape(name: &str, event: &CloudFrontEvent, event_type: EventType) {
    assert_eq!(
        event.records.len(),
        1,
        "{}: CloudFront sends one record",
        name
    );
    let request = event.request();
    let is_origin = matches!(
        event_type,
        EventType::OriginRequest | EventType::OriginResponse
    );
    assert_eq!(
        request.origin.is_some(),
        is_origin,
        "{}: origin only in origin events",
        name
    );
    assert_eq!(
        event.response().is_some(),
        !event_type.is_request(),
        "{}: response only in response events",
        name
    );
    if request.body.is_some() {
        assert!(
            event_type.is_request(),
            "{}: a body only in request events",
            name
        );
    }
    for (header, values) in request.headers.iter().chain(
        event
            .response()
            .map(|r| r.headers.iter())
            .into_iter()
            .flatten(),
    ) {
        assert_eq!(
            header,
            &header.to_ascii_lowercase(),
            "{}: header map keys are lowercase",
            name
        );
        for value in values {
            let key = value
                .key
                .as_deref()
                .unwrap_or_else(|| panic!("{}: {} has no key", name, header));
            assert_eq!(
                key.to_ascii_lowercase(),
                *header,
                "{}: key matches its map key",
                name
            );
        }
    }
}

#[test]
fn every_fixture_round_trips_through_its_type() {
    let fixtures = fixtures();
    let mut seen = Vec::new();
    for (name, value) in &fixtures {
        let mut nulls = Vec::new();
        null_paths(value, "", &mut nulls);
        assert!(
            nulls.is_empty(),
            "{} has null at {:?}; absent fields are left out",
            name,
            nulls
        );

        match kind(value) {
            Kind::CloudFront(event_type) => {
                let event: CloudFrontEvent = round_trip(name, value);
                check_cloudfront_shape(name, &event, event_type);
                seen.push(event_type.as_str());
            }
            Kind::Http => {
                let request: http::Request = round_trip(name, value);
                assert_eq!(
                    request.request_context.http.path, request.raw_path,
                    "{}",
                    name
                );
                seen.push("http");
            }
            Kind::Json => {
                round_trip::<Value>(name, value);
            }
        }
    }
    for expected in [
        "viewer-request",
        "origin-request",
        "origin-response",
        "viewer-response",
        "http",
    ] {
        assert!(
            seen.contains(&expected),
            "no {} fixture among {:?}",
            expected,
            fixtures.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_round_trip_would_notice_a_field_the_types_do_not_know() {
    let (name, mut value) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "viewer-request.json")
        .expect("viewer-request.json");
    value["Records"][0]["cf"]["request"]["newCloudFrontField"] = Value::from(true);
    let parsed: CloudFrontEvent =
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{}: {}", name, e));
    assert_ne!(serde_json::to_value(&parsed).unwrap(), value);
}
