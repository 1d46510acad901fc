//! Log lines that the host writes through `console.*`, so Lambda adds the timestamp, request id
//! and level exactly as for JavaScript functions.
//!
//! Lines below the maximum level are dropped before they are formatted. The maximum starts at
//! `LAMBDA_WASM_LOG_LEVEL` as set when the guest was compiled (`trace` … `error`, e.g. in the
//! function's `buildEnv`), else `trace`, and can be changed with [`set_max_level`].
//!
//! With the crate's `log` feature, a logger for the `log` facade is installed before the first
//! event, so `log::info!` in the guest and in its dependencies lands here too, under the same
//! maximum level.

use std::fmt;

use crate::abi;

/// The levels of the ABI's `log` import, in its numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(i32)]
pub enum Level {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
    Fatal = 5,
}

impl Level {
    pub const ALL: [Level; 6] = [
        Level::Trace,
        Level::Debug,
        Level::Info,
        Level::Warn,
        Level::Error,
        Level::Fatal,
    ];

    #[cfg(not(target_arch = "wasm32"))]
    #[cfg_attr(feature = "native-runtime", allow(dead_code))]
    pub(crate) fn from_abi(level: i32) -> Option<Level> {
        Some(match level {
            0 => Level::Trace,
            1 => Level::Debug,
            2 => Level::Info,
            3 => Level::Warn,
            4 => Level::Error,
            5 => Level::Fatal,
            _ => return None,
        })
    }
}

/// Writes one log line at `level`, unless `level` is below the maximum.
pub fn log(level: Level, message: &str) {
    if enabled(level) {
        abi::log(level as i32, message);
    }
}

/// Whether a line at `level` would be written.
pub fn enabled(level: Level) -> bool {
    level as i32 >= max_level::get()
}

/// Drops lines below `level` from now on (the `log` facade's too, with the `log` feature).
pub fn set_max_level(level: Level) {
    max_level::set(level as i32);
    #[cfg(feature = "log")]
    facade::set_max_level(level);
}

/// The maximum level compiled in with `LAMBDA_WASM_LOG_LEVEL`, else `Trace`.
fn initial_level() -> i32 {
    let level = match option_env!("LAMBDA_WASM_LOG_LEVEL") {
        Some(name) => name,
        None => return Level::Trace as i32,
    };
    let level = match level.as_bytes().first().map(u8::to_ascii_lowercase) {
        Some(b'd') => Level::Debug,
        Some(b'i') => Level::Info,
        Some(b'w') => Level::Warn,
        Some(b'e') => Level::Error,
        Some(b'f') => Level::Fatal,
        _ => Level::Trace,
    };
    level as i32
}

/// One process-wide value in a guest; per thread natively, so parallel tests do not meet.
#[cfg(target_arch = "wasm32")]
mod max_level {
    use std::sync::atomic::{AtomicI32, Ordering};
    static MAX: AtomicI32 = AtomicI32::new(-1);
    pub(super) fn get() -> i32 {
        match MAX.load(Ordering::Relaxed) {
            -1 => {
                let level = super::initial_level();
                MAX.store(level, Ordering::Relaxed);
                level
            }
            level => level,
        }
    }
    pub(super) fn set(level: i32) {
        MAX.store(level, Ordering::Relaxed);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod max_level {
    use std::cell::Cell;
    thread_local!(static MAX: Cell<i32> = Cell::new(super::initial_level()));
    pub(super) fn get() -> i32 {
        MAX.with(Cell::get)
    }
    pub(super) fn set(level: i32) {
        MAX.with(|max| max.set(level));
    }
}

/// The `log` facade's records, written through the same import.
#[cfg(feature = "log")]
pub(crate) mod facade {
    use super::Level;

    struct HostLogger;

    static LOGGER: HostLogger = HostLogger;

    impl ::log::Log for HostLogger {
        fn enabled(&self, metadata: &::log::Metadata<'_>) -> bool {
            super::enabled(from_facade(metadata.level()))
        }

        fn log(&self, record: &::log::Record<'_>) {
            super::log_fmt(from_facade(record.level()), *record.args());
        }

        fn flush(&self) {}
    }

    fn from_facade(level: ::log::Level) -> Level {
        match level {
            ::log::Level::Trace => Level::Trace,
            ::log::Level::Debug => Level::Debug,
            ::log::Level::Info => Level::Info,
            ::log::Level::Warn => Level::Warn,
            ::log::Level::Error => Level::Error,
        }
    }

    pub(super) fn set_max_level(level: Level) {
        ::log::set_max_level(match level {
            Level::Trace => ::log::LevelFilter::Trace,
            Level::Debug => ::log::LevelFilter::Debug,
            Level::Info => ::log::LevelFilter::Info,
            Level::Warn => ::log::LevelFilter::Warn,
            Level::Error | Level::Fatal => ::log::LevelFilter::Error,
        });
    }

    /// Installs the logger once; later calls (and a logger the guest installed itself) win nothing.
    pub(crate) fn install() {
        if ::log::set_logger(&LOGGER).is_ok() {
            let max = super::max_level::get();
            let level = super::Level::ALL
                .iter()
                .copied()
                .find(|l| *l as i32 == max)
                .unwrap_or(Level::Trace);
            set_max_level(level);
        }
    }
}

/// Back to the compiled-in maximum (for tests).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn reset_max_level() {
    max_level::set(initial_level());
}

/// The body of the level macros; a literal without arguments is passed on without formatting.
#[doc(hidden)]
pub fn log_fmt(level: Level, args: fmt::Arguments<'_>) {
    if !enabled(level) {
        return;
    }
    match args.as_str() {
        Some(message) => log(level, message),
        None => log(level, &args.to_string()),
    }
}

/// `trace!("format {}", args)`: one TRACE line.
#[macro_export]
macro_rules! trace {
    ($($arg:tt)+) => { $crate::log::log_fmt($crate::log::Level::Trace, format_args!($($arg)+)) };
}

/// `debug!("format {}", args)`: one DEBUG line.
#[macro_export]
macro_rules! debug {
    ($($arg:tt)+) => { $crate::log::log_fmt($crate::log::Level::Debug, format_args!($($arg)+)) };
}

/// `info!("format {}", args)`: one INFO line.
#[macro_export]
macro_rules! info {
    ($($arg:tt)+) => { $crate::log::log_fmt($crate::log::Level::Info, format_args!($($arg)+)) };
}

/// `warn!("format {}", args)`: one WARN line.
#[macro_export]
macro_rules! warn {
    ($($arg:tt)+) => { $crate::log::log_fmt($crate::log::Level::Warn, format_args!($($arg)+)) };
}

/// `error!("format {}", args)`: one ERROR line.
#[macro_export]
macro_rules! error {
    ($($arg:tt)+) => { $crate::log::log_fmt($crate::log::Level::Error, format_args!($($arg)+)) };
}

#[cfg(test)]
mod tests {
    use super::Level;
    use crate::testing;

    #[test]
    fn macros_send_level_numbers_and_formatted_text() {
        testing::reset();
        crate::trace!("t");
        crate::debug!("d {}", 1);
        crate::info!("i {}-{}", "a", 2);
        crate::warn!("w");
        crate::error!("e {:?}", Some(3));
        super::log(Level::Fatal, "f");
        assert_eq!(
            testing::take_logs(),
            vec![
                (Level::Trace, "t".to_string()),
                (Level::Debug, "d 1".to_string()),
                (Level::Info, "i a-2".to_string()),
                (Level::Warn, "w".to_string()),
                (Level::Error, "e Some(3)".to_string()),
                (Level::Fatal, "f".to_string()),
            ]
        );
    }

    #[test]
    fn lines_below_the_maximum_level_are_dropped() {
        testing::reset();
        super::set_max_level(Level::Info);
        crate::debug!("hidden {}", 1);
        crate::info!("shown");
        assert!(!super::enabled(Level::Debug));
        super::set_max_level(Level::Trace);
        assert_eq!(
            testing::take_logs(),
            vec![(Level::Info, "shown".to_string())]
        );
    }

    #[cfg(feature = "log")]
    #[test]
    fn the_log_facade_reaches_the_host() {
        testing::reset();
        super::facade::install();
        ::log::info!(target: "dep", "from a dependency {}", 7);
        assert_eq!(
            testing::take_logs(),
            vec![(Level::Info, "from a dependency 7".to_string())]
        );
    }

    #[test]
    fn abi_numbers_round_trip() {
        for n in 0..6 {
            assert_eq!(Level::from_abi(n).map(|l| l as i32), Some(n));
        }
        assert_eq!(Level::from_abi(6), None);
    }
}
