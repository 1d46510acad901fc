//! One invocation: event bytes in, result or error bytes out through `output`, a status back.
//! `export_handler!` expands to a call of [`handle_block`].

use serde::{de::DeserializeOwned, Serialize};

use crate::{abi, panic_hook, Context, Error};

/// `lambda_wasm_handle` status: the output is the result.
pub const STATUS_OK: i32 = 0;
/// `lambda_wasm_handle` status: the output is `{"errorType", "errorMessage"}`.
pub const STATUS_ERROR: i32 = 1;

/// Handles the event in the block `[ptr, ptr+len)` and frees it.
///
/// # Safety
/// The block came from `lambda_wasm_alloc(len)` and is not used by the caller afterwards.
pub unsafe fn handle_block<E, R, F>(ptr: *mut u8, len: usize, handler: F) -> i32
where
    E: DeserializeOwned + 'static,
    R: Serialize + 'static,
    F: FnOnce(E, &Context) -> Result<R, Error>,
{
    handle(abi::take_input(ptr, len), handler)
}

pub(crate) fn handle<E, R, F>(input: Vec<u8>, handler: F) -> i32
where
    E: DeserializeOwned + 'static,
    R: Serialize + 'static,
    F: FnOnce(E, &Context) -> Result<R, Error>,
{
    panic_hook::install();
    #[cfg(feature = "log")]
    crate::log::facade::install();
    // Results are usually about the size of the event (a request passed on, a response with a
    // few headers more), so that is the first guess for the output buffer.
    let size_hint = input.len();
    let outcome = decode::<E>(input)
        .and_then(|event| handler(event, &Context::new()))
        .and_then(|result| encode(&result, size_hint));
    match outcome {
        Ok(bytes) => {
            abi::output(&bytes);
            STATUS_OK
        }
        Err(error) => report(error),
    }
}

/// Out of line, so that a first call that succeeds does not compile the error path.
#[cold]
#[inline(never)]
fn report(error: Error) -> i32 {
    abi::output(&error.to_json());
    STATUS_ERROR
}

/// Parses the event and frees its bytes before the handler runs, so a large body is not held twice.
/// With the crate's own reader, not serde_json's: `event_json.rs` says why.
fn decode<E: DeserializeOwned + 'static>(input: Vec<u8>) -> Result<E, Error> {
    crate::event_json::from_slice(&input).map_err(invalid_event)
}

#[cold]
#[inline(never)]
fn invalid_event(error: crate::event_json::JsonError) -> Error {
    Error::new("InvalidEvent", error.to_string())
}

/// The CloudFront result types by the crate's own writer (`result_json.rs` says why), any other
/// type by serde_json.
fn encode<R: Serialize + 'static>(result: &R, size_hint: usize) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::with_capacity(size_hint);
    if crate::result_json::write(result, &mut bytes) {
        return Ok(bytes);
    }
    serde_json::to_writer(&mut bytes, result)
        .map_err(|e| Error::new("InvalidResult", e.to_string()))?;
    Ok(bytes)
}
