//! Log lines that the host writes through `console.*`, so Lambda adds the timestamp, request id
//! and level exactly as for JavaScript functions.

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

/// Writes one log line at `level`.
pub fn log(level: Level, message: &str) {
    abi::log(level as i32, message);
}

/// The body of the level macros; a literal without arguments is passed on without formatting.
#[doc(hidden)]
pub fn log_fmt(level: Level, args: fmt::Arguments<'_>) {
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
    fn abi_numbers_round_trip() {
        for n in 0..6 {
            assert_eq!(Level::from_abi(n).map(|l| l as i32), Some(n));
        }
        assert_eq!(Level::from_abi(6), None);
    }
}
