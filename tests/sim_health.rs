//! What a health view and a doctor read from the simulator, checked against the API doc's
//! "Around the controllers" section: `/version`, `/personal_access_tokens/self`, `/runners/:id`,
//! `connected`, and a seed in which every health finding shows on some controller.

mod sim_http;

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};
use reqwest::Method;
use serde_json::{Value, json};
use sim_http::{EXPIRED, EXPIRING, NO_ADMIN_MODE, RC, READ, Sim, USER};

fn time(v: &Value) -> Option<Timestamp> {
    v.as_str().and_then(|s| s.parse().ok())
}

fn date(v: &Value) -> jiff::civil::Date {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a date: {v}"))
}

fn today() -> jiff::civil::Date {
    Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date()
}

// ---------------------------------------------------------------- version

#[tokio::test]
async fn version_needs_a_token_but_no_admin_nor_licence() {
    let s = Sim::with(|o| o.unlicensed = true).await;
    let r = s.send(Method::GET, "/api/v4/version", None, None).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json(), json!({"message": "401 Unauthorized"}));
    let r = s.get_as(USER, "/api/v4/version").await;
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["version"], "18.10.1-ee");
    assert!(v["revision"].as_str().is_some_and(|r| !r.is_empty()), "{v}");
    assert!(v["kas"].is_object(), "{v}");
    assert_eq!(v["enterprise"], true);
}

#[tokio::test]
async fn version_says_what_the_options_say() {
    let s = Sim::with(|o| o.gitlab_version = "18.9.2-ce".into()).await;
    let v = s.get("/api/v4/version").await.json();
    assert_eq!(v["version"], "18.9.2-ce");
    assert_eq!(v["enterprise"], false);
}

// ---------------------------------------------------------------- the token's own view

#[tokio::test]
async fn each_token_reads_itself() {
    let s = Sim::seeded().await;
    let v = s.get("/api/v4/personal_access_tokens/self").await.json();
    assert_eq!(v["scopes"], json!(["api", "admin_mode"]));
    assert_eq!((&v["active"], &v["revoked"]), (&json!(true), &json!(false)));
    assert_eq!(v["user_id"], 1);
    assert!(v["name"].as_str().is_some_and(|n| !n.is_empty()), "{v}");
    assert!(
        date(&v["expires_at"]) > today() + SignedDuration::from_hours(7 * 24),
        "{v}"
    );
    let used = time(&v["last_used_at"]).expect("used by this very request");
    assert!(used <= Timestamp::now(), "{v}");

    let v = s
        .get_as(READ, "/api/v4/personal_access_tokens/self")
        .await
        .json();
    assert_eq!(v["scopes"], json!(["read_api"]));
    let v = s
        .get_as(NO_ADMIN_MODE, "/api/v4/personal_access_tokens/self")
        .await
        .json();
    assert_eq!(v["scopes"], json!(["api"]));
    let v = s
        .get_as(USER, "/api/v4/personal_access_tokens/self")
        .await
        .json();
    assert_eq!(v["user_id"], 2);
}

#[tokio::test]
async fn one_admin_token_expires_within_a_week() {
    let s = Sim::seeded().await;
    let v = s
        .get_as(EXPIRING, "/api/v4/personal_access_tokens/self")
        .await
        .json();
    assert_eq!(v["scopes"], json!(["api", "admin_mode"]));
    assert_eq!(v["active"], true);
    let expires = date(&v["expires_at"]);
    assert!(expires >= today(), "{v}");
    assert!(
        expires <= today() + SignedDuration::from_hours(7 * 24),
        "{v}"
    );
    // It is a full admin token meanwhile.
    assert_eq!(s.get_as(EXPIRING, RC).await.status, 200);
}

#[tokio::test]
async fn an_expired_or_missing_token_cannot_read_itself() {
    let s = Sim::seeded().await;
    let path = "/api/v4/personal_access_tokens/self";
    let r = s.get_as(EXPIRED, path).await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_token");
    let r = s.send(Method::GET, path, None, None).await;
    assert_eq!(r.status, 401);
}

// ---------------------------------------------------------------- runners

#[tokio::test]
async fn runner_reads_check_401_then_403_then_400_then_404() {
    let s = Sim::with(|o| o.admin_mode = true).await;
    let r = s.send(Method::GET, "/api/v4/runners/1", None, None).await;
    assert_eq!(r.status, 401);
    let r = s.get_as(USER, "/api/v4/runners/abc").await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json(), json!({"message": "403 Forbidden"}));
    let r = s.get_as(NO_ADMIN_MODE, "/api/v4/runners/1").await;
    assert_eq!(r.status, 403, "Admin Mode wants the admin_mode scope");
    let r = s.get("/api/v4/runners/abc").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": "id is invalid"}));
    let r = s.get("/api/v4/runners/999").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"message": "404 Runner Not Found"}));
}

#[tokio::test]
async fn runners_are_not_a_licensed_feature() {
    let s = Sim::with(|o| o.unlicensed = true).await;
    assert_eq!(s.get("/api/v4/runners/1").await.status, 200);
}

#[tokio::test]
async fn runners_carry_type_status_paused_and_address() {
    let s = Sim::empty().await;
    let r = s.get_as(READ, "/api/v4/runners/1").await;
    assert_eq!(r.status, 200, "a read_api admin token reads runners");
    let v = r.json();
    assert_eq!(v["id"], 1);
    assert_eq!(v["runner_type"], "instance_type");
    assert_eq!(v["status"], "online");
    assert_eq!((&v["paused"], &v["active"]), (&json!(false), &json!(true)));
    assert!(v["ip_address"].is_string(), "{v}");
    assert!(v["description"].is_string(), "{v}");
    assert_eq!(
        s.get("/api/v4/runners/6").await.json()["runner_type"],
        "project_type"
    );
    assert_eq!(
        s.get("/api/v4/runners/7").await.json()["runner_type"],
        "group_type"
    );
}

#[tokio::test]
async fn a_deleted_runner_is_gone_but_its_scope_stays() {
    let s = Sim::empty().await;
    let id = s.create(RC, json!({})).await;
    let scopes = format!("{RC}/{id}/scopes");
    assert_eq!(
        s.post(&format!("{scopes}/runners/4"), json!({}))
            .await
            .status,
        201
    );
    assert!(s.sim.gitlab().delete_runner(4));
    assert!(!s.sim.gitlab().runner_ids().contains(&4));
    let r = s.get("/api/v4/runners/4").await;
    assert_eq!(r.json(), json!({"message": "404 Runner Not Found"}));
    let v = s.get(&scopes).await.json();
    assert_eq!(v["runner_level_scopings"][0]["runner_id"], 4);
}

// ---------------------------------------------------------------- connected

#[tokio::test]
async fn connected_means_an_active_token_used_in_the_last_hour() {
    let s = Sim::empty().await;
    let id = s.create(RC, json!({})).await;
    let tokens = format!("{RC}/{id}/tokens");
    let token = s.create(&tokens, json!({})).await;
    let connected = |v: Value| v["connected"].clone();
    let path = format!("{RC}/{id}");
    assert_eq!(connected(s.get(&path).await.json()), false, "never used");

    let g = s.sim.gitlab();
    let two_hours_ago = Timestamp::now() - SignedDuration::from_hours(2);
    assert!(g.set_token_last_used(token, Some(two_hours_ago)));
    assert_eq!(
        connected(s.get(&path).await.json()),
        false,
        "used too long ago"
    );
    let lately = Timestamp::now() - SignedDuration::from_mins(5);
    assert!(g.set_token_last_used(token, Some(lately)));
    assert_eq!(connected(s.get(&path).await.json()), true);

    assert_eq!(s.delete(&format!("{tokens}/{token}")).await.status, 204);
    assert_eq!(
        connected(s.get(&path).await.json()),
        false,
        "revoked tokens do not count"
    );
}

// ---------------------------------------------------------------- the seed's findings

/// Every page of a list.
async fn all_pages(s: &Sim, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = Some(format!("{path}?per_page=100"));
    while let Some(url) = next {
        let r = s.get(&url).await;
        assert_eq!(r.status, 200, "{url}: {}", r.text);
        out.extend(r.json().as_array().cloned().unwrap_or_default());
        next = r.rel("next");
    }
    out
}

/// Controller ids per finding, computed from the API as the doc defines each one.
async fn findings(s: &Sim) -> BTreeMap<&'static str, BTreeSet<i64>> {
    let now = Timestamp::now();
    let mut f: BTreeMap<&'static str, BTreeSet<i64>> = BTreeMap::new();
    for c in all_pages(s, RC).await {
        let id = c["id"].as_i64().expect("id");
        let state = c["state"].as_str().unwrap_or_default();
        let live = state == "enabled" || state == "dry_run";
        let detail = s.get(&format!("{RC}/{id}")).await.json();
        let tokens = all_pages(s, &format!("{RC}/{id}/tokens")).await;
        let scopes = s.get(&format!("{RC}/{id}/scopes")).await.json();
        let instance = !scopes["instance_level_scopings"]
            .as_array()
            .expect("array")
            .is_empty();
        let runners = scopes["runner_level_scopings"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut add = |name: &'static str, yes: bool| {
            if yes {
                f.entry(name).or_default().insert(id);
            }
        };
        add("no scope", live && !instance && runners.is_empty());
        add(
            "not connected",
            state == "enabled" && detail["connected"] == false,
        );
        let updated = time(&c["updated_at"]).expect("updated_at");
        add(
            "dry_run over 14 days",
            state == "dry_run" && now.duration_since(updated) > SignedDuration::from_hours(14 * 24),
        );
        add("no active token", live && tokens.is_empty());
        add(
            "token never used",
            tokens.iter().any(|t| t["last_used_at"].is_null()),
        );
        let month = SignedDuration::from_hours(30 * 24);
        add(
            "token unused 30 days",
            tokens
                .iter()
                .filter_map(|t| time(&t["last_used_at"]))
                .any(|u| now.duration_since(u) > month),
        );
        add("several tokens", tokens.len() > 1);
        add("enabled, instance scope", state == "enabled" && instance);
        for scoping in runners {
            let rid = scoping["runner_id"].as_i64().expect("runner_id");
            let r = s.get(&format!("/api/v4/runners/{rid}")).await;
            if r.status == 404 {
                add("runner gone", true);
                continue;
            }
            let runner = r.json();
            add("runner paused", runner["paused"] == true);
            for status in ["offline", "stale", "never_contacted"] {
                let name = match status {
                    "offline" => "runner offline",
                    "stale" => "runner stale",
                    _ => "runner never contacted",
                };
                add(name, runner["status"] == status);
            }
        }
    }
    f
}

#[tokio::test]
async fn the_seed_shows_every_finding_on_the_controllers_the_report_names() {
    let s = Sim::seeded().await;
    let f = findings(&s).await;
    let has = |name: &str, ids: &[i64]| {
        let got = f.get(name).cloned().unwrap_or_default();
        for id in ids {
            assert!(got.contains(id), "{name}: {id} not in {got:?}");
        }
    };
    has("no scope", &[17, 43]);
    has("not connected", &[30, 44]);
    has("dry_run over 14 days", &[4]);
    has("no active token", &[27, 44]);
    has("token never used", &[4, 16]);
    has("token unused 30 days", &[42]);
    has("several tokens", &[1, 42]);
    has("runner paused", &[37]);
    has("runner offline", &[38]);
    has("runner stale", &[39]);
    has("runner never contacted", &[40]);
    has("runner gone", &[41]);
    has("enabled, instance scope", &[1, 9]);
    // The trouble stays where it was put: the healthy rows 1-36 point at healthy runners only.
    for name in [
        "runner paused",
        "runner offline",
        "runner stale",
        "runner gone",
    ] {
        assert!(f[name].iter().all(|id| *id > 36), "{name}: {:?}", f[name]);
    }
}
