//! The simulator's instance audit events (`GET /api/v4/audit_events`), checked against the API
//! doc: who may read them, an event for every change served with the doc's names and messages,
//! the 30-day window, newest first, offset and keyset pagination, and alice's seeded history.

mod sim_http;

use jiff::{SignedDuration, Timestamp};
use reqwest::Method;
use serde_json::{Value, json};
use sim_http::{RC, READ, Sim, USER};

const AUDIT: &str = "/api/v4/audit_events";
const INSTANCE: &str = "/api/v4/audit_events?entity_type=Gitlab::Audit::InstanceScope";

fn iso(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn days_ago(n: i64) -> Timestamp {
    Timestamp::now() - SignedDuration::from_hours(24 * n)
}

async fn events(s: &Sim, path: &str) -> Vec<Value> {
    let r = s.get(path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.json().as_array().cloned().expect("an array")
}

fn names(events: &[Value]) -> Vec<String> {
    events
        .iter()
        .map(|e| e["event_name"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn ids(events: &[Value]) -> Vec<i64> {
    events.iter().filter_map(|e| e["id"].as_i64()).collect()
}

#[tokio::test]
async fn admins_read_it_others_do_not_and_it_needs_the_licence() {
    let s = Sim::seeded().await;
    let r = s.send(Method::GET, AUDIT, None, None).await;
    assert_eq!(r.status, 401);
    let r = s.get_as(USER, AUDIT).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json(), json!({"message": "403 Forbidden"}));
    assert_eq!(s.get_as(READ, AUDIT).await.status, 200);

    let s = Sim::with(|o| o.unlicensed = true).await;
    let r = s.get(AUDIT).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"message": "404 Not Found"}));
    assert_eq!(
        s.get_as(USER, AUDIT).await.status,
        403,
        "403 comes before 404"
    );
}

/// The one event the last change made.
async fn last(s: &Sim) -> Value {
    events(s, INSTANCE)
        .await
        .first()
        .cloned()
        .expect("an event")
}

#[tokio::test]
async fn every_change_served_is_recorded_as_the_doc_names_it() {
    let s = Sim::empty().await;
    assert_eq!(events(&s, AUDIT).await, Vec::<Value>::new());

    let id = s
        .create(RC, json!({"description": "gpu", "state": "dry_run"}))
        .await;
    let e = last(&s).await;
    assert_eq!(e["event_name"], "runner_controller_created");
    assert_eq!(e["details"]["event_name"], "runner_controller_created");
    assert_eq!(
        e["details"]["custom_message"],
        "Created runner controller with state dry_run"
    );
    assert_eq!(e["details"]["state"], "dry_run");
    assert_eq!(e["details"]["target_id"], id);
    assert_eq!(
        (&e["author_id"], &e["details"]["author_name"]),
        (&json!(1), &json!("Administrator"))
    );
    assert_eq!(e["entity_type"], "Gitlab::Audit::InstanceScope");

    let path = format!("{RC}/{id}");
    s.put(&path, json!({"state": "enabled"})).await;
    let e = last(&s).await;
    assert_eq!(e["event_name"], "runner_controller_updated");
    assert_eq!(
        e["details"]["custom_message"],
        "Updated runner controller state from dry_run to enabled"
    );
    assert_eq!(
        e["details"]["state_changed"],
        json!({"from": "dry_run", "to": "enabled"})
    );

    s.put(&path, json!({"description": "gpu quota"})).await;
    let e = last(&s).await;
    assert_eq!(e["details"]["custom_message"], "Updated runner controller");
    assert!(e["details"].get("state_changed").is_none(), "{e}");
    let before = events(&s, AUDIT).await.len();
    s.put(&path, json!({})).await;
    assert_eq!(
        events(&s, AUDIT).await.len(),
        before,
        "a change of nothing is no event"
    );

    let tokens = format!("{path}/tokens");
    let t1 = s.create(&tokens, json!({})).await;
    let e = last(&s).await;
    assert_eq!(
        (&e["event_name"], &e["details"]["target_id"]),
        (&json!("runner_controller_token_created"), &json!(t1))
    );
    assert_eq!(
        e["details"]["custom_message"],
        "Created runner controller token"
    );
    let r = s.post(&format!("{tokens}/{t1}/rotate"), json!({})).await;
    let t2 = r.json()["id"].as_i64().expect("id");
    let e = last(&s).await;
    assert_eq!(e["event_name"], "runner_controller_token_rotated");
    assert!(
        e["details"]["target_id"] == t2 || e["details"]["target_id"] == t1,
        "{e}"
    );
    s.delete(&format!("{tokens}/{t2}")).await;
    let e = last(&s).await;
    assert_eq!(
        (&e["event_name"], &e["details"]["target_id"]),
        (&json!("runner_controller_token_revoked"), &json!(t2))
    );

    let scopes = format!("{path}/scopes");
    s.post(&format!("{scopes}/instance"), json!({})).await;
    assert_eq!(
        last(&s).await["event_name"],
        "runner_controller_instance_scope_added"
    );
    assert_eq!(
        last(&s).await["details"]["custom_message"],
        "Added instance-level scope to runner controller"
    );
    let before = events(&s, AUDIT).await.len();
    let refused = s.post(&format!("{scopes}/runners/2"), json!({})).await;
    assert_eq!(refused.status, 409);
    assert_eq!(
        events(&s, AUDIT).await.len(),
        before,
        "a refusal is no event"
    );
    s.delete(&format!("{scopes}/instance")).await;
    assert_eq!(
        last(&s).await["event_name"],
        "runner_controller_instance_scope_removed"
    );
    let before = events(&s, AUDIT).await.len();
    s.delete(&format!("{scopes}/instance")).await;
    assert_eq!(events(&s, AUDIT).await.len(), before, "nothing was removed");

    s.post(&format!("{scopes}/runners/2"), json!({})).await;
    let e = last(&s).await;
    assert_eq!(e["event_name"], "runner_controller_runner_scope_added");
    assert_eq!(
        e["details"]["custom_message"],
        "Added runner scope for runner #2 to runner controller"
    );
    s.delete(&format!("{scopes}/runners/2")).await;
    assert_eq!(
        last(&s).await["event_name"],
        "runner_controller_runner_scope_removed"
    );

    s.delete(&path).await;
    let e = last(&s).await;
    assert_eq!(
        (&e["event_name"], &e["details"]["target_id"]),
        (&json!("runner_controller_deleted"), &json!(id))
    );
    assert_eq!(e["details"]["custom_message"], "Deleted runner controller");

    let all = events(&s, INSTANCE).await;
    assert_eq!(all.len(), 11, "{:?}", names(&all));
    assert!(all.iter().all(|e| e["author_id"] == 1));
    let recorded = s.sim.gitlab().audit_events();
    let mut newest_first: Vec<i64> = recorded.iter().map(|e| e.id).collect();
    newest_first.reverse();
    assert_eq!(
        ids(&all),
        newest_first,
        "the API serves what was recorded, newest first"
    );
}

#[tokio::test]
async fn the_seed_holds_alices_recent_history() {
    let s = Sim::seeded().await;
    let all = events(&s, &format!("{INSTANCE}&per_page=100")).await;
    assert!(all.len() >= 8, "{:?}", names(&all));
    let times: Vec<Timestamp> = all
        .iter()
        .map(|e| {
            e["created_at"]
                .as_str()
                .and_then(|t| t.parse().ok())
                .expect("time")
        })
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    assert!(
        times.iter().all(|t| *t >= days_ago(30)),
        "the default window is 30 days"
    );
    for e in &all {
        assert_eq!(e["author_id"], 3, "{e}");
        assert_eq!(e["details"]["author_name"], "Alice Admin", "{e}");
    }

    let on_2 = all
        .iter()
        .find(|e| e["event_name"] == "runner_controller_updated" && e["details"]["target_id"] == 2);
    let on_2 = on_2.expect("alice changed controller 2's state");
    assert_eq!(
        on_2["details"]["state_changed"],
        json!({"from": "enabled", "to": "dry_run"})
    );
    let state = s.get(&format!("{RC}/2")).await.json()["state"].clone();
    assert_eq!(state, "dry_run", "the event agrees with the controller");

    let rotated = all
        .iter()
        .find(|e| e["event_name"] == "runner_controller_token_rotated")
        .expect("alice rotated a token");
    let tokens = events(&s, &format!("{RC}/1/tokens")).await;
    assert!(
        tokens
            .iter()
            .any(|t| t["id"] == rotated["details"]["target_id"]),
        "the rotated token is one of controller 1's: {rotated}"
    );
    assert!(names(&all).contains(&"runner_controller_deleted".to_string()));
}

#[tokio::test]
async fn the_window_is_30_days_at_most() {
    let s = Sim::seeded().await;
    let old = format!(
        "{INSTANCE}&created_after={}&created_before={}",
        iso(days_ago(40)),
        iso(days_ago(20))
    );
    let old = events(&s, &old).await;
    let created_29 = old
        .iter()
        .any(|e| e["event_name"] == "runner_controller_created" && e["details"]["target_id"] == 29);
    assert!(
        created_29,
        "an older event shows in an older window: {:?}",
        names(&old)
    );

    for (after, before) in [
        (days_ago(40), Timestamp::now()),
        (days_ago(62), days_ago(31)),
    ] {
        let q = format!(
            "{AUDIT}?created_after={}&created_before={}",
            iso(after),
            iso(before)
        );
        let r = s.get(&q).await;
        assert_eq!(r.status, 400, "{q}: {}", r.text);
        assert!(r.json()["message"].is_string(), "{}", r.text);
    }
    let r = s
        .get(&format!("{AUDIT}?created_after={}", iso(days_ago(45))))
        .await;
    assert_eq!(r.status, 400, "created_before defaults to now");
    let r = s.get(&format!("{AUDIT}?created_after=last%20week")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": "created_after is invalid"}));
}

#[tokio::test]
async fn entity_type_filters_and_is_validated() {
    let s = Sim::seeded().await;
    let user = events(&s, &format!("{AUDIT}?entity_type=User")).await;
    assert!(!user.is_empty());
    assert!(user.iter().all(|e| e["entity_type"] == "User"));
    let all = events(&s, &format!("{AUDIT}?per_page=100")).await;
    let instance = events(&s, &format!("{INSTANCE}&per_page=100")).await;
    assert_eq!(all.len(), user.len() + instance.len());
    let r = s.get(&format!("{AUDIT}?entity_type=Runner")).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"error": "entity_type does not have a valid value"})
    );
}

#[tokio::test]
async fn offset_pages_carry_gitlabs_headers() {
    let s = Sim::seeded().await;
    let all = ids(&events(&s, &format!("{INSTANCE}&per_page=100")).await);
    let r = s.get(&format!("{INSTANCE}&per_page=3")).await;
    assert_eq!(r.header("x-total"), Some(all.len().to_string().as_str()));
    assert_eq!(r.header("x-per-page"), Some("3"));
    assert_eq!(r.header("x-next-page"), Some("2"));
    let mut seen = ids(&r.json().as_array().cloned().unwrap_or_default());
    let mut next = r.rel("next");
    while let Some(url) = next {
        assert!(
            url.contains("entity_type=Gitlab::Audit::InstanceScope"),
            "{url}"
        );
        let r = s.get(&url).await;
        seen.extend(ids(&r.json().as_array().cloned().unwrap_or_default()));
        next = r.rel("next");
    }
    assert_eq!(seen, all);
}

#[tokio::test]
async fn keyset_pages_follow_link_next_to_the_end() {
    let s = Sim::seeded().await;
    let all = ids(&events(&s, &format!("{INSTANCE}&per_page=100")).await);
    let mut url = Some(format!("{INSTANCE}&pagination=keyset&per_page=3"));
    let mut seen = Vec::new();
    let mut pages = 0;
    while let Some(u) = url {
        let r = s.get(&u).await;
        assert_eq!(r.status, 200, "{u}: {}", r.text);
        let page = ids(&r.json().as_array().cloned().unwrap_or_default());
        assert!(page.len() <= 3);
        seen.extend(page);
        url = r.rel("next");
        pages += 1;
        assert!(pages < 20, "no end");
    }
    assert_eq!(seen, all, "keyset walks the same events, newest first");
    assert!(pages >= 3);
    let r = s
        .get(&format!("{INSTANCE}&pagination=keyset&cursor=%21%21"))
        .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn older_servers_put_event_name_only_inside_details() {
    let s = Sim::with(|o| o.audit_event_name_in_details_only = true).await;
    let all = events(&s, INSTANCE).await;
    assert!(!all.is_empty());
    for e in &all {
        assert!(e.get("event_name").is_none(), "{e}");
        assert!(e["details"]["event_name"].is_string(), "{e}");
    }
}
