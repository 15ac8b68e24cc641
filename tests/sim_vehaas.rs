//! The veHaaS simulator over real HTTP: auth, the job lifecycle, validation errors, the session
//! list in normal and lenient shapes, extend and release. Polls the server, never the clock.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use reqwest::{Client, RequestBuilder, StatusCode};
use runnerdeck::sim::{SimOptions, Simulator};
use serde_json::{Value, json};

const STEP: Duration = Duration::from_millis(50);

struct Ctx {
    sim: Simulator,
    client: Client,
}

impl Ctx {
    async fn start(lenient: bool) -> Self {
        let sim = Simulator::start(SimOptions {
            job_step: STEP,
            vehaas_lenient: lenient,
            ..Default::default()
        })
        .await
        .expect("simulator starts");
        // reqwest is built with `rustls-no-provider`: a client needs a provider installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = Client::builder().no_proxy().build().expect("client");
        Self { sim, client }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v2.0{path}", self.sim.url())
    }

    fn auth(&self, rb: RequestBuilder) -> RequestBuilder {
        rb.header("private-token", self.sim.vehaas_token())
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let resp = self
            .auth(self.client.get(self.url(path)))
            .send()
            .await
            .expect("GET");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn send_json(&self, rb: RequestBuilder, body: &Value) -> (StatusCode, Value) {
        let resp = self.auth(rb).json(body).send().await.expect("request");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn post_job(&self, body: &Value) -> (StatusCode, Value) {
        self.send_json(self.client.post(self.url("/jobs")), body)
            .await
    }

    async fn patch_end(&self, id: &str, end: &str) -> (StatusCode, Value) {
        let path = format!("/assembly-sessions/{id}");
        self.send_json(self.client.patch(self.url(&path)), &json!({ "end": end }))
            .await
    }

    async fn release(&self, id: &str) -> (StatusCode, String) {
        let path = format!("/assembly-sessions/{id}/release");
        let resp = self
            .auth(self.client.post(self.url(&path)))
            .send()
            .await
            .expect("release");
        let status = resp.status();
        (status, resp.text().await.unwrap_or_default())
    }

    async fn sessions(&self) -> Vec<Value> {
        let (status, body) = self.get("/assembly-sessions").await;
        assert_eq!(status, StatusCode::OK);
        let list = body.get("items").cloned().unwrap_or(body);
        list.as_array().cloned().expect("a list of sessions")
    }

    async fn session(&self, id: &str) -> Value {
        self.sessions()
            .await
            .into_iter()
            .find(|s| id_text(&s["id"]) == id)
            .unwrap_or_else(|| panic!("session {id} listed"))
    }

    /// Polls the job until it is finished or failed; returns every state seen, in order, and
    /// the last body.
    async fn follow_job(&self, job_id: &str) -> (Vec<String>, Value) {
        let mut seen: Vec<String> = Vec::new();
        for _ in 0..200 {
            let (status, body) = self.get(&format!("/jobs/{job_id}")).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            let state = body["state"].as_str().expect("state").to_ascii_lowercase();
            if matches!(state.as_str(), "running" | "finished") {
                assert!(
                    !body["session_id"].is_null(),
                    "session id once running: {body}"
                );
            }
            if seen.last() != Some(&state) {
                seen.push(state.clone());
            }
            if state == "finished" || state == "failed" {
                return (seen, body);
            }
            tokio::time::sleep(STEP).await;
        }
        panic!("job {job_id} never ended; states seen: {seen:?}");
    }
}

fn id_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn job_body(assembly: &str, duration: &str, put_in_queue: bool) -> Value {
    json!({
        "put_in_queue": put_in_queue,
        "duration": duration,
        "request_profile": {"assembly_ref": assembly},
        "gitlab_runner_settings": {"provider_url": "https://gitlab.example.com/"},
    })
}

fn in_hours(h: i64) -> Timestamp {
    Timestamp::now() + SignedDuration::from_hours(h)
}

/// States must only move forward: queued -> running -> finished|failed.
fn assert_forward(seen: &[String]) {
    let rank = |s: &str| match s {
        "queued" => 0,
        "running" => 1,
        "finished" | "failed" => 2,
        other => panic!("unexpected job state {other}"),
    };
    assert!(
        seen.windows(2).all(|w| rank(&w[0]) < rank(&w[1])),
        "{seen:?}"
    );
}

#[tokio::test]
async fn auth_is_required() {
    let ctx = Ctx::start(false).await;
    let url = ctx.url("/assembly-sessions");

    let resp = ctx.client.get(&url).send().await.expect("GET");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body, json!({"detail": "Not authenticated"}));

    let resp = ctx
        .client
        .get(&url)
        .header("private-token", "nope")
        .send()
        .await
        .expect("GET");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let body: Value = resp.json().await.expect("json");
    assert_eq!(body, json!({"detail": "Invalid access token"}));

    let resp = ctx
        .client
        .post(ctx.url("/jobs"))
        .json(&job_body("HIL-BENCH-03", "PT10M", false))
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(ctx.sim.vehaas().jobs_created(), 0);

    let resp = ctx
        .client
        .get(&url)
        .header(
            "Authorization",
            format!("Bearer {}", ctx.sim.vehaas_token()),
        )
        .send()
        .await
        .expect("GET");
    assert_eq!(resp.status(), StatusCode::OK);
    ctx.sim.shutdown().await;
}

#[tokio::test]
async fn job_lifecycle_books_a_session_with_a_runner_tag() {
    let ctx = Ctx::start(false).await;
    let resp = ctx
        .auth(ctx.client.post(ctx.url("/jobs")))
        .json(&job_body("HIL-BENCH-03", "P0DT0H10M0.000000S", false))
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), StatusCode::CREATED);
    let headers = resp.headers().clone();
    assert_eq!(headers["deprecation"], "@1767225600");
    assert_eq!(headers["sunset"], "Wed, 30 Jun 2027 00:00:00 GMT");
    let link = headers["link"].to_str().expect("link");
    assert!(link.contains("rel=\"deprecation\""), "{link}");
    let created: Value = resp.json().await.expect("json");
    assert_eq!(created["state"], "queued");
    let job_id = created["job_id"]
        .as_str()
        .expect("string job id")
        .to_string();
    assert_eq!(ctx.sim.vehaas().jobs_created(), 1);

    let (seen, job) = ctx.follow_job(&job_id).await;
    assert_forward(&seen);
    assert_eq!(seen.last().map(String::as_str), Some("finished"), "{job}");
    assert_eq!(job["job_id"], job_id.as_str());
    assert_eq!(job["assembly_ref"], "HIL-BENCH-03");
    let session_id = job["session_id"].as_str().expect("session id").to_string();
    let tag = job["gitlab_runner_tag"].as_str().expect("tag").to_string();
    assert!(tag.starts_with("vehaas-hil-bench-03-"), "{tag}");
    for field in ["created_at", "updated_at"] {
        let text = job[field].as_str().expect("time");
        assert!(text.ends_with('Z'), "{text}");
        text.parse::<Timestamp>().expect("RFC 3339");
    }

    let session = ctx.session(&session_id).await;
    assert_eq!(session["state"], "active");
    assert_eq!(session["owner"], "ci-bot (group token)");
    assert_eq!(session["gitlab_runner_tag"], tag.as_str());
    assert_eq!(session["duration"], "P0DT0H10M0.000000S");
    assert_eq!(
        ctx.sim.vehaas().session_state(&session_id).as_deref(),
        Some("active")
    );
    ctx.sim.shutdown().await;
}

#[tokio::test]
async fn jobs_fail_for_unknown_or_busy_assemblies_and_queue_when_asked() {
    let ctx = Ctx::start(false).await;
    let busy_until = ctx.sim.vehaas().session_end("1041").expect("seeded 1041");

    let mut ids = Vec::new();
    for body in [
        job_body("NO-SUCH-RIG", "PT10M", true),
        job_body("HIL-BENCH-01", "PT10M", false),
        job_body("HIL-BENCH-01", "PT10M", true),
    ] {
        let (status, created) = ctx.post_job(&body).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        ids.push(created["job_id"].as_str().expect("job id").to_string());
    }

    let (seen, unknown) = ctx.follow_job(&ids[0]).await;
    assert_forward(&seen);
    assert_eq!(unknown["state"], "failed");
    assert!(unknown["gitlab_runner_tag"].is_null());
    let error = unknown["error"].as_str().expect("error text");
    assert!(error.contains("NO-SUCH-RIG"), "{error}");

    let (_, busy) = ctx.follow_job(&ids[1]).await;
    assert_eq!(busy["state"], "failed", "{busy}");
    let error = busy["error"].as_str().expect("error text");
    assert!(error.contains("ci-bot"), "{error}");

    let (_, queued) = ctx.follow_job(&ids[2]).await;
    assert_eq!(queued["state"], "finished", "{queued}");
    let session_id = queued["session_id"].as_str().expect("session id");
    let session = ctx.session(session_id).await;
    assert_eq!(session["state"], "scheduled");
    let start: Timestamp = session["start"]
        .as_str()
        .expect("start")
        .parse()
        .expect("time");
    assert_eq!(start, busy_until);
    ctx.sim.shutdown().await;
}

#[tokio::test]
async fn invalid_job_requests_get_fastapi_422s() {
    let ctx = Ctx::start(false).await;

    let (status, body) = ctx.post_job(&json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let locs: Vec<Value> = body["detail"]
        .as_array()
        .expect("detail list")
        .iter()
        .map(|d| d["loc"].clone())
        .collect();
    for loc in [
        json!(["body", "put_in_queue"]),
        json!(["body", "duration"]),
        json!(["body", "request_profile"]),
        json!(["body", "gitlab_runner_settings"]),
    ] {
        assert!(locs.contains(&loc), "{loc} missing from {body}");
    }
    assert_eq!(body["detail"][0]["type"], "missing");

    for duration in ["ten minutes", "PT0S", "P0DT0H0M0.000000S"] {
        let (status, body) = ctx
            .post_job(&job_body("HIL-BENCH-03", duration, false))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{duration}");
        let item = &body["detail"][0];
        assert_eq!(item["loc"], json!(["body", "duration"]));
        assert_eq!(item["type"], "value_error");
        assert!(item["msg"].as_str().is_some_and(|m| !m.is_empty()));
    }

    let mut no_ref = job_body("HIL-BENCH-03", "PT10M", false);
    no_ref["request_profile"] = json!({});
    let (status, body) = ctx.post_job(&no_ref).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        body["detail"][0]["loc"],
        json!(["body", "request_profile", "assembly_ref"])
    );

    let resp = ctx
        .auth(ctx.client.post(ctx.url("/jobs")))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(ctx.sim.vehaas().jobs_created(), 0);

    // Lenient server-side duration parsing.
    for duration in [
        "PT1H30M",
        "P0DT0H10M0.000000S",
        "P1DT2H3M4.000005S",
        "00:10:00",
    ] {
        let (status, body) = ctx.post_job(&job_body("ECU-RIG-B1", duration, true)).await;
        assert_eq!(status, StatusCode::CREATED, "{duration}: {body}");
    }
    assert_eq!(ctx.sim.vehaas().jobs_created(), 4);

    let (status, body) = ctx.get("/jobs/does-not-exist").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"detail": "Job not found"}));
    ctx.sim.shutdown().await;
}

#[tokio::test]
async fn session_list_in_the_documented_shape() {
    let ctx = Ctx::start(false).await;
    let (_, raw) = ctx.get("/assembly-sessions").await;
    let sessions = raw.as_array().expect("a bare array");
    assert!(sessions.len() >= 7);
    let count = |state: &str| sessions.iter().filter(|s| s["state"] == state).count();
    assert!(count("active") >= 4, "{raw}");
    assert_eq!(count("scheduled"), 1);
    assert_eq!(count("ended"), 1);
    assert_eq!(count("released"), 1);
    for s in sessions {
        assert!(s["id"].is_string(), "{s}");
        for field in ["start", "end"] {
            let text = s[field].as_str().expect("time");
            assert!(text.ends_with('Z'), "{text}");
            assert_eq!(text.len(), "2026-11-22T10:00:00.000000Z".len(), "{text}");
            text.parse::<Timestamp>().expect("RFC 3339");
        }
        let duration = s["duration"].as_str().expect("duration");
        assert!(
            duration.starts_with('P') && duration.ends_with('S'),
            "{duration}"
        );
        assert!(duration.contains("DT"), "{duration}");
    }
    let owners: Vec<&str> = sessions
        .iter()
        .filter_map(|s| s["owner"].as_str())
        .collect();
    for owner in ["ci-bot (group token)", "m.keller", "a.novak"] {
        assert!(owners.contains(&owner), "{owner}");
    }

    let (status, assemblies) = ctx.get("/assemblies").await;
    assert_eq!(status, StatusCode::OK);
    let statuses: Vec<&str> = assemblies
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|a| a["status"].as_str())
        .collect();
    for status in ["available", "in use", "on stock"] {
        assert!(statuses.contains(&status), "{status}");
    }
    ctx.sim.shutdown().await;
}

#[tokio::test]
async fn lenient_mode_answers_in_the_other_shapes() {
    let ctx = Ctx::start(true).await;
    let (_, raw) = ctx.get("/assembly-sessions").await;
    let items = raw["items"].as_array().expect("wrapped in items");
    assert_eq!(raw["total"], json!(items.len()));
    let states: Vec<&str> = items.iter().filter_map(|s| s["state"].as_str()).collect();
    for state in ["ACTIVE", "SCHEDULED", "ENDED", "RELEASED", "maintenance"] {
        assert!(states.contains(&state), "{state} in {states:?}");
    }
    for s in items {
        assert!(s["id"].is_u64(), "{s}");
        let start = s["start"].as_str().expect("start");
        assert!(!start.ends_with('Z') && !start.contains('+'), "{start}");
        assert!(start.parse::<jiff::civil::DateTime>().is_ok(), "{start}");
        assert!(s["duration"].as_str().expect("duration").starts_with("PT"));
        assert!(s.get("calendar_color").is_some(), "unknown extra fields");
    }
    assert!(items.iter().any(|s| s["duration"] == "PT1H10M"), "{raw}");

    // Numeric ids work in paths.
    let (status, _) = ctx.release("1042").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, created) = ctx
        .post_job(&job_body("HIL-BENCH-03", "PT10M", false))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["state"], "QUEUED");
    let number = created["job_id"].as_u64().expect("numeric job id");
    let (seen, job) = ctx.follow_job(&number.to_string()).await;
    assert_forward(&seen);
    assert_eq!(job["state"], "FINISHED");
    assert!(job["session_id"].is_u64(), "{job}");
    ctx.sim.shutdown().await;
}

#[tokio::test]
async fn lenient_mode_switches_at_run_time() {
    let ctx = Ctx::start(false).await;
    assert!(ctx.get("/assembly-sessions").await.1.is_array());
    ctx.sim.vehaas().set_lenient(true);
    let (_, raw) = ctx.get("/assembly-sessions").await;
    assert!(raw["items"].is_array(), "{raw}");
    ctx.sim.vehaas().set_lenient(false);
    assert!(ctx.get("/assembly-sessions").await.1.is_array());
    ctx.sim.shutdown().await;
}

#[tokio::test]
async fn extend_succeeds_or_explains_the_clash() {
    let ctx = Ctx::start(false).await;
    let new_end = in_hours(3);
    let (status, body) = ctx.patch_end("1044", &new_end.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let end: Timestamp = body["end"].as_str().expect("end").parse().expect("time");
    assert_eq!(end.as_microsecond(), new_end.as_microsecond());
    assert_eq!(body["state"], "active");
    assert_eq!(
        ctx.sim
            .vehaas()
            .session_end("1044")
            .map(|t| t.as_microsecond()),
        Some(new_end.as_microsecond())
    );

    // 1041 on HIL-BENCH-01 runs into a.novak's booking 1046, two hours from now.
    let before = ctx.sim.vehaas().session_end("1041");
    let (status, body) = ctx.patch_end("1041", &in_hours(3).to_string()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let detail = body["detail"].as_str().expect("detail");
    assert!(
        detail.contains("HIL-BENCH-01") && detail.contains("a.novak"),
        "{detail}"
    );
    assert_eq!(ctx.sim.vehaas().session_end("1041"), before);

    let (status, body) = ctx.patch_end("1041", &in_hours(-5).to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "end"]));
    let (status, _) = ctx.patch_end("1041", "tomorrow-ish").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, body) = ctx.patch_end("9999", &in_hours(3).to_string()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"detail": "Session not found"}));
    let (status, _) = ctx.patch_end("1047", &in_hours(3).to_string()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = ctx.patch_end("1048", &in_hours(3).to_string()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    ctx.sim.shutdown().await;
}

#[tokio::test]
async fn release_ends_the_session_and_deletes_the_runner() {
    let ctx = Ctx::start(false).await;
    let before = ctx.session("1042").await;
    assert!(before["gitlab_runner_tag"].is_string());

    let (status, body) = ctx.release("1042").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_empty());
    let after = ctx.session("1042").await;
    assert_eq!(after["state"], "released");
    assert!(after["gitlab_runner_tag"].is_null(), "{after}");
    let end: Timestamp = after["end"].as_str().expect("end").parse().expect("time");
    assert!(end <= Timestamp::now());
    assert_eq!(
        ctx.sim.vehaas().session_state("1042").as_deref(),
        Some("released")
    );

    let (status, body) = ctx.release("1042").await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = ctx.release("1047").await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, body) = ctx.release("9999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Session not found"));
    ctx.sim.shutdown().await;
}
