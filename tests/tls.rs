//! The token's way to the server is safe, or plainly refused: the simulator behind a TLS
//! forwarder with a CA made for the run; `ca_cert`, mutual TLS, expired and misnamed
//! certificates, `insecure_skip_verify`; and redirects that never take the token elsewhere.

mod common;

use std::time::Duration;

use common::scripted::{Canned, Scripted};
use common::tls::{Ca, Forwarder, Leaf};
use runnerdeck::api::{ApiError, GitLab, HttpOptions, Insecurity, RetryPolicy, Vehaas};
use runnerdeck::config;
use runnerdeck::sim::{SimOptions, Simulator};
use secrecy::SecretString;
use tempfile::TempDir;

struct Served {
    sim: Simulator,
    fwd: Forwarder,
    ca: Ca,
    dir: TempDir,
}

/// The simulator behind TLS with a certificate for `names`, signed by a fresh CA.
async fn served(names: &[&str], client_ca: Option<&Ca>) -> Served {
    let ca = Ca::new("runnerdeck test CA");
    served_with(ca.server(names), ca, client_ca).await
}

async fn served_with(leaf: Leaf, ca: Ca, client_ca: Option<&Ca>) -> Served {
    let sim = Simulator::start(SimOptions {
        port: 0,
        ..SimOptions::default()
    })
    .await
    .expect("simulator");
    let fwd = Forwarder::start(sim.addr(), &leaf, client_ca).await;
    let dir = tempfile::tempdir().expect("tempdir");
    Served { sim, fwd, ca, dir }
}

impl Served {
    fn url(&self, host: &str) -> String {
        format!("https://{host}:{}", self.fwd.port)
    }

    /// `[gitlab]` (or `[contexts.NAME.gitlab]`) at `url` with `extra` keys, read like the
    /// program reads it; the client it makes.
    fn gitlab(&self, table: &str, url: &str, extra: &str) -> Result<GitLab, ApiError> {
        let text = format!("[{table}]\nurl = \"{url}\"\ntoken_env = \"X\"\n{extra}\n");
        let text = if table == "gitlab" {
            text
        } else {
            format!("[gitlab]\nurl = \"https://unused\"\ntoken_env = \"X\"\n{text}")
        };
        let (cfg, warnings) =
            config::parse(&text, std::path::Path::new("t.toml")).expect("config parses");
        assert!(warnings.is_empty(), "{warnings:?}");
        let name = table
            .strip_prefix("contexts.")
            .and_then(|r| r.split('.').next());
        let ctx = cfg.context(name).expect("context");
        let mut opts = cfg.http.options_for(&ctx.gitlab.tls);
        opts.retry.base_delay = Duration::from_millis(1);
        GitLab::new(&ctx.gitlab.url, token(&self.sim), &opts)
    }
}

impl Served {
    /// `[gitlab]` at https://localhost with `extra`.
    fn localhost(&self, extra: &str) -> GitLab {
        self.gitlab("gitlab", &self.url("localhost"), extra)
            .expect("client")
    }

    /// `ca_cert = "..."` naming the run's CA, written to a file.
    fn ca_line(&self) -> String {
        let path = self.ca.write(self.dir.path(), "ca");
        format!("ca_cert = \"{}\"", path.display())
    }
}

/// `client_cert` and `client_key` lines.
fn client_keys(cert: &std::path::Path, key: &std::path::Path) -> String {
    format!(
        "client_cert = \"{}\"\nclient_key = \"{}\"",
        cert.display(),
        key.display()
    )
}

fn token(sim: &Simulator) -> SecretString {
    SecretString::from(sim.gitlab_token().to_string())
}

fn tls_error(r: Result<impl std::fmt::Debug, ApiError>, sim: &Simulator) -> String {
    let e = r.expect_err("a TLS failure");
    let text = format!("{e} {e:?}");
    assert!(!text.contains(sim.gitlab_token()), "{text}");
    let ApiError::Tls { message, .. } = e else {
        panic!("expected ApiError::Tls, got {e:?}");
    };
    message
}

#[tokio::test]
async fn one_ca_cert_line_is_all_it_takes() {
    let s = served(&["localhost"], None).await;
    let gl = s.localhost(&s.ca_line());
    assert_eq!(gl.insecurity(), None);
    let rows = gl.list_controllers().await.expect("over TLS");
    assert_eq!(rows.len(), s.sim.gitlab().controller_ids().len());
    assert!(!rows.is_empty());
}

#[tokio::test]
async fn without_ca_cert_the_error_says_to_set_it_in_the_right_table() {
    let s = served(&["localhost"], None).await;
    let gl = s
        .gitlab("contexts.corp.gitlab", &s.url("localhost"), "")
        .expect("client");
    let message = tls_error(gl.list_controllers().await, &s.sim);
    assert_eq!(
        message,
        "the certificate of localhost is signed by an authority this machine does not trust: set ca_cert = \"/path/to/ca.pem\" in [contexts.corp.gitlab] (the PEM certificate of the authority that signed it)"
    );
    assert!(s.sim.requests().is_empty(), "nothing got through");
    assert_eq!(s.fwd.accepted(), 1, "a certificate error is not retried");

    let other = Ca::new("some other CA").write(s.dir.path(), "other");
    let gl = s
        .gitlab(
            "gitlab",
            &s.url("localhost"),
            &format!("ca_cert = \"{}\"", other.display()),
        )
        .expect("client");
    let message = tls_error(gl.list_controllers().await, &s.sim);
    assert!(
        message.contains("neither this machine nor ca_cert"),
        "{message}"
    );
}

#[tokio::test]
async fn vehaas_names_its_own_table() {
    let s = served(&["localhost"], None).await;
    let v = Vehaas::new(
        &s.url("localhost"),
        SecretString::from(s.sim.vehaas_token().to_string()),
        Default::default(),
        &HttpOptions::default(),
        None,
    )
    .expect("client");
    let message = tls_error(v.list_sessions().await, &s.sim);
    assert!(message.contains("set ca_cert = "), "{message}");
    assert!(message.ends_with("in [vehaas] (the PEM certificate of the authority that signed it)"));
}

#[tokio::test]
async fn expired_and_misnamed_certificates_read_plainly() {
    let ca = Ca::new("runnerdeck test CA");
    let s = served_with(ca.expired_server(&["localhost"]), ca, None).await;
    let gl = s.localhost(&s.ca_line());
    let message = tls_error(gl.list_controllers().await, &s.sim);
    assert!(
        message.starts_with("the certificate of localhost has expired"),
        "{message}"
    );

    let s = served(&["localhost"], None).await;
    let gl = s
        .gitlab("gitlab", &s.url("127.0.0.1"), &s.ca_line())
        .expect("client");
    let message = tls_error(gl.list_controllers().await, &s.sim);
    assert_eq!(
        message,
        "the certificate of 127.0.0.1 is for another host name (localhost): use that name in the url of [gitlab]"
    );
}

#[tokio::test]
async fn mutual_tls_works_with_client_cert_and_key_and_fails_plainly_without() {
    let clients = Ca::new("client CA");
    let s = served(&["localhost"], Some(&clients)).await;
    let ca = s.ca_line();
    let (cert, key) = clients.client("admin").write(s.dir.path(), "admin");
    let gl = s.localhost(&format!("{ca}\n{}", client_keys(&cert, &key)));
    assert!(gl.list_controllers().await.is_ok(), "with a client cert");

    let message = tls_error(s.localhost(&ca).list_controllers().await, &s.sim);
    assert_eq!(
        message,
        "localhost asks for a client certificate (mutual TLS): set client_cert and client_key in [gitlab] (PEM files)"
    );

    let stranger = Ca::new("stranger").client("admin");
    let (cert, key) = stranger.write(s.dir.path(), "stranger");
    let gl = s.localhost(&format!("{ca}\n{}", client_keys(&cert, &key)));
    let message = tls_error(gl.list_controllers().await, &s.sim);
    let want = format!(
        "localhost refused the client certificate {}",
        cert.display()
    );
    assert!(message.starts_with(&want), "{message}");

    let broken = format!("{ca}\n{}", client_keys(&key, &key));
    let e = s
        .gitlab("gitlab", &s.url("localhost"), &broken)
        .expect_err("not a certificate");
    let text = e.to_string();
    assert!(
        text.contains("in [gitlab] are not a PEM certificate"),
        "{text}"
    );
}

#[tokio::test]
async fn insecure_skip_verify_connects_and_says_so() {
    let s = served(&["localhost"], None).await;
    let gl = s.localhost("insecure_skip_verify = true");
    assert_eq!(gl.insecurity(), Some(Insecurity::SkipVerify));
    assert!(gl.list_controllers().await.is_ok());
}

#[tokio::test]
async fn plain_http_off_this_machine_is_refused_before_any_request() {
    let e = GitLab::new(
        "http://gitlab.corp.example",
        SecretString::from("glpat-NEVER-SENT"),
        &HttpOptions::default(),
    )
    .expect_err("refused");
    let text = e.to_string();
    assert!(text.contains("use https://"), "{text}");
    assert!(
        text.contains("allow_insecure_http = true in [gitlab]"),
        "{text}"
    );
    assert!(!text.contains("glpat-NEVER-SENT"), "{text}");
}

const USER: &str = r#"{"id":1,"username":"root","is_admin":true}"#;

#[tokio::test]
async fn a_redirect_to_another_port_is_not_followed() {
    let elsewhere = Scripted::start(vec![Canned::json(200, USER)]).await;
    let to = format!("{}/api/v4/user?state=abc", elsewhere.url());
    let server = Scripted::start(vec![Canned::json(302, "{}").with("location", &to)]).await;
    let gl = GitLab::new(
        &server.url(),
        SecretString::from("glpat-STAYS"),
        &HttpOptions::default(),
    )
    .expect("client");
    let e = gl.current_user().await.expect_err("not followed");
    assert_eq!(
        e,
        ApiError::Redirect {
            status: 302,
            location: format!("{}/api/v4/user", elsewhere.url()),
        }
    );
    assert!(
        e.to_string()
            .contains("follows redirects only within the same server"),
        "{e}"
    );
    assert!(elsewhere.seen().is_empty(), "{:?}", elsewhere.seen());
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_redirect_on_the_same_server_is_followed() {
    let server = Scripted::start(vec![
        Canned::json(301, "{}").with("location", "/gitlab/api/v4/user"),
        Canned::json(200, USER),
    ])
    .await;
    let gl = GitLab::new(
        &server.url(),
        SecretString::from("glpat-SAME"),
        &HttpOptions::default(),
    )
    .expect("client");
    let user = gl.current_user().await.expect("followed");
    assert_eq!(user.username, "root");
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].target, "/gitlab/api/v4/user");
    assert_eq!(seen[1].token.as_deref(), Some("glpat-SAME"));
}

#[test]
fn retry_policy_is_standard_from_the_config() {
    let opts = config::HttpConfig::default().options();
    assert_eq!(opts.retry, RetryPolicy::standard());
    assert_eq!(opts.max_body_bytes, 32 * 1024 * 1024);
}
