//! Random bytes from the host's CSPRNG (the kernel's, which the adapter reads from
//! `/dev/urandom`), for tokens, A/B buckets, nonces. Natively (`cargo test`) they come from the
//! OS (`/dev/urandom`).
//!
//! ```
//! let mut a = [0u8; 16];
//! let mut b = [0u8; 16];
//! lambda_wasm_guest::random::fill(&mut a);
//! lambda_wasm_guest::random::fill(&mut b);
//! assert_ne!(a, b);
//! ```
//!
//! With the `getrandom` feature the crate registers this as `getrandom`'s custom backend on
//! wasm32, so crates built on `getrandom` (`rand`, `uuid`…) work in a guest.

use crate::abi;

/// Fills `buf` with cryptographically secure random bytes.
pub fn fill(buf: &mut [u8]) {
    if !buf.is_empty() {
        abi::random_fill(buf);
    }
}

/// A random `u32`.
pub fn u32() -> u32 {
    let mut bytes = [0u8; 4];
    fill(&mut bytes);
    u32::from_le_bytes(bytes)
}

/// A random `u64`.
pub fn u64() -> u64 {
    let mut bytes = [0u8; 8];
    fill(&mut bytes);
    u64::from_le_bytes(bytes)
}

/// A uniformly distributed number in `0..bound` (`bound` > 0), without modulo bias.
pub fn below(bound: u32) -> u32 {
    assert!(bound > 0, "random::below(0)");
    // Reject the top values that would make some results more likely than others.
    let zone = u32::MAX - (u32::MAX % bound);
    loop {
        let n = u32();
        if n < zone {
            return n % bound;
        }
    }
}

#[cfg(all(feature = "getrandom", target_arch = "wasm32"))]
fn getrandom_backend(buf: &mut [u8]) -> Result<(), getrandom::Error> {
    fill(buf);
    Ok(())
}

#[cfg(all(feature = "getrandom", target_arch = "wasm32"))]
getrandom::register_custom_getrandom!(getrandom_backend);
