//! The GitLab side of the embedded simulator, over real HTTP: auth and check order, every error
//! body of the contract, controllers, pagination, tokens, scopes, and fault injection.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Client, Method, StatusCode};
use runnerdeck::sim::{Fault, SimOptions, Simulator};
use serde_json::{Value, json};

const ADMIN: &str = "sim-admin-token";
const READ: &str = "sim-read-token";
const USER: &str = "sim-user-token";
const EXPIRED: &str = "sim-expired-token";
const NO_ADMIN_MODE: &str = "sim-admin-noadminmode-token";

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    text: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .unwrap_or_else(|| panic!("no {name} header"))
            .to_str()
            .expect("ascii header")
    }
}

fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder().no_proxy().build().expect("client")
}

async fn start(opts: SimOptions) -> (Simulator, Client) {
    (Simulator::start(opts).await.expect("simulator"), client())
}

async fn seeded() -> (Simulator, Client) {
    start(SimOptions::default()).await
}

async fn empty() -> (Simulator, Client) {
    start(SimOptions {
        seed: false,
        ..SimOptions::default()
    })
    .await
}

async fn send(
    c: &Client,
    sim: &Simulator,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Resp {
    let mut rb = c.request(method, format!("{}{path}", sim.url()));
    if let Some(t) = token {
        rb = rb.header("PRIVATE-TOKEN", t);
    }
    if let Some(b) = body {
        rb = rb.json(&b);
    }
    let r = rb.send().await.expect("request");
    Resp {
        status: r.status(),
        headers: r.headers().clone(),
        text: r.text().await.expect("body"),
    }
}

async fn get(c: &Client, sim: &Simulator, path: &str) -> Resp {
    send(c, sim, Method::GET, path, Some(ADMIN), None).await
}

async fn post(c: &Client, sim: &Simulator, path: &str, body: Value) -> Resp {
    send(c, sim, Method::POST, path, Some(ADMIN), Some(body)).await
}

async fn put(c: &Client, sim: &Simulator, path: &str, body: Value) -> Resp {
    send(c, sim, Method::PUT, path, Some(ADMIN), Some(body)).await
}

async fn delete(c: &Client, sim: &Simulator, path: &str) -> Resp {
    send(c, sim, Method::DELETE, path, Some(ADMIN), None).await
}

async fn create_controller(c: &Client, sim: &Simulator, body: Value) -> i64 {
    let r = post(c, sim, "/api/v4/runner_controllers", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_i64().expect("id")
}

const RC: &str = "/api/v4/runner_controllers";

// ---------------------------------------------------------------- auth and check order

#[tokio::test]
async fn missing_and_unknown_tokens_are_401() {
    let (sim, c) = seeded().await;
    for token in [None, Some("nope")] {
        let r = send(&c, &sim, Method::GET, RC, token, None).await;
        assert_eq!(r.status, 401);
        assert_eq!(r.json(), json!({"message": "401 Unauthorized"}));
    }
}

#[tokio::test]
async fn expired_token_is_401_invalid_token_with_challenge() {
    let (sim, c) = seeded().await;
    let r = send(&c, &sim, Method::GET, RC, Some(EXPIRED), None).await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json(),
        json!({"error": "invalid_token", "error_description": "Token is expired. You can either do re-authorization or token refresh."})
    );
    let challenge = r.header("www-authenticate");
    assert!(challenge.starts_with(
        "Bearer realm=\"\", error=\"invalid_token\", error_description=\"Token is expired"
    ));
}

#[tokio::test]
async fn non_admin_is_403_forbidden() {
    let (sim, c) = seeded().await;
    let r = send(&c, &sim, Method::GET, RC, Some(USER), None).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json(), json!({"message": "403 Forbidden"}));
}

#[tokio::test]
async fn read_api_token_reads_but_cannot_write() {
    let (sim, c) = seeded().await;
    let r = send(&c, &sim, Method::GET, RC, Some(READ), None).await;
    assert_eq!(r.status, 200);
    let r = send(&c, &sim, Method::POST, RC, Some(READ), Some(json!({}))).await;
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json(),
        json!({"error": "insufficient_scope", "error_description": "The request requires higher privileges than provided by the access token."})
    );
    let r = send(
        &c,
        &sim,
        Method::DELETE,
        &format!("{RC}/1"),
        Some(READ),
        None,
    )
    .await;
    assert_eq!(r.status, 403);
    assert!(sim.gitlab().controller_state(1).is_some());
}

#[tokio::test]
async fn bearer_header_works_like_private_token() {
    let (sim, c) = seeded().await;
    let r = c
        .get(format!("{}{RC}", sim.url()))
        .bearer_auth(ADMIN)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    let r = c
        .get(format!("{}{RC}", sim.url()))
        .bearer_auth("bogus")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn admin_mode_needs_the_admin_mode_scope() {
    let (sim, c) = seeded().await;
    let r = send(&c, &sim, Method::GET, RC, Some(NO_ADMIN_MODE), None).await;
    assert_eq!(
        r.status, 200,
        "Admin Mode off: an api-scoped admin is enough"
    );

    let (sim, c) = start(SimOptions {
        admin_mode: true,
        ..SimOptions::default()
    })
    .await;
    let r = send(&c, &sim, Method::GET, RC, Some(NO_ADMIN_MODE), None).await;
    assert_eq!(r.status, 403);
    assert_eq!(r.json(), json!({"message": "403 Forbidden"}));
    let r = send(&c, &sim, Method::GET, RC, Some(ADMIN), None).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn unlicensed_is_404_for_admins_after_auth_checks() {
    let (sim, c) = start(SimOptions {
        unlicensed: true,
        ..SimOptions::default()
    })
    .await;
    for (m, p) in [
        (Method::GET, RC.to_string()),
        (Method::POST, RC.to_string()),
        (Method::GET, format!("{RC}/1")),
        (Method::PUT, format!("{RC}/abc")),
        (Method::GET, format!("{RC}/1/tokens")),
        (Method::GET, format!("{RC}/1/scopes")),
    ] {
        let r = send(
            &c,
            &sim,
            m,
            &p,
            Some(ADMIN),
            Some(json!({"state": "bogus"})),
        )
        .await;
        assert_eq!(r.status, 404, "{p}");
        assert_eq!(r.json(), json!({"message": "404 Not Found"}));
    }
    let r = send(&c, &sim, Method::GET, RC, None, None).await;
    assert_eq!(r.status, 401);
    let r = send(&c, &sim, Method::GET, RC, Some(USER), None).await;
    assert_eq!(r.status, 403);
    let r = get(&c, &sim, "/api/v4/user").await;
    assert_eq!(r.status, 200, "the user endpoint is not a licensed feature");
}

#[tokio::test]
async fn parameter_errors_come_before_unknown_ids() {
    let (sim, c) = seeded().await;
    let r = put(&c, &sim, &format!("{RC}/999999"), json!({"state": "bogus"})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"error": "state does not have a valid value"})
    );
    let r = put(
        &c,
        &sim,
        &format!("{RC}/999999"),
        json!({"state": "enabled"}),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"message": "404 Not Found"}));
    for m in [Method::GET, Method::PUT, Method::DELETE] {
        let r = send(&c, &sim, m, &format!("{RC}/abc"), Some(ADMIN), None).await;
        assert_eq!(r.status, 400);
        assert_eq!(r.json(), json!({"error": "id is invalid"}));
    }
    let r = get(&c, &sim, &format!("{RC}/1.5/tokens")).await;
    assert_eq!(r.json(), json!({"error": "id is invalid"}));
    let r = get(&c, &sim, &format!("{RC}/1/tokens/x")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": "token_id is invalid"}));
}

#[tokio::test]
async fn current_user() {
    let (sim, c) = seeded().await;
    let r = get(&c, &sim, "/api/v4/user").await;
    let v = r.json();
    assert_eq!(
        (&v["id"], &v["username"], &v["name"], &v["is_admin"]),
        (
            &json!(1),
            &json!("root"),
            &json!("Administrator"),
            &json!(true)
        )
    );
    let r = send(&c, &sim, Method::GET, "/api/v4/user", Some(USER), None).await;
    assert_eq!(r.json()["is_admin"], json!(false));
    let r = send(&c, &sim, Method::GET, "/api/v4/user", None, None).await;
    assert_eq!(r.status, 401);
}

// ---------------------------------------------------------------- controllers

#[tokio::test]
async fn seed_is_realistic() {
    let (sim, c) = seeded().await;
    let r = get(&c, &sim, &format!("{RC}?per_page=100")).await;
    let rows = r.json();
    let rows = rows.as_array().expect("array");
    assert!(rows.len() >= 34);
    for st in ["disabled", "enabled", "dry_run"] {
        assert!(rows.iter().any(|r| r["state"] == st), "{st}");
    }
    assert!(rows.iter().any(|r| r["description"].is_null()));
    assert!(rows.iter().all(|r| r.get("connected").is_none()));
    let t = rows[0]["created_at"].as_str().expect("time");
    assert_eq!(t.len(), "2026-01-05T10:20:30.123Z".len(), "{t}");
    assert!(t.ends_with('Z') && t.as_bytes()[19] == b'.', "{t}");
    assert!(rows.iter().any(|r| {
        sim.gitlab()
            .scopes(r["id"].as_i64().expect("id"))
            .is_some_and(|(inst, _)| inst)
    }));
}

#[tokio::test]
async fn create_defaults_and_values() {
    let (sim, c) = empty().await;
    let r = post(&c, &sim, RC, json!({})).await;
    assert_eq!(r.status, 201);
    let v = r.json();
    assert_eq!(v["state"], "disabled");
    assert!(v["description"].is_null());
    assert!(v.get("connected").is_none());
    assert_eq!(v["created_at"], v["updated_at"]);

    let r = post(
        &c,
        &sim,
        RC,
        json!({"description": "GPU quota guard", "state": "dry_run"}),
    )
    .await;
    let v = r.json();
    assert_eq!(
        (&v["description"], &v["state"]),
        (&json!("GPU quota guard"), &json!("dry_run"))
    );

    let r = post(&c, &sim, RC, json!({"state": "on"})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"error": "state does not have a valid value"})
    );
}

#[tokio::test]
async fn form_bodies_are_accepted() {
    let (sim, c) = empty().await;
    let r = c
        .post(format!("{}{RC}", sim.url()))
        .header("PRIVATE-TOKEN", ADMIN)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("description=fleet%3A+arm64+runners&state=enabled")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["description"], "fleet: arm64 runners");
    assert_eq!(v["state"], "enabled");
}

#[tokio::test]
async fn description_limit_counts_characters() {
    let (sim, c) = empty().await;
    let ok = "é".repeat(1024);
    let id = create_controller(&c, &sim, json!({"description": ok})).await;
    let r = post(&c, &sim, RC, json!({"description": "é".repeat(1025)})).await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"message": "Description is too long (maximum is 1024 characters)"})
    );
    let r = put(
        &c,
        &sim,
        &format!("{RC}/{id}"),
        json!({"description": "x".repeat(1025)}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(sim.gitlab().controller_description(id), Some(Some(ok)));
}

#[tokio::test]
async fn update_changes_only_what_is_sent() {
    let (sim, c) = empty().await;
    let id = create_controller(&c, &sim, json!({"description": "kas admission prod"})).await;
    let path = format!("{RC}/{id}");
    let before = get(&c, &sim, &path).await.json();
    assert_eq!(before["connected"], json!(false));

    let r = put(&c, &sim, &path, json!({})).await;
    assert_eq!(r.status, 200);
    let same = r.json();
    assert_eq!(
        same["updated_at"], before["updated_at"],
        "empty body changes nothing"
    );
    assert_eq!(same["description"], before["description"]);
    assert!(same.get("connected").is_none());

    let r = put(&c, &sim, &path, json!({"state": "enabled"})).await;
    let v = r.json();
    assert_eq!(v["state"], "enabled");
    assert_eq!(v["description"], "kas admission prod");
    assert_eq!(
        sim.gitlab().controller_state(id).as_deref(),
        Some("enabled")
    );

    let r = put(&c, &sim, &path, json!({"description": null})).await;
    assert!(r.json()["description"].is_null());
    assert_eq!(sim.gitlab().controller_description(id), Some(None));
    assert_eq!(
        sim.gitlab().controller_state(id).as_deref(),
        Some("enabled")
    );

    let r = put(&c, &sim, &path, json!({"description": ""})).await;
    assert_eq!(r.json()["description"], "");
}

#[tokio::test]
async fn delete_takes_tokens_and_scopes_and_ids_are_never_reused() {
    let (sim, c) = empty().await;
    let id = create_controller(&c, &sim, json!({})).await;
    post(&c, &sim, &format!("{RC}/{id}/tokens"), json!({})).await;
    post(&c, &sim, &format!("{RC}/{id}/scopes/instance"), json!({})).await;
    assert_eq!(sim.gitlab().token_ids(id).len(), 1);

    let r = delete(&c, &sim, &format!("{RC}/{id}")).await;
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    assert_eq!(sim.gitlab().controller_state(id), None);
    assert!(sim.gitlab().token_ids(id).is_empty());
    let r = get(&c, &sim, &format!("{RC}/{id}")).await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"message": "404 Not Found"}));
    let r = delete(&c, &sim, &format!("{RC}/{id}")).await;
    assert_eq!(r.status, 404);

    let next = create_controller(&c, &sim, json!({})).await;
    assert!(next > id);
}

#[tokio::test]
async fn delete_honours_if_unmodified_since() {
    let (sim, c) = empty().await;
    let id = create_controller(&c, &sim, json!({})).await;
    let url = format!("{}{RC}/{id}", sim.url());
    let r = c
        .delete(&url)
        .header("PRIVATE-TOKEN", ADMIN)
        .header("If-Unmodified-Since", "Mon, 05 Jan 2015 10:20:30 GMT")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 412);
    assert_eq!(
        r.json::<Value>().await.expect("json"),
        json!({"message": "412 Precondition Failed"})
    );
    assert!(sim.gitlab().controller_state(id).is_some());
    let r = c
        .delete(&url)
        .header("PRIVATE-TOKEN", ADMIN)
        .header("If-Unmodified-Since", "Fri, 01 Jan 2100 00:00:00 GMT")
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 204);
}

// ---------------------------------------------------------------- pagination

fn ids(r: &Resp) -> Vec<i64> {
    r.json()
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v["id"].as_i64().expect("id"))
        .collect()
}

fn links(r: &Resp) -> Vec<(String, String)> {
    r.header("link")
        .split(", ")
        .map(|part| {
            let (url, rel) = part.split_once(">; rel=\"").expect("link part");
            (
                rel.trim_end_matches('"').to_string(),
                url.trim_start_matches('<').to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn pagination_headers_first_middle_last() {
    let (sim, c) = empty().await;
    for _ in 0..25 {
        create_controller(&c, &sim, json!({})).await;
    }
    let base = format!("{}{RC}", sim.url());

    let r = get(&c, &sim, &format!("{RC}?per_page=10")).await;
    assert_eq!(r.header("x-page"), "1");
    assert_eq!(r.header("x-per-page"), "10");
    assert_eq!(r.header("x-next-page"), "2");
    assert_eq!(r.header("x-prev-page"), "");
    assert_eq!(r.header("x-total"), "25");
    assert_eq!(r.header("x-total-pages"), "3");
    assert_eq!(
        links(&r),
        vec![
            ("next".into(), format!("{base}?page=2&per_page=10")),
            ("first".into(), format!("{base}?page=1&per_page=10")),
            ("last".into(), format!("{base}?page=3&per_page=10")),
        ]
    );
    let first = ids(&r);

    let r = get(&c, &sim, &format!("{RC}?page=2&per_page=10")).await;
    assert_eq!(
        (r.header("x-next-page"), r.header("x-prev-page")),
        ("3", "1")
    );
    let rels: Vec<String> = links(&r).into_iter().map(|(rel, _)| rel).collect();
    assert_eq!(rels, ["next", "prev", "first", "last"]);
    let second = ids(&r);

    let r = get(&c, &sim, &format!("{RC}?page=3&per_page=10")).await;
    assert_eq!(
        (r.header("x-next-page"), r.header("x-prev-page")),
        ("", "2")
    );
    let rels: Vec<String> = links(&r).into_iter().map(|(rel, _)| rel).collect();
    assert_eq!(rels, ["prev", "first", "last"]);
    let third = ids(&r);
    assert_eq!(third.len(), 5);

    let all: Vec<i64> = [first, second, third].concat();
    let mut sorted = all.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(all, sorted, "ascending, no duplicates");
    assert_eq!(all, sim.gitlab().controller_ids());

    let r = get(&c, &sim, RC).await;
    assert_eq!(r.header("x-per-page"), "20");
    assert_eq!(ids(&r).len(), 20);
}

#[tokio::test]
async fn pagination_caps_and_validation() {
    let (sim, c) = seeded().await;
    let n = sim.gitlab().controller_ids().len();
    let r = get(&c, &sim, &format!("{RC}?per_page=1000")).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-per-page"), "100");
    assert_eq!(ids(&r).len(), n);

    for q in ["per_page=0", "per_page=-5"] {
        let r = get(&c, &sim, &format!("{RC}?{q}")).await;
        assert_eq!(r.status, 400, "{q}");
        assert_eq!(
            r.json(),
            json!({"error": "per_page does not have a valid value"})
        );
    }
    let r = get(&c, &sim, &format!("{RC}?page=0")).await;
    assert_eq!(
        r.json(),
        json!({"error": "page does not have a valid value"})
    );
    let r = get(&c, &sim, &format!("{RC}?page=abc")).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": "page is invalid"}));
    let r = get(&c, &sim, &format!("{RC}?per_page=ten")).await;
    assert_eq!(r.json(), json!({"error": "per_page is invalid"}));

    let r = get(&c, &sim, &format!("{RC}?page=99")).await;
    assert_eq!(r.status, 200);
    assert!(ids(&r).is_empty());
    assert_eq!(r.header("x-next-page"), "");
}

#[tokio::test]
async fn links_keep_other_params_and_use_host() {
    let (sim, c) = seeded().await;
    let r = c
        .get(format!("{}{RC}?order_by=id&per_page=5&page=2", sim.url()))
        .header("PRIVATE-TOKEN", ADMIN)
        .header("Host", "gitlab.example.com")
        .send()
        .await
        .expect("request");
    let link = r.headers()["link"].to_str().expect("ascii").to_string();
    assert!(
        link.contains("<http://gitlab.example.com/api/v4/runner_controllers?order_by=id&page=3&per_page=5>; rel=\"next\""),
        "{link}"
    );
}

#[tokio::test]
async fn past_the_count_limit_totals_are_left_out() {
    let (sim, c) = seeded().await;
    sim.gitlab().set_count_limit(10);
    let r = get(&c, &sim, &format!("{RC}?per_page=5")).await;
    assert!(r.headers.get("x-total").is_none());
    assert!(r.headers.get("x-total-pages").is_none());
    assert_eq!(r.header("x-next-page"), "2");
    let rels: Vec<String> = links(&r).into_iter().map(|(rel, _)| rel).collect();
    assert_eq!(rels, ["next", "first"]);
}

// ---------------------------------------------------------------- tokens

#[tokio::test]
async fn token_lifecycle() {
    let (sim, c) = empty().await;
    let id = create_controller(&c, &sim, json!({})).await;
    let tokens = format!("{RC}/{id}/tokens");

    let r = post(&c, &sim, &tokens, json!({"description": "kas"})).await;
    assert_eq!(r.status, 201);
    let v = r.json();
    let secret = v["token"].as_str().expect("secret").to_string();
    assert!(
        secret.starts_with("glrct-") && secret.len() == 26,
        "{secret}"
    );
    assert_eq!(v["runner_controller_id"], id);
    assert!(v["last_used_at"].is_null());
    let t1 = v["id"].as_i64().expect("id");
    assert_eq!(sim.gitlab().verify_token(&secret), Some(t1));

    let r = get(&c, &sim, &format!("{tokens}/{t1}")).await;
    assert_eq!(r.status, 200);
    assert!(
        r.json().get("token").is_none(),
        "the secret is never shown again"
    );
    assert_eq!(r.json()["description"], "kas");

    let r = post(&c, &sim, &format!("{tokens}/{t1}/rotate"), json!({})).await;
    assert_eq!(r.status, 200);
    let v = r.json();
    let t2 = v["id"].as_i64().expect("id");
    assert!(t2 > t1);
    let secret2 = v["token"].as_str().expect("secret").to_string();
    assert_ne!(secret, secret2);
    assert_eq!(sim.gitlab().verify_token(&secret), None);
    assert_eq!(sim.gitlab().token_ids(id), vec![t2]);

    let r = get(&c, &sim, &format!("{tokens}/{t1}")).await;
    assert_eq!(r.status, 404);
    let r = post(&c, &sim, &format!("{tokens}/{t1}/rotate"), json!({})).await;
    assert_eq!(r.status, 404);

    let r = get(&c, &sim, &tokens).await;
    assert_eq!(ids(&r), vec![t2]);
    assert_eq!(r.header("x-total"), "1");

    let r = delete(&c, &sim, &format!("{tokens}/{t2}")).await;
    assert_eq!(r.status, 204);
    assert!(r.text.is_empty());
    assert_eq!(get(&c, &sim, &format!("{tokens}/{t2}")).await.status, 404);
    assert_eq!(
        delete(&c, &sim, &format!("{tokens}/{t2}")).await.status,
        404
    );
    assert!(ids(&get(&c, &sim, &tokens).await).is_empty());
}

#[tokio::test]
async fn token_errors() {
    let (sim, c) = empty().await;
    let id = create_controller(&c, &sim, json!({})).await;
    let r = get(&c, &sim, &format!("{RC}/999/tokens")).await;
    assert_eq!(r.status, 404);
    let r = post(&c, &sim, &format!("{RC}/999/tokens"), json!({})).await;
    assert_eq!(r.status, 404);
    let r = post(
        &c,
        &sim,
        &format!("{RC}/{id}/tokens"),
        json!({"description": "x".repeat(1025)}),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json(),
        json!({"message": "Description is too long (maximum is 1024 characters)"})
    );
    let r = get(&c, &sim, &format!("{RC}/{id}/tokens?per_page=0")).await;
    assert_eq!(r.status, 400);
    // A token of another controller is not found through this one.
    let other = create_controller(&c, &sim, json!({})).await;
    let t = post(&c, &sim, &format!("{RC}/{other}/tokens"), json!({}))
        .await
        .json()["id"]
        .as_i64()
        .expect("id");
    assert_eq!(
        get(&c, &sim, &format!("{RC}/{id}/tokens/{t}")).await.status,
        404
    );
}

// ---------------------------------------------------------------- scopes

#[tokio::test]
async fn scopes_are_mutually_exclusive() {
    let (sim, c) = empty().await;
    let id = create_controller(&c, &sim, json!({})).await;
    let scopes = format!("{RC}/{id}/scopes");

    let r = get(&c, &sim, &scopes).await;
    assert_eq!(
        r.json(),
        json!({"instance_level_scopings": [], "runner_level_scopings": []})
    );

    let r = post(&c, &sim, &format!("{scopes}/instance"), json!({})).await;
    assert_eq!(r.status, 201);
    assert!(r.json()["created_at"].is_string());
    let r = post(&c, &sim, &format!("{scopes}/instance"), json!({})).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json(),
        json!({"message": "Instance-level scope already exists for this runner controller"})
    );
    let r = post(&c, &sim, &format!("{scopes}/runners/1"), json!({})).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json(),
        json!({"message": "Runner controller already has instance-level scope. Remove it before adding runner scopes."})
    );
    assert_eq!(
        get(&c, &sim, &scopes).await.json()["instance_level_scopings"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    assert_eq!(
        delete(&c, &sim, &format!("{scopes}/instance")).await.status,
        204
    );
    assert_eq!(
        delete(&c, &sim, &format!("{scopes}/instance")).await.status,
        204
    );

    let r = post(&c, &sim, &format!("{scopes}/runners/2"), json!({})).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["runner_id"], 2);
    let r = post(&c, &sim, &format!("{scopes}/runners/2"), json!({})).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json(),
        json!({"message": "Runner scope already exists for this runner controller"})
    );
    let r = post(&c, &sim, &format!("{scopes}/instance"), json!({})).await;
    assert_eq!(r.status, 409);
    assert_eq!(
        r.json(),
        json!({"message": "Runner controller already has runner-level scopes. Remove them before adding instance-level scope."})
    );
    let r = post(&c, &sim, &format!("{scopes}/runners/6"), json!({})).await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.json(),
        json!({"message": "Only instance-type runners can be scoped"})
    );
    assert_eq!(
        post(&c, &sim, &format!("{scopes}/runners/999"), json!({}))
            .await
            .status,
        404
    );
    assert_eq!(
        post(&c, &sim, &format!("{RC}/999/scopes/runners/1"), json!({}))
            .await
            .status,
        404
    );
    assert_eq!(
        post(&c, &sim, &format!("{RC}/999/scopes/instance"), json!({}))
            .await
            .status,
        404
    );

    let v = get(&c, &sim, &scopes).await.json();
    assert_eq!(v["runner_level_scopings"][0]["runner_id"], 2);
    assert_eq!(sim.gitlab().scopes(id), Some((false, vec![2])));

    assert_eq!(
        delete(&c, &sim, &format!("{scopes}/runners/2"))
            .await
            .status,
        204
    );
    assert_eq!(
        delete(&c, &sim, &format!("{scopes}/runners/2"))
            .await
            .status,
        204
    );
    assert_eq!(
        delete(&c, &sim, &format!("{scopes}/runners/999"))
            .await
            .status,
        404
    );
    assert_eq!(
        delete(&c, &sim, &format!("{RC}/999/scopes/instance"))
            .await
            .status,
        404
    );
    assert_eq!(sim.gitlab().scopes(id), Some((false, vec![])));
}

// ---------------------------------------------------------------- faults, recording, lifecycle

#[tokio::test]
async fn injected_status_html_garbage_and_rate_limit() {
    let (sim, c) = seeded().await;
    sim.faults().fail_next(1, Fault::Status(500));
    let r = get(&c, &sim, RC).await;
    assert_eq!(r.status, 500);
    assert_eq!(r.json(), json!({"message": "500 Internal Server Error"}));

    sim.faults().fail_next(1, Fault::Html(502));
    let r = get(&c, &sim, RC).await;
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").starts_with("text/html"));
    assert!(r.text.contains("<title>502 Bad Gateway</title>") && r.text.contains("nginx"));

    sim.faults().fail_next(1, Fault::Garbage);
    let r = get(&c, &sim, RC).await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<Value>(&r.text).is_err());

    sim.faults().fail_next(1, Fault::RateLimited);
    let r = get(&c, &sim, RC).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.text.trim(), "Retry later");
    assert!(r.header("content-type").starts_with("text/plain"));
    assert_eq!(r.header("retry-after"), "30");
    let reset: i64 = r.header("ratelimit-reset").parse().expect("epoch seconds");
    assert!(reset > 1_700_000_000);

    let r = get(&c, &sim, RC).await;
    assert_eq!(r.status, 200, "faults are used up");
}

#[tokio::test]
async fn faults_match_a_prefix_and_clear() {
    let (sim, c) = seeded().await;
    sim.faults()
        .fail_next_matching("/api/v4/runner_controllers/1", 2, Fault::Status(503));
    assert_eq!(get(&c, &sim, RC).await.status, 200);
    assert_eq!(get(&c, &sim, &format!("{RC}/1")).await.status, 503);
    sim.faults().clear();
    assert_eq!(get(&c, &sim, &format!("{RC}/1")).await.status, 200);
    sim.faults().set_delay(Duration::from_millis(20));
    assert_eq!(get(&c, &sim, &format!("{RC}/1")).await.status, 200);
}

#[tokio::test]
async fn control_endpoint_arms_and_clears_without_being_recorded() {
    let (sim, c) = seeded().await;
    let control = format!("{}/-/sim/faults", sim.url());
    let r = c
        .post(&control)
        .json(&json!({"fail_next": 2, "fault": "html", "path_prefix": "/api/v4"}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    let r = c
        .post(&control)
        .json(&json!({"delay_ms": 10}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    assert_eq!(get(&c, &sim, RC).await.status, 502);
    let r = c.delete(&control).send().await.expect("request");
    assert_eq!(r.status(), 204);
    assert_eq!(get(&c, &sim, RC).await.status, 200);
    assert_eq!(sim.faults().current_delay(), Duration::ZERO);

    let r = c
        .post(&control)
        .json(&json!({"fail_next": 1, "fault": "teapot"}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 400);
    let r = c
        .post(&control)
        .json(&json!({"fail_next": 1, "fault": "429"}))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    assert_eq!(get(&c, &sim, &format!("{RC}?page=1")).await.status, 429);

    let recorded = sim.requests();
    assert!(recorded.iter().all(|r| !r.path.starts_with("/-/sim")));
    let statuses: Vec<u16> = recorded.iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![502, 200, 429]);
    let last = recorded.last().expect("recorded");
    assert_eq!(
        (
            last.method.as_str(),
            last.path.as_str(),
            last.query.as_deref()
        ),
        ("GET", RC, Some("page=1"))
    );
}

#[tokio::test]
async fn hang_never_answers_and_shutdown_releases_it() {
    let (sim, c) = seeded().await;
    sim.faults().fail_next(1, Fault::Hang);
    let r = c
        .get(format!("{}{RC}", sim.url()))
        .header("PRIVATE-TOKEN", ADMIN)
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(r.expect_err("must hang").is_timeout());
    assert_eq!(sim.requests().last().map(|r| r.status), Some(0));
    let url = sim.url();
    sim.shutdown().await;
    assert!(c.get(format!("{url}{RC}")).send().await.is_err());
}

#[tokio::test]
async fn dropping_the_simulator_stops_it() {
    let (sim, c) = seeded().await;
    let url = sim.url();
    assert_eq!(get(&c, &sim, RC).await.status, 200);
    drop(sim);
    let fresh = client();
    let mut stopped = false;
    for _ in 0..200 {
        if fresh.get(format!("{url}{RC}")).send().await.is_err() {
            stopped = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(stopped);
}

#[tokio::test]
async fn unknown_routes_are_grape_404s() {
    let (sim, c) = seeded().await;
    let r = get(&c, &sim, "/api/v4/nothing/here").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json(), json!({"error": "404 Not Found"}));
}
