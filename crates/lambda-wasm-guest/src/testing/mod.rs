//! An in-process stand-in for the lambda-wasm host, on every target except `wasm32`, and typed
//! builders for the events a guest receives.
//!
//! `cargo test` runs natively, where there is no adapter to provide the imports; the ABI wrappers
//! then land here. State is per thread, so tests running in parallel do not see each other's
//! output, logs or context.
//!
//! Build an event, run the handler on it through the ABI path (JSON in, JSON out, exactly as in
//! the adapter) and look at the typed result and the log:
//!
//! ```
//! use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
//! use lambda_wasm_guest::{testing, Context, Error};
//!
//! fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
//!     let request = event.into_request();
//!     if request.cookie("ab") == Some("b") {
//!         return Ok(GeneratedResponse::redirect(302, "/b/").into());
//!     }
//!     lambda_wasm_guest::info!("pass {}", request.uri);
//!     Ok(request.into())
//! }
//!
//! let run = testing::viewer_request("/x").header("Cookie", "ab=b").invoke(handler);
//! assert_eq!(run.status(), Some(302));
//! assert_eq!(run.header("location"), Some("/b/"));
//!
//! let run = testing::viewer_request("/x").query("sig", "a b").invoke(handler);
//! assert!(run.is_pass_through());
//! assert_eq!(run.request().querystring, "sig=a+b");
//! assert_eq!(run.logs, ["pass /x"]);
//! ```
//!
//! The lower level, with raw JSON:
//!
//! ```
//! use lambda_wasm_guest::{testing, Context, Error};
//!
//! fn handler(event: serde_json::Value, _ctx: &Context) -> Result<serde_json::Value, Error> {
//!     lambda_wasm_guest::info!("got {}", event);
//!     Ok(event)
//! }
//!
//! let run = testing::invoke(r#"{"a":1}"#, handler);
//! assert_eq!(run.status, 0);
//! assert_eq!(run.output, r#"{"a":1}"#);
//! assert_eq!(testing::take_logs()[0].1, r#"got {"a":1}"#);
//! ```

use std::cell::RefCell;

use serde::{de::DeserializeOwned, Serialize};

mod events;
mod outcome;

pub use events::{
    function_url, origin_request, origin_response, viewer_request, viewer_response,
    CloudFrontEventBuilder, FunctionUrlBuilder,
};
pub use outcome::{run, Inspect, Outcome};

use crate::context::ContextField;
use crate::log::Level;
use crate::{Context, Error};

#[derive(Default)]
struct Host {
    output: Option<Vec<u8>>,
    logs: Vec<(Level, String)>,
    context: [Option<String>; ContextField::ALL.len()],
    context_calls: usize,
    remaining_time_ms: f64,
    panic: Option<String>,
    now_ms: Option<f64>,
}

thread_local! {
    static HOST: RefCell<Host> = RefCell::new(Host::default());
}

fn with_host<T>(f: impl FnOnce(&mut Host) -> T) -> T {
    HOST.with(|host| f(&mut host.borrow_mut()))
}

/// What one [`invoke`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The `lambda_wasm_handle` status: 0 result, 1 handled error.
    pub status: i32,
    /// The last `output` bytes, as text.
    pub output: String,
}

impl Invocation {
    /// The output parsed as JSON.
    ///
    /// # Panics
    /// When the output is not JSON, which the ABI forbids.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.output)
            .unwrap_or_else(|e| panic!("guest output is not JSON ({}): {}", e, self.output))
    }
}

/// Runs `handler` on `event_json` exactly as the host would: the event goes into a block from
/// `lambda_wasm_alloc`, whose ownership passes to the handle function.
///
/// # Panics
/// When the guest finishes without calling `output`, which the ABI forbids.
pub fn invoke<E, R, F>(event_json: &str, handler: F) -> Invocation
where
    E: DeserializeOwned + 'static,
    R: Serialize + 'static,
    F: FnOnce(E, &Context) -> Result<R, Error>,
{
    with_host(|host| host.output = None);
    let (ptr, len) = event_block(event_json);
    let status = unsafe { crate::handler::handle_block(ptr, len, handler) };
    let output = take_output().expect("the guest returned without calling output");
    Invocation { status, output }
}

/// Copies `event_json` into a block from `lambda_wasm_alloc`, as the host does before it calls
/// `lambda_wasm_handle(ptr, len)`, which then owns the block.
///
/// # Panics
/// When the allocation fails.
pub fn event_block(event_json: &str) -> (*mut u8, usize) {
    let bytes = event_json.as_bytes();
    let ptr = crate::abi::lambda_wasm_alloc(bytes.len());
    assert!(!ptr.is_null(), "lambda_wasm_alloc({}) failed", bytes.len());
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, bytes.len()) };
    (ptr, bytes.len())
}

/// Clears output, logs, context, clocks and panic text of this thread's host, and puts the log
/// level back to its compiled-in maximum.
pub fn reset() {
    with_host(|host| *host = Host::default());
    crate::log::reset_max_level();
}

/// Fixes what [`crate::time::now`] answers on this thread (milliseconds since the Unix epoch);
/// `None` goes back to the OS clock.
pub fn set_now_ms(ms: Option<f64>) {
    with_host(|host| host.now_ms = ms);
}

/// Sets (or, with `None`, removes) what `context_get` answers for `field`.
pub fn set_context(field: ContextField, value: Option<&str>) {
    with_host(|host| host.context[field as usize] = value.map(str::to_owned));
}

pub fn set_remaining_time_ms(ms: f64) {
    with_host(|host| host.remaining_time_ms = ms);
}

/// The last output as text, taken so the next read sees only newer output.
pub fn take_output() -> Option<String> {
    with_host(|host| host.output.take())
        .map(|bytes| String::from_utf8(bytes).expect("output is UTF-8"))
}

pub fn take_logs() -> Vec<(Level, String)> {
    with_host(|host| std::mem::take(&mut host.logs))
}

/// The text the panic hook reported, if any.
pub fn take_panic() -> Option<String> {
    with_host(|host| host.panic.take())
}

/// How many times `context_get` was called since the last [`reset`].
pub fn context_calls() -> usize {
    with_host(|host| host.context_calls)
}

/// The imports of the ABI, implemented in memory (see `abi.rs`).
// With `native-runtime`, abi.rs takes them from the Runtime API instead.
#[cfg_attr(feature = "native-runtime", allow(dead_code))]
pub(crate) mod host {
    use super::{with_host, ContextField, Level};

    pub(crate) fn output(bytes: &[u8]) {
        with_host(|host| host.output = Some(bytes.to_vec()));
    }

    pub(crate) fn log(level: i32, message: &str) {
        let level = Level::from_abi(level).expect("the crate only logs at ABI levels 0-5");
        with_host(|host| host.logs.push((level, message.to_owned())));
    }

    pub(crate) fn context_get(field: i32, buf: &mut [u8]) -> i32 {
        with_host(|host| {
            host.context_calls += 1;
            let value = usize::try_from(field)
                .ok()
                .filter(|&i| i < ContextField::ALL.len())
                .and_then(|i| host.context[i].as_deref());
            match value {
                None => -1,
                Some(text) => {
                    if text.len() <= buf.len() {
                        buf[..text.len()].copy_from_slice(text.as_bytes());
                    }
                    text.len() as i32
                }
            }
        })
    }

    pub(crate) fn remaining_time_ms() -> f64 {
        with_host(|host| host.remaining_time_ms)
    }

    pub(crate) fn now_ms() -> f64 {
        with_host(|host| host.now_ms).unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        })
    }

    /// The OS's CSPRNG, as the host's would be.
    pub(crate) fn random_fill(buf: &mut [u8]) {
        use std::io::Read;
        std::fs::File::open("/dev/urandom")
            .and_then(|mut urandom| urandom.read_exact(buf))
            .expect("reading /dev/urandom for lambda_wasm_guest::random");
    }

    pub(crate) fn panic(message: &str) {
        // A panic raised while the host state is borrowed must not turn into a double panic.
        super::HOST.with(|host| {
            if let Ok(mut host) = host.try_borrow_mut() {
                host.panic = Some(message.to_owned());
            }
        });
    }
}
