//! The wall clock. `std::time::SystemTime::now()` panics on `wasm32-unknown-unknown` (there is no
//! clock in that target); this asks the host instead, which answers with Node's `Date.now()`.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! let now = lambda_wasm_guest::time::now();
//! assert!(now > UNIX_EPOCH + Duration::from_secs(1_600_000_000));
//! assert!(lambda_wasm_guest::time::unix_seconds() >= 1_600_000_000);
//! ```
//!
//! Natively (`cargo test`) the OS clock answers, unless a test fixed it with
//! [`crate::testing::set_now_ms`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::abi;

/// Milliseconds since the Unix epoch, with a fraction when the host has one.
pub fn now_ms() -> f64 {
    abi::now_ms()
}

/// The current time as a `SystemTime`, for `duration_since`, comparisons and arithmetic.
pub fn now() -> SystemTime {
    // `as` saturates and maps NaN to 0: a host without a clock reads as the epoch, not a panic.
    UNIX_EPOCH + Duration::from_micros((now_ms().max(0.0) * 1000.0) as u64)
}

/// Whole seconds since the Unix epoch, the unit of most expiry timestamps.
pub fn unix_seconds() -> u64 {
    (now_ms().max(0.0) / 1000.0) as u64
}
