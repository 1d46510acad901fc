//! Plain Lambda: the first N digits of pi, the compute workload of `bench` (B7).
//!
//! Answers a JSON event, `{"digits": 100}` → `{"digits": 100, "pi": "3141…"}`, and a Function
//! URL request, `GET /?digits=100` → 200 with that JSON as the body. Bad input is an
//! `InvalidInput` error (a 400 response for the Function URL).

mod bigint;
mod input;
mod spigot;

use lambda_wasm_guest::{http, Context, Error};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Serialize)]
struct Pi {
    digits: u64,
    pi: String,
}

/// Either kind of answer, serialised as itself.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Answer {
    Direct(Pi),
    FunctionUrl(http::Response),
}

fn compute(digits: u64) -> Pi {
    lambda_wasm_guest::info!("pi: computing {} digits", digits);
    // `digits` is at most MAX_DIGITS, far inside usize on wasm32.
    Pi {
        digits,
        pi: spigot::pi_digits(digits as usize),
    }
}

fn is_function_url(event: &Value) -> bool {
    event.get("version").and_then(Value::as_str) == Some("2.0")
        || event.pointer("/requestContext/http").is_some()
}

fn pi(event: Value, _ctx: &Context) -> Result<Answer, Error> {
    if !is_function_url(&event) {
        let digits = input::digits_from_json(event.get("digits"))?;
        return Ok(Answer::Direct(compute(digits)));
    }
    let request: http::Request = serde_json::from_value(event)?;
    let response = match request.query("digits").map(input::digits_from_text) {
        Some(Ok(digits)) => http::Response::json(200, &compute(digits))?,
        Some(Err(error)) => http::Response::json(400, &error)?,
        None => http::Response::json(
            400,
            &Error::new(
                "InvalidInput",
                format!("add ?digits=N (0 to {})", input::MAX_DIGITS),
            ),
        )?,
    };
    Ok(Answer::FunctionUrl(response))
}

lambda_wasm_guest::export_handler!(pi);

#[cfg(test)]
mod tests {
    use super::Answer;
    use lambda_wasm_guest::testing::{self, Inspect};
    use serde_json::{json, Value};

    const PI_100: &str = "3141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117067";

    /// The Function URL answers look like any other HTTP response to the test helpers.
    impl Inspect for Answer {
        fn status(&self) -> Option<u16> {
            match self {
                Answer::FunctionUrl(response) => response.status(),
                Answer::Direct(_) => None,
            }
        }
        fn header_values(&self, name: &str) -> Vec<&str> {
            match self {
                Answer::FunctionUrl(response) => response.header_values(name),
                Answer::Direct(_) => Vec::new(),
            }
        }
        fn body(&self) -> Option<&str> {
            match self {
                Answer::FunctionUrl(response) => response.body(),
                Answer::Direct(_) => None,
            }
        }
    }

    fn body_json(run: &testing::Outcome<Answer>) -> Value {
        serde_json::from_str(run.body().expect("a body")).unwrap()
    }

    #[test]
    fn the_pi_fixture_gives_a_hundred_digits() {
        let run = testing::run(include_str!("../../../fixtures/events/pi.json"), super::pi);
        assert_eq!(run.json(), json!({"digits": 100, "pi": PI_100}));
        assert_eq!(run.logs, ["pi: computing 100 digits"]);
    }

    #[test]
    fn the_underscored_string_form_works() {
        let run = testing::run(r#"{"digits": "1_0"}"#, super::pi);
        assert_eq!(run.json(), json!({"digits": 10, "pi": "3141592653"}));
    }

    #[test]
    fn bad_input_is_an_invalid_input_error() {
        for event in [
            r#"{"digits": -5}"#,
            r#"{}"#,
            r#"{"digits": 100001}"#,
            "[1, 2]",
        ] {
            let run = testing::run(event, super::pi);
            assert_eq!(run.error().error_type, "InvalidInput", "{}", event);
        }
    }

    #[test]
    fn the_function_url_fixture_gets_a_json_response() {
        let run = testing::run(
            include_str!("../../../fixtures/events/function-url.json"),
            super::pi,
        );
        assert_eq!(run.status(), Some(200));
        assert_eq!(run.header("Content-Type"), Some("application/json"));
        assert_eq!(body_json(&run), json!({"digits": 100, "pi": PI_100}));
        let raw = run.json();
        assert!(raw.get("isBase64Encoded").is_none() && raw.get("cookies").is_none());
    }

    #[test]
    fn a_function_url_with_bad_or_no_digits_gets_a_400() {
        for query in [Some("-1"), Some("lots"), Some("200000"), None] {
            let mut url = testing::function_url("/");
            if let Some(digits) = query {
                url = url.query("digits", digits);
            }
            let run = url.invoke(super::pi);
            assert_eq!(run.status(), Some(400), "{:?}", query);
            assert_eq!(body_json(&run)["errorType"], "InvalidInput", "{:?}", query);
        }
    }
}
