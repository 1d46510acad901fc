//! origin-request: a visitor of `/geo/` is sent to the page of their country, as CloudFront's
//! `CloudFront-Viewer-Country` header tells; other countries and other pages go to the origin.
//!
//! The behavior's cache policy must include `CloudFront-Viewer-Country`: CloudFront then adds the
//! header, and caches one answer per country (see README.md). The JavaScript equivalent:
//!
//! ```js
//! const PAGES = { FR: '/geo/fr/', DE: '/geo/de/', JP: '/geo/ja/' };
//! export const handler = async (event) => {
//!   const request = event.Records[0].cf.request;
//!   if (request.uri !== '/geo/' && request.uri !== '/geo/index.html') return request;
//!   const country = request.headers['cloudfront-viewer-country']?.[0]?.value;
//!   const page = PAGES[country];
//!   if (!page) return request;
//!   const location = request.querystring ? `${page}?${request.querystring}` : page;
//!   return { status: '302', headers: { location: [{ key: 'Location', value: location }] } };
//! };
//! ```

use lambda_wasm_guest::cloudfront::{CloudFrontEvent, GeneratedResponse, RequestResult};
use lambda_wasm_guest::{Context, Error};

const PAGES: [(&str, &str); 3] = [("FR", "/geo/fr/"), ("DE", "/geo/de/"), ("JP", "/geo/ja/")];

fn geo_redirect(event: CloudFrontEvent, _ctx: &Context) -> Result<RequestResult, Error> {
    let request = event.into_request();
    if request.uri != "/geo/" && request.uri != "/geo/index.html" {
        return Ok(request.into());
    }
    let country = request.viewer_country().unwrap_or_default();
    let page = match PAGES.iter().find(|(code, _)| *code == country) {
        Some((_, page)) => *page,
        None => return Ok(request.into()),
    };
    let location = if request.querystring.is_empty() {
        page.to_string()
    } else {
        format!("{}?{}", page, request.querystring)
    };
    lambda_wasm_guest::info!("geo-redirect: {} -> {}", country, location);
    Ok(GeneratedResponse::redirect(302, location).into())
}

lambda_wasm_guest::export_handler!(geo_redirect);

#[cfg(test)]
mod tests {
    use lambda_wasm_guest::testing;

    #[test]
    fn the_fixture_a_viewer_in_france_goes_to_the_french_page() {
        let run = testing::run(
            include_str!("../../../fixtures/events/origin-request-geo.json"),
            super::geo_redirect,
        );
        assert_eq!(run.status(), Some(302));
        assert_eq!(run.header("Location"), Some("/geo/fr/"));
        assert_eq!(run.logs, ["geo-redirect: FR -> /geo/fr/"]);
    }

    #[test]
    fn the_query_string_goes_along() {
        let run = testing::origin_request("/geo/index.html?ref=mail")
            .country("JP")
            .invoke(super::geo_redirect);
        assert_eq!(run.header("location"), Some("/geo/ja/?ref=mail"));
    }

    #[test]
    fn other_countries_and_no_country_reach_the_origin() {
        for request in [
            testing::origin_request("/geo/").country("US"),
            testing::origin_request("/geo/"),
        ] {
            let run = request.invoke(super::geo_redirect);
            assert!(run.is_pass_through());
            assert_eq!(run.request().uri, "/geo/");
            assert!(run.logs.is_empty());
        }
    }

    #[test]
    fn pages_below_geo_are_left_alone() {
        let run = testing::origin_request("/geo/fr/")
            .country("DE")
            .invoke(super::geo_redirect);
        assert!(run.is_pass_through());
    }
}
