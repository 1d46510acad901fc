//! Typed builders for test events: every field CloudFront or Lambda always sends is filled in
//! with the values of the repository's fixtures, and each method changes one thing.

use serde::{de::DeserializeOwned, Serialize};

use super::outcome::{run, Outcome};
use crate::cloudfront::{
    Body, BodyAction, BodyEncoding, Cf, CloudFrontEvent, Config, CustomOrigin, EventType, Headers,
    Origin, OriginProtocol, Record, Request, Response,
};
use crate::{http, query, Context, Error};

/// A viewer-request event for `uri` (which may carry `?query`).
pub fn viewer_request(uri: &str) -> CloudFrontEventBuilder {
    CloudFrontEventBuilder::new(EventType::ViewerRequest, uri)
}

/// An origin-request event for `uri`, with a custom origin `example.org`.
pub fn origin_request(uri: &str) -> CloudFrontEventBuilder {
    CloudFrontEventBuilder::new(EventType::OriginRequest, uri)
}

/// An origin-response event for `uri`: the origin answered `200 OK` with `text/html`.
pub fn origin_response(uri: &str) -> CloudFrontEventBuilder {
    CloudFrontEventBuilder::new(EventType::OriginResponse, uri)
}

/// A viewer-response event for `uri`: `200 OK` with `text/html`.
pub fn viewer_response(uri: &str) -> CloudFrontEventBuilder {
    CloudFrontEventBuilder::new(EventType::ViewerResponse, uri)
}

/// A Lambda@Edge event under construction.
#[derive(Debug, Clone)]
pub struct CloudFrontEventBuilder {
    event: CloudFrontEvent,
}

impl CloudFrontEventBuilder {
    fn new(event_type: EventType, uri: &str) -> Self {
        let (path, querystring) = uri.split_once('?').unwrap_or((uri, ""));
        let origin_side = matches!(
            event_type,
            EventType::OriginRequest | EventType::OriginResponse
        );
        let mut headers = Headers::new();
        headers.insert("Host", "d111111abcdef8.cloudfront.net");
        headers.insert(
            "User-Agent",
            if origin_side {
                "Amazon CloudFront"
            } else {
                "Mozilla/5.0 (lambda-wasm test)"
            },
        );
        let origin = if origin_side {
            Some(Origin::Custom(CustomOrigin {
                custom_headers: Headers::new(),
                domain_name: "example.org".into(),
                keepalive_timeout: 5,
                path: String::new(),
                port: 443,
                protocol: OriginProtocol::Https,
                read_timeout: 30,
                ssl_protocols: vec!["TLSv1.2".into()],
            }))
        } else {
            None
        };
        let response = if event_type.is_request() {
            None
        } else {
            let mut headers = Headers::new();
            headers.insert("Content-Type", "text/html");
            Some(Response {
                status: "200".into(),
                status_description: "OK".into(),
                headers,
            })
        };
        CloudFrontEventBuilder {
            event: CloudFrontEvent {
                records: vec![Record {
                    cf: Cf {
                        config: Config {
                            distribution_domain_name: "d111111abcdef8.cloudfront.net".into(),
                            distribution_id: "EDFDVBD6EXAMPLE".into(),
                            event_type,
                            request_id: "4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ=="
                                .into(),
                        },
                        request: Request {
                            client_ip: "203.0.113.178".into(),
                            headers,
                            method: "GET".into(),
                            querystring: querystring.into(),
                            uri: path.into(),
                            body: None,
                            origin,
                        },
                        response,
                    },
                }],
            },
        }
    }

    fn request(&mut self) -> &mut Request {
        self.event.request_mut()
    }

    pub fn method(mut self, method: &str) -> Self {
        self.request().method = method.to_owned();
        self
    }

    /// Adds a request header value (a second `Cookie` becomes a second entry, as CloudFront
    /// may send it).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request().headers.append(name, value);
        self
    }

    /// Removes a request header.
    pub fn without_header(mut self, name: &str) -> Self {
        self.request().headers.remove(name);
        self
    }

    /// Adds `name=value` (encoded) to the query string.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        let request = self.request();
        if !request.querystring.is_empty() {
            request.querystring.push('&');
        }
        request.querystring.push_str(&query::encode(name));
        request.querystring.push('=');
        request.querystring.push_str(&query::encode(value));
        self
    }

    /// A `Cookie` header with one cookie.
    pub fn cookie(self, name: &str, value: &str) -> Self {
        let pair = format!("{}={}", name, value);
        self.header("Cookie", &pair)
    }

    /// `CloudFront-Viewer-Country`, as CloudFront adds it when a policy includes it.
    pub fn country(mut self, code: &str) -> Self {
        self.request()
            .headers
            .insert("CloudFront-Viewer-Country", code);
        self
    }

    pub fn client_ip(mut self, ip: &str) -> Self {
        self.request().client_ip = ip.to_owned();
        self
    }

    /// A request body (IncludeBody), base64-encoded as CloudFront sends it.
    pub fn body(mut self, text: &str) -> Self {
        self.request().body = Some(Body {
            input_truncated: false,
            action: BodyAction::ReadOnly,
            encoding: BodyEncoding::Base64,
            data: base64(text.as_bytes()),
        });
        self
    }

    /// The origin's status, in response events.
    pub fn status(mut self, status: u16, description: &str) -> Self {
        if let Some(response) = self.event.response_mut() {
            response.status = status.to_string();
            response.status_description = description.to_owned();
        }
        self
    }

    /// Adds a header of the origin's response, in response events.
    pub fn response_header(mut self, name: &str, value: &str) -> Self {
        if let Some(response) = self.event.response_mut() {
            response.headers.append(name, value);
        }
        self
    }

    /// The event, to change further by hand.
    pub fn event(self) -> CloudFrontEvent {
        self.event
    }

    /// The event as CloudFront's JSON.
    pub fn json(&self) -> String {
        serde_json::to_string(&self.event).expect("events serialise")
    }

    /// Runs `handler` on the event through the ABI path and returns its typed result and log.
    pub fn invoke<E, R, F>(self, handler: F) -> Outcome<R>
    where
        E: DeserializeOwned + 'static,
        R: Serialize + 'static,
        F: FnOnce(E, &Context) -> Result<R, Error>,
    {
        run(&self.json(), handler)
    }
}

/// A Function URL (payload 2.0) request for `path` (which may carry `?query`).
pub fn function_url(path: &str) -> FunctionUrlBuilder {
    let (raw_path, raw_query) = path.split_once('?').unwrap_or((path, ""));
    let mut builder = FunctionUrlBuilder {
        request: http::Request {
            version: "2.0".into(),
            route_key: "$default".into(),
            raw_path: raw_path.into(),
            ..http::Request::default()
        },
    };
    let ctx = &mut builder.request.request_context;
    ctx.account_id = "anonymous".into();
    ctx.api_id = "abcdefghijklmnopqrstuvwxyz0123456".into();
    ctx.domain_name = "abcdefghijklmnopqrstuvwxyz0123456.lambda-url.us-east-1.on.aws".into();
    ctx.domain_prefix = "abcdefghijklmnopqrstuvwxyz0123456".into();
    ctx.http.method = "GET".into();
    ctx.http.path = raw_path.into();
    ctx.http.protocol = "HTTP/1.1".into();
    ctx.http.source_ip = "203.0.113.178".into();
    ctx.http.user_agent = "curl/8.5.0".into();
    ctx.request_id = "9f1c3b6e-2a4d-4e8f-9b7a-0c5d1e2f3a4b".into();
    ctx.route_key = "$default".into();
    ctx.stage = "$default".into();
    ctx.time = "15/Apr/2024:09:21:07 +0000".into();
    ctx.time_epoch = 1_713_172_867_000;
    let host = ctx.domain_name.clone();
    builder = builder
        .header("host", &host)
        .header("user-agent", "curl/8.5.0");
    for (name, value) in query::Query::parse(raw_query).iter() {
        builder = builder.query(name, value);
    }
    builder
}

/// A Function URL event under construction.
#[derive(Debug, Clone)]
pub struct FunctionUrlBuilder {
    request: http::Request,
}

impl FunctionUrlBuilder {
    pub fn method(mut self, method: &str) -> Self {
        self.request.request_context.http.method = method.to_owned();
        self
    }

    /// Sets a header (lowercased; a repeated one is joined with a comma, as AWS does).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = name.to_ascii_lowercase();
        if name == "cookie" {
            let cookies = self.request.cookies.get_or_insert_with(Vec::new);
            cookies.extend(value.split(';').map(|c| c.trim().to_owned()));
        }
        match self.request.headers.get_mut(&name) {
            Some(existing) => {
                existing.push(',');
                existing.push_str(value);
            }
            None => {
                self.request.headers.insert(name, value.to_owned());
            }
        }
        self
    }

    pub fn cookie(self, name: &str, value: &str) -> Self {
        let pair = format!("{}={}", name, value);
        self.header("Cookie", &pair)
    }

    /// Adds `name=value` to `rawQueryString` (encoded) and `queryStringParameters` (decoded,
    /// repeated names joined with a comma).
    pub fn query(mut self, name: &str, value: &str) -> Self {
        let raw = &mut self.request.raw_query_string;
        if !raw.is_empty() {
            raw.push('&');
        }
        raw.push_str(&query::encode(name));
        raw.push('=');
        raw.push_str(&query::encode(value));
        let params = self
            .request
            .query_string_parameters
            .get_or_insert_with(Default::default);
        params
            .entry(name.to_owned())
            .and_modify(|v| {
                v.push(',');
                v.push_str(value);
            })
            .or_insert_with(|| value.to_owned());
        self
    }

    pub fn body(mut self, text: &str) -> Self {
        self.request.body = Some(text.to_owned());
        self.request.is_base64_encoded = false;
        self
    }

    pub fn event(self) -> http::Request {
        self.request
    }

    pub fn json(&self) -> String {
        serde_json::to_string(&self.request).expect("events serialise")
    }

    /// Runs `handler` on the event through the ABI path and returns its typed result and log.
    pub fn invoke<E, R, F>(self, handler: F) -> Outcome<R>
    where
        E: DeserializeOwned + 'static,
        R: Serialize + 'static,
        F: FnOnce(E, &Context) -> Result<R, Error>,
    {
        run(&self.json(), handler)
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity((bytes.len() + 2) / 3 * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_like_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }

    #[test]
    fn built_events_parse_as_their_types_and_carry_the_changes() {
        let event = origin_request("/img/a.png?w=1")
            .header("Accept", "image/webp")
            .cookie("a", "1")
            .cookie("b", "2")
            .country("FR")
            .query("x", "y z")
            .event();
        assert_eq!(event.event_type(), EventType::OriginRequest);
        let request = event.request();
        assert_eq!(request.uri, "/img/a.png");
        assert_eq!(request.querystring, "w=1&x=y+z");
        assert_eq!(request.cookie("b"), Some("2"));
        assert_eq!(request.viewer_country(), Some("FR"));
        assert!(request.origin.is_some());

        let url = function_url("/p?digits=5")
            .cookie("s", "1")
            .query("digits", "6")
            .event();
        assert_eq!(url.raw_query_string, "digits=5&digits=6");
        assert_eq!(url.query("digits"), Some("5,6"));
        assert_eq!(url.cookie("s"), Some("1"));
        assert_eq!(url.method(), "GET");
    }
}
