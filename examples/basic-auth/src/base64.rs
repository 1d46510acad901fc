//! Standard base64 (RFC 4648 §4, `+/` and `=` padding), the encoding of HTTP Basic credentials.
//! Small enough to keep here rather than pull in a crate the offline toolchain does not have.

/// Only the tests make headers; the guest only reads them.
#[cfg(test)]
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

#[cfg(test)]
pub fn encode(input: &[u8]) -> String {
    let mut out = String::with_capacity((input.len() + 2) / 3 * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    } as u32)
}

/// Decodes padded or unpadded base64; `None` for anything else, including bits left over in the
/// last character (which a correct encoder never produces).
pub fn decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    let data = match bytes {
        [rest @ .., b'=', b'='] if bytes.len() % 4 == 0 => rest,
        [rest @ .., b'='] if bytes.len() % 4 == 0 => rest,
        _ => bytes,
    };
    if data.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    for chunk in data.chunks(4) {
        let mut n = 0u32;
        for &c in chunk {
            n = (n << 6) | sextet(c)?;
        }
        // A chunk of k characters carries 6k bits, of which 8(k-1) are data.
        let unused_bits = 6 * chunk.len() - 8 * (chunk.len() - 1);
        if n & ((1 << unused_bits) - 1) != 0 {
            return None;
        }
        n >>= unused_bits;
        for i in (0..chunk.len() - 1).rev() {
            out.push((n >> (8 * i)) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10.
    const VECTORS: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn matches_the_rfc_test_vectors_both_ways() {
        for (plain, encoded) in VECTORS {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(
                decode(encoded).as_deref(),
                Some(plain.as_bytes()),
                "{}",
                encoded
            );
        }
    }

    #[test]
    fn decodes_without_padding_and_round_trips_every_byte() {
        assert_eq!(decode("Zm9vYg").as_deref(), Some(&b"foob"[..]));
        let all: Vec<u8> = (0..=255).collect();
        for len in 0..all.len() {
            assert_eq!(decode(&encode(&all[..len])).as_deref(), Some(&all[..len]));
        }
        assert_eq!(encode(b"admin:lambda-wasm"), "YWRtaW46bGFtYmRhLXdhc20=");
    }

    #[test]
    fn refuses_what_is_not_base64() {
        for bad in [
            "Zm9v!",
            "Z",
            "Zm9=v",
            "Zm9vY===",
            "Zh==",
            "Zm9vYmE=x",
            "Zm 9v",
            "====",
        ] {
            assert_eq!(decode(bad), None, "{}", bad);
        }
    }
}
