//! Where a service's token comes from (`token_env`, `token_command`, `token_file` or an inline
//! `token`) and reading it. Errors say what to do and never hold the token; a command's stderr
//! is captured, never printed (it would land on top of the TUI).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use secrecy::{ExposeSecret, SecretString};
use zeroize::Zeroizing;

use super::ConfigError;

/// Exactly one per service table, from its flat keys.
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// `token_env = "NAME"`: the environment variable holding the token.
    Env(String),
    /// `token_command = "pass show gitlab/admin"`: run with `sh -c`, its stdout is the token.
    Command(String),
    /// `token_file = "PATH"`: a file only its owner may read.
    File(PathBuf),
    /// `token = "..."`: in the config file itself, which must then be private (0600).
    Inline(SecretString),
    /// The host's `token` in glab's config (`~/.config/glab-cli/config.yml`, private).
    Glab(SecretString),
}

/// A token read from its source, and what a `token_command` said on stderr on the way.
#[derive(Debug)]
pub struct Resolved {
    pub secret: SecretString,
    /// The command's stderr when it succeeded (trimmed, the token itself masked): for the log,
    /// never the terminal.
    pub stderr: Option<String>,
    pub service: &'static str,
}

impl Resolved {
    /// The token, after writing the command's stderr (if any) to the log file.
    pub fn logged(self) -> SecretString {
        if let Some(text) = &self.stderr {
            tracing::info!("{} token_command wrote on stderr: {text}", self.service);
        }
        self.secret
    }
}

/// At most this much of a command's stderr goes into a message.
const STDERR_CHARS: usize = 300;
const STDERR_LINES: usize = 5;

impl TokenSource {
    /// Short description for the header and doctor: `env GITLAB_TOKEN`, `command`, `file`,
    /// `config file`.
    pub fn label(&self) -> String {
        match self {
            Self::Env(var) => format!("env {var}"),
            Self::Command(_) => "command".to_string(),
            Self::File(_) => "file".to_string(),
            Self::Inline(_) => "config file".to_string(),
            Self::Glab(_) => "glab config".to_string(),
        }
    }

    /// Reads the secret.
    pub fn resolve(&self, service: &'static str) -> Result<Resolved, ConfigError> {
        let err = |message: String| ConfigError::Token { service, message };
        let mut stderr = None;
        // Wiped when dropped: the token passes through here before it is a SecretString.
        let raw: Zeroizing<String> = match self {
            Self::Env(var) => match std::env::var(var) {
                Ok(v) if !v.trim().is_empty() => Zeroizing::new(v),
                _ => {
                    let what = match service {
                        "GitLab" => {
                            "a personal access token of an administrator with the api scope"
                        }
                        _ => "an access token of that service",
                    };
                    return Err(err(format!(
                        "the environment variable {var} is not set.\n  export {var}=... ({what}),\n  or change token_env in the config"
                    )));
                }
            },
            Self::Command(cmd) => {
                let (out, said) = run_command(cmd).map_err(err)?;
                stderr = said;
                out
            }
            Self::File(file) => read_private_file(file).map_err(err)?,
            Self::Inline(secret) | Self::Glab(secret) => {
                Zeroizing::new(secret.expose_secret().to_string())
            }
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(err("the token is empty".into()));
        }
        Ok(Resolved {
            secret: SecretString::from(trimmed.to_string()),
            stderr,
            service,
        })
    }
}

/// Runs `sh -c CMD` with stdin inherited (a password prompt may need it) and both outputs
/// captured: stdout is the token, stderr goes into the error (failure) or back to the caller.
fn run_command(cmd: &str) -> Result<(Zeroizing<String>, Option<String>), String> {
    let out = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run token_command: {e}"))?;
    let stdout = Zeroizing::new(out.stdout);
    // Whatever it printed as the token stays out of the message, even when it failed; masked
    // before cutting, so no piece of it is left.
    let printed = String::from_utf8_lossy(&stdout);
    let printed = printed.trim();
    let mut err = String::from_utf8_lossy(&out.stderr).into_owned();
    if printed.len() >= 4 {
        err = err.replace(printed, "***");
    }
    let said = stderr_excerpt(&err);
    if !out.status.success() {
        let said = said
            .map(|s| format!(":\n  {}", s.replace('\n', "\n  ")))
            .unwrap_or_default();
        return Err(format!("token_command failed ({}){said}", out.status));
    }
    let text = std::str::from_utf8(&stdout)
        .map_err(|_| "token_command printed something that is not text".to_string())?;
    Ok((Zeroizing::new(text.to_string()), said))
}

/// The last few non-empty lines of a command's stderr, at most ~300 characters; `None` when
/// it said nothing.
fn stderr_excerpt(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let start = lines.len().saturating_sub(STDERR_LINES);
    let joined: String = lines[start..]
        .join("\n")
        .chars()
        .filter(|c| *c == '\n' || !c.is_control())
        .collect();
    if joined.is_empty() {
        return None;
    }
    if joined.chars().count() > STDERR_CHARS {
        let cut: String = joined.chars().take(STDERR_CHARS).collect();
        Some(format!("{cut}…"))
    } else {
        Some(joined)
    }
}

/// A token file must be readable by its owner only; anything else is refused with the
/// command that fixes it.
fn read_private_file(file: &Path) -> Result<Zeroizing<String>, String> {
    read_private(file, "token_file")?.ok_or_else(|| {
        format!(
            "cannot read token_file {}: it does not exist",
            file.display()
        )
    })
}

/// A file only its owner may read (`what` names it in messages): `None` when there is none,
/// `Err` when others may read it (with the chmod that fixes it) or it cannot be read.
pub(super) fn read_private(path: &Path, what: &str) -> Result<Option<Zeroizing<String>>, String> {
    let cannot = |e: std::io::Error| format!("cannot read {what} {}: {e}", path.display());
    let mut handle = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(cannot(e)),
    };
    // Checked on the open file, so what is read is what was checked.
    let meta = handle.metadata().map_err(cannot)?;
    if let Some(problem) = shared_with_others(&meta) {
        return Err(format!(
            "{what} {} {problem}, so it is not used: chmod 600 {}",
            path.display(),
            shell_quote(path)
        ));
    }
    let mut text = Zeroizing::new(String::new());
    std::io::Read::read_to_string(&mut handle, &mut text).map_err(cannot)?;
    Ok(Some(text))
}

/// `Some("can be read by other users (mode 0644)")` when group or others have any access.
pub(super) fn shared_with_others(meta: &std::fs::Metadata) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        (mode & 0o077 != 0).then(|| format!("is open to other users (mode {mode:04o})"))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// A path as it can be pasted into a shell.
pub(super) fn shell_quote(path: &Path) -> String {
    let s = path.display().to_string();
    let plain = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+~:@%,=".contains(c));
    if plain && !s.is_empty() {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_token_env_says_what_to_do() {
        let src = TokenSource::Env("RUNNERDECK_TEST_SURELY_UNSET_VAR".into());
        let msg = src.resolve("GitLab").expect_err("unset").to_string();
        assert!(
            msg.contains("RUNNERDECK_TEST_SURELY_UNSET_VAR is not set"),
            "{msg}"
        );
        assert!(msg.contains("export"), "{msg}");
        assert!(msg.contains("administrator"), "{msg}");
        let msg = src.resolve("veHaaS").expect_err("unset").to_string();
        assert!(
            !msg.contains("administrator") && !msg.contains("GitLab"),
            "{msg}"
        );
    }

    #[test]
    fn a_failing_command_says_what_it_printed_on_stderr_in_short() {
        let src = TokenSource::Command(
            "echo glpat-LEAKED; for i in 1 2 3 4 5 6 glpat-LEAKED; do echo \"line $i\" >&2; done; exit 3"
                .into(),
        );
        let msg = src.resolve("GitLab").expect_err("fails").to_string();
        assert!(msg.contains("token_command failed"), "{msg}");
        assert!(msg.contains("line 6\n  line ***"), "{msg}");
        assert!(!msg.contains("line 2"), "only the last lines: {msg}");
        assert!(!msg.contains("glpat-LEAKED"), "stdout never shows: {msg}");

        let long = TokenSource::Command("printf 'x%.0s' $(seq 1 2000) >&2; exit 1".into());
        let msg = long.resolve("GitLab").expect_err("fails").to_string();
        assert!(msg.len() < 400, "{} chars: {msg}", msg.len());
    }

    #[test]
    fn a_succeeding_command_hands_its_stderr_back_with_the_token_masked() {
        let src = TokenSource::Command(
            "echo 'unlocking keyring' >&2; echo 'got glpat-T0KEN' >&2; echo glpat-T0KEN".into(),
        );
        let r = src.resolve("GitLab").expect("resolves");
        assert_eq!(r.secret.expose_secret(), "glpat-T0KEN");
        assert_eq!(r.stderr.as_deref(), Some("unlocking keyring\ngot ***"));
        let quiet = TokenSource::Command("echo t".into()).resolve("GitLab");
        assert_eq!(quiet.expect("resolves").stderr, None);
    }

    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_is_refused_with_the_chmod_to_run() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("my token");
        std::fs::write(&file, "glpat-FILE\n").expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let src = TokenSource::File(file.clone());
        let msg = src.resolve("GitLab").expect_err("refused").to_string();
        let want = format!("chmod 600 '{}'", file.display());
        assert!(msg.contains(&want), "{msg}");
        assert!(msg.contains("0644"), "{msg}");
        assert!(!msg.contains("glpat-FILE"), "{msg}");

        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let r = src.resolve("GitLab").expect("private file");
        assert_eq!(r.secret.expose_secret(), "glpat-FILE");
    }

    #[test]
    fn paths_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(shell_quote(Path::new("/home/me/.t")), "/home/me/.t");
        assert_eq!(shell_quote(Path::new("/a b/it's")), r"'/a b/it'\''s'");
    }
}
