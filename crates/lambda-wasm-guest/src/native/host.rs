//! The ABI's imports for a native `bootstrap`: what the Node.js adapter does for a Wasm guest,
//! done in-process from the Runtime API's headers and Lambda's environment variables.

use std::io::Write;
use std::sync::Mutex;

use super::client::{Invocation, RuntimeApi};
use super::time;
use crate::context::ContextField;

#[derive(Default)]
struct State {
    address: Option<String>,
    request_id: Option<String>,
    deadline_ms: Option<u64>,
    invoked_function_arn: Option<String>,
    output: Option<Vec<u8>>,
    /// Set once an error (a panic) has been posted for the current invocation.
    answered: bool,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> T {
    // A panic elsewhere must not make the panic report itself fail.
    let mut guard = STATE.lock().unwrap_or_else(|e| e.into_inner());
    f(guard.get_or_insert_with(State::default))
}

/// Remembers the Runtime API's address, for the panic report.
pub(crate) fn init(address: &str) {
    with_state(|s| s.address = Some(address.to_owned()));
}

/// An invocation starts: its headers become the context, its trace id `_X_AMZN_TRACE_ID`.
pub(crate) fn begin(next: &Invocation) {
    match &next.trace_id {
        Some(id) => std::env::set_var("_X_AMZN_TRACE_ID", id),
        None => std::env::remove_var("_X_AMZN_TRACE_ID"),
    }
    with_state(|s| {
        s.request_id = Some(next.request_id.clone());
        s.deadline_ms = next.deadline_ms;
        s.invoked_function_arn = next.invoked_function_arn.clone();
        s.output = None;
        s.answered = false;
    });
}

pub(crate) fn end() {
    with_state(|s| {
        s.request_id = None;
        s.output = None;
    });
}

pub(crate) fn take_output() -> Option<Vec<u8>> {
    with_state(|s| s.output.take())
}

pub(crate) fn output(bytes: &[u8]) {
    with_state(|s| s.output = Some(bytes.to_vec()));
}

const LEVELS: [&str; 6] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/// One line in the format of Lambda's Node.js runtime (`timestamp\trequestId\tLEVEL\tmessage`),
/// so a function's log reads the same on both targets. Newlines become `\r`, as there, so a
/// multi-line message stays one CloudWatch record.
pub(crate) fn log(level: i32, message: &str) {
    let request_id = with_state(|s| s.request_id.clone());
    let level = LEVELS.get(level as usize).copied().unwrap_or("INFO");
    let line = format!(
        "{}\t{}\t{}\t{}\n",
        time::rfc3339(time::now_ms()),
        request_id.as_deref().unwrap_or("undefined"),
        level,
        message.replace('\n', "\r")
    );
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = out.write_all(line.as_bytes());
    let _ = out.flush();
}

pub(crate) fn context_get(field: i32, buf: &mut [u8]) -> i32 {
    let env = |name: &str| std::env::var(name).ok();
    let value = match field {
        f if f == ContextField::AwsRequestId as i32 => with_state(|s| s.request_id.clone()),
        f if f == ContextField::FunctionName as i32 => env("AWS_LAMBDA_FUNCTION_NAME"),
        f if f == ContextField::FunctionVersion as i32 => env("AWS_LAMBDA_FUNCTION_VERSION"),
        f if f == ContextField::InvokedFunctionArn as i32 => with_state(|s| s.invoked_function_arn.clone()),
        f if f == ContextField::MemoryLimitInMb as i32 => env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
        f if f == ContextField::LogGroupName as i32 => env("AWS_LAMBDA_LOG_GROUP_NAME"),
        f if f == ContextField::LogStreamName as i32 => env("AWS_LAMBDA_LOG_STREAM_NAME"),
        _ => None,
    };
    match value {
        None => -1,
        Some(text) => {
            if text.len() <= buf.len() {
                buf[..text.len()].copy_from_slice(text.as_bytes());
            }
            text.len() as i32
        }
    }
}

pub(crate) fn remaining_time_ms() -> f64 {
    match with_state(|s| s.deadline_ms) {
        Some(deadline) => deadline as f64 - time::now_ms() as f64,
        None => 0.0,
    }
}

/// A panic: log it, and report it to Lambda before the process ends (guests build with
/// `panic = "abort"`, so the environment is replaced, as a trapped Wasm instance is). During an
/// invocation it is that invocation's error; outside one, the runtime's init error.
pub(crate) fn panic(message: &str) {
    log(4, message);
    let (address, request_id, answered) = with_state(|s| {
        let answered = s.answered;
        s.answered = true;
        (s.address.clone(), s.request_id.clone(), answered)
    });
    let address = match address {
        Some(a) if !answered => a,
        _ => return,
    };
    let payload = crate::Error::new("Panic", message).to_json();
    // A new connection: the loop's own may be in the middle of a call.
    let api = RuntimeApi::new(&address);
    let _ = match request_id {
        Some(id) => api.fail(&id, "Panic", &payload),
        None => api.init_error("Runtime.Panic", &payload),
    };
}
