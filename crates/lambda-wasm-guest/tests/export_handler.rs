//! The handler macro end to end, through the ABI entry points it generates, against the native
//! stand-in for the host (`lambda_wasm_guest::testing`).

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
use lambda_wasm_guest::{testing, Context, ContextField, Error, Level};
use serde_json::{json, Value};

/// Redirects `/moved`, refuses `/forbidden` with an error, passes anything else on.
fn handler(event: CloudFrontEvent, ctx: &Context) -> Result<RequestResult, Error> {
    let request = event.into_request();
    lambda_wasm_guest::info!(
        "{} {} for {}",
        request.method,
        request.uri,
        ctx.aws_request_id().unwrap_or_default()
    );
    match request.uri.as_str() {
        "/moved" => Ok(GeneratedResponse::new(301, "Moved Permanently")
            .with_header("Location", "/new")
            .into()),
        "/forbidden" => Err(Error::new("Forbidden", "no entry")),
        _ => Ok(request.into()),
    }
}

lambda_wasm_guest::export_handler!(handler);

/// Calls the exported `lambda_wasm_handle` the way the adapter does.
fn call(event: &str) -> (i32, Value) {
    let (ptr, len) = testing::event_block(event);
    let status = unsafe { lambda_wasm_handle(ptr, len) };
    let output = testing::take_output().expect("output was called");
    (
        status,
        serde_json::from_str(&output).expect("output is JSON"),
    )
}

fn event(uri: &str) -> String {
    json!({"Records": [{"cf": {
        "config": {"distributionDomainName": "d111111abcdef8.cloudfront.net", "distributionId": "EDFDVBD6EXAMPLE", "eventType": "viewer-request", "requestId": "r"},
        "request": {"clientIp": "203.0.113.178", "headers": {"host": [{"key": "Host", "value": "d111111abcdef8.cloudfront.net"}]}, "method": "GET", "querystring": "a=1", "uri": uri}
    }}]})
    .to_string()
}

#[test]
fn status_0_returns_the_result_and_the_handler_can_log_and_read_the_context() {
    testing::reset();
    testing::set_context(
        ContextField::AwsRequestId,
        Some("8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
    );
    let input = event("/index.html");
    let (status, output) = call(&input);
    assert_eq!(status, 0);
    let sent: Value = serde_json::from_str(&input).unwrap();
    assert_eq!(output, sent["Records"][0]["cf"]["request"]);
    assert_eq!(
        testing::take_logs(),
        vec![(
            Level::Info,
            "GET /index.html for 8476a536-e9f4-11e8-9739-2dfe598c3fcd".to_string()
        )]
    );
}

#[test]
fn a_generated_response_is_returned_as_is() {
    let (status, output) = call(&event("/moved"));
    assert_eq!(status, 0);
    assert_eq!(
        output,
        json!({"status": "301", "statusDescription": "Moved Permanently", "headers": {"location": [{"key": "Location", "value": "/new"}]}})
    );
}

#[test]
fn status_1_carries_the_handlers_error() {
    let (status, output) = call(&event("/forbidden"));
    assert_eq!(status, 1);
    assert_eq!(
        output,
        json!({"errorType": "Forbidden", "errorMessage": "no entry"})
    );
}

#[test]
fn an_event_that_does_not_parse_is_an_invalid_event_with_serdes_position() {
    let (status, output) = call("{\"Records\": [{\"cf\": {}}]}");
    assert_eq!(status, 1);
    assert_eq!(output["errorType"], "InvalidEvent");
    assert_eq!(
        output["errorMessage"],
        "missing field `config` at line 1 column 22"
    );

    let (status, output) = call("not json");
    assert_eq!(
        (status, output["errorType"].as_str()),
        (1, Some("InvalidEvent"))
    );
    assert!(
        output["errorMessage"]
            .as_str()
            .unwrap()
            .contains("line 1 column 2"),
        "{}",
        output
    );

    let (status, output) = call("");
    assert_eq!(
        (status, output["errorType"].as_str()),
        (1, Some("InvalidEvent"))
    );
}

#[test]
fn any_json_works_with_a_value_handler() {
    fn echo(event: Value, _: &Context) -> Result<Value, Error> {
        Ok(json!({"got": event}))
    }
    let run = testing::invoke(r#"[1, "two", null]"#, echo);
    assert_eq!(run.status, 0);
    assert_eq!(run.json(), json!({"got": [1, "two", null]}));
}

#[test]
fn a_result_that_cannot_be_serialised_is_an_invalid_result() {
    fn bad(_: Value, _: &Context) -> Result<std::collections::HashMap<(u8, u8), u8>, Error> {
        Ok(vec![((1, 2), 3)].into_iter().collect())
    }
    let run = testing::invoke("{}", bad);
    assert_eq!(run.status, 1);
    assert_eq!(run.json()["errorType"], "InvalidResult");
}

#[test]
fn a_panic_reports_message_and_location_to_the_host() {
    fn boom(_: Value, _: &Context) -> Result<Value, Error> {
        let n = 7;
        panic!("boom {}", n)
    }
    testing::reset();
    let line = line!() - 3;
    let unwound = std::panic::catch_unwind(|| testing::invoke("{}", boom));
    assert!(unwound.is_err());
    assert_eq!(
        testing::take_panic(),
        Some(format!("panicked at 'boom 7', {}:{}:9", file!(), line))
    );
}
