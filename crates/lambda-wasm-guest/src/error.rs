//! The error a handler returns; it crosses the ABI as `{"errorType", "errorMessage"}` with status 1,
//! and Lambda reports it as it would a JavaScript `Error` with that `name` and `message`.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A handled failure: `error_type` becomes Lambda's `errorType`, `message` its `errorMessage`.
///
/// `?` works on anything that is a [`std::error::Error`] (as with `lambda_runtime` or anyhow)
/// and on `&str` and `String`: the message is the error's `Display` text and the type its Rust
/// type name without the path (`ParseIntError`; `JsonError` for `serde_json::Error`, `Error` for
/// text). Build one with another `errorType` with [`Error::new`].
///
/// ```
/// use lambda_wasm_guest::Error;
/// fn parse(digits: &str) -> Result<u32, Error> {
///     if digits.is_empty() {
///         return Err(Error::new("InvalidInput", "digits is empty"));
///     }
///     Ok(digits.parse()?)
/// }
/// assert_eq!(parse("").unwrap_err().error_type, "InvalidInput");
/// assert_eq!(parse("x").unwrap_err().error_type, "ParseIntError");
/// ```
///
/// Like anyhow's error, it does not itself implement `std::error::Error`: that is what lets one
/// `From` cover every error type (a type cannot convert from itself twice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Error {
    #[serde(rename = "errorType")]
    pub error_type: String,
    #[serde(rename = "errorMessage")]
    pub message: String,
}

impl Error {
    pub fn new(error_type: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            error_type: error_type.into(),
            message: message.into(),
        }
    }

    /// The status-1 output bytes of the ABI.
    pub(crate) fn to_json(&self) -> Vec<u8> {
        // The crate's own writer: serde_json's would be linked into every guest for this alone.
        let mut out = Vec::with_capacity(self.error_type.len() + self.message.len() + 32);
        crate::result_json::write_error(self, &mut out);
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.message)
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Every `std::error::Error`, `&str` and `String` (everything `Box<dyn Error>` converts from).
impl<E: Into<BoxError>> From<E> for Error {
    fn from(error: E) -> Self {
        let message = error.into().to_string();
        Error::new(type_name_of::<E>(), message)
    }
}

/// `core::num::error::ParseIntError` → `ParseIntError`; text → `Error`.
fn type_name_of<E>() -> &'static str {
    let full = std::any::type_name::<E>();
    match full {
        "serde_json::error::Error" => "JsonError",
        "&str" | "alloc::string::String" | "alloc::borrow::Cow<str>" => "Error",
        // A boxed error has lost its type; `Box` would say nothing.
        _ if full.starts_with("alloc::boxed::Box<") => "Error",
        _ => {
            let path = full.split('<').next().unwrap_or(full);
            path.rsplit("::")
                .next()
                .unwrap_or(path)
                .trim_start_matches('&')
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_with_lambda_field_names() {
        let json = Error::new("Nope", "said \"no\"").to_json();
        let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"errorType": "Nope", "errorMessage": "said \"no\""})
        );
    }

    #[test]
    fn question_mark_converts_strings_and_json_errors() {
        fn from_str() -> Result<(), Error> {
            Err("plain")?
        }
        fn from_json() -> Result<serde_json::Value, Error> {
            Ok(serde_json::from_str("{")?)
        }
        assert_eq!(from_str().unwrap_err(), Error::new("Error", "plain"));
        let json = from_json().unwrap_err();
        assert_eq!(json.error_type, "JsonError");
        assert!(json.message.contains("line 1 column 1"), "{}", json.message);
    }

    #[test]
    fn question_mark_converts_any_std_error_with_its_type_name() {
        fn parse() -> Result<u32, Error> {
            Ok("x".parse::<u32>()?)
        }
        fn utf8() -> Result<String, Error> {
            Ok(String::from_utf8(vec![0xff])?)
        }
        let e = parse().unwrap_err();
        assert_eq!(e.error_type, "ParseIntError");
        assert_eq!(e.message, "invalid digit found in string");
        assert_eq!(utf8().unwrap_err().error_type, "FromUtf8Error");
        fn boxed() -> Result<(), Error> {
            let error: Box<dyn std::error::Error + Send + Sync> = "from a library".into();
            Err(error)?
        }
        assert_eq!(boxed().unwrap_err(), Error::new("Error", "from a library"));
    }

    #[test]
    fn displays_type_and_message() {
        assert_eq!(Error::from(String::from("x")).to_string(), "Error: x");
    }
}
