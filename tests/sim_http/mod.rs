//! Plain HTTP against the embedded simulator for the `sim_*` tests: one client, one request
//! helper, and the answer kept whole (status, headers, text) so tests read it like a curl user.

#![allow(dead_code)]

use reqwest::header::HeaderMap;
use reqwest::{Client, Method, StatusCode};
use runnerdeck::sim::{SimOptions, Simulator};
use serde_json::Value;

pub const ADMIN: &str = "sim-admin-token";
pub const READ: &str = "sim-read-token";
pub const USER: &str = "sim-user-token";
pub const EXPIRED: &str = "sim-expired-token";
pub const NO_ADMIN_MODE: &str = "sim-admin-noadminmode-token";
pub const EXPIRING: &str = "sim-expiring-token";

pub const RC: &str = "/api/v4/runner_controllers";

pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `Link` header as (rel, url) pairs.
    pub fn links(&self) -> Vec<(String, String)> {
        let Some(link) = self.header("link") else {
            return Vec::new();
        };
        link.split(", ")
            .filter_map(|part| {
                let (url, rel) = part.split_once(">; rel=\"")?;
                Some((rel.trim_end_matches('"').to_string(), url[1..].to_string()))
            })
            .collect()
    }

    pub fn rel(&self, rel: &str) -> Option<String> {
        self.links()
            .into_iter()
            .find(|(r, _)| r == rel)
            .map(|(_, u)| u)
    }
}

/// A running simulator and a client for it.
pub struct Sim {
    pub sim: Simulator,
    client: Client,
}

impl Sim {
    pub async fn start(opts: SimOptions) -> Sim {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = Client::builder().no_proxy().build().expect("client");
        let sim = Simulator::start(opts).await.expect("simulator");
        Sim { sim, client }
    }

    /// A seeded simulator with some options changed.
    pub async fn with(change: impl FnOnce(&mut SimOptions)) -> Sim {
        let mut opts = SimOptions::default();
        change(&mut opts);
        Self::start(opts).await
    }

    pub async fn seeded() -> Sim {
        Self::start(SimOptions::default()).await
    }

    pub async fn empty() -> Sim {
        Self::start(SimOptions {
            seed: false,
            ..SimOptions::default()
        })
        .await
    }

    /// `path` below the simulator's URL, or a full URL (as found in a `Link` header).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        let url = if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.sim.url())
        };
        let mut rb = self.client.request(method, url);
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

    pub async fn get_as(&self, token: &str, path: &str) -> Resp {
        self.send(Method::GET, path, Some(token), None).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.get_as(ADMIN, path).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(ADMIN), Some(body)).await
    }

    /// POSTs and returns the `id` of what was created (asserting a 201).
    pub async fn create(&self, path: &str, body: Value) -> i64 {
        let r = self.post(path, body).await;
        assert_eq!(r.status, 201, "POST {path}: {}", r.text);
        r.json()["id"].as_i64().expect("an id")
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PUT, path, Some(ADMIN), Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, Some(ADMIN), None).await
    }

    /// `POST /-/sim/faults` with this body; the control endpoint needs no token.
    pub async fn control(&self, body: Value) -> StatusCode {
        let url = format!("{}/-/sim/faults", self.sim.url());
        let r = self.client.post(url).json(&body).send().await;
        r.expect("request").status()
    }
}
