//! A plain Lambda function for any JSON event, built as a native `bootstrap` for the
//! provided.al2023 runtime ("target": "native" in lambda-wasm.config.json).
//! `{"numbers": [3, 1, 4]}` → `{"count": 3, "sum": 8, "mean": 2.67, "max": 4}`; anything else is
//! an `InvalidInput` error, which Lambda reports as `{"errorType", "errorMessage"}`.

use lambda_wasm_guest::serde_json::{json, Value};
use lambda_wasm_guest::{Context, Error};

fn handler(event: Value, _ctx: &Context) -> Result<Value, Error> {
    let numbers = event
        .get("numbers")
        .and_then(Value::as_array)
        .ok_or_else(|| Error::new("InvalidInput", "expected {\"numbers\": [ ... ]}"))?;
    let mut values = Vec::with_capacity(numbers.len());
    for (i, n) in numbers.iter().enumerate() {
        let x = n
            .as_f64()
            .ok_or_else(|| Error::new("InvalidInput", format!("numbers[{}] is not a number: {}", i, n)))?;
        values.push(x);
    }
    let sum: f64 = values.iter().sum();
    let max = values.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    lambda_wasm_guest::info!("{} numbers", values.len());
    Ok(json!({
        "count": values.len(),
        "sum": sum,
        "mean": if values.is_empty() { Value::Null } else { json!((sum / values.len() as f64 * 100.0).round() / 100.0) },
        "max": if values.is_empty() { Value::Null } else { json!(max) },
    }))
}

lambda_wasm_guest::export_handler!(handler);
