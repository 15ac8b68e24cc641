//! `fetch_all` against a fake server in one thread: each page request yields a few times before
//! it answers, so every request in flight is polled together and the counts are exact.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use reqwest::header::{HeaderMap, HeaderValue};

use super::*;

/// A list of `rows` rows, `per_page` a page; `next` says which page follows page `n`.
struct Fake {
    rows: u64,
    per_page: u64,
    totals: bool,
    per_page_header: bool,
    next: fn(u64, bool) -> Option<u64>,
    fail: Option<u64>,
    asked: RefCell<Vec<u64>>,
    now: Cell<usize>,
    peak: Cell<usize>,
}

fn honest(n: u64, more: bool) -> Option<u64> {
    more.then_some(n + 1)
}

impl Fake {
    fn new(rows: u64, totals: bool) -> Self {
        Self {
            rows,
            per_page: u64::from(PER_PAGE),
            totals,
            per_page_header: true,
            next: honest,
            fail: None,
            asked: RefCell::new(Vec::new()),
            now: Cell::new(0),
            peak: Cell::new(0),
        }
    }

    async fn page(&self, n: u64) -> Result<Page<u64>, ApiError> {
        self.asked.borrow_mut().push(n);
        self.now.set(self.now.get() + 1);
        self.peak.set(self.peak.get().max(self.now.get()));
        for _ in 0..3 {
            tokio::task::yield_now().await;
        }
        self.now.set(self.now.get() - 1);
        if self.fail == Some(n) {
            return Err(ApiError::Decode {
                message: format!("page {n} failed"),
            });
        }
        let first = (n - 1) * self.per_page + 1;
        let rows: Vec<u64> = (first..=self.rows.min(n * self.per_page)).collect();
        let mut headers = HeaderMap::new();
        let mut set = |k: &'static str, v: String| {
            headers.insert(k, HeaderValue::from_str(&v).expect("ascii"));
        };
        let more = n * self.per_page < self.rows;
        set(
            "x-next-page",
            (self.next)(n, more)
                .map(|p| p.to_string())
                .unwrap_or_default(),
        );
        if self.per_page_header {
            set("x-per-page", self.per_page.to_string());
        }
        if self.totals {
            set(
                "x-total-pages",
                self.rows.div_ceil(self.per_page).to_string(),
            );
        }
        Ok(Page { rows, headers })
    }

    async fn all(&self) -> Result<Vec<u64>, ApiError> {
        let base = Url::parse("https://gitlab.example.com/api/v4/x").expect("url");
        fetch_all(&base, |n| self.page(n)).await
    }

    fn asked(&self) -> Vec<u64> {
        self.asked.borrow().clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn with_a_total_the_rest_comes_four_at_a_time_in_order() {
    let fake = Fake::new(1_000, true);
    assert_eq!(
        fake.all().await.expect("rows"),
        (1..=1_000).collect::<Vec<_>>()
    );
    assert_eq!(fake.asked(), (1..=10).collect::<Vec<_>>(), "each page once");
    assert_eq!(fake.peak.get(), 4);
}

#[tokio::test(flavor = "current_thread")]
async fn without_a_total_it_guesses_ahead_and_stops_at_the_short_page() {
    let fake = Fake::new(1_050, false);
    assert_eq!(
        fake.all().await.expect("rows"),
        (1..=1_050).collect::<Vec<_>>()
    );
    // Page 11 is short: up to three asked past it while it came in, dropped unread.
    let asked = fake.asked();
    assert_eq!(&asked[..11], (1..=11).collect::<Vec<_>>(), "{asked:?}");
    assert!(asked.iter().all(|p| *p <= 11 + 3), "{asked:?}");
    assert_eq!(
        asked.len(),
        asked.iter().collect::<HashSet<_>>().len(),
        "{asked:?}"
    );
    assert_eq!(fake.peak.get(), 4);
}

#[tokio::test(flavor = "current_thread")]
async fn one_page_is_one_request() {
    for rows in [0, 1, 100] {
        let fake = Fake::new(rows, false);
        assert_eq!(fake.all().await.expect("rows").len() as u64, rows);
        assert_eq!(fake.asked(), [1]);
    }
}

#[tokio::test(flavor = "current_thread")]
async fn pages_smaller_than_asked_are_followed_one_by_one() {
    // A server that caps pages at 50 without saying so: no page looks full, nothing is guessed.
    let fake = Fake {
        per_page: 50,
        per_page_header: false,
        ..Fake::new(230, false)
    };
    assert_eq!(
        fake.all().await.expect("rows"),
        (1..=230).collect::<Vec<_>>()
    );
    assert_eq!(fake.asked(), [1, 2, 3, 4, 5]);
    assert_eq!(fake.peak.get(), 1);
    // Saying so (`X-Per-Page: 50`) makes them full again.
    let fake = Fake {
        per_page: 50,
        ..Fake::new(230, false)
    };
    assert_eq!(fake.all().await.expect("rows").len(), 230);
    assert_eq!(fake.peak.get(), 4);
}

#[tokio::test(flavor = "current_thread")]
async fn a_jump_drops_the_guesses_and_goes_on_from_there() {
    // Page 2 says page 5 follows: pages 3 and 4 (asked ahead) are not the server's list.
    fn jump(n: u64, more: bool) -> Option<u64> {
        match n {
            2 => Some(5),
            _ => more.then_some(n + 1),
        }
    }
    let fake = Fake {
        next: jump,
        ..Fake::new(700, false)
    };
    let rows = fake.all().await.expect("rows");
    let want: Vec<u64> = (1..=200).chain(401..=700).collect();
    assert_eq!(rows, want);
    let asked = fake.asked();
    assert_eq!(asked.iter().filter(|p| **p == 5).count(), 2, "{asked:?}");
    // At most three asked past the end (page 7).
    assert!(asked.iter().all(|p| *p <= 7 + 3), "{asked:?}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_loop_and_a_failing_page_are_errors() {
    fn back(n: u64, _: bool) -> Option<u64> {
        Some(if n == 3 { 2 } else { n + 1 })
    }
    let fake = Fake {
        next: back,
        ..Fake::new(1_000, false)
    };
    let e = fake.all().await.expect_err("loops");
    assert!(e.to_string().contains("loops (page 2 again)"), "{e}");

    let fake = Fake {
        fail: Some(6),
        ..Fake::new(1_000, true)
    };
    let e = fake.all().await.expect_err("page 6");
    assert!(e.to_string().contains("page 6 failed"), "{e}");
}

#[tokio::test(flavor = "current_thread")]
async fn an_empty_page_ends_the_list_whatever_it_says() {
    fn always(n: u64, _: bool) -> Option<u64> {
        Some(n + 1)
    }
    let fake = Fake {
        next: always,
        ..Fake::new(250, false)
    };
    assert_eq!(fake.all().await.expect("rows").len(), 250);
    assert!(fake.asked().len() <= 3 + IN_FLIGHT, "{:?}", fake.asked());
}
