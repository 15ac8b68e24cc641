//! A long list against the simulator, asserting on what it recorded: the pages after the first
//! are asked four at a time, every row arrives once and in order, without totals the client
//! guesses ahead and stops at the short page, and a page that fails is asked again as itself.

use std::time::Duration;

use runnerdeck::api::{GitLab, HttpOptions, RetryPolicy};
use runnerdeck::sim::faults::Fault;
use runnerdeck::sim::{SimOptions, Simulator};
use secrecy::SecretString;

const LIST: &str = "/api/v4/runner_controllers";

/// A simulator with exactly `rows` controllers, totals left out when `totals` is false. Each
/// answer takes 25 ms more, so that a client asking too many at once has them overlap.
async fn sim(rows: usize, totals: bool) -> Simulator {
    Simulator::start(SimOptions {
        latency: Duration::from_millis(25),
        controllers: rows,
        count_limit: if totals { 10_000 } else { 0 },
        ..SimOptions::default()
    })
    .await
    .expect("simulator starts")
}

fn client(sim: &Simulator) -> GitLab {
    let opts = HttpOptions {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(1),
            ..RetryPolicy::standard()
        },
        ..HttpOptions::default()
    };
    GitLab::new(&sim.url(), SecretString::from(sim.gitlab_token()), &opts).expect("client")
}

/// The pages of the list the simulator answered, with their statuses, in the order answered.
fn pages(sim: &Simulator) -> Vec<(u64, u16)> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == LIST)
        .map(|r| {
            let q = r.query.unwrap_or_default();
            assert!(q.contains("per_page=100"), "{q}");
            let page = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("page="))
                .and_then(|n| n.parse().ok())
                .expect("a page number");
            (page, r.status)
        })
        .collect()
}

fn sorted(mut pages: Vec<u64>) -> Vec<u64> {
    pages.sort_unstable();
    pages
}

/// The list, failing (not hanging) when the gate the test armed never opens.
async fn list(gl: &GitLab) -> Vec<i64> {
    let rows = tokio::time::timeout(Duration::from_secs(30), gl.list_controllers())
        .await
        .expect("four page requests were never in flight at once")
        .expect("list");
    rows.iter().map(|c| c.id.0).collect()
}

#[tokio::test]
async fn with_totals_the_pages_come_four_at_a_time_each_once_in_order() {
    let sim = sim(1_000, true).await;
    // Page 1 passes; pages 2 to 5 are answered only once all four have been asked.
    sim.concurrency().hold_together(&format!("{LIST}?"), 1, 4);
    let ids = list(&client(&sim)).await;
    assert_eq!(ids.len(), 1_000);
    assert_eq!(
        ids,
        sim.gitlab().controller_ids(),
        "every row once, in order"
    );
    let pages = pages(&sim);
    assert!(pages.iter().all(|(_, status)| *status == 200), "{pages:?}");
    let numbers: Vec<u64> = pages.iter().map(|(p, _)| *p).collect();
    assert_eq!(numbers[0], 1, "page 1 first, alone: {numbers:?}");
    assert_eq!(
        sorted(numbers),
        (1..=10).collect::<Vec<_>>(),
        "each page once"
    );
    assert_eq!(sim.concurrency().peak(), 4, "never more than four at once");
}

#[tokio::test]
async fn without_totals_it_guesses_ahead_and_stops_at_the_short_page() {
    let sim = sim(1_050, false).await;
    sim.concurrency().hold_together(&format!("{LIST}?"), 1, 4);
    let ids = list(&client(&sim)).await;
    assert_eq!(
        ids,
        sim.gitlab().controller_ids(),
        "every row once, in order"
    );
    assert_eq!(ids.len(), 1_050);
    let numbers: Vec<u64> = pages(&sim).into_iter().map(|(p, _)| p).collect();
    let mut unique = sorted(numbers.clone());
    unique.dedup();
    assert_eq!(unique.len(), numbers.len(), "no page twice: {numbers:?}");
    // Page 11 (50 rows) is the last; at most three more were asked while it came in.
    assert!(
        unique.starts_with(&(1..=11).collect::<Vec<_>>()),
        "{unique:?}"
    );
    assert!(unique.iter().all(|p| *p <= 14), "{unique:?}");
    assert!(
        sim.concurrency().peak() <= 4,
        "{}",
        sim.concurrency().peak()
    );
}

#[tokio::test]
async fn a_failing_page_is_asked_again_as_itself() {
    let sim = sim(1_000, true).await;
    sim.faults()
        .fail_next_matching(&format!("{LIST}?page=3&"), 1, Fault::Status(500));
    let ids = list(&client(&sim)).await;
    assert_eq!(ids, sim.gitlab().controller_ids());
    let pages = pages(&sim);
    let third: Vec<u16> = pages
        .iter()
        .filter(|(p, _)| *p == 3)
        .map(|(_, s)| *s)
        .collect();
    assert_eq!(third, [500, 200], "{pages:?}");
    let others: Vec<u64> = pages.iter().map(|(p, _)| *p).filter(|p| *p != 3).collect();
    assert_eq!(sorted(others), [1, 2, 4, 5, 6, 7, 8, 9, 10], "{pages:?}");
}
