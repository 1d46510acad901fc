//! A plain Lambda function behind a Function URL (payload format 2.0): answers JSON with
//! the method, the path and a greeting from ?name=.

use lambda_wasm_guest::http::{Request, Response};
use lambda_wasm_guest::serde_json::json;
use lambda_wasm_guest::{Context, Error};

fn handler(request: Request, _ctx: &Context) -> Result<Response, Error> {
    let name = request.query("name").unwrap_or("world");
    lambda_wasm_guest::info!("{} {}", request.method(), request.raw_path);
    Response::json(
        200,
        &json!({
            "message": format!("hello, {}", name),
            "method": request.method(),
            "path": request.raw_path,
        }),
    )
}

lambda_wasm_guest::export_handler!(handler);
