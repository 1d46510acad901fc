//! Content negotiation on `Accept`-style headers (`Accept`, `Accept-Encoding`): which of the
//! representations the function can produce does the client prefer?
//!
//! ```
//! use lambda_wasm_guest::accept;
//! let header = "image/avif,image/webp,image/apng,image/*;q=0.8,*/*;q=0.5";
//! assert_eq!(accept::negotiate(Some(header), &["image/avif", "image/webp", "image/jpeg"]), Some("image/avif"));
//! assert_eq!(accept::negotiate(Some("image/png,*/*;q=0.1"), &["image/webp", "image/png"]), Some("image/png"));
//! assert_eq!(accept::negotiate(Some("text/html"), &["image/webp"]), None);
//! assert_eq!(accept::quality(Some("gzip;q=0.5, br"), "gzip"), 500);
//! ```
//!
//! Quality values are read as whole thousandths (`q=0.8` → 800) by hand: `str::parse::<f32>`
//! would add about 14 KB of float parsing to the `.wasm`.

/// The offer the client rates highest (ties go to the earlier offer), or `None` when it accepts
/// none of them. With no header at all, the client takes anything: the first offer.
pub fn negotiate<'a>(header: Option<&str>, offers: &[&'a str]) -> Option<&'a str> {
    pick(offers, |offer| quality(header, offer))
}

/// Like [`negotiate`], but only offers the client names itself count (`image/avif`, not
/// `image/*` or `*/*`): for a format that is better when supported but that a client accepting
/// "anything" may not decode. `None` without a header.
///
/// ```
/// use lambda_wasm_guest::accept;
/// let chrome = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8";
/// assert_eq!(accept::negotiate_explicit(Some(chrome), &["image/avif", "image/webp"]), Some("image/avif"));
/// assert_eq!(accept::negotiate_explicit(Some("*/*"), &["image/avif", "image/webp"]), None);
/// ```
pub fn negotiate_explicit<'a>(header: Option<&str>, offers: &[&'a str]) -> Option<&'a str> {
    let header = header?;
    pick(offers, |offer| quality_from(header, offer, 3))
}

fn pick<'a>(offers: &[&'a str], quality_of: impl Fn(&str) -> u16) -> Option<&'a str> {
    let mut best: Option<(&'a str, u16)> = None;
    for &offer in offers {
        let q = quality_of(offer);
        if q > 0 && best.map_or(true, |(_, b)| q > b) {
            best = Some((offer, q));
        }
    }
    best.map(|(offer, _)| offer)
}

/// How much the client wants `offer`, in thousandths (0–1000): the `q` of the most specific
/// range that matches it (`image/webp` before `image/*` before `*/*`; plain tokens such as
/// `gzip` before `*`). 0 when nothing matches; 1000 when there is no header.
pub fn quality(header: Option<&str>, offer: &str) -> u16 {
    match header {
        Some(header) => quality_from(header, offer, 1),
        None => 1000,
    }
}

/// The quality from ranges at least as specific as `min_specificity` (see [`matches`]).
fn quality_from(header: &str, offer: &str, min_specificity: u8) -> u16 {
    let mut best: Option<(u8, u16)> = None;
    for range in header.split(',') {
        let mut parts = range.split(';');
        let name = parts.next().unwrap_or("").trim();
        if name.is_empty() {
            continue;
        }
        let specificity = match matches(name, offer) {
            Some(s) if s >= min_specificity => s,
            _ => continue,
        };
        if best.map_or(true, |(s, _)| specificity > s) {
            let q = parts
                .filter_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .or_else(|| p.trim().strip_prefix("Q="))
                })
                .next()
                .map_or(1000, parse_q);
            best = Some((specificity, q));
        }
    }
    best.map_or(0, |(_, q)| q)
}

/// 3 exact, 2 `type/*`, 1 `*/*` or `*`; `None` when `range` does not cover `offer`.
fn matches(range: &str, offer: &str) -> Option<u8> {
    if range.eq_ignore_ascii_case(offer) {
        return Some(3);
    }
    if range == "*" || range == "*/*" {
        return Some(1);
    }
    let prefix = range.strip_suffix("/*")?;
    let (offer_type, _) = offer.split_once('/')?;
    if prefix.eq_ignore_ascii_case(offer_type) {
        Some(2)
    } else {
        None
    }
}

/// `1`, `1.0`, `0.5`, `0.125` → thousandths; anything malformed counts as 0 (not acceptable),
/// values over 1 as 1000.
fn parse_q(text: &str) -> u16 {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return 0,
    };
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let mut thousandths = 0u16;
    for (i, b) in fraction.bytes().enumerate() {
        thousandths += u16::from(b - b'0') * [100, 10, 1][i];
    }
    (whole + thousandths).min(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_values_parse_by_hand() {
        for (text, q) in [
            ("1", 1000),
            ("1.000", 1000),
            ("0", 0),
            ("0.8", 800),
            ("0.05", 50),
            ("0.125", 125),
            ("0.1234", 0),
            ("x", 0),
            ("2", 0),
            ("", 0),
        ] {
            assert_eq!(parse_q(text), q, "{:?}", text);
        }
    }

    #[test]
    fn the_most_specific_range_decides() {
        let header = Some("image/*;q=0.5, image/webp;q=0, */*;q=0.1");
        assert_eq!(quality(header, "image/webp"), 0);
        assert_eq!(quality(header, "image/png"), 500);
        assert_eq!(quality(header, "text/html"), 100);
        assert_eq!(
            negotiate(header, &["image/webp", "image/jpeg"]),
            Some("image/jpeg")
        );
        assert_eq!(negotiate(None, &["a/b", "c/d"]), Some("a/b"));
        assert_eq!(
            negotiate(Some("IMAGE/WEBP"), &["image/webp"]),
            Some("image/webp")
        );
        assert_eq!(
            negotiate(Some("br;q=0.9, gzip, *;q=0"), &["br", "gzip", "zstd"]),
            Some("gzip")
        );
    }
}
