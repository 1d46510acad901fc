/**
 * @module
 * The project templates of `lambda-wasm new`: one small, useful guest per trigger type and one
 * for a plain Lambda behind a Function URL. Each builds with Rust 1.63 and depends on the guest
 * crate only (which brings serde and serde_json), so it builds offline from Debian's registry.
 */
import type { FunctionKind } from '../config/limits.js';

export const TEMPLATE_NAMES = ['viewer-request', 'origin-request', 'origin-response', 'viewer-response', 'http'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface Template {
  name: TemplateName;
  eventType: FunctionKind;
  /** One line for the README and `--help`. */
  summary: string;
  /** `src/lib.rs`. */
  lib: string;
}

export function isTemplateName(value: unknown): value is TemplateName {
  return typeof value === 'string' && (TEMPLATE_NAMES as readonly string[]).includes(value);
}

const VIEWER_REQUEST = `//! viewer-request trigger: runs on every request, before CloudFront looks in its cache.
//! Answers /healthz itself and appends index.html to URIs that end in /.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
use lambda_wasm_guest::{Context, Error};

fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
    let mut request = event.into_request();
    if request.uri == "/healthz" {
        // A generated response: CloudFront sends it without contacting the origin.
        let ok = GeneratedResponse::new(200, "OK")
            .with_header("Content-Type", "text/plain")
            .with_text_body("ok");
        return Ok(ok.into());
    }
    if request.uri.ends_with('/') {
        request.uri.push_str("index.html");
    }
    lambda_wasm_guest::info!("{} {}", request.method, request.uri);
    Ok(request.into())
}

lambda_wasm_guest::export_handler!(handler);
`;

const ORIGIN_REQUEST = `//! origin-request trigger: runs on cache misses, before CloudFront forwards the request to
//! the origin. Tells the origin which country the viewer is in (when the cache or origin
//! request policy forwards CloudFront-Viewer-Country) and strips a tracking query string.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, RequestResult};
use lambda_wasm_guest::{Context, Error};

fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
    let mut request = event.into_request();
    let country = request
        .headers
        .get("cloudfront-viewer-country")
        .unwrap_or("unknown")
        .to_string();
    request.headers.insert("X-Viewer-Country", country);
    let kept: Vec<&str> = request
        .querystring
        .split('&')
        .filter(|pair| !pair.is_empty() && !pair.starts_with("utm_"))
        .collect();
    request.querystring = kept.join("&");
    lambda_wasm_guest::info!("origin request {} {}", request.method, request.uri);
    Ok(request.into())
}

lambda_wasm_guest::export_handler!(handler);
`;

const ORIGIN_RESPONSE = `//! origin-response trigger: runs when the origin answers a cache miss, before CloudFront
//! caches the response. Adds security headers and a default Cache-Control.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, Response};
use lambda_wasm_guest::{Context, Error};

fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<Response, Error> {
    let mut response = event.into_response()?;
    response.headers.insert("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    response.headers.insert("X-Content-Type-Options", "nosniff");
    if !response.headers.contains("cache-control") {
        response.headers.insert("Cache-Control", "public, max-age=300");
    }
    Ok(response)
}

lambda_wasm_guest::export_handler!(handler);
`;

const VIEWER_RESPONSE = `//! viewer-response trigger: runs on every response on its way to the viewer, cached or not
//! (except when the origin answered 400 or more). Adds headers; the status cannot change here.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, Response};
use lambda_wasm_guest::{Context, Error};

fn handler(event: CloudFrontEvent, _ctx: &Context) -> Result<Response, Error> {
    let mut response = event.into_response()?;
    response.headers.insert("X-Frame-Options", "DENY");
    response.headers.insert("Referrer-Policy", "strict-origin-when-cross-origin");
    Ok(response)
}

lambda_wasm_guest::export_handler!(handler);
`;

const HTTP = `//! A plain Lambda function behind a Function URL (payload format 2.0): answers JSON with
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
`;

export const TEMPLATES: Readonly<Record<TemplateName, Template>> = {
  'viewer-request': { name: 'viewer-request', eventType: 'viewer-request', summary: 'a viewer-request trigger: /healthz answered at the edge, index.html appended to directory URIs', lib: VIEWER_REQUEST },
  'origin-request': { name: 'origin-request', eventType: 'origin-request', summary: 'an origin-request trigger: a viewer-country header for the origin, utm_ parameters removed', lib: ORIGIN_REQUEST },
  'origin-response': { name: 'origin-response', eventType: 'origin-response', summary: 'an origin-response trigger: security headers and a default Cache-Control', lib: ORIGIN_RESPONSE },
  'viewer-response': { name: 'viewer-response', eventType: 'viewer-response', summary: 'a viewer-response trigger: X-Frame-Options and Referrer-Policy on every response', lib: VIEWER_RESPONSE },
  http: { name: 'http', eventType: 'lambda', summary: 'a plain Lambda function behind a Function URL, answering JSON', lib: HTTP },
};
