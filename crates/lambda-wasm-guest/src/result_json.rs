//! The CloudFront result types written by hand, byte for byte as serde_json writes them.
//!
//! Why: serde_json's writer instantiated for the derived `Serialize` of a request is inlined into
//! `lambda_wasm_handle`, ~7 KB with a `reserve` and an escape call per field, all compiled by V8
//! at the first call. Here one string writer and one header-map writer serve every field of
//! [`Request`], [`Response`], [`GeneratedResponse`] and [`RequestResult`]; any other result type
//! is still written by serde_json. docs/cold-start.md has the measurements.

use std::any::Any;

use crate::cloudfront::{
    Body, BodyAction, BodyEncoding, GeneratedResponse, Headers, Origin, OriginProtocol, Request,
    RequestResult, Response, S3AuthMethod,
};
use crate::Error;

/// Appends `result` as JSON when it is one of the CloudFront result types; `false` (nothing
/// written) for any other type. The type tests are on constants, so a guest keeps only its own.
pub(crate) fn write<R: Any>(result: &R, out: &mut Vec<u8>) -> bool {
    let result: &dyn Any = result;
    let mut out = Out(out);
    if let Some(request) = result.downcast_ref::<Request>() {
        out.request(request);
    } else if let Some(response) = result.downcast_ref::<Response>() {
        out.response(response);
    } else if let Some(generated) = result.downcast_ref::<GeneratedResponse>() {
        out.generated(generated);
    } else if let Some(either) = result.downcast_ref::<RequestResult>() {
        match either {
            RequestResult::Request(request) => out.request(request),
            RequestResult::Response(generated) => out.generated(generated),
        }
    } else {
        return false;
    }
    true
}

struct Out<'a>(&'a mut Vec<u8>);

impl Out<'_> {
    fn raw(&mut self, text: &str) {
        self.0.extend_from_slice(text.as_bytes());
    }

    /// `"text"`, escaped as serde_json escapes: `"`, `\` and control characters only.
    fn string(&mut self, text: &str) {
        let out = &mut *self.0;
        out.push(b'"');
        let mut rest = text.as_bytes();
        while let Some(i) = rest.iter().position(|&b| ESCAPED[usize::from(b)]) {
            out.extend_from_slice(&rest[..i]);
            escape(out, rest[i]);
            rest = &rest[i + 1..];
        }
        out.extend_from_slice(rest);
        out.push(b'"');
    }

    /// `,"name":` (no comma before an object's first member, whose `{` the caller wrote).
    fn key(&mut self, name: &str) {
        if self.0.last() != Some(&b'{') {
            self.0.push(b',');
        }
        self.0.push(b'"');
        self.raw(name);
        self.raw("\":");
    }

    fn number(&mut self, mut n: u64) {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.0.extend_from_slice(&digits[at..]);
    }

    fn headers(&mut self, headers: &Headers) {
        self.0.push(b'{');
        for (name, values) in headers {
            self.key_string(name);
            self.0.push(b'[');
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    self.0.push(b',');
                }
                self.0.push(b'{');
                if let Some(key) = &value.key {
                    self.key("key");
                    self.string(key);
                }
                self.key("value");
                self.string(&value.value);
                self.0.push(b'}');
            }
            self.0.push(b']');
        }
        self.0.push(b'}');
    }

    /// A member whose name is data (a header name), escaped like any string.
    fn key_string(&mut self, name: &str) {
        if self.0.last() != Some(&b'{') {
            self.0.push(b',');
        }
        self.string(name);
        self.0.push(b':');
    }

    fn request(&mut self, request: &Request) {
        self.raw("{\"clientIp\":");
        self.string(&request.client_ip);
        self.key("headers");
        self.headers(&request.headers);
        self.key("method");
        self.string(&request.method);
        self.key("querystring");
        self.string(&request.querystring);
        self.key("uri");
        self.string(&request.uri);
        if let Some(body) = &request.body {
            self.body(body);
        }
        if let Some(origin) = &request.origin {
            self.origin(origin);
        }
        self.0.push(b'}');
    }

    fn response(&mut self, response: &Response) {
        self.raw("{\"status\":");
        self.string(&response.status);
        self.key("statusDescription");
        self.string(&response.status_description);
        self.key("headers");
        self.headers(&response.headers);
        self.0.push(b'}');
    }

    fn generated(&mut self, response: &GeneratedResponse) {
        self.raw("{\"status\":");
        self.string(&response.status);
        if let Some(description) = &response.status_description {
            self.key("statusDescription");
            self.string(description);
        }
        if !response.headers.is_empty() {
            self.key("headers");
            self.headers(&response.headers);
        }
        if let Some(encoding) = response.body_encoding {
            self.key("bodyEncoding");
            self.raw(encoding_json(encoding));
        }
        if let Some(body) = &response.body {
            self.key("body");
            self.string(body);
        }
        self.0.push(b'}');
    }

    // Bodies and origins are in few results: out of line, so most first calls skip them.

    #[inline(never)]
    fn body(&mut self, body: &Body) {
        self.key("body");
        self.raw("{\"inputTruncated\":");
        self.raw(if body.input_truncated {
            "true"
        } else {
            "false"
        });
        self.key("action");
        self.raw(match body.action {
            BodyAction::ReadOnly => "\"read-only\"",
            BodyAction::Replace => "\"replace\"",
        });
        self.key("encoding");
        self.raw(encoding_json(body.encoding));
        self.key("data");
        self.string(&body.data);
        self.0.push(b'}');
    }

    #[inline(never)]
    fn origin(&mut self, origin: &Origin) {
        self.key("origin");
        match origin {
            Origin::Custom(custom) => {
                self.raw("{\"custom\":{\"customHeaders\":");
                self.headers(&custom.custom_headers);
                self.key("domainName");
                self.string(&custom.domain_name);
                self.key("keepaliveTimeout");
                self.number(custom.keepalive_timeout.into());
                self.key("path");
                self.string(&custom.path);
                self.key("port");
                self.number(custom.port.into());
                self.key("protocol");
                self.raw(match custom.protocol {
                    OriginProtocol::Http => "\"http\"",
                    OriginProtocol::Https => "\"https\"",
                });
                self.key("readTimeout");
                self.number(custom.read_timeout.into());
                self.key("sslProtocols");
                self.0.push(b'[');
                for (i, protocol) in custom.ssl_protocols.iter().enumerate() {
                    if i > 0 {
                        self.0.push(b',');
                    }
                    self.string(protocol);
                }
                self.raw("]}}");
            }
            Origin::S3(s3) => {
                self.raw("{\"s3\":{\"authMethod\":");
                self.raw(match s3.auth_method {
                    S3AuthMethod::OriginAccessIdentity => "\"origin-access-identity\"",
                    S3AuthMethod::None => "\"none\"",
                });
                self.key("customHeaders");
                self.headers(&s3.custom_headers);
                self.key("domainName");
                self.string(&s3.domain_name);
                self.key("path");
                self.string(&s3.path);
                if let Some(region) = &s3.region {
                    self.key("region");
                    self.string(region);
                }
                self.raw("}}");
            }
        }
    }
}

/// The bytes serde_json escapes: `"`, `\\` and the control characters. A table, as serde_json
/// has: one load per byte instead of three comparisons.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// One escape, out of line: most strings have none, and then the first call does not compile it.
#[cold]
#[inline(never)]
fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => b'u',
    };
    out.push(b'\\');
    out.push(short);
    if short == b'u' {
        out.extend_from_slice(&[
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 15)],
        ]);
    }
}

/// `{"errorType":…,"errorMessage":…}`, the ABI's error output, as serde_json writes [`Error`].
pub(crate) fn write_error(error: &Error, out: &mut Vec<u8>) {
    let mut out = Out(out);
    out.raw("{\"errorType\":");
    out.string(&error.error_type);
    out.key("errorMessage");
    out.string(&error.message);
    out.0.push(b'}');
}

fn encoding_json(encoding: BodyEncoding) -> &'static str {
    match encoding {
        BodyEncoding::Base64 => "\"base64\"",
        BodyEncoding::Text => "\"text\"",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloudfront::CloudFrontEvent;
    use serde::Serialize;

    /// Ours and serde_json's bytes for `value`, which must be one of the handled types.
    fn same<R: Serialize + Any>(value: &R) {
        let mut ours = Vec::new();
        assert!(write(value, &mut ours), "not a CloudFront result type");
        let theirs = serde_json::to_vec(value).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }

    fn fixture_events() -> Vec<CloudFrontEvent> {
        let dir = crate::fixture_events_dir();
        let mut events = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().map_or(false, |e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                events.extend(serde_json::from_str::<CloudFrontEvent>(&text).ok());
            }
        }
        assert!(
            events.len() >= 5,
            "only {} CloudFront fixtures",
            events.len()
        );
        events
    }

    /// Every byte that serde_json escapes, and some it does not.
    const AWKWARD: &str = "q\"b\\s/\u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} \u{7f}é😀";

    #[test]
    fn every_fixture_s_request_and_response_are_written_as_serde_json_writes_them() {
        for event in fixture_events() {
            let (_, request, response) = event.into_parts();
            same(&request);
            same(&RequestResult::Request(request.clone()));
            let mut changed = request;
            changed.uri = AWKWARD.into();
            changed.headers.append(AWKWARD, AWKWARD);
            same(&changed);
            changed.headers = serde_json::from_str(r#"{"empty":[],"x":[{"value":""}]}"#).unwrap();
            same(&changed);
            if let Some(response) = response {
                same(&response);
                let generated = GeneratedResponse::from(response.clone());
                same(&generated);
                same(&RequestResult::from(response));
            }
        }
    }

    #[test]
    fn generated_responses_with_and_without_each_optional_field() {
        for description in [None, Some("OK"), Some(AWKWARD)] {
            for headers in [
                Headers::new(),
                vec![
                    ("Location", "/a"),
                    ("set-cookie", "a=1"),
                    ("Set-Cookie", "b=2"),
                ]
                .into_iter()
                .collect(),
            ] {
                for body_encoding in [None, Some(BodyEncoding::Base64), Some(BodyEncoding::Text)] {
                    for body in [None, Some(""), Some(AWKWARD)] {
                        let response = GeneratedResponse {
                            status: "302".into(),
                            status_description: description.map(String::from),
                            headers: headers.clone(),
                            body_encoding,
                            body: body.map(String::from),
                        };
                        same(&response);
                        same(&RequestResult::Response(response));
                    }
                }
            }
        }
    }

    #[test]
    fn bodies_and_origins() {
        use crate::cloudfront::{CustomOrigin, S3Origin};
        let event = fixture_events().remove(0);
        let mut request = event.into_request();
        for (input_truncated, action, encoding) in [
            (false, BodyAction::ReadOnly, BodyEncoding::Base64),
            (true, BodyAction::Replace, BodyEncoding::Text),
        ] {
            request.body = Some(Body {
                input_truncated,
                action,
                encoding,
                data: AWKWARD.into(),
            });
            same(&request);
        }
        let headers: Headers = vec![("X-A", "1"), ("x-a", "2")].into_iter().collect();
        for ssl_protocols in [vec![], vec!["TLSv1.2".to_string(), "TLSv1.1".into()]] {
            for (port, protocol) in [(0, OriginProtocol::Http), (65535, OriginProtocol::Https)] {
                request.origin = Some(Origin::Custom(CustomOrigin {
                    custom_headers: headers.clone(),
                    domain_name: "example.org".into(),
                    keepalive_timeout: u32::MAX,
                    path: AWKWARD.into(),
                    port,
                    protocol,
                    read_timeout: 30,
                    ssl_protocols: ssl_protocols.clone(),
                }));
                same(&request);
            }
        }
        for (auth_method, region) in [
            (S3AuthMethod::None, None),
            (
                S3AuthMethod::OriginAccessIdentity,
                Some("eu-west-1".to_string()),
            ),
        ] {
            request.origin = Some(Origin::S3(S3Origin {
                auth_method,
                custom_headers: Headers::new(),
                domain_name: "b.s3.amazonaws.com".into(),
                path: "".into(),
                region,
            }));
            same(&request);
        }
    }

    #[test]
    fn errors_are_written_as_serde_json_writes_them() {
        for (error_type, message) in [
            ("InvalidEvent", "missing field `uri` at line 1 column 2"),
            (AWKWARD, AWKWARD),
            ("", ""),
        ] {
            let error = Error::new(error_type, message);
            let mut ours = Vec::new();
            write_error(&error, &mut ours);
            assert_eq!(ours, serde_json::to_vec(&error).unwrap());
        }
    }

    #[test]
    fn other_types_are_left_to_serde_json() {
        let mut out = Vec::new();
        assert!(!write(&serde_json::json!({"a": 1}), &mut out));
        assert!(!write(&"text", &mut out));
        assert!(out.is_empty());
    }
}
