//! Shared harness of the end-to-end tests: an in-process simulator on its own tokio runtime, a
//! temporary config pointing at it, the real binary in a pseudo-terminal read into a `vt100`
//! screen, and polling helpers. Waiting for a condition (on screen or in the simulator) is the
//! only synchronization: no fixed sleeps.
//!
//! Tokens reach the child only through its environment, never its command line.

#![allow(dead_code)]

pub mod scripted;
pub mod tls;

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use runnerdeck::sim::{RecordedRequest, SimOptions, Simulator};
use tempfile::TempDir;

/// Generous, for a loaded 2-core machine.
pub const DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);

pub const GITLAB_TOKEN_ENV: &str = "RD_E2E_GITLAB_TOKEN";
pub const VEHAAS_TOKEN_ENV: &str = "RD_E2E_VEHAAS_TOKEN";

/// Path of the controllers list endpoint.
pub const LIST_PATH: &str = "/api/v4/runner_controllers";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_runnerdeck")
}

/// Polls `cond` every ~50 ms until it holds; panics naming `what` after the deadline.
pub fn wait_until(mut cond: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    loop {
        if cond() {
            return;
        }
        if start.elapsed() > DEADLINE {
            panic!("timed out after {DEADLINE:?} waiting until {what}");
        }
        std::thread::sleep(POLL);
    }
}

/// Environment variables that must not leak from the developer's shell into the child.
const SCRUBBED_ENV: &[&str] = &[
    "RUNNERDECK_CONFIG",
    "RUNNERDECK_LOG",
    "GITLAB_TOKEN",
    "GITLAB_ACCESS_TOKEN",
    "GITLAB_HOST",
    "GITLAB_URI",
    "CI_SERVER_URL",
    "VEHAAS_URL",
    "VEHAAS_TOKEN",
    "NO_COLOR",
    "RUNNERDECK_SIM_GITLAB_TOKEN",
    "RUNNERDECK_SIM_VEHAAS_TOKEN",
];

/// A simulator on its own runtime plus a temporary home, state dir and config.
pub struct TestEnv {
    // Field order is drop order: the simulator stops before its runtime goes away.
    pub sim: Simulator,
    rt: tokio::runtime::Runtime,
    pub dir: TempDir,
    pub config: PathBuf,
    /// The GitLab token handed to the child through `RD_E2E_GITLAB_TOKEN`.
    pub gitlab_token: String,
}

impl TestEnv {
    pub fn start() -> Self {
        Self::with_options(SimOptions::default())
    }

    /// Jobs step every 100 ms, so `--wait` ends soon.
    pub fn fast_jobs() -> Self {
        Self::with_options(SimOptions {
            job_step: Duration::from_millis(100),
            ..SimOptions::default()
        })
    }

    pub fn with_options(opts: SimOptions) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let sim = rt
            .block_on(Simulator::start(SimOptions { port: 0, ..opts }))
            .expect("simulator starts");
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["home", "xdg", "state"] {
            std::fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        }
        let config = dir.path().join("config.toml");
        let gitlab_token = sim.gitlab_token().to_string();
        let env = Self {
            sim,
            rt,
            dir,
            config,
            gitlab_token,
        };
        env.write_config("");
        env
    }

    pub fn url(&self) -> String {
        self.sim.url()
    }

    /// The config pointing both APIs at the simulator; `extra` is appended verbatim.
    /// Auto-refresh is off (every refresh in a test is explicit) and flashes stay a minute.
    pub fn config_text(&self, extra: &str) -> String {
        let url = self.url();
        format!(
            r#"[gitlab]
url = "{url}"
token_env = "{GITLAB_TOKEN_ENV}"
name = "e2e"

[vehaas]
url = "{url}"
token_env = "{VEHAAS_TOKEN_ENV}"

[ui]
refresh_seconds = 0
flash_seconds = 60
{extra}"#
        )
    }

    pub fn write_config(&self, extra: &str) -> PathBuf {
        std::fs::write(&self.config, self.config_text(extra)).expect("write config");
        self.config.clone()
    }

    /// Writes another file in the temp dir and returns its path.
    pub fn write_file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).expect("write file");
        p
    }

    pub fn state_dir(&self) -> PathBuf {
        self.dir.path().join("state")
    }

    /// The child's environment: tokens, temp home/config/state dirs, no proxy for loopback.
    pub fn child_env(&self) -> Vec<(String, String)> {
        let d = self.dir.path();
        vec![
            (GITLAB_TOKEN_ENV.into(), self.gitlab_token.clone()),
            (VEHAAS_TOKEN_ENV.into(), self.sim.vehaas_token().into()),
            ("HOME".into(), path_str(&d.join("home"))),
            ("XDG_CONFIG_HOME".into(), path_str(&d.join("xdg"))),
            ("RUNNERDECK_STATE_DIR".into(), path_str(&self.state_dir())),
            ("NO_PROXY".into(), "127.0.0.1,localhost".into()),
            ("no_proxy".into(), "127.0.0.1,localhost".into()),
        ]
    }

    /// `runnerdeck --config CFG <args>` for scripting runs (no terminal).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.arg("--config").arg(&self.config).args(args);
        for k in SCRUBBED_ENV {
            cmd.env_remove(k);
        }
        cmd.envs(self.child_env());
        cmd.current_dir(self.dir.path());
        cmd
    }

    /// The TUI against the simulator (`--config CFG <args>`) in a `cols` x `rows` terminal.
    pub fn tui(&self, cols: u16, rows: u16, args: &[&str]) -> Tui {
        let mut all = vec!["--config".to_string(), path_str(&self.config)];
        all.extend(args.iter().map(|a| a.to_string()));
        Tui::spawn(&all, &self.child_env(), self.dir.path(), cols, rows)
    }

    /// The TUI at 120x40 with `extra` variables added, once the controllers are listed.
    pub fn tui_listed(&self, extra: &[(&str, &str)]) -> Tui {
        let mut vars = self.child_env();
        vars.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let args = vec!["--config".to_string(), path_str(&self.config)];
        let mut tui = Tui::spawn(&args, &vars, self.dir.path(), 120, 40);
        let n = self.sim.gitlab().controller_ids().len();
        tui.wait_text(&format!("Runner controllers ({n})"));
        tui
    }

    /// Every request the simulator answered, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.sim.requests()
    }

    /// How many `GET /api/v4/runner_controllers` pages were answered.
    pub fn list_requests(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == "GET" && r.path == LIST_PATH)
            .count()
    }

    /// Requests with this method on exactly this path.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .count()
    }

    /// Waits until the TUI's background health reads of the list are answered: every
    /// controller's `GET /:id`, scopes and tokens, and each scoped runner. Until then a fault
    /// armed for "the next request below the list path" may meet one of them instead.
    pub fn wait_health_read(&self) {
        let g = self.sim.gitlab();
        let mut paths: Vec<String> = Vec::new();
        for id in g.controller_ids() {
            let base = format!("{LIST_PATH}/{id}");
            paths.extend([format!("{base}/scopes"), format!("{base}/tokens"), base]);
            let runners = g.scopes(id).map(|(_, r)| r).unwrap_or_default();
            paths.extend(runners.into_iter().map(|r| format!("/api/v4/runners/{r}")));
        }
        wait_until(
            || {
                let seen: std::collections::HashSet<String> =
                    self.requests().into_iter().map(|r| r.path).collect();
                paths.iter().all(|p| seen.contains(p))
            },
            "the background health reads are answered",
        );
    }

    /// Runs a future on the simulator's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}

pub fn path_str(p: &Path) -> String {
    p.to_str().expect("utf-8 temp path").to_string()
}

/// The real binary in a pseudo-terminal; what it prints is fed to a `vt100` screen.
pub struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
    _reader: JoinHandle<()>,
    status: Option<ExitStatus>,
}

impl Tui {
    /// Spawns `runnerdeck <args>` with `env` added to a scrubbed copy of ours.
    pub fn spawn(
        args: &[String],
        env: &[(String, String)],
        cwd: &Path,
        cols: u16,
        rows: u16,
    ) -> Tui {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(bin());
        cmd.args(args);
        for k in SCRUBBED_ENV {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("TMUX");
        cmd.cwd(cwd);
        let child = pair.slave.spawn_command(cmd).expect("spawn runnerdeck");
        // Only the child keeps the slave side open, so its exit ends our reads.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(rows).expect("rows > 0"),
            NonZeroU16::new(cols).expect("cols > 0"),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        let reader_thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        r.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .extend_from_slice(&buf[..n]);
                        p.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .process(&buf[..n]);
                    }
                }
            }
        });
        Tui {
            parser,
            raw,
            writer,
            child,
            _master: pair.master,
            _reader: reader_thread,
            status: None,
        }
    }

    /// `runnerdeck --demo` (no config) in a `cols` x `rows` terminal, with temp dirs from `env`.
    pub fn demo(env: &TestEnv, cols: u16, rows: u16) -> Tui {
        let vars: Vec<(String, String)> = env
            .child_env()
            .into_iter()
            .filter(|(k, _)| k != GITLAB_TOKEN_ENV && k != VEHAAS_TOKEN_ENV)
            .collect();
        Tui::spawn(&["--demo".to_string()], &vars, env.dir.path(), cols, rows)
    }

    /// The child's process id (to send it signals).
    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    /// What the terminal shows now, rows joined by newlines.
    pub fn screen_text(&self) -> String {
        self.parser
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .screen()
            .contents()
    }

    /// Everything the program wrote so far, escape sequences included.
    pub fn raw_output(&self) -> Vec<u8> {
        self.raw.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Types keys: "\x1b" Esc, "\r" Enter, "\t" Tab, "\x04" ctrl-d, "\x12" ctrl-r.
    pub fn send(&mut self, keys: &str) {
        self.writer
            .write_all(keys.as_bytes())
            .expect("write to pty");
        self.writer.flush().expect("flush pty");
    }

    /// Polls the screen until `cond` holds; returns that screen, or panics with the last one.
    pub fn wait_for(&mut self, mut cond: impl FnMut(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen_text();
            if cond(&screen) {
                return screen;
            }
            if start.elapsed() > DEADLINE {
                let exited = self.child.try_wait().ok().flatten();
                panic!(
                    "timed out after {DEADLINE:?} waiting for {what}\nchild exited: {exited:?}\n--- last screen ---\n{screen}\n-------------------"
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the screen contains `text`.
    pub fn wait_text(&mut self, text: &str) -> String {
        self.wait_for(|s| s.contains(text), &format!("{text:?} on screen"))
    }

    /// Waits until `text` is gone from the screen.
    pub fn wait_gone(&mut self, text: &str) -> String {
        self.wait_for(
            |s| !s.contains(text),
            &format!("{text:?} to leave the screen"),
        )
    }

    /// Waits (bounded) for the program to exit and returns its status.
    pub fn wait_exit(&mut self) -> ExitStatus {
        if let Some(s) = &self.status {
            return s.clone();
        }
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                self.status = Some(s.clone());
                return s;
            }
            if start.elapsed() > DEADLINE {
                let screen = self.screen_text();
                panic!(
                    "runnerdeck did not exit within {DEADLINE:?}\n--- last screen ---\n{screen}"
                );
            }
            std::thread::sleep(POLL);
        }
    }

    /// Waits until the raw output contains `needle` (the reader may lag behind the exit).
    pub fn wait_raw(&self, needle: &[u8], what: &str) {
        wait_until(
            || self.raw_output().windows(needle.len()).any(|w| w == needle),
            what,
        );
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if self.status.is_none() && matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Lines of the screen that are table rows of a pane (they start with a border).
pub fn lines_with<'a>(screen: &'a str, needle: &str) -> Vec<&'a str> {
    screen.lines().filter(|l| l.contains(needle)).collect()
}

/// Every access token the simulator knows; none may ever be printed.
pub const SIM_TOKENS: &[&str] = &[
    "sim-admin-token",
    "sim-vehaas-token",
    "sim-user-token",
    "sim-read-token",
    "sim-expired-token",
    "sim-admin-noadminmode-token",
    "sim-expiring-token",
];

/// Runs `cmd`: (exit code, stdout, stderr), after checking that no simulator token was printed.
pub fn run_clean(cmd: Command) -> (i32, String, String) {
    let (out, stdout, stderr) = run(cmd);
    for t in SIM_TOKENS {
        assert!(!stdout.contains(t), "token {t:?} on stdout:\n{stdout}");
        assert!(!stderr.contains(t), "token {t:?} on stderr:\n{stderr}");
    }
    (out.status.code().expect("exit code"), stdout, stderr)
}

/// Runs a scripting command and returns its output (stdout, stderr as text).
pub fn run(mut cmd: Command) -> (Output, String, String) {
    let out = cmd.output().expect("run runnerdeck");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}
