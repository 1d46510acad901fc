//! Nothing an invocation allocates survives it: the input block, the parsed event, the result
//! and the output bytes are all freed, on success, on a handled error and on an invalid event.
//!
//! Runs without the test harness (see Cargo.toml), on one thread, so a counting allocator sees
//! only the guest's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, RequestResult};
use lambda_wasm_guest::{testing, Context, Error};

struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::SeqCst);
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::SeqCst);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn handler(event: CloudFrontEvent, ctx: &Context) -> Result<RequestResult, Error> {
    let mut request = event.into_request();
    let _ = ctx.aws_request_id();
    lambda_wasm_guest::info!("{}", request.uri);
    if request.uri == "/fail" {
        return Err(Error::new("Failed", format!("{} failed", request.uri)));
    }
    request.headers.insert("X-Seen", "yes");
    Ok(request.into())
}

lambda_wasm_guest::export_handler!(handler);

fn run(event: &str) -> i32 {
    let (ptr, len) = testing::event_block(event);
    let status = unsafe { lambda_wasm_handle(ptr, len) };
    // What the host double keeps (output copy, log lines) is the host's, not the guest's.
    drop(testing::take_output());
    drop(testing::take_logs());
    status
}

fn main() {
    // cargo-mutants tests a copy of the crate outside the repository: it says where they are.
    let dir = std::env::var("LAMBDA_WASM_FIXTURES").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/events").to_string()
    });
    let fixture = std::fs::read_to_string(format!("{}/viewer-request.json", dir))
        .expect("fixtures/events/viewer-request.json");
    let failing = fixture.replace("\"uri\": \"/\"", "\"uri\": \"/fail\"");
    assert_ne!(failing, fixture);
    let cases = [
        ("success", fixture.as_str(), 0),
        ("handled error", failing.as_str(), 1),
        ("invalid event", "{\"Records\": 5}", 1),
    ];

    testing::set_context(
        lambda_wasm_guest::ContextField::AwsRequestId,
        Some("8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
    );
    // The first invocation installs the panic hook, which lives for the whole program.
    for (_, event, _) in &cases {
        run(event);
    }
    for (name, event, status) in &cases {
        let before = LIVE_BYTES.load(Ordering::SeqCst);
        for _ in 0..1000 {
            assert_eq!(run(event), *status, "{}", name);
        }
        let after = LIVE_BYTES.load(Ordering::SeqCst);
        assert_eq!(
            after,
            before,
            "{}: {} bytes still allocated after 1000 invocations",
            name,
            after - before
        );
        println!(
            "no_leaks: {}: ok ({} live bytes before and after)",
            name, before
        );
    }
}
