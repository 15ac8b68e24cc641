//! The veHaaS client against the embedded simulator, in its documented and its lenient shapes:
//! the booking lifecycle, errors, `POST /jobs` never retried, and deprecation notices.

use std::time::Duration;

use runnerdeck::api::{ApiError, HttpOptions, Vehaas, VehaasPaths};
use runnerdeck::domain::{
    Deprecation, Job, JobId, JobState, RunnerRequest, SessionId, SessionState,
};
use runnerdeck::sim::faults::Fault;
use runnerdeck::sim::{SimOptions, Simulator};
use secrecy::SecretString;
use tokio::sync::mpsc;

async fn start(lenient: bool) -> Simulator {
    Simulator::start(SimOptions {
        job_step: Duration::from_millis(50),
        vehaas_lenient: lenient,
        ..Default::default()
    })
    .await
    .expect("simulator starts")
}

fn client(
    sim: &Simulator,
    opts: &HttpOptions,
    notices: Option<mpsc::UnboundedSender<Deprecation>>,
) -> Vehaas {
    let token = SecretString::from(sim.vehaas_token().to_string());
    Vehaas::new(&sim.url(), token, VehaasPaths::default(), opts, notices).expect("client")
}

fn request(assembly: &str, minutes: u64) -> RunnerRequest {
    RunnerRequest {
        assembly_ref: assembly.into(),
        duration: Duration::from_secs(minutes * 60),
        provider_url: "https://gitlab.example.com/".into(),
        put_in_queue: true,
    }
}

/// Polls the job until it is finished or failed (the simulator steps every 50 ms).
async fn wait_for(v: &Vehaas, job_id: &JobId) -> Job {
    for _ in 0..400 {
        let job = v.get_job(job_id).await.expect("get job");
        if job.state.is_terminal() {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("job {job_id} never finished");
}

async fn lifecycle(lenient: bool) {
    let sim = start(lenient).await;
    let v = client(&sim, &HttpOptions::default(), None);

    let sessions = v.list_sessions().await.expect("sessions");
    let mut ids: Vec<String> = sessions.iter().map(|s| s.id.to_string()).collect();
    ids.sort();
    let mut want = sim.vehaas().session_ids();
    want.sort();
    assert_eq!(ids, want);
    assert!(
        sessions.iter().any(|s| s.state == SessionState::Active),
        "{sessions:?}"
    );
    assert!(
        sessions
            .iter()
            .all(|s| s.end.is_some() && s.duration.is_some()),
        "{sessions:?}"
    );

    let job = v
        .request_runner(&request("ECU-RIG-B1", 10))
        .await
        .expect("request runner")
        .0;
    assert!(!job.job_id.as_str().is_empty());
    assert_eq!(job.assembly_ref.as_deref(), Some("ECU-RIG-B1"));
    let done = wait_for(&v, &job.job_id).await;
    assert_eq!(done.state, JobState::Finished, "{done:?}");
    let tag = done
        .gitlab_runner_tag
        .clone()
        .expect("finished job has a tag");
    let session_id = done.session_id.clone().expect("finished job has a session");

    let session = v
        .list_sessions()
        .await
        .expect("sessions")
        .into_iter()
        .find(|s| s.id == session_id)
        .expect("the booked session is listed");
    assert_eq!(session.gitlab_runner_tag.as_deref(), Some(tag.as_str()));
    assert_eq!(session.duration, Some(Duration::from_secs(600)));
    let end = session.end.expect("end").at();

    let new_end = end + jiff::SignedDuration::from_mins(30);
    let extended = v
        .extend_session(&session_id, new_end)
        .await
        .expect("extend")
        .0;
    assert_eq!(extended.end.map(|e| e.at()), Some(new_end));
    assert_eq!(sim.vehaas().session_end(session_id.as_str()), Some(new_end));

    v.release_session(&session_id).await.expect("release");
    assert_eq!(
        sim.vehaas().session_state(session_id.as_str()).as_deref(),
        Some("released")
    );
    let e = v
        .release_session(&session_id)
        .await
        .expect_err("already released")
        .error;
    assert!(matches!(e, ApiError::Conflict { .. }), "{e:?}");
}

#[tokio::test]
async fn lifecycle_in_the_documented_shapes() {
    lifecycle(false).await;
}

#[tokio::test]
async fn lifecycle_in_the_lenient_shapes() {
    lifecycle(true).await;
}

#[tokio::test]
async fn errors_read_plainly() {
    let sim = start(false).await;
    let v = client(&sim, &HttpOptions::default(), None);

    let e = v
        .get_job(&JobId::from("no-such-job"))
        .await
        .expect_err("unknown job");
    assert_eq!(
        e.to_string(),
        "404 Not Found: job no-such-job was not found (Job not found)"
    );

    let e = v
        .extend_session(
            &SessionId::from("1041"),
            jiff::Timestamp::now() + jiff::SignedDuration::from_hours(5),
        )
        .await
        .expect_err("a later booking clashes")
        .error;
    assert!(matches!(e, ApiError::Conflict { .. }), "{e:?}");
    assert!(e.to_string().starts_with("409 Conflict: "), "{e}");

    let e = v
        .request_runner(&request("HIL-BENCH-03", 0))
        .await
        .expect_err("zero duration")
        .error;
    assert!(matches!(e, ApiError::Unprocessable { .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("422 Unprocessable Entity: body.duration: "),
        "{e}"
    );

    let wrong = Vehaas::new(
        &sim.url(),
        SecretString::from("wrong"),
        VehaasPaths::default(),
        &HttpOptions::default(),
        None,
    )
    .expect("client");
    let e = wrong.list_sessions().await.expect_err("bad token");
    assert!(matches!(e, ApiError::Unauthorized { .. }), "{e:?}");
    assert!(!format!("{e:?} {e} {wrong:?}").contains(sim.vehaas_token()));

    sim.faults().fail_next(1, Fault::Html(503));
    let e = v.list_sessions().await.expect_err("proxy page");
    assert!(
        e.to_string()
            .starts_with("503 Service Unavailable from a proxy"),
        "{e}"
    );
    sim.faults().fail_next(1, Fault::Garbage);
    let e = v.list_sessions().await.expect_err("garbage");
    assert!(matches!(e, ApiError::NotJson { status: 200, .. }), "{e:?}");
}

#[tokio::test]
async fn post_jobs_is_sent_exactly_once_even_on_timeout() {
    let sim = start(false).await;
    let opts = HttpOptions {
        request_timeout: Duration::from_millis(300),
        ..Default::default()
    };
    let v = client(&sim, &opts, None);
    sim.faults().fail_next(1, Fault::Hang);
    let e = v
        .request_runner(&request("ECU-RIG-B1", 10))
        .await
        .expect_err("hang")
        .error;
    assert_eq!(
        e,
        ApiError::Timeout {
            url_path: "/api/v2.0/jobs".into()
        }
    );
    let posts = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v2.0/jobs")
        .count();
    assert_eq!(posts, 1);

    sim.faults().fail_next(1, Fault::Status(500));
    let e = v
        .request_runner(&request("ECU-RIG-B1", 10))
        .await
        .expect_err("500")
        .error;
    assert_eq!(e.status(), Some(500));
    let posts = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path == "/api/v2.0/jobs")
        .count();
    assert_eq!(posts, 2, "one per call, never a retry");
    assert_eq!(sim.vehaas().jobs_created(), 0);
}

#[tokio::test]
async fn deprecation_is_noticed_once() {
    let sim = start(false).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let v = client(&sim, &HttpOptions::default(), Some(tx));
    v.list_sessions().await.expect("sessions");
    assert!(rx.try_recv().is_err(), "sessions are not deprecated");

    v.request_runner(&request("ECU-RIG-B1", 10))
        .await
        .expect("first");
    let notice = rx.try_recv().expect("a notice");
    assert_eq!(notice.api, "veHaaS");
    assert_eq!(notice.endpoint, "POST /api/v2.0/jobs");
    assert_eq!(notice.since.as_deref(), Some("2026-01-01"));
    assert!(
        notice.sunset.as_deref().is_some_and(|s| s.contains("2027")),
        "{notice:?}"
    );
    assert!(
        notice
            .link
            .as_deref()
            .is_some_and(|l| l.starts_with("https://")),
        "{notice:?}"
    );

    v.request_runner(&request("ECU-RIG-B1", 10))
        .await
        .expect("second");
    assert!(rx.try_recv().is_err(), "deduplicated per endpoint");
}

#[tokio::test]
async fn configured_paths_are_used() {
    let sim = start(false).await;
    let paths = VehaasPaths {
        sessions: "/api/v2.0/nowhere".into(),
        ..Default::default()
    };
    let token = SecretString::from(sim.vehaas_token().to_string());
    let v = Vehaas::new(
        &format!("{}/", sim.url()),
        token,
        paths,
        &HttpOptions::default(),
        None,
    )
    .expect("client");
    let e = v.list_sessions().await.expect_err("no such route");
    assert_eq!(e.status(), Some(404));
    assert!(sim.requests().iter().any(|r| r.path == "/api/v2.0/nowhere"));
}
