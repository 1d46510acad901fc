//! A guest for the native-target tests: one handler, built both as Wasm and as a `bootstrap`.
//! `{"op": "..."}` picks what it does; anything else is echoed.

use lambda_wasm_guest::{Context, Error};
use serde_json::{json, Value};

fn probe(event: Value, ctx: &Context) -> Result<Value, Error> {
    let op = event.get("op").and_then(Value::as_str).unwrap_or("echo");
    let arg = event.get("arg").cloned().unwrap_or(Value::Null);
    match op {
        "context" => Ok(json!({
            "requestId": ctx.aws_request_id(),
            "functionName": ctx.function_name(),
            "functionVersion": ctx.function_version(),
            "invokedFunctionArn": ctx.invoked_function_arn(),
            "memoryLimitInMb": ctx.memory_limit_in_mb(),
            "logGroupName": ctx.log_group_name(),
            "logStreamName": ctx.log_stream_name(),
            "hasTimeLeft": ctx.remaining_time_ms() > 0,
        })),
        "trace" => Ok(json!({ "traceId": std::env::var("_X_AMZN_TRACE_ID").ok() })),
        "log" => {
            lambda_wasm_guest::info!("{}", arg.as_str().unwrap_or(""));
            lambda_wasm_guest::warn!("second line");
            Ok(json!({ "logged": true }))
        }
        "fail" => Err(Error::new(arg.as_str().unwrap_or("ProbeError"), "failed on purpose")),
        "panic" => panic!("probe panicked: {}", arg),
        "exit" => std::process::exit(arg.as_i64().unwrap_or(3) as i32),
        "sleep" => {
            std::thread::sleep(std::time::Duration::from_millis(arg.as_u64().unwrap_or(0)));
            Ok(json!({ "slept": arg }))
        }
        "alloc" => {
            // Touch every page so the memory is resident, then hold it a moment for the sampler.
            let mb = arg.as_u64().unwrap_or(1) as usize;
            let block = vec![1u8; mb * 1024 * 1024];
            std::thread::sleep(std::time::Duration::from_millis(500));
            Ok(json!({ "allocatedMb": mb, "sum": block.iter().step_by(4096).map(|&b| b as u64).sum::<u64>() }))
        }
        _ => Ok(event),
    }
}

lambda_wasm_guest::export_handler!(probe);
