//! The redirect rules, apart from any event plumbing so they can be tested on plain strings.

/// What to do with a request.
#[derive(Debug, PartialEq, Eq)]
pub enum Decision {
    /// Answer 301 with this `Location`.
    MovedPermanently(String),
    /// Pass the request on with this URI instead (the viewer's URL does not change).
    Rewrite(String),
    Unchanged,
}

const OLD_PREFIX: &str = "/old";
const NEW_PREFIX: &str = "/new";

/// `/old/<rest>` moved to `/new/<rest>` for good, query string kept; a folder URI (ending in
/// `/`) is served by its `index.html`, as S3 website hosting would; anything else goes on as is.
pub fn decide(uri: &str, querystring: &str) -> Decision {
    if let Some(rest) = uri.strip_prefix(OLD_PREFIX) {
        // `/old` and `/old/...` only: `/older` is another path.
        if rest.is_empty() || rest.starts_with('/') {
            let mut location = format!("{}{}", NEW_PREFIX, rest);
            if !querystring.is_empty() {
                location.push('?');
                location.push_str(querystring);
            }
            return Decision::MovedPermanently(location);
        }
    }
    if uri.ends_with('/') {
        return Decision::Rewrite(format!("{}index.html", uri));
    }
    Decision::Unchanged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moved(location: &str) -> Decision {
        Decision::MovedPermanently(location.to_string())
    }

    #[test]
    fn old_paths_move_to_new_ones_with_their_query_string() {
        assert_eq!(
            decide("/old/products/shoes.html", ""),
            moved("/new/products/shoes.html")
        );
        assert_eq!(
            decide("/old/search", "q=boots&page=2"),
            moved("/new/search?q=boots&page=2")
        );
        assert_eq!(decide("/old", ""), moved("/new"));
        assert_eq!(decide("/old/", "a=1"), moved("/new/?a=1"));
    }

    #[test]
    fn folders_get_their_index_document() {
        assert_eq!(decide("/", ""), Decision::Rewrite("/index.html".into()));
        assert_eq!(
            decide("/docs/guide/", "v=2"),
            Decision::Rewrite("/docs/guide/index.html".into())
        );
    }

    #[test]
    fn anything_else_is_left_alone() {
        assert_eq!(decide("/style.css", ""), Decision::Unchanged);
        assert_eq!(decide("/older/page.html", ""), Decision::Unchanged);
        assert_eq!(decide("/new/products/shoes.html", ""), Decision::Unchanged);
        assert_eq!(decide("/products/old/shoes.html", ""), Decision::Unchanged);
    }
}
