//! Offset pagination as GitLab serves it: the next page comes from `X-Next-Page`, falling back
//! to `Link: <…>; rel="next"`. Never computes a page count (GitLab drops totals past 10,000
//! rows) and never follows a link to another server (it would get our token).

use reqwest::Url;
use reqwest::header::{HeaderMap, LINK};

use super::error::header_str;

pub(crate) const PER_PAGE: u32 = 100;

/// A safety net: 10,000 pages of 100 is a million rows.
pub(crate) const MAX_PAGES: usize = 10_000;

/// Where the next page is, if there is one.
pub(crate) fn next_page(headers: &HeaderMap, base: &Url) -> Option<u64> {
    if let Some(v) = header_str(headers, "x-next-page") {
        let v = v.trim();
        if !v.is_empty() {
            // A non-number here is as good as absent: fall back to the Link header.
            if let Ok(n) = v.parse::<u64>() {
                return Some(n);
            }
        }
    }
    let next = Url::parse(&link_rel(headers, "next")?).ok()?;
    if next.origin() != base.origin() {
        return None;
    }
    next.query_pairs()
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
}

/// The target of the first `Link` entry with the given `rel`, across all `Link` headers.
pub(crate) fn link_rel(headers: &HeaderMap, rel: &str) -> Option<String> {
    headers
        .get_all(LINK)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(split_links)
        .find(|(_, params)| {
            params.iter().any(|p| {
                let Some((k, v)) = p.split_once('=') else {
                    return false;
                };
                k.trim().eq_ignore_ascii_case("rel")
                    && v.trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|r| r.eq_ignore_ascii_case(rel))
            })
        })
        .map(|(target, _)| target)
}

/// `<a>; rel="next", <b>; rel="last"` -> [(a, [rel="next"]), (b, [rel="last"])]. Commas inside
/// `<…>` (they occur in URLs) do not split.
fn split_links(value: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|i| open + i) else {
            break;
        };
        let target = rest[open + 1..close].trim().to_string();
        let after = &rest[close + 1..];
        let end = after.find('<').unwrap_or(after.len());
        let params = after[..end]
            .split(';')
            .map(|p| p.trim().trim_end_matches(',').trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        out.push((target, params));
        rest = &after[end..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    type Headers = Vec<(&'static str, &'static str)>;

    fn base() -> Url {
        Url::parse("https://gitlab.example.com/api/v4/runner_controllers").expect("url")
    }

    #[test]
    fn next_page_sources() {
        let next = r#"<https://gitlab.example.com/api/v4/runner_controllers?page=3&per_page=100>; rel="next", <https://gitlab.example.com/api/v4/runner_controllers?page=1&per_page=100>; rel="first""#;
        let foreign = r#"<https://evil.example.com/api/v4/runner_controllers?page=3>; rel="next""#;
        let cases: Vec<(Headers, Option<u64>)> = vec![
            (vec![("x-next-page", "2")], Some(2)),
            (vec![("x-next-page", " 7 ")], Some(7)),
            (vec![("x-next-page", "")], None),
            (vec![("x-next-page", ""), ("link", next)], Some(3)),
            (vec![("link", next)], Some(3)),
            (vec![("x-next-page", "abc"), ("link", next)], Some(3)),
            (vec![("link", foreign)], None),
            (
                vec![(
                    "link",
                    r#"<https://gitlab.example.com/x?page=1>; rel="first""#,
                )],
                None,
            ),
            (vec![], None),
        ];
        for (h, want) in cases {
            assert_eq!(next_page(&headers(&h), &base()), want, "{h:?}");
        }
    }

    #[test]
    fn link_parsing() {
        let h = headers(&[
            ("link", r#"<https://a.example/x?a=1,2>; rel="prev""#),
            (
                "link",
                r#"<https://a.example/docs>; rel="deprecation"; type="text/html""#,
            ),
        ]);
        assert_eq!(
            link_rel(&h, "prev").as_deref(),
            Some("https://a.example/x?a=1,2")
        );
        assert_eq!(
            link_rel(&h, "deprecation").as_deref(),
            Some("https://a.example/docs")
        );
        assert_eq!(link_rel(&h, "next"), None);
        let multi = headers(&[("link", r#"<https://a.example/y>; rel="next last""#)]);
        assert_eq!(
            link_rel(&multi, "last").as_deref(),
            Some("https://a.example/y")
        );
        let bare = headers(&[("link", "<https://a.example/z>; rel=next")]);
        assert_eq!(
            link_rel(&bare, "next").as_deref(),
            Some("https://a.example/z")
        );
    }
}
