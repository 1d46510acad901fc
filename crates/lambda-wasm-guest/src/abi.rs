//! The raw lambda-wasm ABI, version 1 (docs/abi.md in the lambda-wasm repository).
//!
//! This is the only file that declares host imports or `#[no_mangle]` exports, so the contract
//! with the runtime adapter can be checked against the spec in one place. Everything else in the
//! crate goes through the safe wrappers below.
//!
//! On targets other than `wasm32` there is no host: the wrappers talk to the in-process double in
//! [`crate::testing`], which lets the whole crate (and guests built on it) be unit-tested with a
//! plain `cargo test`.

use std::alloc::{self, Layout};

/// The ABI version this crate speaks; the adapter refuses any other.
pub const ABI_VERSION: i32 = 1;

#[cfg(target_arch = "wasm32")]
mod host {
    // Pointers and lengths are wasm32 `i32`s; `*const u8`/`usize` lower to exactly that.
    #[link(wasm_import_module = "lambda_wasm")]
    extern "C" {
        pub fn output(ptr: *const u8, len: usize);
        pub fn log(level: i32, ptr: *const u8, len: usize);
        pub fn context_get(field: i32, ptr: *mut u8, cap: usize) -> i32;
        pub fn remaining_time_ms() -> f64;
        pub fn panic(ptr: *const u8, len: usize);
        // Optional imports (docs/abi.md): a guest that never calls them does not import them.
        pub fn now_ms() -> f64;
        pub fn random_fill(ptr: *mut u8, len: usize);
    }
}

/// Hands the result bytes to the host, which copies them before returning.
#[cfg(target_arch = "wasm32")]
pub(crate) fn output(bytes: &[u8]) {
    unsafe { host::output(bytes.as_ptr(), bytes.len()) }
}

/// One log line at `level` (0 TRACE … 5 FATAL).
#[cfg(target_arch = "wasm32")]
pub(crate) fn log(level: i32, message: &str) {
    unsafe { host::log(level, message.as_ptr(), message.len()) }
}

/// Copies context field `field` into `buf` when it fits; returns its length, or -1 when absent.
#[cfg(target_arch = "wasm32")]
pub(crate) fn context_get(field: i32, buf: &mut [u8]) -> i32 {
    unsafe { host::context_get(field, buf.as_mut_ptr(), buf.len()) }
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn remaining_time_ms() -> f64 {
    unsafe { host::remaining_time_ms() }
}

/// Tells the host why the trap that follows happens.
#[cfg(target_arch = "wasm32")]
pub(crate) fn panic(message: &str) {
    unsafe { host::panic(message.as_ptr(), message.len()) }
}

/// Wall-clock milliseconds since the Unix epoch (the host's `Date.now()`).
#[cfg(target_arch = "wasm32")]
pub(crate) fn now_ms() -> f64 {
    unsafe { host::now_ms() }
}

/// Fills `buf` from the host's CSPRNG.
#[cfg(target_arch = "wasm32")]
pub(crate) fn random_fill(buf: &mut [u8]) {
    unsafe { host::random_fill(buf.as_mut_ptr(), buf.len()) }
}

#[cfg(all(not(target_arch = "wasm32"), not(feature = "native-runtime")))]
pub(crate) use crate::testing::host::{
    context_get, log, now_ms, output, panic, random_fill, remaining_time_ms,
};
// A native `bootstrap` (the `native-runtime` feature) answers these from the Runtime API instead;
// its clock and randomness are the OS's, as in tests.
#[cfg(all(not(target_arch = "wasm32"), feature = "native-runtime"))]
pub(crate) use crate::native::host::{context_get, log, output, panic, remaining_time_ms};
#[cfg(all(not(target_arch = "wasm32"), feature = "native-runtime"))]
pub(crate) use crate::testing::host::{now_ms, random_fill};

#[no_mangle]
pub extern "C" fn lambda_wasm_abi_version() -> i32 {
    ABI_VERSION
}

/// Returns `len` writable bytes, or null so the host can report the failure instead of the
/// guest aborting inside the allocator.
#[no_mangle]
pub extern "C" fn lambda_wasm_alloc(len: usize) -> *mut u8 {
    if len == 0 {
        // An empty event still needs a non-null, never-dereferenced address (null means failure).
        return std::ptr::NonNull::<u8>::dangling().as_ptr();
    }
    match Layout::array::<u8>(len) {
        Ok(layout) => unsafe { alloc::alloc(layout) },
        Err(_) => std::ptr::null_mut(),
    }
}

/// Frees a block from [`lambda_wasm_alloc`].
///
/// # Safety
/// `ptr` must come from `lambda_wasm_alloc(len)` with this same `len`, and not be freed twice.
#[no_mangle]
pub unsafe extern "C" fn lambda_wasm_dealloc(ptr: *mut u8, len: usize) {
    if len == 0 || ptr.is_null() {
        return;
    }
    if let Ok(layout) = Layout::array::<u8>(len) {
        alloc::dealloc(ptr, layout);
    }
}

/// Takes ownership of an input block handed over by `lambda_wasm_handle`.
///
/// `lambda_wasm_alloc` allocates with the global allocator and the layout of `[u8; len]`, which
/// is exactly what a `Vec<u8>` of capacity `len` frees, so the block can simply become one.
///
/// # Safety
/// Same contract as [`lambda_wasm_dealloc`]: the block came from `lambda_wasm_alloc(len)`.
pub(crate) unsafe fn take_input(ptr: *mut u8, len: usize) -> Vec<u8> {
    if len == 0 || ptr.is_null() {
        return Vec::new();
    }
    Vec::from_raw_parts(ptr, len, len)
}

/// Exports `lambda_wasm_handle` for a handler `fn(E, &Context) -> Result<R, Error>`, where `E`
/// is any `DeserializeOwned` event type and `R` any `Serialize` result type (see the crate
/// documentation for an example).
///
/// Use it once per crate (the export has a fixed name), in a crate built as a `cdylib`.
/// (With the `native-runtime` feature on a native target, `native/mod.rs` defines it instead.)
#[cfg(not(all(feature = "native-runtime", not(target_arch = "wasm32"))))]
#[macro_export]
macro_rules! export_handler {
    ($handler:path) => {
        /// lambda-wasm ABI v1 entry point, generated by `lambda_wasm_guest::export_handler!`.
        ///
        /// # Safety
        /// Called by the host with a block from `lambda_wasm_alloc(len)`, which it gives up.
        #[no_mangle]
        pub unsafe extern "C" fn lambda_wasm_handle(ptr: *mut u8, len: usize) -> i32 {
            $crate::__private::handle_block(ptr, len, $handler)
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaks_abi_version_1() {
        // The adapter refuses any other number (docs/abi.md): this is what it reads first.
        assert_eq!(lambda_wasm_abi_version(), 1);
        assert_eq!(ABI_VERSION, 1);
    }
}
