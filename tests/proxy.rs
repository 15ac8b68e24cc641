//! The real binary behind `HTTPS_PROXY` / `HTTP_PROXY`: GitLab at `gitlab.test` (a name only
//! the test proxy knows) is reached through the proxy, over TLS with the run's CA or over plain
//! HTTP when the table allows it; doctor names the CA, the escape hatches and the proxy
//! variables, and no token is ever printed.

mod common;

use std::process::Command;

use common::tls::{Ca, Forwarder, Proxy};
use common::{GITLAB_TOKEN_ENV, TestEnv, run};
use runnerdeck::headless::doctor::PROXY_VARS;
use serde_json::Value;

/// The simulator behind TLS (a certificate for gitlab.test) and a proxy that knows the name.
struct Corp {
    env: TestEnv,
    fwd: Forwarder,
    proxy: Proxy,
    ca: std::path::PathBuf,
}

fn corp() -> Corp {
    let env = TestEnv::start();
    let ca = Ca::new("corp CA");
    let leaf = ca.server(&["gitlab.test"]);
    let fwd = env.block_on(Forwarder::start(env.sim.addr(), &leaf, None));
    let proxy = env.block_on(Proxy::start("gitlab.test"));
    let ca = ca.write(env.dir.path(), "corp-ca");
    Corp {
        env,
        fwd,
        proxy,
        ca,
    }
}

impl Corp {
    /// A config with only `[gitlab]` at `url`, plus `extra` in that table.
    fn config(&self, url: &str, extra: &str) {
        let text =
            format!("[gitlab]\nurl = \"{url}\"\ntoken_env = \"{GITLAB_TOKEN_ENV}\"\n{extra}\n");
        std::fs::write(&self.env.config, text).expect("write config");
    }

    /// `runnerdeck ARGS` with `var` (and its lowercase twin) the only proxy variable set.
    fn command(&self, var: &str, args: &[&str]) -> Command {
        let mut cmd = self.env.command(args);
        for v in PROXY_VARS {
            cmd.env_remove(v);
        }
        cmd.env(var, self.proxy.url());
        cmd.env(var.to_lowercase(), self.proxy.url());
        cmd
    }

    /// Runs it; no token in what it printed.
    fn run(&self, cmd: Command) -> (i32, String, String) {
        let (out, stdout, stderr) = run(cmd);
        let token = &self.env.gitlab_token;
        assert!(!stdout.contains(token), "token on stdout:\n{stdout}");
        assert!(!stderr.contains(token), "token on stderr:\n{stderr}");
        (out.status.code().expect("exit code"), stdout, stderr)
    }
}

fn doctor_line<'a>(stdout: &'a str, check: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.split("  ").map(str::trim).any(|part| part == check))
        .unwrap_or_else(|| panic!("no {check:?} line:\n{stdout}"))
}

#[test]
fn https_goes_through_the_proxy_with_connect_and_the_runs_ca() {
    let c = corp();
    let url = format!("https://gitlab.test:{}", c.fwd.port);
    c.config(&url, "");
    let (code, stdout, stderr) = c.run(c.command("HTTPS_PROXY", &["rc", "list", "-o", "json"]));
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("the certificate of gitlab.test is signed by an authority this machine does not trust: set ca_cert = "),
        "{stderr}"
    );

    c.config(&url, &format!("ca_cert = \"{}\"", c.ca.display()));
    let (code, stdout, stderr) = c.run(c.command("HTTPS_PROXY", &["rc", "list", "-o", "json"]));
    assert_eq!(code, 0, "{stderr}");
    let rows: Value = serde_json::from_str(&stdout).expect("json");
    let n = c.env.sim.gitlab().controller_ids().len();
    assert_eq!(rows.as_array().map(Vec::len), Some(n), "{stdout}");
    let asked = c.proxy.asked();
    assert!(!asked.is_empty(), "the proxy was not used");
    assert!(
        asked
            .iter()
            .all(|a| a == &format!("CONNECT gitlab.test:{}", c.fwd.port)),
        "{asked:?}"
    );
    assert!(c.env.list_requests() >= 1);

    let (code, stdout, stderr) = c.run(c.command("HTTPS_PROXY", &["doctor"]));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let tls = doctor_line(&stdout, "gitlab tls");
    assert!(tls.starts_with("ok"), "{tls}");
    assert!(
        tls.contains(&format!(
            "CA: ca_cert {} and the system roots",
            c.ca.display()
        )),
        "{tls}"
    );
    let proxy = doctor_line(&stdout, "proxy");
    assert!(proxy.contains("HTTPS_PROXY, https_proxy"), "{proxy}");
    assert!(
        !stdout.contains(&c.proxy.url()),
        "a proxy's value is never shown"
    );
    assert!(
        doctor_line(&stdout, "gitlab user").starts_with("ok"),
        "{stdout}"
    );
}

#[test]
fn plain_http_is_refused_before_any_request_unless_the_table_allows_it() {
    let c = corp();
    let url = format!("http://gitlab.test:{}", c.env.sim.addr().port());
    c.config(&url, "");
    let (code, stdout, stderr) = c.run(c.command("HTTP_PROXY", &["rc", "list", "-o", "json"]));
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("refusing to send the token in clear text to http://gitlab.test"),
        "{stderr}"
    );
    assert!(stderr.contains("use https://"), "{stderr}");
    assert!(
        stderr.contains("allow_insecure_http = true in [gitlab]"),
        "{stderr}"
    );
    assert!(c.proxy.asked().is_empty(), "{:?}", c.proxy.asked());
    assert!(c.env.requests().is_empty());

    c.config(&url, "allow_insecure_http = true");
    let (code, stdout, stderr) = c.run(c.command("HTTP_PROXY", &["rc", "list", "-o", "json"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with('['), "{stdout}");
    let port = c.env.sim.addr().port();
    assert!(
        c.proxy.asked().contains(&format!("GET gitlab.test:{port}")),
        "{:?}",
        c.proxy.asked()
    );

    let (code, stdout, stderr) = c.run(c.command("HTTP_PROXY", &["doctor"]));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let tls = doctor_line(&stdout, "gitlab tls");
    assert!(tls.starts_with("warn"), "{tls}");
    assert!(tls.contains("INSECURE"), "{tls}");
    assert!(
        tls.contains("allow_insecure_http = true in [gitlab]"),
        "{tls}"
    );
}

#[test]
fn doctor_warns_about_insecure_skip_verify() {
    let c = corp();
    let url = format!("https://gitlab.test:{}", c.fwd.port);
    c.config(&url, "insecure_skip_verify = true");
    let (code, stdout, stderr) = c.run(c.command("HTTPS_PROXY", &["doctor", "-o", "json"]));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let checks: Value = serde_json::from_str(&stdout).expect("json");
    let tls = checks
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["check"] == "gitlab tls")
        .unwrap_or_else(|| panic!("no gitlab tls check:\n{stdout}"));
    assert_eq!(tls["status"], "warn", "{tls}");
    let detail = tls["detail"].as_str().expect("detail");
    assert!(
        detail.contains("insecure_skip_verify = true in [gitlab]"),
        "{detail}"
    );
}
