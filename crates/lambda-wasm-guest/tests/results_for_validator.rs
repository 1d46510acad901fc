//! Results built with the crate's own types, written out for the TypeScript validator.
//!
//! With `LAMBDA_WASM_RESULTS_OUT=<file>` this writes one JSON line per result:
//! `{"eventType", "event", "result"}`. `test/rust/results-validate.test.ts` runs it and checks that
//! CloudFront's validator finds no shape fault in any of them (a wrong type, a missing field, a
//! header map that is not CloudFront's). Without the variable it only checks they serialise.

use std::fs;
use std::io::Write;
use std::path::Path;

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
use serde_json::{json, Value};

/// A tiny deterministic generator: the same results on every run, no crates beyond serde.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
    fn text(&mut self, max: usize) -> String {
        let alphabet: Vec<char> = "abcXYZ019 -_/.;=é✓\"'".chars().collect();
        let len = (self.next() as usize) % (max + 1);
        (0..len).map(|_| alphabet[(self.next() as usize) % alphabet.len()]).collect()
    }
}

const NAMES: &[&str] = &["X-Custom", "Cache-Control", "content-type", "X-Frame-Options", "Set-Cookie", "ETag", "x-request-id", "Vary"];

fn fixtures() -> Vec<Value> {
    // cargo-mutants tests a copy of the crate outside the repository: it says where they are.
    let dir = std::env::var_os("LAMBDA_WASM_FIXTURES")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/events"));
    let mut names: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names
        .into_iter()
        .filter(|p| p.extension().map_or(false, |e| e == "json"))
        .map(|p| serde_json::from_str::<Value>(&fs::read_to_string(p).unwrap()).unwrap())
        .filter(|v| v.pointer("/Records/0/cf/config/eventType").is_some())
        .collect()
}

fn results() -> Vec<Value> {
    let mut rng = Lcg(0x5eed);
    let mut out = Vec::new();
    for raw in fixtures() {
        let event: CloudFrontEvent = serde_json::from_value(raw.clone()).unwrap();
        let event_type = event.event_type();
        for round in 0..150 {
            let result: Value = if event_type.is_request() {
                if round % 2 == 0 {
                    let mut request = event.clone().into_request();
                    for _ in 0..(rng.next() % 4) {
                        let name = rng.pick(NAMES);
                        let value = rng.text(30);
                        if rng.next() % 2 == 0 {
                            request.headers.insert(name, value);
                        } else {
                            request.headers.append(name, value);
                        }
                    }
                    request.uri = format!("/{}", rng.pick(&["", "a", "b/c.html", "docs/"]));
                    serde_json::to_value(RequestResult::from(request)).unwrap()
                } else {
                    serde_json::to_value(RequestResult::from(generated(&mut rng))).unwrap()
                }
            } else {
                let mut response: GeneratedResponse = event.clone().into_response().unwrap().into();
                for _ in 0..(rng.next() % 4) {
                    response.headers.append(rng.pick(NAMES), rng.text(30));
                }
                if round % 3 == 0 {
                    response = response.with_text_body(rng.text(200));
                }
                serde_json::to_value(&response).unwrap()
            };
            out.push(json!({ "eventType": event_type.as_str(), "event": raw, "result": result }));
        }
    }
    out
}

fn generated(rng: &mut Lcg) -> GeneratedResponse {
    let status = [200u16, 204, 301, 302, 401, 403, 404, 500, 503][(rng.next() as usize) % 9];
    let mut response = GeneratedResponse::new(status, rng.text(12).replace("✓", "e"));
    for _ in 0..(rng.next() % 4) {
        response = response.with_header(rng.pick(NAMES), rng.text(30));
    }
    match rng.next() % 3 {
        0 if status != 204 => response.with_text_body(rng.text(300)),
        1 if status != 204 => response.with_base64_body("aGVsbG8gd29ybGQ="),
        _ => response,
    }
}

#[test]
fn results_serialise_and_are_written_for_the_validator() {
    let all = results();
    assert!(all.len() >= 1000, "{} results", all.len());
    if let Ok(path) = std::env::var("LAMBDA_WASM_RESULTS_OUT") {
        let mut file = fs::File::create(&path).unwrap();
        for r in &all {
            writeln!(file, "{}", r).unwrap();
        }
    }
}
