//! A tiny HTTP server that answers from a script, one canned answer per request in order, and
//! records what it was asked: for retries, redirects and size limits, where the simulator's
//! honest behaviour is not what a test needs. Listens on 127.0.0.1 only.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use tokio::task::JoinHandle;

/// One answer.
#[derive(Clone)]
pub enum Canned {
    /// Status, headers, body.
    Fixed(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// 200 with a body that never ends (no content length).
    Endless,
    /// Never answers.
    Hang,
}

impl Canned {
    pub fn json(status: u16, body: &str) -> Canned {
        Canned::Fixed(
            status,
            vec![("content-type", "application/json".into())],
            body.as_bytes().to_vec(),
        )
    }

    pub fn html(status: u16, title: &str) -> Canned {
        let page = format!("<html><head><title>{title}</title></head><body>nginx</body></html>");
        Canned::Fixed(
            status,
            vec![("content-type", "text/html".into())],
            page.into_bytes(),
        )
    }

    /// Adds a header.
    pub fn with(self, name: &'static str, value: &str) -> Canned {
        match self {
            Canned::Fixed(s, mut h, b) => {
                h.push((name, value.to_string()));
                Canned::Fixed(s, h, b)
            }
            other => other,
        }
    }
}

/// A request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub method: String,
    /// Path and query: `/api/v4/runner_controllers?page=2&per_page=100`.
    pub target: String,
    /// The `PRIVATE-TOKEN` header, if any.
    pub token: Option<String>,
}

#[derive(Default)]
struct Inner {
    script: VecDeque<Canned>,
    seen: Vec<Seen>,
}

pub struct Scripted {
    pub port: u16,
    inner: Arc<Mutex<Inner>>,
    task: JoinHandle<()>,
}

impl Scripted {
    /// Answers `script` in order, then 404 to everything.
    pub async fn start(script: Vec<Canned>) -> Scripted {
        let inner = Arc::new(Mutex::new(Inner {
            script: script.into(),
            seen: Vec::new(),
        }));
        let app = axum::Router::new()
            .fallback(answer)
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Scripted { port, inner, task }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.inner.lock().expect("lock").seen.clone()
    }
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn answer(State(inner): State<Arc<Mutex<Inner>>>, req: Request) -> Response {
    let next = {
        let mut inner = inner.lock().expect("lock");
        inner.seen.push(Seen {
            method: req.method().to_string(),
            target: req
                .uri()
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            token: req
                .headers()
                .get("private-token")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
        });
        inner.script.pop_front()
    };
    match next.unwrap_or_else(|| Canned::json(404, r#"{"message":"404 Not Found"}"#)) {
        Canned::Fixed(status, headers, body) => {
            let mut resp = Response::new(Body::from(body));
            *resp.status_mut() = StatusCode::from_u16(status).expect("status");
            for (k, v) in headers {
                resp.headers_mut().insert(
                    HeaderName::from_static(k),
                    HeaderValue::from_str(&v).expect("header value"),
                );
            }
            resp
        }
        Canned::Endless => {
            let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
            let stream =
                futures::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
            Response::new(Body::from_stream(stream))
        }
        Canned::Hang => std::future::pending().await,
    }
}
