//! Write AWS Lambda@Edge triggers and Lambda functions in Rust, compiled to WebAssembly and run
//! by lambda-wasm's adapter on the Node.js runtime.
//!
//! A guest is a `cdylib` crate with one handler:
//!
//! ```
//! use lambda_wasm_guest::cloudfront::{CloudFrontEvent, RequestResult};
//! use lambda_wasm_guest::{Context, Error};
//!
//! fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
//!     let request = event.into_request();
//!     lambda_wasm_guest::info!("{} {}", request.method, request.uri);
//!     Ok(request.into())
//! }
//!
//! lambda_wasm_guest::export_handler!(handler);
//! # fn main() {}
//! ```
//!
//! The event type is anything serde can deserialise into an owned (`'static`) value
//! ([`cloudfront::CloudFrontEvent`], [`http::Request`], your own struct, `serde_json::Value`);
//! the result anything it can serialise. A `CloudFrontEvent` is read by compact hand-written code
//! rather than its derived `Deserialize`, which leaves less for V8 to compile at a cold start. `Err` reaches Lambda as `{errorType, errorMessage}`, an event that does not parse
//! as `InvalidEvent`, and a panic's message and location reach the log before the instance traps.
//!
//! The ABI this implements is `docs/abi.md` of the lambda-wasm repository; its raw imports and
//! exports are all in `abi.rs`.

mod abi;
pub mod accept;
#[cfg(any(test, all(target_arch = "wasm32", feature = "small-allocator")))]
mod allocator;
pub mod cloudfront;
mod context;
pub mod cookie;
mod error;
mod event_json;
mod handler;
pub mod http;
pub mod log;
#[cfg(all(feature = "native-runtime", not(target_arch = "wasm32")))]
pub mod native;
mod panic_hook;
pub mod query;
pub mod random;
mod result_json;

/// The repository's event fixtures, for the unit tests that read every one. cargo-mutants tests a
/// copy of the crate outside the repository, and says where they are in `LAMBDA_WASM_FIXTURES`.
#[cfg(test)]
pub(crate) fn fixture_events_dir() -> std::path::PathBuf {
    std::env::var_os("LAMBDA_WASM_FIXTURES").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/events"),
        std::path::PathBuf::from,
    )
}
#[cfg(not(target_arch = "wasm32"))]
pub mod testing;
pub mod time;

pub use crate::log::Level;
pub use abi::ABI_VERSION;
pub use context::{Context, ContextField};
pub use error::Error;
/// serde, so a guest needs no dependency of its own for its event and result types. Its derive
/// macros need to be told where serde is:
///
/// ```
/// use lambda_wasm_guest::serde::{Deserialize, Serialize};
/// #[derive(Serialize, Deserialize)]
/// #[serde(crate = "lambda_wasm_guest::serde")]
/// struct Answer { digits: u32 }
/// ```
pub use serde;
pub use serde::{Deserialize, Serialize};
pub use serde_json;

/// The guest's allocator (`allocator.rs`); `default-features = false` leaves Rust's default.
#[cfg(all(target_arch = "wasm32", feature = "small-allocator"))]
#[global_allocator]
static ALLOCATOR: allocator::SizeClasses = allocator::SizeClasses::new();

/// What `export_handler!` expands to; not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use crate::handler::handle_block;
}
