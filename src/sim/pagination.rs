//! GitLab offset pagination for the simulator's list endpoints: `page` / `per_page`
//! validation, slicing, and the `X-*` and `Link` headers (totals left out past the count limit).

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::gitlab_params::{Param, ParamErrors, Params, decode_pairs};

pub(crate) const DEFAULT_PER_PAGE: i64 = 20;
pub(crate) const MAX_PER_PAGE: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    pub(crate) page: i64,
    pub(crate) per_page: i64,
}

impl PageRequest {
    /// Reads `page` and `per_page`; `per_page` above the maximum is capped silently.
    pub(crate) fn parse(params: &Params, errors: &mut ParamErrors) -> PageRequest {
        let page = int_param(params, "page", 1, errors);
        let per_page = int_param(params, "per_page", DEFAULT_PER_PAGE, errors);
        PageRequest {
            page,
            per_page: per_page.min(MAX_PER_PAGE),
        }
    }

    /// How many rows come before this page.
    pub(crate) fn offset(&self) -> usize {
        usize::try_from((self.page - 1).saturating_mul(self.per_page)).unwrap_or(usize::MAX)
    }

    /// How many rows a page holds.
    pub(crate) fn limit(&self) -> usize {
        usize::try_from(self.per_page).unwrap_or(0)
    }
}

fn int_param(params: &Params, name: &str, default: i64, errors: &mut ParamErrors) -> i64 {
    let value = match params.get(name) {
        None | Some(Param::Null) => return default,
        Some(Param::Text(s)) => match errors.int(name, s) {
            Some(v) => v,
            None => return default,
        },
        Some(Param::Invalid) => {
            errors.push(format!("{name} is invalid"));
            return default;
        }
    };
    if value < 1 {
        errors.push(format!("{name} does not have a valid value"));
        return default;
    }
    value
}

/// Where the request came from, to build the `Link` URLs.
pub(crate) struct LinkBase {
    prefix: String,
    /// The original query pairs, raw, without `page`, `per_page` and `cursor`.
    others: Vec<String>,
}

impl LinkBase {
    pub(crate) fn new(headers: &HeaderMap, path: &str, query: Option<&str>) -> Self {
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("localhost");
        let others = query
            .unwrap_or("")
            .split('&')
            .filter(|raw| !raw.is_empty())
            .filter(|raw| {
                let key = decode_pairs(raw)
                    .into_iter()
                    .next()
                    .map(|(k, _)| k)
                    .unwrap_or_default();
                !matches!(key.as_str(), "page" | "per_page" | "cursor")
            })
            .map(str::to_string)
            .collect();
        Self {
            prefix: format!("http://{host}{path}"),
            others,
        }
    }

    fn href(&self, page: i64, per_page: i64) -> String {
        self.with(&[format!("page={page}"), format!("per_page={per_page}")])
    }

    /// The URL of the next keyset page (`cursor` is already URL-safe).
    pub(crate) fn href_cursor(&self, cursor: &str, per_page: i64) -> String {
        self.with(&[format!("cursor={cursor}"), format!("per_page={per_page}")])
    }

    fn with(&self, extra: &[String]) -> String {
        let mut q = self.others.clone();
        q.extend_from_slice(extra);
        format!("{}?{}", self.prefix, q.join("&"))
    }
}

/// Answers one page of `rows` (all rows, already ordered) with GitLab's headers.
pub(crate) fn respond<T: Serialize>(
    rows: Vec<T>,
    req: PageRequest,
    base: &LinkBase,
    count_limit: usize,
) -> Response {
    let total = rows.len();
    let body: Vec<T> = rows
        .into_iter()
        .skip(req.offset())
        .take(req.limit())
        .collect();
    respond_page(body, total, req, base, count_limit)
}

/// `respond` for a caller that sliced the page itself (`req.offset()`, `req.limit()`) out of
/// `total` rows: a long list then costs one page of JSON per request, not all of it.
pub(crate) fn respond_page<T: Serialize>(
    body: Vec<T>,
    total: usize,
    req: PageRequest,
    base: &LinkBase,
    count_limit: usize,
) -> Response {
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    let per_page = req.per_page;
    let page = req.page;
    let total_pages = ((total + per_page - 1) / per_page).max(1);
    let next = (page.saturating_mul(per_page) < total).then_some(page + 1);
    // Kaminari: no previous page on the first page nor past the last one.
    let prev = (page > 1 && page <= total_pages).then_some(page - 1);
    let show_totals = usize::try_from(total).is_ok_and(|t| t <= count_limit);

    let mut links = Vec::new();
    if let Some(n) = next {
        links.push(format!("<{}>; rel=\"next\"", base.href(n, per_page)));
    }
    if let Some(p) = prev {
        links.push(format!("<{}>; rel=\"prev\"", base.href(p, per_page)));
    }
    links.push(format!("<{}>; rel=\"first\"", base.href(1, per_page)));
    if show_totals {
        links.push(format!(
            "<{}>; rel=\"last\"",
            base.href(total_pages, per_page)
        ));
    }

    let opt = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let mut pairs = vec![
        ("x-page", page.to_string()),
        ("x-per-page", per_page.to_string()),
        ("x-next-page", opt(next)),
        ("x-prev-page", opt(prev)),
        ("link", links.join(", ")),
    ];
    if show_totals {
        pairs.push(("x-total", total.to_string()));
        pairs.push(("x-total-pages", total_pages.to_string()));
    }
    let mut resp = Json(body).into_response();
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(&value) {
            resp.headers_mut().insert(name, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(query: Option<&str>) -> LinkBase {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("gl.test:8080"));
        LinkBase::new(&h, "/api/v4/runner_controllers", query)
    }

    #[test]
    fn href_keeps_other_params() {
        let b = base(Some("page=3&foo=a%20b&per_page=7"));
        assert_eq!(
            b.href(2, 7),
            "http://gl.test:8080/api/v4/runner_controllers?foo=a%20b&page=2&per_page=7"
        );
    }

    #[test]
    fn middle_page_headers() {
        let rows: Vec<i64> = (1..=45).collect();
        let r = respond(
            rows,
            PageRequest {
                page: 2,
                per_page: 20,
            },
            &base(None),
            10_000,
        );
        let h = r.headers();
        assert_eq!(h["x-next-page"], "3");
        assert_eq!(h["x-prev-page"], "1");
        assert_eq!(h["x-total"], "45");
        assert_eq!(h["x-total-pages"], "3");
        let link = h["link"].to_str().expect("ascii");
        assert!(link.contains("page=3&per_page=20>; rel=\"next\""));
        assert!(link.contains("page=1&per_page=20>; rel=\"prev\""));
        assert!(link.contains("page=3&per_page=20>; rel=\"last\""));
    }

    #[test]
    fn past_count_limit_leaves_totals_out() {
        let rows: Vec<i64> = (1..=12).collect();
        let r = respond(
            rows,
            PageRequest {
                page: 1,
                per_page: 5,
            },
            &base(None),
            10,
        );
        let h = r.headers();
        assert!(h.get("x-total").is_none());
        assert!(h.get("x-total-pages").is_none());
        assert!(!h["link"].to_str().expect("ascii").contains("rel=\"last\""));
        assert_eq!(h["x-next-page"], "2");
    }
}
