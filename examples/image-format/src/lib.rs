//! origin-request: asks the origin for `photo.avif` or `photo.webp` instead of `photo.jpg` (or
//! `.png`) when the browser names that format in `Accept`. The behavior's cache policy includes
//! `Accept`, so each format is cached apart (see README.md). The JavaScript equivalent:
//!
//! ```js
//! export const handler = async (event) => {
//!   const request = event.Records[0].cf.request;
//!   const match = request.uri.match(/^(.*)\.(jpe?g|png)$/);
//!   if (!match) return request;
//!   const accept = request.headers.accept?.[0]?.value ?? '';
//!   if (accept.includes('image/avif')) request.uri = `${match[1]}.avif`;
//!   else if (accept.includes('image/webp')) request.uri = `${match[1]}.webp`;
//!   return request;
//! };
//! ```
//!
//! Unlike `includes`, the negotiation honours q-values (`image/avif;q=0` refuses AVIF) and the
//! order of preference.

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, Request};
use lambda_wasm_guest::{accept, Context, Error};

/// Better formats, by the server's preference, with the extension the origin stores them under.
const FORMATS: [(&str, &str); 2] = [("image/avif", "avif"), ("image/webp", "webp")];

fn image_format(event: CloudFrontEvent, _ctx: &Context) -> Result<Request, Error> {
    let mut request = event.into_request();
    let stem = match request.uri.rsplit_once('.') {
        Some((stem, "jpg" | "jpeg" | "png")) => stem.to_string(),
        _ => return Ok(request),
    };
    let offers = FORMATS.map(|(media_type, _)| media_type);
    if let Some(best) = accept::negotiate_explicit(request.header("accept"), &offers) {
        let extension = FORMATS
            .iter()
            .find(|(t, _)| *t == best)
            .map_or("", |(_, e)| *e);
        request.uri = format!("{}.{}", stem, extension);
    }
    Ok(request)
}

lambda_wasm_guest::export_handler!(image_format);

#[cfg(test)]
mod tests {
    use lambda_wasm_guest::testing;

    #[test]
    fn the_fixture_a_browser_that_takes_avif_gets_avif() {
        let run = testing::run(
            include_str!("../../../fixtures/events/origin-request-image.json"),
            super::image_format,
        );
        assert_eq!(run.request().uri, "/images/photo.avif");
    }

    #[test]
    fn webp_when_avif_is_not_named_or_refused() {
        for accept in [
            "image/webp,image/png,image/*;q=0.8,*/*;q=0.5",
            "image/avif;q=0,image/webp",
        ] {
            let run = testing::origin_request("/images/a.png")
                .header("Accept", accept)
                .invoke(super::image_format);
            assert_eq!(run.request().uri, "/images/a.webp", "{}", accept);
        }
    }

    #[test]
    fn wildcards_alone_and_other_files_keep_the_original() {
        let cases = [
            ("/images/a.jpg", Some("*/*")),
            ("/images/a.jpg", None),
            ("/images/a.gif", Some("image/avif")),
            ("/index.html", Some("image/webp")),
        ];
        for (uri, accept) in cases {
            let mut request = testing::origin_request(uri);
            if let Some(accept) = accept {
                request = request.header("Accept", accept);
            }
            let run = request.invoke(super::image_format);
            assert_eq!(run.request().uri, uri, "{:?}", accept);
        }
    }
}
