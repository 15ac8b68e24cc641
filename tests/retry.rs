//! Reads are asked again when the server is overloaded or the network hiccups, changes never;
//! the server's `Retry-After` is honoured, the budget ends it, the observer hears each wait;
//! and an answer too large is refused without being read whole. Scripted servers on 127.0.0.1.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::scripted::{Canned, Scripted};
use runnerdeck::api::{ApiError, GitLab, HttpOptions, RetryNotice, RetryPolicy, RetryReason};
use runnerdeck::domain::{ControllerId, ControllerUpdate};
use secrecy::SecretString;

fn fast() -> HttpOptions {
    HttpOptions {
        retry: RetryPolicy {
            base_delay: Duration::from_millis(1),
            ..RetryPolicy::standard()
        },
        ..HttpOptions::default()
    }
}

/// A client of `url` whose retry notices land in the returned list.
fn gitlab(url: &str, opts: &HttpOptions) -> (GitLab, Arc<Mutex<Vec<RetryNotice>>>) {
    let notices = Arc::new(Mutex::new(Vec::new()));
    let sink = notices.clone();
    let gl = GitLab::new(url, SecretString::from("glpat-RETRY"), opts).expect("client");
    gl.set_retry_observer(Arc::new(move |n| sink.lock().expect("lock").push(n)));
    (gl, notices)
}

fn reasons(notices: &Mutex<Vec<RetryNotice>>) -> Vec<(u32, RetryReason)> {
    notices
        .lock()
        .expect("lock")
        .iter()
        .map(|n| (n.attempt, n.reason))
        .collect()
}

const ONE: &str = r#"[{"id":1,"description":"a","state":"enabled","created_at":"2026-01-05T10:20:30.123Z","updated_at":"2026-01-05T10:20:30.123Z"}]"#;

#[tokio::test]
async fn a_read_outlasts_429_502_and_500() {
    let server = Scripted::start(vec![
        Canned::Fixed(
            429,
            vec![
                ("content-type", "text/plain".into()),
                ("retry-after", "1".into()),
            ],
            b"Retry later\n".to_vec(),
        ),
        Canned::html(502, "502 Bad Gateway"),
        Canned::json(500, r#"{"message":"500 Internal Server Error"}"#),
        Canned::json(200, ONE),
    ])
    .await;
    let (gl, notices) = gitlab(&server.url(), &fast());
    let rows = gl.list_controllers().await.expect("the data arrives");
    assert_eq!(rows.len(), 1);
    assert_eq!(server.seen().len(), 4, "{:?}", server.seen());
    assert_eq!(
        reasons(&notices),
        [
            (1, RetryReason::Status(429)),
            (2, RetryReason::Status(502)),
            (3, RetryReason::Status(500)),
        ]
    );
    let first = notices.lock().expect("lock")[0].clone();
    assert_eq!(first.wait, Duration::from_secs(1), "Retry-After honoured");
    assert_eq!(first.endpoint, "GET /api/v4/runner_controllers");
}

#[tokio::test]
async fn the_page_that_failed_is_the_one_asked_again() {
    let server = Scripted::start(vec![
        Canned::json(200, ONE).with("x-next-page", "2"),
        Canned::json(503, r#"{"message":"503"}"#),
        Canned::json(200, ONE),
    ])
    .await;
    let (gl, _) = gitlab(&server.url(), &fast());
    assert_eq!(gl.list_controllers().await.expect("both pages").len(), 2);
    let pages: Vec<String> = server
        .seen()
        .iter()
        .map(|s| s.target.split('?').nth(1).unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        pages,
        [
            "page=1&per_page=100",
            "page=2&per_page=100",
            "page=2&per_page=100"
        ]
    );
}

#[tokio::test]
async fn the_final_failure_is_the_servers_and_a_long_retry_after_ends_it() {
    let failing = vec![Canned::json(500, r#"{"message":"500 Internal Server Error"}"#); 4];
    let server = Scripted::start(failing).await;
    let (gl, notices) = gitlab(&server.url(), &fast());
    let e = gl.list_controllers().await.expect_err("still failing");
    assert_eq!(
        e,
        ApiError::Server {
            status: 500,
            message: "500 Internal Server Error".into()
        }
    );
    assert_eq!(server.seen().len(), 4, "3 retries at most");
    assert_eq!(reasons(&notices).len(), 3);

    let server = Scripted::start(vec![
        Canned::json(429, r#"{"message":{"error":"slow down"}}"#).with("retry-after", "3600"),
        Canned::json(200, ONE),
    ])
    .await;
    let (gl, notices) = gitlab(&server.url(), &fast());
    let e = gl
        .list_controllers()
        .await
        .expect_err("not waiting an hour");
    assert!(
        matches!(
            e,
            ApiError::RateLimited {
                retry_after: Some(3600),
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(server.seen().len(), 1);
    assert!(reasons(&notices).is_empty());
}

#[tokio::test]
async fn timeouts_and_refused_connections_are_retried_for_reads() {
    let server = Scripted::start(vec![Canned::Hang, Canned::json(200, ONE)]).await;
    let opts = HttpOptions {
        request_timeout: Duration::from_millis(300),
        ..fast()
    };
    let (gl, notices) = gitlab(&server.url(), &opts);
    assert_eq!(gl.list_controllers().await.expect("second try").len(), 1);
    assert_eq!(reasons(&notices), [(1, RetryReason::Timeout)]);

    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let (gl, notices) = gitlab(&format!("http://127.0.0.1:{port}"), &fast());
    let e = gl.current_user().await.expect_err("nobody there");
    assert!(matches!(e, ApiError::Connect { .. }), "{e:?}");
    assert_eq!(
        reasons(&notices),
        [
            (1, RetryReason::Connection),
            (2, RetryReason::Connection),
            (3, RetryReason::Connection),
        ]
    );
}

#[tokio::test]
async fn changes_are_sent_once_whatever_the_answer() {
    let busy = Canned::json(503, r#"{"message":"busy"}"#);
    let server = Scripted::start(vec![busy.clone(), busy.clone(), busy.clone(), busy]).await;
    let (gl, notices) = gitlab(&server.url(), &fast());
    let e = gl.create_controller(Some("x"), None).await;
    assert_eq!(e.expect_err("503").error.status(), Some(503));
    let e = gl
        .update_controller(ControllerId(1), &ControllerUpdate::default())
        .await;
    assert_eq!(e.expect_err("503").error.status(), Some(503));
    let e = gl.delete_controller(ControllerId(1), None).await;
    assert_eq!(e.expect_err("503").error.status(), Some(503));
    let methods: Vec<String> = server.seen().iter().map(|s| s.method.clone()).collect();
    assert_eq!(
        methods,
        ["POST", "PUT", "DELETE"],
        "one each, never a retry"
    );
    assert!(reasons(&notices).is_empty());
}

#[tokio::test]
async fn an_answer_over_the_limit_is_refused_while_it_streams() {
    let big = Canned::Fixed(200, vec![], vec![b'['; 2 * 1024 * 1024]);
    let server = Scripted::start(vec![big, Canned::Endless]).await;
    let opts = HttpOptions {
        max_body_bytes: 1024 * 1024,
        ..HttpOptions::default()
    };
    let (gl, _) = gitlab(&server.url(), &opts);
    let e = gl.list_controllers().await.expect_err("too large");
    assert_eq!(
        e,
        ApiError::TooLarge {
            status: 200,
            limit_mib: 1
        }
    );
    assert_eq!(
        e.to_string(),
        "the server's answer is larger than 1 MiB, so it was not read: raise max_body_mib in [http] if that is expected"
    );
    // No length given and no end: only reading as it comes can stop it.
    let e = gl.list_controllers().await.expect_err("endless");
    assert!(matches!(e, ApiError::TooLarge { .. }), "{e:?}");
}
