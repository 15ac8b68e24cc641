//! Fault sequences of the simulator, for retry tests: each armed fault answers one request, in
//! order, then the server answers normally; a 429 carries GitLab's rate-limit headers.

mod sim_http;

use runnerdeck::sim::Fault;
use serde_json::{Value, json};
use sim_http::{RC, Sim};

/// Statuses the simulator recorded for `path`, oldest first.
fn statuses(s: &Sim, path: &str) -> Vec<u16> {
    s.sim
        .requests()
        .into_iter()
        .filter(|r| r.path == path)
        .map(|r| r.status)
        .collect()
}

#[tokio::test]
async fn a_sequence_from_the_control_endpoint_answers_429_then_html_then_500_then_normally() {
    let s = Sim::seeded().await;
    let armed = s.control(json!({"sequence": ["429", "html", "500"]})).await;
    assert_eq!(armed, 200);

    let before = jiff::Timestamp::now().as_second();
    let r = s.get(RC).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.text.trim(), "Retry later");
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("text/plain"))
    );
    assert_eq!(r.header("retry-after"), Some("1"));
    let reset: i64 = r
        .header("ratelimit-reset")
        .and_then(|v| v.parse().ok())
        .expect("RateLimit-Reset in epoch seconds");
    assert!(
        reset > before,
        "reset {reset} is not a second ahead of {before}"
    );

    let r = s.get(RC).await;
    assert_eq!(r.status, 502);
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("text/html"))
    );
    assert!(r.text.contains("502 Bad Gateway"), "{}", r.text);

    let r = s.get(RC).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.json(), json!({"message": "500 Internal Server Error"}));

    let r = s.get(RC).await;
    assert_eq!(r.status, 200);
    assert!(r.json().is_array());
    assert_eq!(statuses(&s, RC), [429, 502, 500, 200]);
}

#[tokio::test]
async fn a_sequence_from_rust_only_hits_its_prefix() {
    let s = Sim::seeded().await;
    let one = format!("{RC}/1");
    s.sim
        .faults()
        .fail_sequence_matching(&one, &[Fault::RateLimitedFor(2), Fault::Status(503)]);
    assert_eq!(s.get(RC).await.status, 200, "another path is not faulted");
    let r = s.get(&one).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("2"));
    assert_eq!(s.get(&one).await.status, 503);
    assert_eq!(s.get(&one).await.status, 200);
    assert_eq!(statuses(&s, &one), [429, 503, 200]);
}

#[tokio::test]
async fn a_sequence_waits_behind_failures_armed_before_it() {
    let s = Sim::seeded().await;
    s.sim.faults().fail_next(1, Fault::Garbage);
    s.sim.faults().fail_sequence(&[Fault::Html(504)]);
    let r = s.get(RC).await;
    assert_eq!(r.status, 200);
    assert!(
        serde_json::from_str::<Value>(&r.text).is_err(),
        "garbage first"
    );
    assert_eq!(s.get(RC).await.status, 504);
    assert_eq!(s.get(RC).await.status, 200);
}

#[tokio::test]
async fn an_unknown_name_in_a_sequence_arms_nothing() {
    let s = Sim::seeded().await;
    let armed = s.control(json!({"sequence": ["429", "teapot"]})).await;
    assert_eq!(armed, 400);
    assert_eq!(s.get(RC).await.status, 200);
}
