//! The embedded simulator: an honest HTTP server on 127.0.0.1 speaking the GitLab runner
//! controllers API and the veHaaS API, with fault injection. It backs `--demo`, `simulate`,
//! the integration tests and the benchmarks, and shares no code with the clients in `api/`.

mod concurrency;
pub mod faults;
mod faults_responses;
pub mod gitlab;
mod gitlab_about;
mod gitlab_audit;
mod gitlab_audit_http;
mod gitlab_auth;
mod gitlab_controllers;
mod gitlab_identity;
mod gitlab_inspect;
mod gitlab_params;
mod gitlab_runners;
mod gitlab_scopes;
mod gitlab_tokens;
mod pagination;
mod seed;
mod seed_history;
mod seed_rows;
pub mod vehaas;

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use concurrency::Concurrency;
pub use faults::{Fault, Faults};
pub use gitlab::GitlabSim;
pub use gitlab_inspect::AuditRecord;

/// How the simulator behaves. `Default` gives a seeded, licensed, fast simulator.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// 0 picks a free port.
    pub port: u16,
    /// Added to every response; it becomes `Faults`' base latency (see `Faults::set_latency`).
    pub latency: Duration,
    /// Seed realistic data.
    pub seed: bool,
    /// veHaaS answers in the alternative shapes (used by `vehaas.rs`).
    pub vehaas_lenient: bool,
    /// veHaaS job progress step.
    pub job_step: Duration,
    /// Every runner controllers endpoint answers 404, as on an instance without Ultimate.
    pub unlicensed: bool,
    /// Admin Mode on: tokens without the `admin_mode` scope get 403.
    pub admin_mode: bool,
    /// What `GET /api/v4/version` says, e.g. `18.10.1-ee` (a `-ce` suffix: not enterprise).
    pub gitlab_version: String,
    /// Audit events in the older shape: `event_name` only inside `details`.
    pub audit_event_name_in_details_only: bool,
    /// At least this many controllers: generated ones are added after the seed (0: none).
    pub controllers: usize,
    /// Past this many rows the lists leave out `X-Total` and `X-Total-Pages` (GitLab: 10,000;
    /// 0 leaves them out of every list that is not empty).
    pub count_limit: usize,
}

impl Default for SimOptions {
    fn default() -> Self {
        Self {
            port: 0,
            latency: Duration::ZERO,
            seed: true,
            vehaas_lenient: false,
            job_step: Duration::from_secs(1),
            unlicensed: false,
            admin_mode: false,
            gitlab_version: "18.10.1-ee".to_string(),
            audit_event_name_in_details_only: false,
            controllers: 0,
            count_limit: gitlab::COUNT_LIMIT,
        }
    }
}

/// One request the simulator served. `status` is 0 for a request held by a `Fault::Hang`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
}

/// Keeps the most recent requests; bounded so a long `simulate` session does not grow forever.
#[derive(Debug, Clone, Default)]
pub(crate) struct Recorder {
    inner: Arc<Mutex<VecDeque<RecordedRequest>>>,
}

const MAX_RECORDED: usize = 100_000;

impl Recorder {
    pub(crate) fn push(&self, r: RecordedRequest) {
        let mut q = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        if q.len() >= MAX_RECORDED {
            q.pop_front();
        }
        q.push_back(r);
    }

    fn all(&self) -> Vec<RecordedRequest> {
        let q = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        q.iter().cloned().collect()
    }
}

/// A running simulator. Dropping it stops the server too (the shutdown channel closes).
pub struct Simulator {
    addr: SocketAddr,
    faults: Faults,
    recorder: Recorder,
    concurrency: Concurrency,
    gitlab: GitlabSim,
    vehaas: vehaas::VehaasSim,
    shutdown_tx: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds 127.0.0.1:`opts.port` and serves in a tokio task.
    pub async fn start(opts: SimOptions) -> std::io::Result<Simulator> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port)).await?;
        let addr = listener.local_addr()?;
        let faults = Faults::new(opts.latency);
        let recorder = Recorder::default();
        let concurrency = Concurrency::default();
        let gitlab = GitlabSim::new(&opts);
        let vehaas = vehaas::VehaasSim::new(&opts);
        let (shutdown_tx, shutdown_rx) = watch::channel(false);

        let app = axum::Router::new()
            .merge(gitlab::router(gitlab.clone()))
            .merge(vehaas::router(vehaas.clone()))
            .merge(faults::control_router(faults.clone()))
            .layer(axum::middleware::from_fn_with_state(
                faults::MiddlewareCtx {
                    faults: faults.clone(),
                    recorder: recorder.clone(),
                    concurrency: concurrency.clone(),
                    shutdown: shutdown_rx.clone(),
                },
                faults::middleware,
            ));

        let mut signal = shutdown_rx;
        let task = tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // Resolves on `send(true)` and when the sender is dropped.
                    let _ = signal.wait_for(|stop| *stop).await;
                })
                .await;
            if let Err(e) = served {
                tracing::warn!("simulator server stopped with an error: {e}");
            }
        });

        Ok(Simulator {
            addr,
            faults,
            recorder,
            concurrency,
            gitlab,
            vehaas,
            shutdown_tx,
            task: Some(task),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL of both APIs, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The admin token with `api` and `admin_mode` scopes.
    pub fn gitlab_token(&self) -> &'static str {
        gitlab::ADMIN_TOKEN
    }

    pub fn vehaas_token(&self) -> &'static str {
        vehaas::VEHAAS_TOKEN
    }

    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Requests in flight at once (fault-control requests excluded), and gates that hold some.
    pub fn concurrency(&self) -> &Concurrency {
        &self.concurrency
    }

    /// Every request served (fault-control requests excluded), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.recorder.all()
    }

    pub fn gitlab(&self) -> &GitlabSim {
        &self.gitlab
    }

    pub fn vehaas(&self) -> &vehaas::VehaasSim {
        &self.vehaas
    }

    /// Graceful shutdown: stops accepting, releases hung requests, waits (bounded) for the
    /// server task.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown_tx.send(true);
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

/// `runnerdeck simulate`: serve until ctrl-c, after telling the human how to use it.
pub async fn run_standalone(opts: SimOptions) -> std::io::Result<()> {
    let sim = Simulator::start(opts).await?;
    println!("{}", standalone_banner(&sim.url()));
    tokio::signal::ctrl_c().await?;
    println!("stopping the simulator");
    sim.shutdown().await;
    Ok(())
}

fn standalone_banner(url: &str) -> String {
    format!(
        r#"runnerdeck simulator listening on {url}
  GitLab API:  {url}/api/v4
  veHaaS API:  {url}/api/v2.0

Point runnerdeck at it (config.toml):

  [gitlab]
  url = "{url}"
  token_env = "RUNNERDECK_SIM_GITLAB_TOKEN"

  [vehaas]
  url = "{url}"
  token_env = "RUNNERDECK_SIM_VEHAAS_TOKEN"

and export the simulator's (fake) tokens:

  export RUNNERDECK_SIM_GITLAB_TOKEN={admin}
  export RUNNERDECK_SIM_VEHAAS_TOKEN={vehaas}

Other GitLab tokens the simulator knows:
  {read:<28} admin, read_api only (writes get 403 insufficient_scope)
  {user:<28} not an admin (403)
  {expired:<28} expired (401 invalid_token)
  {noadm:<28} admin without the admin_mode scope (403 when Admin Mode is on)
  {expiring:<28} admin like the first one, but it expires in 5 days

Inject faults while it runs:
  curl -X POST {url}/-/sim/faults -H 'Content-Type: application/json' -d '{{"delay_ms": 3000}}'
  curl -X POST {url}/-/sim/faults -H 'Content-Type: application/json' \
       -d '{{"fail_next": 3, "fault": "500", "path_prefix": "/api/v4"}}'
       (fault: "500" or any status, "html", "garbage", "429", "hang")
  curl -X POST {url}/-/sim/faults -H 'Content-Type: application/json' \
       -d '{{"sequence": ["429", "html", "500"]}}'
       (one request each, in order; a 429 in a sequence says Retry-After: 1)
  curl {url}/-/sim/faults            # show what is armed
  curl -X DELETE {url}/-/sim/faults  # clear

Press ctrl-c to stop."#,
        admin = gitlab::ADMIN_TOKEN,
        vehaas = vehaas::VEHAAS_TOKEN,
        read = gitlab::READ_TOKEN,
        user = gitlab::USER_TOKEN,
        expired = gitlab::EXPIRED_TOKEN,
        noadm = gitlab::NO_ADMIN_MODE_TOKEN,
        expiring = gitlab::EXPIRING_TOKEN,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_mentions_tokens_and_fault_endpoint() {
        let b = standalone_banner("http://127.0.0.1:1");
        assert!(b.contains("sim-admin-token"));
        assert!(b.contains("token_env"));
        assert!(b.contains("/-/sim/faults"));
        assert!(b.contains("sim-expiring-token") && b.contains("\"sequence\""));
    }
}
