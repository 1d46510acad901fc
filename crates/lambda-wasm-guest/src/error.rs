//! The error a handler returns; it crosses the ABI as `{"errorType", "errorMessage"}` with status 1,
//! and Lambda reports it as it would a JavaScript `Error` with that `name` and `message`.

use std::fmt;

use serde::Serialize;

/// A handled failure: `error_type` becomes Lambda's `errorType`, `message` its `errorMessage`.
///
/// `?` works on anything with a `From` conversion: `serde_json::Error`, `&str`, `String`, and
/// `Error` itself.
///
/// ```
/// use lambda_wasm_guest::Error;
/// fn parse(digits: &str) -> Result<u32, Error> {
///     digits.parse().map_err(|e| Error::new("InvalidInput", format!("digits: {}", e)))
/// }
/// assert_eq!(parse("x").unwrap_err().error_type, "InvalidInput");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
        // Two strings always serialise; the fallback only keeps a panic path out of the binary.
        serde_json::to_vec(self)
            .unwrap_or_else(|_| br#"{"errorType":"Error","errorMessage":""}"#.to_vec())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.message)
    }
}

impl std::error::Error for Error {}

/// JSON that the handler itself parses or builds; the message keeps serde's line and column.
impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Error::new("JsonError", error.to_string())
    }
}

impl From<&str> for Error {
    fn from(message: &str) -> Self {
        Error::new("Error", message)
    }
}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Error::new("Error", message)
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
    fn displays_type_and_message() {
        assert_eq!(Error::from(String::from("x")).to_string(), "Error: x");
    }
}
