//! The JSON reader behind `export_handler!`: event bytes into any `Deserialize` type.
//!
//! Why not `serde_json::from_slice`: every type error serde_json reports goes through
//! `serde::de::Unexpected`'s `Display`, which formats floats, so each guest carried Rust's float
//! printer (Grisu, Dragon and their big-number tables, about 22 KB of code) although no
//! CloudFront field is a float; and serde_json's reader is generic code instantiated per type.
//! This reader reports errors without printing floats, keeps its bookkeeping (whitespace,
//! strings, numbers, skipping unknown fields, error positions) in functions that are not generic,
//! and refuses JSON arrays where a struct is expected (serde_json accepts `[…]` for a struct,
//! which keeps every derived `visit_seq` in the binary; no event is written that way).
//! docs/cold-start.md has the measurements.
//!
//! It accepts what serde_json accepts otherwise (RFC 8259 JSON, UTF-8, nesting up to 128 levels)
//! and reports errors in serde_json's words and with its `at line L column C` position, so a
//! handler sees the same `InvalidEvent` messages. Results are still written by serde_json.

use std::any::{Any, TypeId};
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Expected, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;

use crate::cloudfront::CloudFrontEvent;

/// serde_json's limit: deeper input is refused rather than overflowing the guest's stack.
const MAX_DEPTH: u32 = 128;

mod cloudfront;

/// Parses `input` as one JSON value of type `T` (whitespace around it allowed).
///
/// A [`CloudFrontEvent`] is read by the hand-written code of `cloudfront.rs`, any other type
/// through its `Deserialize` impl. The type test is on constants, so each guest keeps only the
/// branch its event type takes.
pub(crate) fn from_slice<T: DeserializeOwned + 'static>(input: &[u8]) -> Result<T, JsonError> {
    let mut de = Deserializer {
        input,
        index: 0,
        depth: 0,
        closed: false,
        scratch: Vec::new(),
    };
    let parsed = if TypeId::of::<T>() == TypeId::of::<CloudFrontEvent>() {
        de.cloudfront_event().map(|event| {
            let mut slot = Some(event);
            let any: &mut dyn Any = &mut slot;
            match any.downcast_mut::<Option<T>>().and_then(Option::take) {
                Some(value) => value,
                // T is CloudFrontEvent: the downcast cannot fail.
                None => unreachable!(),
            }
        })
    } else {
        T::deserialize(&mut de)
    };
    let parsed = parsed.and_then(|value| match de.peek() {
        None => Ok(value),
        Some(_) => {
            de.index += 1;
            Err(JsonError::text("trailing characters"))
        }
    });
    parsed.map_err(|error| error.at(input, de.index))
}

/// A parse or type error, `… at line L column C` once it has left [`from_slice`].
#[derive(Debug)]
pub(crate) struct JsonError(String);

impl JsonError {
    // Out of line: inlined, each of the reader's many error sites carries its own allocation
    // and copy, which the first call compiles with the function around it.
    #[cold]
    #[inline(never)]
    fn text(message: &str) -> JsonError {
        JsonError(message.to_owned())
    }

    /// serde_json's position: the line, and the bytes of that line read so far, the offending one included.
    fn at(mut self, input: &[u8], index: usize) -> JsonError {
        let read = &input[..index.min(input.len())];
        let line = 1 + read.iter().filter(|&&b| b == b'\n').count();
        let column = match read.iter().rposition(|&b| b == b'\n') {
            Some(newline) => read.len() - newline - 1,
            None => read.len(),
        };
        self.0.push_str(" at line ");
        push_decimal(&mut self.0, line as u64);
        self.0.push_str(" column ");
        push_decimal(&mut self.0, column as u64);
        self
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

impl de::Error for JsonError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        JsonError(message.to_string())
    }

    // The three below replace serde's defaults, which print `Unexpected` with its float arm.
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        mismatch("invalid type: ", unexpected, expected)
    }

    fn invalid_value(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        mismatch("invalid value: ", unexpected, expected)
    }
}

/// `invalid type: string "x", expected u16`, with serde's wording but a float's value left out.
fn mismatch(prefix: &str, unexpected: Unexpected<'_>, expected: &dyn Expected) -> JsonError {
    let mut message = String::from(prefix);
    match unexpected {
        Unexpected::Bool(b) => message.push_str(if b {
            "boolean `true`"
        } else {
            "boolean `false`"
        }),
        Unexpected::Unsigned(n) => {
            message.push_str("integer `");
            push_decimal(&mut message, n);
            message.push('`');
        }
        Unexpected::Signed(n) => {
            message.push_str("integer `");
            if n < 0 {
                message.push('-');
            }
            push_decimal(&mut message, n.unsigned_abs());
            message.push('`');
        }
        Unexpected::Float(_) => message.push_str("floating point number"),
        Unexpected::Char(c) => {
            message.push_str("character `");
            message.push(c);
            message.push('`');
        }
        Unexpected::Str(s) => {
            message.push_str("string \"");
            message.push_str(s);
            message.push('"');
        }
        Unexpected::Bytes(_) => message.push_str("byte array"),
        Unexpected::Unit => message.push_str("null"),
        Unexpected::Option => message.push_str("Option value"),
        Unexpected::NewtypeStruct => message.push_str("newtype struct"),
        Unexpected::Seq => message.push_str("sequence"),
        Unexpected::Map => message.push_str("map"),
        Unexpected::Enum => message.push_str("enum"),
        Unexpected::UnitVariant => message.push_str("unit variant"),
        Unexpected::NewtypeVariant => message.push_str("newtype variant"),
        Unexpected::TupleVariant => message.push_str("tuple variant"),
        Unexpected::StructVariant => message.push_str("struct variant"),
        Unexpected::Other(other) => message.push_str(other),
    }
    message.push_str(", expected ");
    struct Into<'s>(&'s mut String);
    impl fmt::Write for Into<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0.push_str(s);
            Ok(())
        }
    }
    let _ = fmt::write(&mut Into(&mut message), format_args!("{}", expected));
    JsonError(message)
}

fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(digits[at..].iter().map(|&d| d as char));
}

/// A string value: borrowed from the input when it has no escapes, else unescaped into `scratch`.
enum Text<'a, 's> {
    Input(&'a str),
    Scratch(&'s str),
}

/// A number token; floats are kept as text and parsed only by the types that ask for one.
enum Number<'a> {
    Unsigned(u64),
    Signed(i64),
    Float(&'a str),
}

struct Deserializer<'a> {
    input: &'a [u8],
    /// Bytes read so far; an error's position.
    index: usize,
    depth: u32,
    /// Set when a visitor's `next_element`/`next_key` read the closing `]`/`}` (consumed, so an
    /// error such as a missing field points just past it, as serde_json's does).
    closed: bool,
    /// Strings with escapes are unescaped here.
    scratch: Vec<u8>,
}

// Everything below that is not generic over a visitor, so it is in the binary once.
impl<'a> Deserializer<'a> {
    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.input.get(self.index) {
            match b {
                b' ' | b'\n' | b'\t' | b'\r' => self.index += 1,
                _ => return Some(b),
            }
        }
        None
    }

    fn peek_value(&mut self) -> Result<u8, JsonError> {
        self.peek()
            .ok_or_else(|| JsonError::text("EOF while parsing a value"))
    }

    /// Consumes `expected` after whitespace, or fails with `message`.
    fn expect(&mut self, expected: u8, message: &str) -> Result<(), JsonError> {
        match self.peek() {
            Some(b) if b == expected => {
                self.index += 1;
                Ok(())
            }
            Some(_) => {
                self.index += 1;
                Err(JsonError::text(message))
            }
            None => Err(JsonError::text(eof_message(expected))),
        }
    }

    /// Consumes `word` (`true`, `false`, `null`), its first byte already peeked.
    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        for &expected in word {
            match self.input.get(self.index) {
                Some(&b) if b == expected => self.index += 1,
                Some(_) => {
                    self.index += 1;
                    return Err(JsonError::text("expected ident"));
                }
                None => return Err(JsonError::text("EOF while parsing a value")),
            }
        }
        Ok(())
    }

    fn enter(&mut self) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonError::text("recursion limit exceeded"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// A string after its opening quote, up to and including the closing one.
    fn string<'s>(&'s mut self) -> Result<Text<'a, 's>, JsonError> {
        let input = self.input;
        let mut start = self.index;
        let mut escaped = false;
        loop {
            // The run of plain bytes up to the next quote, backslash or control character, in
            // one scan (the warm path: most strings have no escapes).
            let plain = input[self.index..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20);
            let b = match plain {
                Some(n) => {
                    self.index += n;
                    input[self.index]
                }
                None => {
                    self.index = input.len();
                    return Err(JsonError::text("EOF while parsing a string"));
                }
            };
            match b {
                b'"' => {
                    let tail = &input[start..self.index];
                    self.index += 1;
                    if !escaped {
                        return utf8(tail).map(Text::Input);
                    }
                    self.scratch.extend_from_slice(tail);
                    return utf8(&self.scratch).map(Text::Scratch);
                }
                b'\\' => {
                    if !escaped {
                        escaped = true;
                        self.scratch.clear();
                    }
                    self.scratch.extend_from_slice(&input[start..self.index]);
                    self.index += 1;
                    self.escape()?;
                    start = self.index;
                }
                0..=0x1f => {
                    self.index += 1;
                    return Err(JsonError::text(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
                // The scan stops only at the three kinds above.
                _ => self.index += 1,
            }
        }
    }

    /// One escape after its backslash, appended to `scratch` as UTF-8. Out of line: most
    /// strings of an event have none, and the first call then does not compile it.
    #[cold]
    #[inline(never)]
    fn escape(&mut self) -> Result<(), JsonError> {
        let b = match self.input.get(self.index) {
            Some(&b) => b,
            None => return Err(JsonError::text("EOF while parsing a string")),
        };
        self.index += 1;
        let byte = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let c = self.unicode_escape()?;
                let mut buf = [0u8; 4];
                self.scratch
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                return Ok(());
            }
            _ => return Err(JsonError::text("invalid escape")),
        };
        self.scratch.push(byte);
        Ok(())
    }

    /// `XXXX` after `\u`, with the second half of a surrogate pair when the first asks for one.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xDC00..=0xDFFF => return Err(JsonError::text("lone leading surrogate in hex escape")),
            0xD800..=0xDBFF => {
                if self.input.get(self.index) != Some(&b'\\')
                    || self.input.get(self.index + 1) != Some(&b'u')
                {
                    return Err(JsonError::text("unexpected end of hex escape"));
                }
                self.index += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(JsonError::text("lone leading surrogate in hex escape"));
                }
                0x10000 + (((first - 0xD800) << 10) | (second - 0xDC00))
            }
            other => other,
        };
        char::from_u32(code).ok_or_else(|| JsonError::text("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0;
        for _ in 0..4 {
            let b = match self.input.get(self.index) {
                Some(&b) => b,
                None => return Err(JsonError::text("EOF while parsing a string")),
            };
            self.index += 1;
            let digit = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(JsonError::text("invalid escape")),
            };
            value = value * 16 + u32::from(digit);
        }
        Ok(value)
    }

    /// A number, its first byte (`-` or a digit) peeked.
    fn number(&mut self) -> Result<Number<'a>, JsonError> {
        let input = self.input;
        let start = self.index;
        let negative = input[start] == b'-';
        if negative {
            self.index += 1;
        }
        let digits = self.index;
        let mut value: u64 = 0;
        let mut overflow = false;
        while let Some(&b) = input.get(self.index) {
            if !b.is_ascii_digit() {
                break;
            }
            match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
            {
                Some(v) => value = v,
                None => overflow = true,
            }
            self.index += 1;
        }
        let integer_digits = self.index - digits;
        if integer_digits == 0 {
            self.index += 1;
            return Err(JsonError::text("invalid number"));
        }
        if integer_digits > 1 && input[digits] == b'0' {
            return Err(JsonError::text("invalid number"));
        }
        let mut float = overflow;
        if input.get(self.index) == Some(&b'.') {
            self.index += 1;
            float = true;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = input.get(self.index) {
            self.index += 1;
            float = true;
            if let Some(b'+' | b'-') = input.get(self.index) {
                self.index += 1;
            }
            self.digits()?;
        }
        if float {
            // ASCII only, checked above.
            let text = std::str::from_utf8(&input[start..self.index])
                .map_err(|_| JsonError::text("invalid number"))?;
            return Ok(Number::Float(text));
        }
        if !negative {
            return Ok(Number::Unsigned(value));
        }
        // `-0` is a float for serde_json (negative zero), as it is for JavaScript.
        if value != 0 && value <= i64::MAX as u64 + 1 {
            Ok(Number::Signed((value as i64).wrapping_neg()))
        } else {
            let text = std::str::from_utf8(&input[start..self.index])
                .map_err(|_| JsonError::text("invalid number"))?;
            Ok(Number::Float(text))
        }
    }

    /// At least one digit (of a fraction or an exponent).
    fn digits(&mut self) -> Result<(), JsonError> {
        let from = self.index;
        while let Some(b'0'..=b'9') = self.input.get(self.index) {
            self.index += 1;
        }
        if self.index == from {
            self.index += 1;
            return Err(JsonError::text("invalid number"));
        }
        Ok(())
    }

    /// Reads past one value of any kind (an unknown field's).
    fn skip_value(&mut self) -> Result<(), JsonError> {
        match self.peek_value()? {
            b'"' => {
                self.index += 1;
                self.string().map(|_| ())
            }
            b'-' | b'0'..=b'9' => self.number().map(|_| ()),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'[' => {
                self.index += 1;
                self.enter()?;
                let mut first = true;
                while self.next_element(&mut first)? {
                    self.skip_value()?;
                }
                self.leave();
                Ok(())
            }
            b'{' => {
                self.index += 1;
                self.enter()?;
                let mut first = true;
                while self.next_key(&mut first)? {
                    self.string()?;
                    self.expect(b':', "expected `:`")?;
                    self.skip_value()?;
                }
                self.leave();
                Ok(())
            }
            _ => Err(self.expected_value()),
        }
    }

    /// After a visitor's `visit_seq`: the `]`, unless the visitor read it. One that stopped early
    /// leaves elements behind, which serde_json reports as trailing characters too.
    fn close_seq(&mut self) -> Result<(), JsonError> {
        if std::mem::replace(&mut self.closed, false) {
            return Ok(());
        }
        let mut first = false;
        if self.next_element(&mut first)? {
            return Err(JsonError::text("trailing characters"));
        }
        Ok(())
    }

    /// After a visitor's `visit_map`: the `}`, unless the visitor read it.
    fn close_map(&mut self) -> Result<(), JsonError> {
        if std::mem::replace(&mut self.closed, false) {
            return Ok(());
        }
        let mut first = false;
        if self.next_key(&mut first)? {
            return Err(JsonError::text("trailing characters"));
        }
        Ok(())
    }

    fn expected_value(&mut self) -> JsonError {
        self.index += 1;
        JsonError::text("expected value")
    }

    /// Inside `[`: whether another element follows (consuming its `,`), or `]` (consumed).
    fn next_element(&mut self, first: &mut bool) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b']') => {
                self.index += 1;
                return Ok(false);
            }
            Some(b',') if !*first => {
                self.index += 1;
                if self.peek() == Some(b']') {
                    self.index += 1;
                    return Err(JsonError::text("trailing comma"));
                }
            }
            Some(_) if *first => {}
            Some(_) => {
                self.index += 1;
                return Err(JsonError::text("expected `,` or `]`"));
            }
            None => return Err(JsonError::text("EOF while parsing a list")),
        }
        *first = false;
        Ok(true)
    }

    /// Inside `{`: whether another key follows (its opening quote consumed), or `}` (consumed).
    fn next_key(&mut self, first: &mut bool) -> Result<bool, JsonError> {
        match self.peek() {
            Some(b'}') if *first => {
                self.index += 1;
                return Ok(false);
            }
            Some(b'}') => {
                self.index += 1;
                return Ok(false);
            }
            Some(b',') if !*first => {
                self.index += 1;
                match self.peek() {
                    Some(b'}') => {
                        self.index += 1;
                        return Err(JsonError::text("trailing comma"));
                    }
                    Some(_) => {}
                    None => return Err(JsonError::text("EOF while parsing an object")),
                }
            }
            Some(_) if *first => {}
            Some(_) => {
                self.index += 1;
                return Err(JsonError::text("expected `,` or `}`"));
            }
            None => return Err(JsonError::text("EOF while parsing an object")),
        }
        *first = false;
        match self.peek() {
            Some(b'"') => {
                self.index += 1;
                Ok(true)
            }
            Some(_) => {
                self.index += 1;
                Err(JsonError::text("key must be a string"))
            }
            None => Err(JsonError::text("EOF while parsing an object")),
        }
    }

    /// What the next value is, for a type error (consumes it when that is cheap).
    fn invalid_type(&mut self, expected: &dyn Expected) -> JsonError {
        let b = match self.peek_value() {
            Ok(b) => b,
            Err(error) => return error,
        };
        let unexpected = match b {
            b'{' => Unexpected::Map,
            b'[' => Unexpected::Seq,
            b'n' => match self.literal(b"null") {
                Ok(()) => Unexpected::Unit,
                Err(error) => return error,
            },
            b't' => match self.literal(b"true") {
                Ok(()) => Unexpected::Bool(true),
                Err(error) => return error,
            },
            b'f' => match self.literal(b"false") {
                Ok(()) => Unexpected::Bool(false),
                Err(error) => return error,
            },
            b'-' | b'0'..=b'9' => match self.number() {
                Ok(Number::Unsigned(n)) => Unexpected::Unsigned(n),
                Ok(Number::Signed(n)) => Unexpected::Signed(n),
                Ok(Number::Float(_)) => Unexpected::Float(0.0),
                Err(error) => return error,
            },
            b'"' => {
                self.index += 1;
                return match self.string() {
                    Ok(Text::Input(s)) | Ok(Text::Scratch(s)) => {
                        mismatch("invalid type: ", Unexpected::Str(s), expected)
                    }
                    Err(error) => error,
                };
            }
            _ => return self.expected_value(),
        };
        mismatch("invalid type: ", unexpected, expected)
    }

    /// A map key or a unit variant's name, owned only when it had escapes.
    fn key(&mut self) -> Result<Key<'a>, JsonError> {
        Ok(match self.string()? {
            Text::Input(s) => Key::Input(s),
            Text::Scratch(s) => Key::Owned(s.to_owned()),
        })
    }
}

fn utf8(bytes: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(bytes).map_err(|_| JsonError::text("invalid unicode code point"))
}

fn eof_message(expected: u8) -> &'static str {
    match expected {
        b':' | b'}' => "EOF while parsing an object",
        b']' => "EOF while parsing a list",
        _ => "EOF while parsing a value",
    }
}

// `#[inline(never)]` on the methods that call a visitor for a whole object, list or enum keeps
// each type's visitor in a function of its own. Inlined, every struct of the event ends up in
// one huge `lambda_wasm_handle`, and V8, which compiles Wasm lazily one function at a time,
// then compiles all of it at the first call (origin, body, error paths the event never reaches):
// measured, the first call went from ~2.5 ms to ~6–8 ms.
impl<'de, 'a: 'de> de::Deserializer<'de> for &mut Deserializer<'a> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.peek_value()? {
            b'n' => {
                self.literal(b"null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            b'-' | b'0'..=b'9' => match self.number()? {
                Number::Unsigned(n) => visitor.visit_u64(n),
                Number::Signed(n) => visitor.visit_i64(n),
                Number::Float(text) => match text.parse::<f64>() {
                    Ok(f) if f.is_finite() => visitor.visit_f64(f),
                    _ => Err(JsonError::text("number out of range")),
                },
            },
            b'"' => self.deserialize_str(visitor),
            b'[' => self.deserialize_seq(visitor),
            b'{' => self.deserialize_map(visitor),
            _ => Err(self.expected_value()),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.peek_value()? {
            b't' => {
                self.literal(b"true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                visitor.visit_bool(false)
            }
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.peek_value()? {
            b'-' | b'0'..=b'9' => match self.number()? {
                Number::Unsigned(n) => visitor.visit_u64(n),
                Number::Signed(n) => visitor.visit_i64(n),
                // Without parsing it: an integer type's visitor refuses any float.
                Number::Float(_) => Err(mismatch(
                    "invalid type: ",
                    Unexpected::Other("floating point number"),
                    &visitor,
                )),
            },
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_u64(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.peek_value()? {
            b'-' | b'0'..=b'9' => match self.number()? {
                Number::Unsigned(n) => visitor.visit_u64(n),
                Number::Signed(n) => visitor.visit_i64(n),
                Number::Float(text) => match text.parse::<f64>() {
                    Ok(f) if f.is_finite() => visitor.visit_f64(f),
                    _ => Err(JsonError::text("number out of range")),
                },
            },
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        if self.peek_value()? != b'"' {
            return Err(self.invalid_type(&visitor));
        }
        self.index += 1;
        match self.string()? {
            Text::Input(s) => visitor.visit_borrowed_str(s),
            Text::Scratch(s) => visitor.visit_str(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self.peek_value()? {
            b'[' => self.deserialize_seq(visitor),
            _ => self.deserialize_str(visitor),
        }
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        if self.peek_value()? == b'n' {
            self.literal(b"null")?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        if self.peek_value()? != b'n' {
            return Err(self.invalid_type(&visitor));
        }
        self.literal(b"null")?;
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_newtype_struct(self)
    }

    #[inline(never)]
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        if self.peek_value()? != b'[' {
            return Err(self.invalid_type(&visitor));
        }
        self.index += 1;
        self.enter()?;
        let value = visitor.visit_seq(Elements {
            de: &mut *self,
            first: true,
        })?;
        self.close_seq()?;
        self.leave();
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.deserialize_seq(visitor)
    }

    #[inline(never)]
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        if self.peek_value()? != b'{' {
            return Err(self.invalid_type(&visitor));
        }
        self.index += 1;
        self.enter()?;
        let value = visitor.visit_map(Entries {
            de: &mut *self,
            first: true,
        })?;
        self.close_map()?;
        self.leave();
        Ok(value)
    }

    /// Objects only: see the module comment for why an array is not taken for a struct.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.deserialize_map(visitor)
    }

    #[inline(never)]
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        match self.peek_value()? {
            b'"' => {
                self.index += 1;
                let name = self.key()?;
                visitor.visit_enum(UnitVariant(name))
            }
            b'{' => {
                self.index += 1;
                self.enter()?;
                let mut first = true;
                if !self.next_key(&mut first)? {
                    self.index -= 1;
                    return Err(JsonError::text("expected value"));
                }
                let value = visitor.visit_enum(VariantValue { de: &mut *self })?;
                if self.next_key(&mut first)? {
                    return Err(JsonError::text("expected `}`"));
                }
                self.leave();
                Ok(value)
            }
            _ => Err(self.invalid_type(&visitor)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.skip_value()?;
        visitor.visit_unit()
    }
}

struct Elements<'r, 'a> {
    de: &'r mut Deserializer<'a>,
    first: bool,
}

impl<'de, 'a: 'de> SeqAccess<'de> for Elements<'_, 'a> {
    type Error = JsonError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, JsonError> {
        if !self.de.next_element(&mut self.first)? {
            self.de.closed = true;
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

struct Entries<'r, 'a> {
    de: &'r mut Deserializer<'a>,
    first: bool,
}

impl<'de, 'a: 'de> MapAccess<'de> for Entries<'_, 'a> {
    type Error = JsonError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, JsonError> {
        if !self.de.next_key(&mut self.first)? {
            self.de.closed = true;
            return Ok(None);
        }
        let key = self.de.key()?;
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, JsonError> {
        self.de.expect(b':', "expected `:`")?;
        seed.deserialize(&mut *self.de)
    }
}

/// An object key: a string, or for integer-keyed maps the integer it spells (as serde_json does).
enum Key<'a> {
    Input(&'a str),
    Owned(String),
}

impl Key<'_> {
    fn as_str(&self) -> &str {
        match self {
            Key::Input(s) => s,
            Key::Owned(s) => s,
        }
    }

    fn integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        let text = self.as_str();
        if let Ok(n) = text.parse::<u64>() {
            return visitor.visit_u64(n);
        }
        if let Ok(n) = text.parse::<i64>() {
            return visitor.visit_i64(n);
        }
        Err(mismatch("invalid type: ", Unexpected::Str(text), &visitor))
    }
}

impl<'de, 'a: 'de> de::Deserializer<'de> for Key<'a> {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Key::Input(s) => visitor.visit_borrowed_str(s),
            Key::Owned(s) => visitor.visit_string(s),
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.integer(visitor)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.integer(visitor)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.integer(visitor)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.integer(visitor)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.integer(visitor)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.integer(visitor)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.integer(visitor)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        self.integer(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_enum(UnitVariant(self))
    }

    forward_to_deserialize_any! {
        bool f32 f64 char str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// `"name"` for an enum: a unit variant.
struct UnitVariant<'a>(Key<'a>);

/// What follows a unit variant's name: nothing.
struct UnitOnly;

impl<'de, 'a: 'de> EnumAccess<'de> for UnitVariant<'a> {
    type Error = JsonError;
    type Variant = UnitOnly;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, UnitOnly), JsonError> {
        seed.deserialize(self.0).map(|value| (value, UnitOnly))
    }
}

impl<'de> VariantAccess<'de> for UnitOnly {
    type Error = JsonError;

    fn unit_variant(self) -> Result<(), JsonError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        _seed: T,
    ) -> Result<T::Value, JsonError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, JsonError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, JsonError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"struct variant",
        ))
    }
}

/// `{"name": value}` for an enum, the key's opening quote already read.
struct VariantValue<'r, 'a> {
    de: &'r mut Deserializer<'a>,
}

impl<'de, 'r, 'a: 'de> EnumAccess<'de> for VariantValue<'r, 'a> {
    type Error = JsonError;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self), JsonError> {
        let name = self.de.key()?;
        let variant = seed.deserialize(name)?;
        self.de.expect(b':', "expected `:`")?;
        Ok((variant, self))
    }
}

impl<'de, 'r, 'a: 'de> VariantAccess<'de> for VariantValue<'r, 'a> {
    type Error = JsonError;

    fn unit_variant(self) -> Result<(), JsonError> {
        de::Deserialize::deserialize(&mut *self.de)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, JsonError> {
        seed.deserialize(&mut *self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        de::Deserializer::deserialize_seq(&mut *self.de, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        de::Deserializer::deserialize_map(&mut *self.de, visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloudfront::CloudFrontEvent;
    use serde::Deserialize;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    fn parse<T: DeserializeOwned + 'static>(text: &str) -> Result<T, String> {
        from_slice(text.as_bytes()).map_err(|e| e.to_string())
    }

    /// Both readers on the same text: equal values, or both refuse it.
    fn agrees_with_serde_json<T: DeserializeOwned + PartialEq + fmt::Debug + 'static>(text: &str) {
        let ours = parse::<T>(text);
        let theirs = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{}", text),
            (Err(_), Err(_)) => {}
            _ => panic!("{}: ours {:?}, serde_json {:?}", text, ours, theirs),
        }
    }

    #[test]
    fn every_event_fixture_reads_as_serde_json_reads_it() {
        let dir = crate::fixture_events_dir();
        let (mut count, mut cloudfront) = (0, 0);
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().map_or(true, |e| e != "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(parse::<Value>(&text).is_ok(), "{}", path.display());
            agrees_with_serde_json::<Value>(&text);
            agrees_with_serde_json::<CloudFrontEvent>(&text);
            cloudfront += usize::from(parse::<CloudFrontEvent>(&text).is_ok());
            agrees_with_serde_json::<crate::http::Request>(&text);
            count += 1;
        }
        assert!(count >= 10, "only {} fixtures", count);
        assert!(
            cloudfront >= 5,
            "only {} fixtures read as a CloudFrontEvent",
            cloudfront
        );
    }

    #[test]
    fn values_of_every_kind() {
        for text in [
            r#"{"a": [1, -2, 3.5, -0.25e2, 1E+3, true, false, null, "x"], "b": {}, "c": []}"#,
            "18446744073709551615",
            "-9223372036854775808",
            "18446744073709551616",
            "-9223372036854775809",
            r#""tab\there \"quoted\" \\ \/ \b\f\n\r \u00e9 \ud83d\ude00 é""#,
            " \n\t\r[ ] ",
            "0",
            "-0",
            "1.0e-5",
        ] {
            agrees_with_serde_json::<Value>(text);
        }
        let escaped: String = parse(r#""a\u0041\n\ud83d\ude00""#).unwrap();
        assert_eq!(escaped, "aA\n\u{1F600}");
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for text in [
            "",
            " ",
            "nul",
            "nulll",
            "tru",
            "[1,]",
            r#"{"a":1,}"#,
            "[1 2]",
            r#"{"a" 1}"#,
            r#"{a:1}"#,
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "NaN",
            r#""\x""#,
            r#""\ud83d""#,
            r#""\ude00""#,
            "\"a\u{1}\"",
            "\"open",
            "[",
            "{",
            r#"{"a":"#,
            "1 2",
            "{}}",
            "1e400",
        ] {
            let ours = parse::<Value>(text);
            assert!(ours.is_err(), "{:?} parsed as {:?}", text, ours);
            assert!(serde_json::from_str::<Value>(text).is_err(), "{:?}", text);
        }
        assert!(from_slice::<String>(b"\"\xff\"").is_err());
    }

    #[test]
    fn reports_serde_json_messages_and_positions() {
        assert_eq!(
            parse::<CloudFrontEvent>(r#"{"Records": [{"cf": {}}]}"#).unwrap_err(),
            "missing field `config` at line 1 column 22"
        );
        assert_eq!(
            parse::<CloudFrontEvent>("not json").unwrap_err(),
            "expected ident at line 1 column 2"
        );
        assert_eq!(
            parse::<Value>("").unwrap_err(),
            "EOF while parsing a value at line 1 column 0"
        );
        assert_eq!(
            parse::<Value>("{\n  \"a\": 1\n} x").unwrap_err(),
            "trailing characters at line 3 column 3"
        );
        assert_eq!(
            parse::<CloudFrontEvent>(r#"{"Records": []}"#).unwrap_err(),
            "invalid length 0, expected one record at line 1 column 14"
        );
        for (text, message) in [
            (
                r#"{"n": "x"}"#,
                r#"invalid type: string "x", expected u16 at line 1 column 9"#,
            ),
            (
                r#"{"n": 1.5}"#,
                "invalid type: floating point number, expected u16 at line 1 column 9",
            ),
            (
                r#"{"n": -1}"#,
                "invalid value: integer `-1`, expected u16 at line 1 column 8",
            ),
            (
                r#"{"n": 70000}"#,
                "invalid value: integer `70000`, expected u16 at line 1 column 11",
            ),
            (
                r#"{"n": null}"#,
                "invalid type: null, expected u16 at line 1 column 10",
            ),
            (
                r#"{"n": [1]}"#,
                "invalid type: sequence, expected u16 at line 1 column 6",
            ),
            (
                r#"{"n": 1, "n": 2}"#,
                "duplicate field `n` at line 1 column 12",
            ),
        ] {
            #[derive(Debug, Deserialize)]
            #[allow(dead_code)]
            struct N {
                n: u16,
            }
            assert_eq!(parse::<N>(text).unwrap_err(), message, "{}", text);
            // serde_json's own words and position, but for a float's value (left out here).
            let theirs = serde_json::from_str::<N>(text).unwrap_err().to_string();
            assert_eq!(
                theirs.replace("floating point `1.5`", "floating point number"),
                message
            );
        }
    }

    #[test]
    fn structs_are_objects_only_and_unknown_fields_are_skipped() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct S {
            a: u32,
            #[serde(default)]
            b: Option<String>,
        }
        let s: S = parse(r#"{"x": {"deep": [1, {"y": "\u0022"}]}, "a": 7, "z": -1.5e3}"#).unwrap();
        assert_eq!(s, S { a: 7, b: None });
        let err = parse::<S>("[7]").unwrap_err();
        assert!(
            err.starts_with("invalid type: sequence, expected struct S"),
            "{}",
            err
        );
        assert_eq!(
            parse::<S>(r#"{"a": 1, "b": null}"#).unwrap(),
            S { a: 1, b: None }
        );
    }

    #[test]
    fn enums_maps_and_integer_keys() {
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum E {
            Unit,
            New(u8),
            Pair(u8, u8),
            Named { x: u8 },
        }
        let all: Vec<E> =
            parse(r#"["unit", {"unit": null}, {"new": 1}, {"pair": [2, 3]}, {"named": {"x": 4}}]"#)
                .unwrap();
        assert_eq!(
            all,
            [
                E::Unit,
                E::Unit,
                E::New(1),
                E::Pair(2, 3),
                E::Named { x: 4 }
            ]
        );
        assert!(parse::<E>(r#""other""#)
            .unwrap_err()
            .starts_with("unknown variant `other`"));
        assert!(parse::<E>(r#"{"new": 1, "unit": null}"#).is_err());
        assert!(parse::<E>(r#""new""#).is_err());
        let keyed: BTreeMap<u32, String> = parse(r#"{"1": "a", "20": "b"}"#).unwrap();
        assert_eq!(keyed.get(&20).map(String::as_str), Some("b"));
        assert!(parse::<BTreeMap<u32, String>>(r#"{"x": "a"}"#).is_err());
        let escaped_key: BTreeMap<String, u8> = parse(r#"{"a\"b": 1}"#).unwrap();
        assert_eq!(escaped_key.get("a\"b"), Some(&1));
        let tuple: (u8, String) = parse(r#"[1, "x"]"#).unwrap();
        assert_eq!(tuple, (1, "x".to_string()));
        assert!(parse::<(u8, u8)>("[1, 2, 3]").is_err());
        assert_eq!(parse::<Value>(r#"{"f": 2.5}"#).unwrap(), json!({"f": 2.5}));
        assert_eq!(parse::<f32>("1").unwrap(), 1.0);
    }

    #[test]
    fn serde_attributes_that_buffer_through_deserialize_any() {
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(tag = "kind", rename_all = "lowercase")]
        enum Tagged {
            Point { x: i32, y: i32 },
            Name { name: String },
        }
        #[derive(Debug, PartialEq, Deserialize)]
        struct Outer {
            id: u8,
            #[serde(flatten)]
            rest: BTreeMap<String, Value>,
        }
        #[derive(Debug, PartialEq, Deserialize)]
        #[serde(untagged)]
        enum Either {
            Number(u64),
            Text(String),
        }
        fn same<T: DeserializeOwned + PartialEq + fmt::Debug + 'static>(text: &str) {
            assert!(
                parse::<T>(text).is_ok(),
                "{}: {:?}",
                text,
                parse::<T>(text).err()
            );
            agrees_with_serde_json::<T>(text);
        }
        same::<Tagged>(r#"{"kind": "point", "y": -2, "x": 1}"#);
        same::<Tagged>(r#"{"name": "a\"b", "kind": "name"}"#);
        same::<Outer>(r#"{"id": 1, "a": [true, null], "b": {"c": 0.5}}"#);
        same::<Vec<Either>>(r#"[1, "two", 3]"#);
        same::<Option<char>>(r#""é""#);
        same::<(bool, (), Option<u8>)>("[false, null, null]");
    }

    #[test]
    fn nesting_is_limited_instead_of_overflowing_the_stack() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse::<Value>(&deep(128)).is_ok());
        assert!(parse::<Value>(&deep(129))
            .unwrap_err()
            .starts_with("recursion limit exceeded"));
        let skipped = format!(r#"{{"unknown": {}}}"#, deep(10_000));
        #[derive(Debug, Deserialize)]
        struct Empty {}
        assert!(parse::<Empty>(&skipped)
            .unwrap_err()
            .starts_with("recursion limit exceeded"));
    }
}
