//! The audit log: one JSON line per change runnerdeck made (or tried to make), from the TUI or
//! the scripting verbs, in `<state dir>/audit.jsonl`. An entry never holds a token or a token
//! secret: a new token is recorded by its id, description and creation time only.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::domain::{ControllerToken, NewToken};

/// File name of the log inside the state dir.
pub const FILE_NAME: &str = "audit.jsonl";

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AuditEntry {
    /// RFC 3339, UTC.
    pub time: String,
    /// `gitlab` or `vehaas`: which server the change went to.
    #[serde(default = "gitlab_service")]
    pub service: String,
    /// That server's address (older entries called it `gitlab_url`).
    #[serde(alias = "gitlab_url")]
    pub url: String,
    /// The acting user (GitLab `GET /user` username) for GitLab changes, when known; veHaaS
    /// does not say who a token belongs to.
    pub user: Option<String>,
    /// `PUT`, `POST`, `DELETE`, `PATCH`.
    pub method: String,
    /// `/api/v4/runner_controllers/12`.
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    /// The HTTP status; 0 when there was no answer.
    pub status: u16,
    /// The server's `X-Request-Id`.
    pub request_id: Option<String>,
    /// `tui` or `cli`.
    pub source: String,
    /// The user-facing error text on failure.
    pub error: Option<String>,
}

fn gitlab_service() -> String {
    "gitlab".into()
}

impl AuditEntry {
    /// The current time as an entry wants it (RFC 3339, UTC, milliseconds).
    pub fn now() -> String {
        let now = jiff::Timestamp::now();
        now.round(jiff::Unit::Millisecond)
            .unwrap_or(now)
            .to_string()
    }
}

/// A token as the audit log may show it: never its secret.
pub fn token_value(t: &ControllerToken) -> Value {
    json!({
        "id": t.id,
        "runner_controller_id": t.runner_controller_id,
        "description": t.description,
        "created_at": t.created_at.as_ref().map(|c| c.to_string()),
    })
}

/// A token just created or rotated, for `after`: the token object without its secret.
pub fn new_token_value(t: &NewToken) -> Value {
    token_value(&t.token)
}

#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
}

impl AuditLog {
    pub fn at(path: PathBuf) -> Self {
        Self { path }
    }

    /// `dirs::state_dir()/audit.jsonl` (`RUNNERDECK_STATE_DIR` overrides the dir).
    /// The log of this run: the state dir's, or for `--demo` one in the temp dir, so that
    /// changes to the simulator never mix with real ones yet `:log` still shows them.
    pub fn for_run(demo: bool) -> Option<Self> {
        if demo {
            let dir = std::env::temp_dir().join(format!("runnerdeck-demo-{}", std::process::id()));
            return Some(Self::at(dir.join(FILE_NAME)));
        }
        Self::default_location()
    }

    pub fn default_location() -> Option<Self> {
        crate::dirs::state_dir().map(|d| Self::at(d.join(FILE_NAME)))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends the entry as one JSON line (a single write on a file opened for appending),
    /// creating the directory and the file (mode 0600 on unix) when missing.
    pub fn append(&self, entry: &AuditEntry) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut line = serde_json::to_vec(entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut file = opts.open(&self.path)?;
        file.write_all(&line)?;
        file.flush()
    }

    /// Up to `limit` entries, newest first; lines that are not entries are skipped, and a
    /// missing file is an empty log.
    pub fn read_newest_first(&self, limit: usize) -> std::io::Result<Vec<AuditEntry>> {
        let text = match std::fs::read(&self.path) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        Ok(text
            .lines()
            .rev()
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| serde_json::from_str::<AuditEntry>(l).ok())
            .take(limit)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn entry(n: u16) -> AuditEntry {
        AuditEntry {
            time: AuditEntry::now(),
            service: "gitlab".into(),
            url: "https://gitlab.example.com".into(),
            user: Some("root".into()),
            method: "PUT".into(),
            path: format!("/api/v4/runner_controllers/{n}"),
            before: Some(json!({"state": "disabled"})),
            after: Some(json!({"state": "enabled"})),
            status: 200,
            request_id: Some(format!("req-{n}")),
            source: "cli".into(),
            error: None,
        }
    }

    #[test]
    fn appends_lines_and_reads_them_newest_first() {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = AuditLog::at(dir.path().join("nested").join(FILE_NAME));
        assert!(log.read_newest_first(10).expect("empty").is_empty());
        for n in 1..=3 {
            log.append(&entry(n)).expect("append");
        }
        // A torn or foreign line is skipped, not fatal.
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .expect("open");
        f.write_all(b"{not json\n\n").expect("write");
        log.append(&entry(4)).expect("append");

        let text = std::fs::read_to_string(log.path()).expect("read");
        assert_eq!(text.lines().count(), 6);
        let got = log.read_newest_first(10).expect("read");
        let paths: Vec<&str> = got.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/api/v4/runner_controllers/4",
                "/api/v4/runner_controllers/3",
                "/api/v4/runner_controllers/2",
                "/api/v4/runner_controllers/1"
            ]
        );
        assert_eq!(got[0], entry(4).clone_with_time(&got[0].time));
        assert_eq!(log.read_newest_first(2).expect("read").len(), 2);
    }

    impl AuditEntry {
        fn clone_with_time(mut self, time: &str) -> Self {
            self.time = time.to_string();
            self
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let log = AuditLog::at(dir.path().join(FILE_NAME));
        log.append(&entry(1)).expect("append");
        let mode = std::fs::metadata(log.path())
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn older_entries_still_read() {
        let old = r#"{"time":"2026-11-01T10:00:00Z","gitlab_url":"https://g","user":"root","method":"PUT","path":"/api/v4/runner_controllers/1","before":null,"after":null,"status":200,"request_id":null,"source":"tui","error":null}"#;
        let e: AuditEntry = serde_json::from_str(old).expect("old shape");
        assert_eq!(
            (e.service.as_str(), e.url.as_str()),
            ("gitlab", "https://g")
        );
    }

    #[test]
    fn time_is_rfc3339_utc() {
        let t = AuditEntry::now();
        assert!(t.ends_with('Z'), "{t}");
        assert!(t.parse::<jiff::Timestamp>().is_ok(), "{t}");
    }

    #[test]
    fn a_new_token_is_recorded_without_its_secret() {
        let created: jiff::Timestamp = "2026-01-05T10:20:30.123Z".parse().expect("time");
        let new = NewToken {
            token: ControllerToken {
                id: crate::domain::TokenId(42),
                runner_controller_id: crate::domain::ControllerId(7),
                description: Some("ci".into()),
                last_used_at: None,
                created_at: Some(created.into()),
                updated_at: Some(created.into()),
            },
            secret: SecretString::from("glrct-s3cr3tS3CR3Ts3cr3t"),
        };
        let mut e = entry(7);
        e.method = "POST".into();
        e.path = "/api/v4/runner_controllers/7/tokens".into();
        e.before = None;
        e.after = Some(new_token_value(&new));
        let text = serde_json::to_string(&e).expect("serializes");
        assert!(!text.contains("glrct-"), "{text}");
        assert!(!text.contains("s3cr3t"), "{text}");
        let after = e.after.as_ref().expect("after");
        assert_eq!(after["id"], 42);
        assert_eq!(after["description"], "ci");
        assert_eq!(after["created_at"], "2026-01-05T10:20:30.123Z");
        assert!(after.get("token").is_none());
    }
}
