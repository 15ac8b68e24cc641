//! The GitLab client against the embedded simulator: every page of a list, CRUD round trips,
//! tokens and scopes, and the user-facing wording of each error.

use std::time::Duration;

use reqwest::Method;
use runnerdeck::api::{ApiError, GitLab, HttpOptions};
use runnerdeck::domain::{ControllerState, ControllerUpdate, RunnerId};
use runnerdeck::sim::faults::Fault;
use runnerdeck::sim::{SimOptions, Simulator};
use secrecy::{ExposeSecret, SecretString};

async fn start(opts: SimOptions) -> Simulator {
    Simulator::start(SimOptions {
        job_step: Duration::from_millis(50),
        ..opts
    })
    .await
    .expect("simulator starts")
}

async fn sim() -> Simulator {
    start(SimOptions::default()).await
}

fn client_with(sim: &Simulator, token: &str, opts: &HttpOptions) -> GitLab {
    GitLab::new(&sim.url(), SecretString::from(token.to_string()), opts).expect("client")
}

fn client(sim: &Simulator, token: &str) -> GitLab {
    client_with(sim, token, &HttpOptions::default())
}

#[tokio::test]
async fn list_follows_every_page() {
    let sim = sim().await;
    sim.gitlab().add_controllers(230);
    let gl = client(&sim, sim.gitlab_token());
    let list = gl.list_controllers().await.expect("list");
    let ids: Vec<i64> = list.iter().map(|c| c.id.0).collect();
    assert!(ids.len() >= 264, "seed (34+) plus 230: {}", ids.len());
    assert_eq!(ids, sim.gitlab().controller_ids());
    let pages: Vec<_> = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path == "/api/v4/runner_controllers")
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    for (i, p) in pages.iter().enumerate() {
        let q = p.query.as_deref().unwrap_or("");
        assert!(
            q.contains(&format!("page={}", i + 1)) && q.contains("per_page=100"),
            "{q}"
        );
    }
}

#[tokio::test]
async fn list_without_totals_still_gets_everything() {
    let sim = sim().await;
    sim.gitlab().add_controllers(150);
    sim.gitlab().set_count_limit(10);
    let gl = client(&sim, sim.gitlab_token());
    let list = gl.list_controllers().await.expect("list");
    assert_eq!(list.len(), sim.gitlab().controller_ids().len());
}

#[tokio::test]
async fn controller_crud_round_trip() {
    let sim = sim().await;
    let gl = client(&sim, sim.gitlab_token());
    assert_eq!(gl.base_url(), sim.url());

    let created = gl
        .create_controller(Some("from the test"), Some(&ControllerState::DryRun))
        .await
        .expect("create")
        .0;
    assert_eq!(created.description.as_deref(), Some("from the test"));
    assert_eq!(created.state, ControllerState::DryRun);
    assert_eq!(
        sim.gitlab().controller_state(created.id.0).as_deref(),
        Some("dry_run")
    );

    let fetched = gl.get_controller(created.id).await.expect("get");
    assert_eq!(fetched.id, created.id);
    assert!(fetched.connected.is_some(), "GET by id carries `connected`");
    let raw = gl.get_controller_raw(created.id).await.expect("raw");
    assert_eq!(raw["id"], serde_json::json!(created.id));

    let cleared = gl
        .update_controller(
            created.id,
            &ControllerUpdate {
                description: Some(None),
                state: None,
            },
        )
        .await
        .expect("clear description")
        .0;
    assert_eq!(cleared.description, None);
    assert_eq!(cleared.state, ControllerState::DryRun);
    assert_eq!(
        sim.gitlab().controller_description(created.id.0),
        Some(None)
    );

    let (enabled, meta) = gl
        .update_controller(
            created.id,
            &ControllerUpdate {
                description: None,
                state: Some(ControllerState::Enabled),
            },
        )
        .await
        .expect("enable");
    assert_eq!(meta.status, 200);
    assert_eq!(enabled.state, ControllerState::Enabled);
    assert_eq!(
        sim.gitlab().controller_state(created.id.0).as_deref(),
        Some("enabled")
    );

    let unchanged = gl
        .update_controller(created.id, &ControllerUpdate::default())
        .await
        .expect("empty")
        .0;
    assert_eq!(unchanged.state, ControllerState::Enabled);

    let stale = enabled.updated_at.as_ref().expect("updated_at").at()
        - jiff::SignedDuration::from_hours(24);
    let e = gl
        .delete_controller(created.id, Some(stale))
        .await
        .expect_err("stale delete")
        .error;
    assert!(matches!(e, ApiError::PreconditionFailed { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "412 Precondition Failed: it changed on the server since you loaded it; reload and try again"
    );
    // The exact updated_at the user saw (with milliseconds) must pass.
    gl.delete_controller(created.id, enabled.updated_at.as_ref().map(|t| t.at()))
        .await
        .expect("delete");
    assert_eq!(sim.gitlab().controller_state(created.id.0), None);

    let e = gl.get_controller(created.id).await.expect_err("gone");
    assert!(matches!(e, ApiError::NotFound { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "404 Not Found: runner controller {} was not found",
            created.id
        )
    );
    let e = gl
        .delete_controller(created.id, None)
        .await
        .expect_err("gone")
        .error;
    assert_eq!(e.status(), Some(404));
}

#[tokio::test]
async fn tokens_round_trip() {
    let sim = sim().await;
    let gl = client(&sim, sim.gitlab_token());
    let c = gl.create_controller(None, None).await.expect("create").0;
    assert_eq!(c.state, ControllerState::Disabled);

    let new = gl
        .create_token(c.id, Some("ci"))
        .await
        .expect("create token")
        .0;
    assert!(new.secret.expose_secret().contains("glrct-"));
    assert!(
        !format!("{new:?}").contains(new.secret.expose_secret()),
        "Debug hides the secret"
    );
    assert_eq!(
        sim.gitlab().verify_token(new.secret.expose_secret()),
        Some(new.token.id.0)
    );
    assert_eq!(new.token.runner_controller_id, c.id);

    let listed = gl.list_tokens(c.id).await.expect("list tokens");
    assert_eq!(
        listed.iter().map(|t| t.id).collect::<Vec<_>>(),
        vec![new.token.id]
    );
    assert_eq!(listed[0].description.as_deref(), Some("ci"));

    let rotated = gl.rotate_token(c.id, new.token.id).await.expect("rotate").0;
    assert_ne!(rotated.token.id, new.token.id);
    assert_eq!(sim.gitlab().token_ids(c.id.0), vec![rotated.token.id.0]);
    assert_eq!(sim.gitlab().verify_token(new.secret.expose_secret()), None);

    gl.revoke_token(c.id, rotated.token.id)
        .await
        .expect("revoke");
    assert!(gl.list_tokens(c.id).await.expect("list").is_empty());
    let e = gl
        .revoke_token(c.id, rotated.token.id)
        .await
        .expect_err("already revoked")
        .error;
    assert!(matches!(e, ApiError::NotFound { .. }), "{e:?}");
    assert!(e.to_string().contains(&format!(
        "token {} of runner controller {}",
        rotated.token.id, c.id
    )));
}

#[tokio::test]
async fn scopes_round_trip() {
    let sim = sim().await;
    let gl = client(&sim, sim.gitlab_token());
    let c = gl
        .create_controller(Some("scoped"), None)
        .await
        .expect("create")
        .0;
    assert_eq!(gl.scopes(c.id).await.expect("scopes"), Default::default());

    gl.instance_scope(Method::POST, c.id)
        .await
        .expect("instance scope");
    assert!(gl.scopes(c.id).await.expect("scopes").instance.is_some());
    let e = gl
        .instance_scope(Method::POST, c.id)
        .await
        .expect_err("twice")
        .error;
    assert!(matches!(e, ApiError::Conflict { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "409 Conflict: Instance-level scope already exists for this runner controller"
    );
    let e = gl
        .runner_scope(Method::POST, c.id, RunnerId(1))
        .await
        .expect_err("instance scope present")
        .error;
    assert!(
        e.to_string()
            .starts_with("409 Conflict: Runner controller already has instance-level scope")
    );

    gl.instance_scope(Method::DELETE, c.id)
        .await
        .expect("remove");
    gl.instance_scope(Method::DELETE, c.id)
        .await
        .expect("remove again is fine");
    gl.runner_scope(Method::POST, c.id, RunnerId(1))
        .await
        .expect("runner 1");
    gl.runner_scope(Method::POST, c.id, RunnerId(3))
        .await
        .expect("runner 3");
    let e = gl
        .runner_scope(Method::POST, c.id, RunnerId(6))
        .await
        .expect_err("project runner")
        .error;
    assert_eq!(
        e.to_string(),
        "422 Unprocessable Entity: Only instance-type runners can be scoped"
    );
    let scopes = gl.scopes(c.id).await.expect("scopes");
    assert_eq!(
        scopes
            .runners
            .iter()
            .map(|r| r.runner_id)
            .collect::<Vec<_>>(),
        vec![1, 3]
    );
    assert_eq!(sim.gitlab().scopes(c.id.0), Some((false, vec![1, 3])));
    gl.runner_scope(Method::DELETE, c.id, RunnerId(1))
        .await
        .expect("remove runner");
    assert_eq!(sim.gitlab().scopes(c.id.0), Some((false, vec![3])));
}

#[tokio::test]
async fn current_user_is_the_admin() {
    let sim = sim().await;
    let user = client(&sim, sim.gitlab_token())
        .current_user()
        .await
        .expect("user");
    assert_eq!(user.is_admin, Some(true));
    assert!(!user.username.is_empty());
}

#[tokio::test]
async fn auth_errors_read_plainly() {
    let sim = sim().await;
    let e = client(&sim, "sim-expired-token")
        .list_controllers()
        .await
        .expect_err("expired");
    assert!(matches!(e, ApiError::Unauthorized { .. }), "{e:?}");
    let text = e.to_string();
    assert!(
        text.starts_with("401 Unauthorized: the token was refused (invalid_token"),
        "{text}"
    );
    assert!(text.contains("Check the token"), "{text}");

    let e = client(&sim, "no-such-token")
        .list_controllers()
        .await
        .expect_err("unknown");
    assert_eq!(
        e.to_string(),
        "401 Unauthorized: the token was refused. Check the token: it may be wrong, expired or revoked"
    );
    assert!(!format!("{e:?}").contains("no-such-token"));

    let e = client(&sim, "sim-user-token")
        .list_controllers()
        .await
        .expect_err("not admin");
    assert!(matches!(e, ApiError::Forbidden { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "403 Forbidden: this needs an administrator's token, and with Admin Mode on the token also needs the admin_mode scope"
    );

    let read = client(&sim, "sim-read-token");
    assert!(read.list_controllers().await.is_ok(), "read_api may read");
    let e = read
        .create_controller(None, None)
        .await
        .expect_err("read_api cannot write")
        .error;
    assert!(
        e.to_string()
            .starts_with("403 Forbidden: the token lacks the api scope needed for changes"),
        "{e}"
    );
}

#[tokio::test]
async fn unlicensed_instance_says_so() {
    let sim = start(SimOptions {
        unlicensed: true,
        ..Default::default()
    })
    .await;
    let e = client(&sim, sim.gitlab_token())
        .list_controllers()
        .await
        .expect_err("unlicensed");
    assert_eq!(e, ApiError::NotLicensed);
    assert_eq!(
        e.to_string(),
        "runner controllers need GitLab Ultimate 18.9+ and an administrator token (the server answered 404)"
    );
}

#[tokio::test]
async fn validation_errors_show_gitlabs_message() {
    let sim = sim().await;
    let gl = client(&sim, sim.gitlab_token());
    let e = gl
        .create_controller(None, Some(&ControllerState::Other("paused".into())))
        .await
        .expect_err("bad state")
        .error;
    assert_eq!(
        e.to_string(),
        "400 Bad Request: state does not have a valid value"
    );
    let long = "x".repeat(1025);
    let e = gl
        .create_controller(Some(&long), None)
        .await
        .expect_err("too long")
        .error;
    assert!(matches!(e, ApiError::BadRequest { .. }), "{e:?}");
    assert!(e.to_string().contains("too long"), "{e}");
}

#[tokio::test]
async fn server_side_faults_read_plainly() {
    let sim = sim().await;
    let gl = client(&sim, sim.gitlab_token());

    sim.faults().fail_next(1, Fault::Status(500));
    let e = gl.list_controllers().await.expect_err("500");
    assert_eq!(
        e,
        ApiError::Server {
            status: 500,
            message: "500 Internal Server Error".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "500 Internal Server Error: the server failed; try again later"
    );

    sim.faults().fail_next(1, Fault::Html(502));
    let e = gl.list_controllers().await.expect_err("502");
    assert!(
        e.to_string()
            .starts_with("502 Bad Gateway from a proxy in front of the server"),
        "{e}"
    );

    sim.faults().fail_next(1, Fault::Garbage);
    let e = gl.list_controllers().await.expect_err("garbage");
    assert!(matches!(e, ApiError::NotJson { status: 200, .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("the server answered 200 with something that is not JSON ("),
        "{e}"
    );

    sim.faults().fail_next(1, Fault::RateLimited);
    let e = gl.list_controllers().await.expect_err("429");
    assert!(
        matches!(
            e,
            ApiError::RateLimited {
                retry_after: Some(_),
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .starts_with("429 Too Many Requests: Retry later; the server asks to retry in"),
        "{e}"
    );

    assert!(gl.list_controllers().await.is_ok(), "faults were used up");
}

#[tokio::test]
async fn a_hanging_server_times_out() {
    let sim = sim().await;
    let opts = HttpOptions {
        request_timeout: Duration::from_millis(300),
        ..Default::default()
    };
    let gl = client_with(&sim, sim.gitlab_token(), &opts);
    sim.faults().fail_next(1, Fault::Hang);
    let e = gl.list_controllers().await.expect_err("hang");
    assert_eq!(
        e,
        ApiError::Timeout {
            url_path: "/api/v4/runner_controllers".into()
        }
    );
    assert!(e.to_string().contains("/api/v4/runner_controllers"), "{e}");
}

#[tokio::test]
async fn a_refused_connection_says_so() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let gl = GitLab::new(
        &format!("http://127.0.0.1:{port}"),
        SecretString::from("t"),
        &HttpOptions::default(),
    )
    .expect("client");
    let e = gl.list_controllers().await.expect_err("refused");
    let ApiError::Connect { host, .. } = &e else {
        panic!("expected Connect, got {e:?}");
    };
    assert_eq!(host, &format!("127.0.0.1:{port}"));
    assert!(e.to_string().contains("connection refused"), "{e}");
}

#[tokio::test]
async fn the_token_never_shows() {
    let sim = sim().await;
    let gl = client(&sim, sim.gitlab_token());
    assert!(!format!("{gl:?}").contains(sim.gitlab_token()));
}
