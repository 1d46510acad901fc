//! A plain Lambda function behind a Function URL (payload format 2.0), built as a native
//! `bootstrap` for the provided.al2023 runtime ("target": "native" in lambda-wasm.config.json).
//! Answers JSON with the method, the path, a greeting from ?name= and the time left.
//! The same source builds as Wasm too: remove "target" to run it on Node.js.

use lambda_wasm_guest::http::{Request, Response};
use lambda_wasm_guest::serde_json::json;
use lambda_wasm_guest::{Context, Error};

fn handler(request: Request, ctx: &Context) -> Result<Response, Error> {
    let name = request.query("name").unwrap_or("world");
    lambda_wasm_guest::info!("{} {}", request.method(), request.raw_path);
    if name.len() > 64 {
        return Response::json(400, &Error::new("InvalidInput", "?name= is at most 64 characters"));
    }
    Response::json(
        200,
        &json!({
            "message": format!("hello, {}", name),
            "method": request.method(),
            "path": request.raw_path,
            "remainingMs": ctx.remaining_time_ms(),
        }),
    )
}

lambda_wasm_guest::export_handler!(handler);
