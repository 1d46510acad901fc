//! The Lambda context, read field by field from the host when the handler asks for it: nothing
//! about the context is copied or serialised on invocations that do not use it.

use crate::abi;

/// The fields of the ABI's `context_get`, in its numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum ContextField {
    AwsRequestId = 0,
    FunctionName = 1,
    FunctionVersion = 2,
    InvokedFunctionArn = 3,
    MemoryLimitInMb = 4,
    LogGroupName = 5,
    LogStreamName = 6,
}

impl ContextField {
    pub const ALL: [ContextField; 7] = [
        ContextField::AwsRequestId,
        ContextField::FunctionName,
        ContextField::FunctionVersion,
        ContextField::InvokedFunctionArn,
        ContextField::MemoryLimitInMb,
        ContextField::LogGroupName,
        ContextField::LogStreamName,
    ];
}

/// The context of the current invocation, as Node's Lambda runtime gives it to the adapter.
///
/// Each call asks the host again, so values are always those of the invocation in progress.
/// The handler macro passes one in; tests may make their own with [`Context::new`] and set the
/// values through [`crate::testing`].
#[derive(Debug, Default)]
pub struct Context {
    _private: (),
}

impl Context {
    pub fn new() -> Self {
        Context { _private: () }
    }

    pub fn aws_request_id(&self) -> Option<String> {
        read(ContextField::AwsRequestId)
    }

    pub fn function_name(&self) -> Option<String> {
        read(ContextField::FunctionName)
    }

    pub fn function_version(&self) -> Option<String> {
        read(ContextField::FunctionVersion)
    }

    pub fn invoked_function_arn(&self) -> Option<String> {
        read(ContextField::InvokedFunctionArn)
    }

    /// Node's runtime hands this over as a string; `None` when absent or not a number.
    pub fn memory_limit_in_mb(&self) -> Option<u32> {
        read(ContextField::MemoryLimitInMb).and_then(|mb| mb.trim().parse().ok())
    }

    pub fn log_group_name(&self) -> Option<String> {
        read(ContextField::LogGroupName)
    }

    pub fn log_stream_name(&self) -> Option<String> {
        read(ContextField::LogStreamName)
    }

    /// Milliseconds left before Lambda stops the invocation, at the moment of the call.
    pub fn remaining_time_ms(&self) -> u64 {
        let ms = abi::remaining_time_ms();
        // `as` saturates and maps NaN to 0, which is the right answer for a host that has no clock.
        ms.max(0.0) as u64
    }

    /// Reads any field by its ABI number.
    pub fn get(&self, field: ContextField) -> Option<String> {
        read(field)
    }
}

/// Most values (request ids, names, ARNs) fit here, so the common case needs no heap buffer.
const INLINE_CAPACITY: usize = 128;
/// Bounds the grow-and-retry loop against a host whose answer keeps changing.
const MAX_ATTEMPTS: usize = 4;

fn read(field: ContextField) -> Option<String> {
    let mut inline = [0u8; INLINE_CAPACITY];
    let len = usize::try_from(abi::context_get(field as i32, &mut inline)).ok()?;
    if len <= inline.len() {
        return Some(String::from_utf8_lossy(&inline[..len]).into_owned());
    }
    let mut needed = len;
    for _ in 0..MAX_ATTEMPTS {
        let mut buffer = vec![0u8; needed];
        let len = usize::try_from(abi::context_get(field as i32, &mut buffer)).ok()?;
        if len <= buffer.len() {
            buffer.truncate(len);
            return Some(match String::from_utf8(buffer) {
                Ok(text) => text,
                Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
            });
        }
        needed = len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn reads_fields_and_reports_absent_ones() {
        testing::reset();
        testing::set_context(
            ContextField::AwsRequestId,
            Some("c6af9ac6-7b61-11e6-9a41-93e8deadbeef"),
        );
        testing::set_context(ContextField::MemoryLimitInMb, Some("128"));
        testing::set_remaining_time_ms(2999.6);
        let ctx = Context::new();
        assert_eq!(
            ctx.aws_request_id().as_deref(),
            Some("c6af9ac6-7b61-11e6-9a41-93e8deadbeef")
        );
        assert_eq!(ctx.memory_limit_in_mb(), Some(128));
        assert_eq!(ctx.function_name(), None);
        assert_eq!(ctx.remaining_time_ms(), 2999);
    }

    #[test]
    fn retries_with_a_larger_buffer_for_long_values() {
        testing::reset();
        let arn = format!(
            "arn:aws:lambda:us-east-1:123456789012:function:{}:7",
            "f".repeat(300)
        );
        testing::set_context(ContextField::InvokedFunctionArn, Some(&arn));
        testing::set_context(ContextField::LogStreamName, Some(""));
        let ctx = Context::new();
        assert_eq!(ctx.invoked_function_arn(), Some(arn));
        assert_eq!(
            testing::context_calls(),
            2,
            "a value over 128 bytes needs exactly one retry"
        );
        assert_eq!(ctx.log_stream_name().as_deref(), Some(""));
        assert_eq!(testing::context_calls(), 3);
    }

    #[test]
    fn each_accessor_reads_its_own_field() {
        testing::reset();
        // A context as Node's Lambda runtime hands it over (AWS's "Lambda context object in Node.js").
        let values = [
            (
                ContextField::AwsRequestId,
                "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
            ),
            (ContextField::FunctionName, "my-function"),
            (ContextField::FunctionVersion, "$LATEST"),
            (
                ContextField::InvokedFunctionArn,
                "arn:aws:lambda:us-east-1:123456789012:function:my-function",
            ),
            (ContextField::MemoryLimitInMb, "256"),
            (ContextField::LogGroupName, "/aws/lambda/my-function"),
            (
                ContextField::LogStreamName,
                "2024/01/01/[$LATEST]0123456789abcdef0123456789abcdef",
            ),
        ];
        for (field, value) in values {
            testing::set_context(field, Some(value));
        }
        let ctx = Context::new();
        assert_eq!(ctx.aws_request_id().as_deref(), Some(values[0].1));
        assert_eq!(ctx.function_name().as_deref(), Some(values[1].1));
        assert_eq!(ctx.function_version().as_deref(), Some(values[2].1));
        assert_eq!(ctx.invoked_function_arn().as_deref(), Some(values[3].1));
        assert_eq!(ctx.memory_limit_in_mb(), Some(256));
        assert_eq!(ctx.log_group_name().as_deref(), Some(values[5].1));
        assert_eq!(ctx.log_stream_name().as_deref(), Some(values[6].1));
        for (field, value) in values {
            assert_eq!(ctx.get(field).as_deref(), Some(value), "{:?}", field);
        }
    }

    #[test]
    fn negative_or_missing_clock_reads_as_zero() {
        testing::reset();
        testing::set_remaining_time_ms(-5.0);
        assert_eq!(Context::new().remaining_time_ms(), 0);
        testing::set_remaining_time_ms(f64::NAN);
        assert_eq!(Context::new().remaining_time_ms(), 0);
    }
}
