//! Every page of an offset-paginated list, a few at a time: page 1 alone, then, while the
//! server's headers say more follow, up to `IN_FLIGHT` page requests at once, answered in page
//! order. The pages asked ahead are a guess the server's `X-Next-Page` / `rel="next"` confirms
//! page by page, so a row is never missed nor doubled; each request is retried as itself by the
//! transport. Knows no endpoint: the caller fetches one page.

use std::collections::HashSet;
use std::future::Future;

use futures::StreamExt;
use futures::stream::FuturesOrdered;
use reqwest::Url;
use reqwest::header::HeaderMap;

use super::error::{ApiError, header_str};
use super::pagination::{self, MAX_PAGES, PER_PAGE};

/// At most this many page requests in flight at once.
pub(crate) const IN_FLIGHT: usize = 4;

/// One page as the loop needs it: its rows and the headers that say what follows.
pub(crate) struct Page<T> {
    pub rows: Vec<T>,
    pub headers: HeaderMap,
}

/// All rows of pages 1, 2, ... in order, `fetch(n)` getting page `n`; `base` is the list's
/// address (a `Link` to another server is never followed).
///
/// - With `X-Total-Pages` on page 1, the pages up to it are asked at once, `IN_FLIGHT` at a time.
/// - Without it (GitLab leaves it out past 10,000 rows), pages are asked ahead only while the
///   pages seen are full; the list ends at the first page whose headers name no next page, and
///   at an empty page (offset pagination has nothing after one). What was asked beyond the end
///   is dropped unread.
/// - A next page other than the following one (a server of its own) drops the guesses and goes
///   on from there; a page followed twice, or more than `MAX_PAGES`, is an error.
pub(crate) async fn fetch_all<T, F, Fut>(base: &Url, fetch: F) -> Result<Vec<T>, ApiError>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<Page<T>, ApiError>>,
{
    fetch_all_then(base, fetch, |_| {}).await
}

/// `fetch_all`, telling `first` the rows of page 1 when more pages follow (so a screen can
/// show them while the rest come).
pub(crate) async fn fetch_all_then<T, F, Fut>(
    base: &Url,
    fetch: F,
    first_page: impl FnOnce(&[T]),
) -> Result<Vec<T>, ApiError>
where
    F: Fn(u64) -> Fut,
    Fut: Future<Output = Result<Page<T>, ApiError>>,
{
    let first = fetch(1).await?;
    let Some(mut expect) = follows(&first, base) else {
        return Ok(first.rows);
    };
    first_page(&first.rows);
    let mut horizon = total_pages(&first.headers).unwrap_or(0);
    let mut full = is_full(&first);
    let mut out = first.rows;
    let mut followed = HashSet::from([1]);
    let mut pending = FuturesOrdered::new();
    // `pending` holds the pages expect..ask, in order.
    let mut ask = expect;
    loop {
        if !followed.insert(expect) || followed.len() > MAX_PAGES {
            return Err(ApiError::Decode {
                message: format!("the server's pagination loops (page {expect} again)"),
            });
        }
        while pending.len() < IN_FLIGHT && (ask == expect || may_guess(ask, horizon, full)) {
            let page = ask;
            let next = fetch(page);
            pending.push_back(async move { (page, next.await) });
            ask += 1;
        }
        let Some((page, got)) = pending.next().await else {
            // Unreachable: the page expected is always asked first.
            return Err(ApiError::Decode {
                message: format!("page {expect} of the list was never asked"),
            });
        };
        let got = got?;
        full = is_full(&got);
        let next = follows(&got, base);
        out.extend(got.rows);
        match next {
            None => return Ok(out),
            Some(n) if n == page + 1 => expect = n,
            Some(n) => {
                pending = FuturesOrdered::new();
                (expect, ask) = (n, n);
            }
        }
        if expect > horizon {
            // Past the total page 1 gave (the list grew meanwhile): guesses need full pages.
            horizon = 0;
        }
    }
}

/// Whether to ask page `ask` before the server named it: up to the total when there is one,
/// else while the pages come full.
fn may_guess(ask: u64, horizon: u64, full: bool) -> bool {
    if horizon > 0 { ask <= horizon } else { full }
}

/// The page after this one, if the server names one and this page had rows.
fn follows<T>(page: &Page<T>, base: &Url) -> Option<u64> {
    if page.rows.is_empty() {
        return None;
    }
    pagination::next_page(&page.headers, base)
}

/// `X-Total-Pages`, within the loop guard.
fn total_pages(headers: &HeaderMap) -> Option<u64> {
    let n = header_str(headers, "x-total-pages")?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(n.min(MAX_PAGES as u64))
}

/// As many rows as a page holds (`X-Per-Page`, else what we asked for): more may follow.
fn is_full<T>(page: &Page<T>) -> bool {
    let per_page = header_str(&page.headers, "x-per-page")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(PER_PAGE as usize);
    page.rows.len() >= per_page
}

#[cfg(test)]
#[path = "page_fetch_tests.rs"]
mod tests;
