//! Reports a panic's message and location to the host before the trap that ends the instance.
//!
//! Guests build with `panic = "abort"`, so a panic traps with `unreachable` and the host would
//! otherwise only see "unreachable executed". The hook runs first and hands over the text.

use std::any::Any;
use std::panic::{self, Location};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::abi;

// A flag rather than `Once`: wasm32 guests are single-threaded, and `Once`'s waiting machinery
// is code in every `.wasm`. (Natively, a thread that loses the race may run its handler a moment
// before the hook is in place; only tests run there.)
static INSTALLED: AtomicBool = AtomicBool::new(false);

/// Installs the hook on the first invocation; later calls cost one atomic load.
pub(crate) fn install() {
    if INSTALLED.swap(true, Ordering::AcqRel) {
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        abi::panic(&describe(info.payload(), info.location()));
        // Natively, keep the test harness's own report; on wasm32 stderr goes nowhere.
        #[cfg(not(target_arch = "wasm32"))]
        previous(info);
    }));
}

/// `panicked at '<message>', <file>:<line>:<column>`, the ABI's format (Rust 1.63's own wording,
/// spelled out here because newer Rust prints panics differently).
pub(crate) fn describe(payload: &(dyn Any + Send), location: Option<&Location<'_>>) -> String {
    let message = if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.as_str()
    } else {
        "Box<dyn Any>"
    };
    match location {
        Some(at) => format!(
            "panicked at '{}', {}:{}:{}",
            message,
            at.file(),
            at.line(),
            at.column()
        ),
        None => format!("panicked at '{}'", message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_message_and_location() {
        let here = Location::caller();
        let text = describe(&"boom", Some(here));
        assert_eq!(
            text,
            format!(
                "panicked at 'boom', {}:{}:{}",
                here.file(),
                here.line(),
                here.column()
            )
        );
        assert_eq!(
            describe(&String::from("x = 1"), None),
            "panicked at 'x = 1'"
        );
        assert_eq!(describe(&42u8, None), "panicked at 'Box<dyn Any>'");
    }
}
