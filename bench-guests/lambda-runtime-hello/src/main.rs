//! Hello world on lambda_runtime: `{"name": "x"}` → `{"hello": "x"}`.
use lambda_runtime::{service_fn, Error, LambdaEvent};
use serde_json::{json, Value};

async fn handler(event: LambdaEvent<Value>) -> Result<Value, Error> {
    let name = event.payload.get("name").cloned().unwrap_or_else(|| Value::from("world"));
    Ok(json!({ "hello": name }))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(handler)).await
}
