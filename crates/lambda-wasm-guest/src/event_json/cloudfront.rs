//! The CloudFront event types read by hand, the path every Lambda@Edge invocation takes.
//!
//! Why not serde's derived `Deserialize`: each derived struct and enum is a visitor of its own,
//! monomorphised with its field matcher and error paths, and V8 compiles every one an event
//! reaches at the first call (Liftoff, lazily, one whole function at a time): for a
//! viewer-request event that was ~25 KB of visitors. Here each type is a short function over the
//! reader's non-generic primitives and a handful of shared helpers (a struct's field loop, a
//! string, the header map, an enum's name), so far less code is reached and compiled.
//! docs/cold-start.md has the measurements.
//!
//! The derived impls stay (users deserialise these types with serde_json, and
//! [`crate::event_json::from_slice`] takes this path only for the top-level `CloudFrontEvent`);
//! the tests below hold both to the same values, errors and positions.

use serde::de::{Error as _, Unexpected};

use super::{mismatch, Deserializer, JsonError, Number, Text};
use crate::cloudfront::{
    Body, BodyAction, BodyEncoding, Cf, CloudFrontEvent, Config, CustomOrigin, EventType,
    HeaderValue, Headers, Origin, OriginProtocol, Record, Request, Response, S3AuthMethod,
    S3Origin,
};

type Result<T> = std::result::Result<T, JsonError>;

/// Which of a struct's fields were read (a struct here has at most 32).
struct Seen(u32);

impl Seen {
    /// The first field of `names` in `required` (a bit per field) that was not read, as serde's
    /// derived code reports it: in declaration order, after the closing `}`.
    fn check(&self, names: &'static [&'static str], required: u32) -> Result<()> {
        match (0..names.len()).find(|&i| required & !self.0 & (1 << i) != 0) {
            Some(i) => Err(JsonError::missing_field(names[i])),
            None => Ok(()),
        }
    }
}

/// Reads a struct's fields: `while let Some(i) = de.field(names, &mut seen, &mut first)? { … }`.
impl Deserializer<'_> {
    /// The `{` of a struct (depth counted as serde's path counts it), or the type error naming
    /// `expected`, e.g. `struct Request`.
    fn open(&mut self, expected: &str) -> Result<()> {
        if self.peek_value()? != b'{' {
            return Err(self.invalid_type(&expected));
        }
        self.index += 1;
        self.enter()
    }

    /// The `[` of a list.
    fn open_list(&mut self) -> Result<()> {
        if self.peek_value()? != b'[' {
            return Err(self.invalid_type(&"a sequence"));
        }
        self.index += 1;
        self.enter()
    }

    /// The index in `names` of the next field, its `:` read; unknown fields are skipped, a
    /// repeated one refused; `None` after the closing `}`.
    fn field(
        &mut self,
        names: &'static [&'static str],
        seen: &mut Seen,
        first: &mut bool,
    ) -> Result<Option<usize>> {
        loop {
            if !self.next_key(first)? {
                self.leave();
                return Ok(None);
            }
            let found = match self.string()? {
                Text::Input(key) | Text::Scratch(key) => names.iter().position(|name| *name == key),
            };
            if let Some(i) = found {
                if seen.0 & (1 << i) != 0 {
                    return Err(JsonError::duplicate_field(names[i]));
                }
                seen.0 |= 1 << i;
            }
            self.expect(b':', "expected `:`")?;
            match found {
                Some(i) => return Ok(Some(i)),
                None => self.skip_value()?,
            }
        }
    }

    /// A string value (`expected a string` otherwise).
    fn text(&mut self) -> Result<String> {
        if self.peek_value()? != b'"' {
            return Err(self.invalid_type(&"a string"));
        }
        self.index += 1;
        self.owned()
    }

    /// The rest of a string whose opening quote was read.
    fn owned(&mut self) -> Result<String> {
        match self.string()? {
            Text::Input(s) | Text::Scratch(s) => Ok(s.to_owned()),
        }
    }

    /// A string value into `out` (a field of a struct built in place: see [`Deserializer::cf`]).
    fn text_into(&mut self, out: &mut String) -> Result<()> {
        if self.peek_value()? != b'"' {
            return Err(self.invalid_type(&"a string"));
        }
        self.index += 1;
        let text = match self.string()? {
            Text::Input(s) | Text::Scratch(s) => s,
        };
        out.clear();
        out.push_str(text);
        Ok(())
    }

    /// Whether an optional field's value is `null` (consumed), as serde reads an `Option`.
    fn null(&mut self) -> Result<bool> {
        if self.peek_value()? == b'n' {
            self.literal(b"null")?;
            return Ok(true);
        }
        Ok(false)
    }

    fn optional_text(&mut self) -> Result<Option<String>> {
        Ok(if self.null()? {
            None
        } else {
            Some(self.text()?)
        })
    }

    fn boolean(&mut self) -> Result<bool> {
        match self.peek_value()? {
            b't' => self.literal(b"true").map(|_| true),
            b'f' => self.literal(b"false").map(|_| false),
            _ => Err(self.invalid_type(&"a boolean")),
        }
    }

    /// An integer up to `max`, with serde's messages for `u16`/`u32` (`expected`).
    fn unsigned(&mut self, max: u64, expected: &str) -> Result<u64> {
        match self.peek_value()? {
            b'-' | b'0'..=b'9' => match self.number()? {
                Number::Unsigned(n) if n <= max => Ok(n),
                Number::Unsigned(n) => Err(mismatch(
                    "invalid value: ",
                    Unexpected::Unsigned(n),
                    &expected,
                )),
                Number::Signed(n) => Err(mismatch(
                    "invalid value: ",
                    Unexpected::Signed(n),
                    &expected,
                )),
                Number::Float(_) => Err(mismatch(
                    "invalid type: ",
                    Unexpected::Other("floating point number"),
                    &expected,
                )),
            },
            _ => Err(self.invalid_type(&expected)),
        }
    }

    /// The variant name of an externally tagged enum, `"name"` or `{"name": …}`: its index in
    /// `names`, and whether it came as an object (whose value is next, after the `:`, and which
    /// [`Deserializer::close_variant`] closes).
    fn variant(&mut self, names: &'static [&'static str], expected: &str) -> Result<(usize, bool)> {
        let object = match self.peek_value()? {
            b'"' => false,
            b'{' => true,
            _ => return Err(self.invalid_type(&expected)),
        };
        self.index += 1;
        if object {
            self.enter()?;
            let mut first = true;
            if !self.next_key(&mut first)? {
                self.index -= 1;
                return Err(JsonError::text("expected value"));
            }
        }
        let i = match self.string()? {
            Text::Input(name) | Text::Scratch(name) => {
                match names.iter().position(|n| *n == name) {
                    Some(i) => i,
                    None => return Err(JsonError::unknown_variant(name, names)),
                }
            }
        };
        if object {
            self.expect(b':', "expected `:`")?;
        }
        Ok((i, object))
    }

    /// The `}` after a variant's value.
    fn close_variant(&mut self) -> Result<()> {
        let mut first = false;
        if self.next_key(&mut first)? {
            return Err(JsonError::text("expected `}`"));
        }
        self.leave();
        Ok(())
    }

    /// A unit variant: `"name"`, or `{"name": null}` as serde reads it too.
    fn unit_variant(&mut self, names: &'static [&'static str], expected: &str) -> Result<usize> {
        let (i, object) = self.variant(names, expected)?;
        if object {
            if self.peek_value()? != b'n' {
                return Err(self.invalid_type(&"unit"));
            }
            self.literal(b"null")?;
            self.close_variant()?;
        }
        Ok(i)
    }

    /// `{"lowercase-name": [{"key": "Name", "value": "…"}, …], …}`, shared by every header field.
    fn headers(&mut self) -> Result<Headers> {
        let mut headers = Headers::new();
        self.headers_into(&mut headers)?;
        Ok(headers)
    }

    /// [`Deserializer::headers`] into a struct's (empty) field.
    fn headers_into(&mut self, headers: &mut Headers) -> Result<()> {
        self.open("a map of header names to lists of {key, value}")?;
        let mut first = true;
        while self.next_key(&mut first)? {
            let name = self.owned()?;
            self.expect(b':', "expected `:`")?;
            let values = self.header_values()?;
            headers.set_parsed(name, values);
        }
        self.leave();
        Ok(())
    }

    #[inline(never)]
    fn header_values(&mut self) -> Result<Vec<HeaderValue>> {
        const NAMES: &[&str] = &["key", "value"];
        self.open_list()?;
        let mut values = Vec::new();
        let mut more = true;
        while self.next_element(&mut more)? {
            self.open("struct HeaderValue")?;
            let (mut seen, mut first) = (Seen(0), true);
            let (mut key, mut value) = (None, String::new());
            while let Some(i) = self.field(NAMES, &mut seen, &mut first)? {
                match i {
                    0 => key = self.optional_text()?,
                    _ => value = self.text()?,
                }
            }
            seen.check(NAMES, 0b10)?;
            values.push(HeaderValue { key, value });
        }
        self.leave();
        Ok(values)
    }

    /// A list of strings (`sslProtocols`).
    fn texts(&mut self) -> Result<Vec<String>> {
        self.open_list()?;
        let mut texts = Vec::new();
        let mut first = true;
        while self.next_element(&mut first)? {
            texts.push(self.text()?);
        }
        self.leave();
        Ok(texts)
    }

    /// `{"Records": [{"cf": {…}}]}`, exactly one record or more (only the first is used).
    #[inline(never)]
    pub(super) fn cloudfront_event(&mut self) -> Result<CloudFrontEvent> {
        const NAMES: &[&str] = &["Records"];
        self.open("struct CloudFrontEvent")?;
        let (mut seen, mut first) = (Seen(0), true);
        let mut records = Vec::new();
        while self.field(NAMES, &mut seen, &mut first)?.is_some() {
            records = self.records()?;
        }
        seen.check(NAMES, 1)?;
        Ok(CloudFrontEvent { records })
    }

    #[inline(never)]
    fn records(&mut self) -> Result<Vec<Record>> {
        const NAMES: &[&str] = &["cf"];
        self.open_list()?;
        let mut records = Vec::with_capacity(1);
        let mut more = true;
        while self.next_element(&mut more)? {
            self.open("struct Record")?;
            let (mut seen, mut first) = (Seen(0), true);
            // Built in place, in the list's own memory (see `cf`); `check` refuses a record
            // without `cf`, and with it the whole event.
            records.push(Record { cf: empty_cf() });
            let record = records.last_mut().expect("just pushed");
            while self.field(NAMES, &mut seen, &mut first)?.is_some() {
                self.cf(&mut record.cf)?;
            }
            seen.check(NAMES, 1)?;
        }
        self.leave();
        if records.is_empty() {
            return Err(JsonError::invalid_length(0, &"one record"));
        }
        Ok(records)
    }

    /// `cf`, `config` and `request` are built in place, into empty values the caller owns: a
    /// struct returned by value is split by LLVM into a local per field, and V8's Liftoff pays
    /// for every local at every branch of the function that the first event reaches. On an
    /// error the caller drops the half-read value once.
    #[inline(never)]
    fn cf(&mut self, cf: &mut Cf) -> Result<()> {
        const NAMES: &[&str] = &["config", "request", "response"];
        self.open("struct Cf")?;
        let (mut seen, mut first) = (Seen(0), true);
        while let Some(i) = self.field(NAMES, &mut seen, &mut first)? {
            match i {
                0 => self.config(&mut cf.config)?,
                1 => self.request(&mut cf.request)?,
                _ => {
                    cf.response = if self.null()? {
                        None
                    } else {
                        Some(self.response()?)
                    }
                }
            }
        }
        seen.check(NAMES, 0b011)
    }

    #[inline(never)]
    fn config(&mut self, config: &mut Config) -> Result<()> {
        const NAMES: &[&str] = &[
            "distributionDomainName",
            "distributionId",
            "eventType",
            "requestId",
        ];
        const EVENT_TYPES: &[&str] = &[
            "viewer-request",
            "origin-request",
            "origin-response",
            "viewer-response",
        ];
        self.open("struct Config")?;
        let (mut seen, mut first) = (Seen(0), true);
        while let Some(i) = self.field(NAMES, &mut seen, &mut first)? {
            match i {
                0 => self.text_into(&mut config.distribution_domain_name)?,
                1 => self.text_into(&mut config.distribution_id)?,
                2 => {
                    config.event_type = match self.unit_variant(EVENT_TYPES, "enum EventType")? {
                        0 => EventType::ViewerRequest,
                        1 => EventType::OriginRequest,
                        2 => EventType::OriginResponse,
                        _ => EventType::ViewerResponse,
                    }
                }
                _ => self.text_into(&mut config.request_id)?,
            }
        }
        seen.check(NAMES, 0b1111)
    }

    #[inline(never)]
    fn request(&mut self, request: &mut Request) -> Result<()> {
        const NAMES: &[&str] = &[
            "clientIp",
            "headers",
            "method",
            "querystring",
            "uri",
            "body",
            "origin",
        ];
        self.open("struct Request")?;
        let (mut seen, mut first) = (Seen(0), true);
        while let Some(i) = self.field(NAMES, &mut seen, &mut first)? {
            match i {
                0 => self.text_into(&mut request.client_ip)?,
                1 => self.headers_into(&mut request.headers)?,
                2 => self.text_into(&mut request.method)?,
                3 => self.text_into(&mut request.querystring)?,
                4 => self.text_into(&mut request.uri)?,
                5 => {
                    request.body = if self.null()? {
                        None
                    } else {
                        Some(self.body()?)
                    }
                }
                _ => {
                    request.origin = if self.null()? {
                        None
                    } else {
                        Some(self.origin()?)
                    }
                }
            }
        }
        seen.check(NAMES, 0b11111)
    }

    // The parts below are in few events (response triggers, IncludeBody, origin events): out of
    // line, so a viewer-request's first call does not compile them.

    #[inline(never)]
    fn response(&mut self) -> Result<Response> {
        const NAMES: &[&str] = &["status", "statusDescription", "headers"];
        self.open("struct Response")?;
        let (mut seen, mut first) = (Seen(0), true);
        let mut response = Response {
            status: String::new(),
            status_description: String::new(),
            headers: Headers::new(),
        };
        while let Some(i) = self.field(NAMES, &mut seen, &mut first)? {
            match i {
                0 => response.status = self.text()?,
                1 => response.status_description = self.text()?,
                _ => response.headers = self.headers()?,
            }
        }
        seen.check(NAMES, 0b111)?;
        Ok(response)
    }

    #[inline(never)]
    fn body(&mut self) -> Result<Body> {
        const NAMES: &[&str] = &["inputTruncated", "action", "encoding", "data"];
        const ACTIONS: &[&str] = &["read-only", "replace"];
        const ENCODINGS: &[&str] = &["base64", "text"];
        self.open("struct Body")?;
        let (mut seen, mut first) = (Seen(0), true);
        let mut body = Body {
            input_truncated: false,
            action: BodyAction::ReadOnly,
            encoding: BodyEncoding::Base64,
            data: String::new(),
        };
        while let Some(i) = self.field(NAMES, &mut seen, &mut first)? {
            match i {
                0 => body.input_truncated = self.boolean()?,
                1 => {
                    body.action = match self.unit_variant(ACTIONS, "enum BodyAction")? {
                        0 => BodyAction::ReadOnly,
                        _ => BodyAction::Replace,
                    }
                }
                2 => {
                    body.encoding = match self.unit_variant(ENCODINGS, "enum BodyEncoding")? {
                        0 => BodyEncoding::Base64,
                        _ => BodyEncoding::Text,
                    }
                }
                _ => body.data = self.text()?,
            }
        }
        seen.check(NAMES, 0b1111)?;
        Ok(body)
    }

    /// `{"custom": {…}}` or `{"s3": {…}}`.
    #[inline(never)]
    fn origin(&mut self) -> Result<Origin> {
        const KINDS: &[&str] = &["custom", "s3"];
        let (kind, object) = self.variant(KINDS, "enum Origin")?;
        if !object {
            return Err(JsonError::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            ));
        }
        let origin = match kind {
            0 => Origin::Custom(self.custom_origin()?),
            _ => Origin::S3(self.s3_origin()?),
        };
        self.close_variant()?;
        Ok(origin)
    }

    fn custom_origin(&mut self) -> Result<CustomOrigin> {
        const NAMES: &[&str] = &[
            "customHeaders",
            "domainName",
            "keepaliveTimeout",
            "path",
            "port",
            "protocol",
            "readTimeout",
            "sslProtocols",
        ];
        const PROTOCOLS: &[&str] = &["http", "https"];
        self.open("struct CustomOrigin")?;
        let (mut seen, mut first) = (Seen(0), true);
        let mut origin = CustomOrigin {
            custom_headers: Headers::new(),
            domain_name: String::new(),
            keepalive_timeout: 0,
            path: String::new(),
            port: 0,
            protocol: OriginProtocol::Https,
            read_timeout: 0,
            ssl_protocols: Vec::new(),
        };
        while let Some(i) = self.field(NAMES, &mut seen, &mut first)? {
            match i {
                0 => origin.custom_headers = self.headers()?,
                1 => origin.domain_name = self.text()?,
                2 => origin.keepalive_timeout = self.unsigned(u32::MAX.into(), "u32")? as u32,
                3 => origin.path = self.text()?,
                4 => origin.port = self.unsigned(u16::MAX.into(), "u16")? as u16,
                5 => {
                    origin.protocol = match self.unit_variant(PROTOCOLS, "enum OriginProtocol")? {
                        0 => OriginProtocol::Http,
                        _ => OriginProtocol::Https,
                    }
                }
                6 => origin.read_timeout = self.unsigned(u32::MAX.into(), "u32")? as u32,
                _ => origin.ssl_protocols = self.texts()?,
            }
        }
        seen.check(NAMES, 0xff)?;
        Ok(origin)
    }

    fn s3_origin(&mut self) -> Result<S3Origin> {
        const NAMES: &[&str] = &[
            "authMethod",
            "customHeaders",
            "domainName",
            "path",
            "region",
        ];
        const AUTH_METHODS: &[&str] = &["origin-access-identity", "none"];
        self.open("struct S3Origin")?;
        let (mut seen, mut first) = (Seen(0), true);
        let mut origin = S3Origin {
            auth_method: S3AuthMethod::None,
            custom_headers: Headers::new(),
            domain_name: String::new(),
            path: String::new(),
            region: None,
        };
        while let Some(i) = self.field(NAMES, &mut seen, &mut first)? {
            match i {
                0 => {
                    origin.auth_method =
                        match self.unit_variant(AUTH_METHODS, "enum S3AuthMethod")? {
                            0 => S3AuthMethod::OriginAccessIdentity,
                            _ => S3AuthMethod::None,
                        }
                }
                1 => origin.custom_headers = self.headers()?,
                2 => origin.domain_name = self.text()?,
                3 => origin.path = self.text()?,
                _ => origin.region = self.optional_text()?,
            }
        }
        seen.check(NAMES, 0b1111)?;
        Ok(origin)
    }
}

/// The values a `cf` is read into (see [`Deserializer::cf`]); every field is overwritten or
/// refused as missing.
fn empty_cf() -> Cf {
    Cf {
        config: Config {
            distribution_domain_name: String::new(),
            distribution_id: String::new(),
            event_type: EventType::ViewerRequest,
            request_id: String::new(),
        },
        request: Request {
            client_ip: String::new(),
            headers: Headers::new(),
            method: String::new(),
            querystring: String::new(),
            uri: String::new(),
            body: None,
            origin: None,
        },
        response: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::from_slice;
    use super::*;
    use serde::Deserialize;
    use serde_json::{json, Value};

    /// Through the hand-written code (`from_slice` picks it for `CloudFrontEvent`).
    fn by_hand(text: &str) -> std::result::Result<CloudFrontEvent, String> {
        from_slice::<CloudFrontEvent>(text.as_bytes()).map_err(|e| e.to_string())
    }

    /// Through the derived `Deserialize`, on the same reader, with the same trailing check.
    fn derived(text: &str) -> std::result::Result<CloudFrontEvent, String> {
        let mut de = Deserializer {
            input: text.as_bytes(),
            index: 0,
            depth: 0,
            closed: false,
            scratch: Vec::new(),
        };
        let parsed = CloudFrontEvent::deserialize(&mut de).and_then(|event| match de.peek() {
            None => Ok(event),
            Some(_) => {
                de.index += 1;
                Err(JsonError::text("trailing characters"))
            }
        });
        parsed.map_err(|error| error.at(text.as_bytes(), de.index).to_string())
    }

    fn same(text: &str) {
        assert_eq!(by_hand(text), derived(text), "{}", text);
    }

    fn fixtures() -> Vec<String> {
        let dir = crate::fixture_events_dir();
        let mut texts = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().map_or(false, |e| e == "json") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
        texts
    }

    /// Every object member's path in `value`, depth first.
    fn paths(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    at.push(key.clone());
                    out.push(at.clone());
                    paths(child, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(i.to_string());
                    paths(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }

    /// The container holding the last step of `path`, and that step.
    fn parent<'v>(value: &'v mut Value, path: &[String]) -> &'v mut Value {
        path[..path.len() - 1]
            .iter()
            .fold(value, |v, step| match v {
                Value::Array(items) => &mut items[step.parse::<usize>().unwrap()],
                other => &mut other[step.as_str()],
            })
    }

    #[test]
    fn every_fixture_reads_as_the_derived_code_reads_it() {
        let mut cloudfront = 0;
        for text in fixtures() {
            same(&text);
            cloudfront += usize::from(by_hand(&text).is_ok());
            // Cut anywhere: the same EOF and syntax errors at the same positions.
            for end in 0..text.len() {
                if text.is_char_boundary(end) {
                    same(&text[..end]);
                }
            }
        }
        assert!(cloudfront >= 5, "only {} CloudFront fixtures", cloudfront);
    }

    #[test]
    fn every_field_with_a_wrong_value_missing_repeated_or_null_fails_as_the_derived_code_fails() {
        let wrong = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-1),
            json!(70000),
            json!(5_000_000_000u64),
            json!(1.5),
            json!("x"),
            json!("viewer-request"),
            json!("custom"),
            json!("replace"),
            json!([]),
            json!(["TLSv1.2"]),
            json!([{}]),
            json!([{"value": "v"}]),
            json!([{"key": null, "value": "v"}]),
            json!({}),
            json!({"viewer-request": null}),
            json!({"viewer-request": 1}),
            json!({"custom": {}}),
            json!({"s3": {}}),
            json!({"x": [{"value": 1}]}),
        ];
        let mut checked = 0;
        for text in fixtures() {
            let original: Value = serde_json::from_str(&text).unwrap();
            if by_hand(&text).is_err() {
                continue;
            }
            let mut all = Vec::new();
            paths(&original, &mut Vec::new(), &mut all);
            for path in &all {
                let last = path.last().unwrap().as_str();
                for value in &wrong {
                    let mut changed = original.clone();
                    parent(&mut changed, path)[last] = value.clone();
                    same(&changed.to_string());
                    checked += 1;
                }
                let mut removed = original.clone();
                let kept = match parent(&mut removed, path) {
                    Value::Object(map) => map.remove(last).unwrap(),
                    _ => continue,
                };
                same(&removed.to_string());
                // Repeated (serde_json's `Value` keeps one of each, so by text), and beside an
                // unknown field.
                let mut repeated = removed.clone();
                if let Value::Object(map) = parent(&mut repeated, path) {
                    map.insert(last.into(), kept.clone());
                    map.insert("someFutureField".into(), json!({"a": [1.5, null, "\\"]}));
                    map.insert("zzREPEATEDzz".into(), kept);
                }
                let text = repeated.to_string();
                same(&text);
                same(&text.replace("zzREPEATEDzz", &last.replace('"', "\\\"")));
            }
        }
        assert!(checked > 1000, "only {} variations", checked);
    }

    #[test]
    fn records_origins_and_enums_in_their_rarer_forms() {
        let cf = r#"{"config":{"distributionDomainName":"d","distributionId":"E","eventType":"origin-request","requestId":"r"},"request":{"clientIp":"1","headers":{"a":[{"value":"1"}],"a":[{"key":"A","value":"2"}]},"method":"GET","querystring":"","uri":"/","origin":ORIGIN}}"#;
        for origin in [
            r#"{"custom":{"customHeaders":{},"domainName":"o","keepaliveTimeout":5,"path":"","port":443,"protocol":"https","readTimeout":30,"sslProtocols":["TLSv1.2"]}}"#,
            r#"{"custom":{"customHeaders":{},"domainName":"o","keepaliveTimeout":5,"path":"","port":80,"protocol":"http","readTimeout":30,"sslProtocols":["TLSv1.2"]}}"#,
            r#"{"s3":{"authMethod":"none","customHeaders":{"x-a":[{"key":"X-A","value":"\u00e9\n"}]},"domainName":"b","path":"/p","region":null}}"#,
            r#"{"s3":{"authMethod":"origin-access-identity","customHeaders":{},"domainName":"b","path":"","region":"eu-west-1"}}"#,
            r#"{"custom":{"customHeaders":{},"domainName":"o","keepaliveTimeout":5,"path":"","port":443,"protocol":"https","readTimeout":30,"sslProtocols":[]},"s3":{}}"#,
            r#"{"custom":{"customHeaders":{},"domainName":"o","keepaliveTimeout":5,"path":"","port":443,"protocol":"https","readTimeout":30,"sslProtocols":[]} x"#,
            r#"{"custom":{"customHeaders":{},"domainName":"o","keepaliveTimeout":5,"path":"","port":65536,"protocol":"https","readTimeout":30,"sslProtocols":[]}}"#,
            r#"{"custom":{"customHeaders":{},"domainName":"o","keepaliveTimeout":5.0,"path":"","port":1,"protocol":"https","readTimeout":30,"sslProtocols":[]}}"#,
            r#"{"custom":{"customHeaders":{},"domainName":"o","keepaliveTimeout":5,"path":"","port":1,"protocol":{"http":null},"readTimeout":30,"sslProtocols":[1]}}"#,
            r#""custom""#,
            r#""ftp""#,
            r#"{"ftp":{}}"#,
            r#"{}"#,
            r#"null"#,
            r#"[]"#,
            r#"{"custom" 1}"#,
        ] {
            let text = format!(
                r#"{{"Records":[{{"cf":{}}},{{"cf":{}}}]}}"#,
                cf.replace("ORIGIN", origin),
                cf.replace("ORIGIN", "null")
            );
            same(&text);
        }
        for text in [
            r#"{"Records":[]}"#,
            r#"{"Records":[1]}"#,
            r#"{"Records":[{}]}"#,
            r#"{"Records":[{"cf":{}}]}"#,
            r#"{"Records":{}}"#,
            r#"{}"#,
            r#"[]"#,
            "not json",
            "",
            r#"{"Records":[{"cf":{"config":{"eventType":{}}}}]}"#,
            r#"{"Records":[{"cf":{"config":{"eventType":{"viewer-request":null,"x":1}}}}]}"#,
            r#"{"Records":[{"cf":{"config":{"eventType":{"viewer-request":null} }}}]}"#,
            r#"{"Records":[{"cf":{"config":{"eventType":"viewer-lunch"}}}]}"#,
            r#"{"Records":[{"cf":{"config":{"eventType":"viewer-request","eventType":"x"}}}]}"#,
            r#"{"Records":[{"cf":{"request":{"body":{"inputTruncated":1}}}}]}"#,
            r#"{"Records":[{"cf":{"request":{"body":{"inputTruncated":true,"action":"read-only","encoding":"base64","data":"YQ==","extra":[]}}}}]}"#,
            r#"{"Records":[{"cf":{"request":{"body":{"inputTruncated":false,"action":"copy"}}}}]}"#,
            r#"{"Records":[{"cf":{"request":{"headers":{"a":[{"key":"A","value":"1"},]}}}}]}"#,
            r#"{"Records":[{"cf":{"request":{"headers":{"a":{"key":"A","value":"1"}}}}}]}"#,
            r#"{"Records":[{"cf":{"request":{"headers":{"\u0041":[{"value":"\ud83d\ude00"}]}}}}]}"#,
            r#"{"Records":[{"cf":{"response":{"status":200}}}]}"#,
        ] {
            same(text);
        }
    }

    #[test]
    fn reports_serde_json_s_messages_and_positions() {
        for (text, message) in [
            (
                r#"{"Records": [{"cf": {"config": {"eventType": "viewer-lunch"}}}]}"#,
                "unknown variant `viewer-lunch`, expected one of `viewer-request`, `origin-request`, `origin-response`, `viewer-response` at line 1 column 59",
            ),
            (
                r#"{"Records": [{"cf": {"request": {"headers": {"a": "b"}}}}]}"#,
                r#"invalid type: string "b", expected a sequence at line 1 column 53"#,
            ),
            (
                r#"{"Records": [{"cf": {"request": {"headers": []}}}]}"#,
                "invalid type: sequence, expected a map of header names to lists of {key, value} at line 1 column 44",
            ),
            (
                r#"{"Records": [{"cf": {"request": {"uri": "/", "uri": "/"}}}]}"#,
                "duplicate field `uri` at line 1 column 50",
            ),
            (
                "{\"Records\": [{\"cf\": {\"request\": {\n\"uri\": \"/\"}}}]}",
                "missing field `clientIp` at line 2 column 11",
            ),
        ] {
            assert_eq!(by_hand(text).unwrap_err(), message, "{}", text);
            let theirs = serde_json::from_str::<CloudFrontEvent>(text).unwrap_err();
            assert_eq!(theirs.to_string(), message, "{}", text);
        }
    }
}
