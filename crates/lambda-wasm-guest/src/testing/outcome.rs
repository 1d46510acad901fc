//! What a typed invocation produced: the handler's own result value, the JSON the guest wrote,
//! and the log.

use std::cell::RefCell;
use std::rc::Rc;

use serde::{de::DeserializeOwned, Serialize, Serializer};

use crate::cloudfront::{self, GeneratedResponse, Request, RequestResult};
use crate::{http, Context, Error, Level};

/// The result of [`crate::testing::viewer_request`]`(…).invoke(handler)` and friends.
#[derive(Debug)]
pub struct Outcome<R> {
    /// What the handler returned, or the error the guest reported (an event that did not
    /// parse is an `InvalidEvent` error here too).
    pub result: Result<R, Error>,
    /// The bytes the guest handed to the host, as text (JSON).
    pub output: String,
    /// The log messages, in order.
    pub logs: Vec<String>,
    /// The log messages with their levels.
    pub log_lines: Vec<(Level, String)>,
}

/// Runs `handler` on `event_json` through the ABI path (as [`crate::testing::invoke`]) and keeps
/// its typed result.
pub fn run<E, R, F>(event_json: &str, handler: F) -> Outcome<R>
where
    E: DeserializeOwned + 'static,
    R: Serialize + 'static,
    F: FnOnce(E, &Context) -> Result<R, Error>,
{
    drop(super::take_logs());
    let kept: Rc<RefCell<Option<Rc<R>>>> = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&kept);
    let run = super::invoke(event_json, move |event: E, ctx: &Context| {
        let result = Rc::new(handler(event, ctx)?);
        *slot.borrow_mut() = Some(Rc::clone(&result));
        Ok(Kept(result))
    });
    let result = match (run.status, kept.borrow_mut().take()) {
        (0, Some(value)) => Ok(Rc::try_unwrap(value)
            .unwrap_or_else(|_| panic!("the result is still shared after the invocation"))),
        _ => Err(
            serde_json::from_str::<Error>(&run.output).unwrap_or_else(|e| {
                panic!(
                    "status {} with output that is not an error ({}): {}",
                    run.status, e, run.output
                )
            }),
        ),
    };
    let log_lines = super::take_logs();
    Outcome {
        result,
        output: run.output,
        logs: log_lines.iter().map(|(_, line)| line.clone()).collect(),
        log_lines,
    }
}

/// Serialises the handler's result for the ABI while the test keeps the value.
struct Kept<R>(Rc<R>);

impl<R: Serialize> Serialize for Kept<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<R> Outcome<R> {
    /// The handler's result.
    ///
    /// # Panics
    /// When the guest reported an error; the message shows it.
    pub fn value(&self) -> &R {
        match &self.result {
            Ok(value) => value,
            Err(error) => panic!("the handler failed: {}", error),
        }
    }

    /// The error the guest reported.
    ///
    /// # Panics
    /// When the handler succeeded.
    pub fn error(&self) -> &Error {
        match &self.result {
            Ok(_) => panic!("the handler succeeded: {}", self.output),
            Err(error) => error,
        }
    }

    /// The output as JSON, for what the typed helpers do not cover.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.output)
            .unwrap_or_else(|e| panic!("guest output is not JSON ({}): {}", e, self.output))
    }
}

impl<R: Inspect> Outcome<R> {
    /// The HTTP status of a response result; `None` for a request passed on.
    pub fn status(&self) -> Option<u16> {
        self.value().status()
    }

    /// The first value of a header of the result (the response's, or the request's when it is
    /// passed on), whatever the case of `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.value().header_values(name).into_iter().next()
    }

    /// Every value of a header, in order (e.g. each `Set-Cookie`).
    pub fn headers_all(&self, name: &str) -> Vec<&str> {
        self.value().header_values(name)
    }

    /// True when a request trigger passed the request on (to the cache and origin).
    pub fn is_pass_through(&self) -> bool {
        self.value().as_request().is_some()
    }

    /// The request passed on.
    ///
    /// # Panics
    /// When the result is a response.
    pub fn request(&self) -> &Request {
        self.value()
            .as_request()
            .unwrap_or_else(|| panic!("the result is a response, not a request: {}", self.output))
    }

    /// The body of a generated response, as it is in the JSON (text or base64).
    pub fn body(&self) -> Option<&str> {
        self.value().body()
    }
}

/// What [`Outcome`]'s helpers need to see in a result type. Implement it for a result type of
/// your own to use them.
pub trait Inspect {
    fn status(&self) -> Option<u16> {
        None
    }
    fn header_values(&self, _name: &str) -> Vec<&str> {
        Vec::new()
    }
    fn as_request(&self) -> Option<&Request> {
        None
    }
    fn body(&self) -> Option<&str> {
        None
    }
}

impl Inspect for Request {
    fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers.get_all(name).collect()
    }
    fn as_request(&self) -> Option<&Request> {
        Some(self)
    }
}

impl Inspect for GeneratedResponse {
    fn status(&self) -> Option<u16> {
        self.status.parse().ok()
    }
    fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers.get_all(name).collect()
    }
    fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }
}

impl Inspect for cloudfront::Response {
    fn status(&self) -> Option<u16> {
        self.status_code()
    }
    fn header_values(&self, name: &str) -> Vec<&str> {
        self.headers.get_all(name).collect()
    }
}

impl Inspect for RequestResult {
    fn status(&self) -> Option<u16> {
        match self {
            RequestResult::Request(_) => None,
            RequestResult::Response(response) => response.status(),
        }
    }
    fn header_values(&self, name: &str) -> Vec<&str> {
        match self {
            RequestResult::Request(request) => request.header_values(name),
            RequestResult::Response(response) => response.header_values(name),
        }
    }
    fn as_request(&self) -> Option<&Request> {
        match self {
            RequestResult::Request(request) => Some(request),
            RequestResult::Response(_) => None,
        }
    }
    fn body(&self) -> Option<&str> {
        match self {
            RequestResult::Request(_) => None,
            RequestResult::Response(response) => response.body(),
        }
    }
}

impl Inspect for http::Response {
    fn status(&self) -> Option<u16> {
        Some(self.status_code)
    }
    fn header_values(&self, name: &str) -> Vec<&str> {
        if name.eq_ignore_ascii_case("set-cookie") {
            return self.cookies.iter().map(String::as_str).collect();
        }
        let name = name.to_ascii_lowercase();
        self.headers
            .get(&name)
            .map(String::as_str)
            .into_iter()
            .collect()
    }
    fn body(&self) -> Option<&str> {
        self.body.as_deref()
    }
}
