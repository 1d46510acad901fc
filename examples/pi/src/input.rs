//! How many digits were asked for: `{"digits": 100}`, `{"digits": "10_000"}` (a string with digit separators),
//! or `?digits=100` on a Function URL.

use lambda_wasm_guest::Error;
use serde_json::Value;

/// The most the function computes. The spigot's work grows with the square of the count, so
/// the upper end of the range takes over a minute (80 s in Node on the machine where this was
/// measured) and needs a longer timeout than 30 s.
pub const MAX_DIGITS: u64 = 100_000;

fn invalid(message: String) -> Error {
    Error::new("InvalidInput", message)
}

/// Reads the `digits` field of a JSON event.
pub fn digits_from_json(value: Option<&Value>) -> Result<u64, Error> {
    match value {
        None | Some(Value::Null) => Err(invalid(format!(
            "missing \"digits\": send {{\"digits\": N}} with N from 0 to {}",
            MAX_DIGITS
        ))),
        Some(Value::String(text)) => digits_from_text(text),
        Some(Value::Number(number)) => match number.as_u64() {
            Some(n) => within_limit(n),
            None if number.as_i64().is_some() => Err(invalid(format!(
                "\"digits\" is {}, it cannot be negative",
                number
            ))),
            None => Err(invalid(format!(
                "\"digits\" is {}, it must be a whole number",
                number
            ))),
        },
        Some(other) => Err(invalid(format!(
            "\"digits\" must be a number or a numeric string, not {}",
            other
        ))),
    }
}

/// Reads a count written as text, with `_` allowed between digits as in Rust literals.
pub fn digits_from_text(text: &str) -> Result<u64, Error> {
    let trimmed = text.trim();
    let cleaned: String = trimmed.chars().filter(|&c| c != '_').collect();
    let well_formed = !cleaned.is_empty()
        && cleaned.bytes().all(|b| b.is_ascii_digit())
        && !trimmed.starts_with('_')
        && !trimmed.ends_with('_');
    if !well_formed {
        let hint = if trimmed.starts_with('-') {
            ", it cannot be negative"
        } else {
            ""
        };
        return Err(invalid(format!(
            "\"digits\" is {:?}, not a count of digits{}",
            text, hint
        )));
    }
    match cleaned.parse::<u64>() {
        Ok(n) => within_limit(n),
        Err(_) => Err(too_many(&cleaned)),
    }
}

fn within_limit(n: u64) -> Result<u64, Error> {
    if n > MAX_DIGITS {
        return Err(too_many(&n.to_string()));
    }
    Ok(n)
}

fn too_many(n: &str) -> Error {
    invalid(format!(
        "\"digits\" is {}, the most this function computes is {}",
        n, MAX_DIGITS
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn from_json(value: Value) -> Result<u64, Error> {
        digits_from_json(Some(&value))
    }

    #[test]
    fn numbers_and_numeric_strings() {
        assert_eq!(from_json(json!(100)), Ok(100));
        assert_eq!(from_json(json!(0)), Ok(0));
        assert_eq!(from_json(json!("10_000")), Ok(10_000));
        assert_eq!(from_json(json!(" 42 ")), Ok(42));
        assert_eq!(from_json(json!(100_000)), Ok(100_000));
        assert_eq!(digits_from_text("1_0_0"), Ok(100));
    }

    #[test]
    fn bad_input_is_invalid_input_with_a_reason() {
        let cases = [
            (None, "missing"),
            (Some(json!(null)), "missing"),
            (Some(json!(-5)), "cannot be negative"),
            (Some(json!("-5")), "cannot be negative"),
            (Some(json!(1.5)), "whole number"),
            (
                Some(json!(100_001)),
                "the most this function computes is 100000",
            ),
            (Some(json!("99999999999999999999999")), "the most"),
            (Some(json!("ten")), "not a count"),
            (Some(json!("")), "not a count"),
            (Some(json!("_1")), "not a count"),
            (Some(json!("1_")), "not a count"),
            (Some(json!([1])), "must be a number"),
        ];
        for (value, reason) in cases {
            let error = digits_from_json(value.as_ref()).unwrap_err();
            assert_eq!(error.error_type, "InvalidInput");
            assert!(
                error.message.contains(reason),
                "{:?}: {}",
                value,
                error.message
            );
        }
    }
}
