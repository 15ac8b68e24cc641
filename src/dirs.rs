//! Where runnerdeck keeps files: config, state (audit log), logs. Platform paths come from
//! `directories`; `RUNNERDECK_STATE_DIR` overrides the state dir (tests, containers).

use std::path::PathBuf;

use directories::ProjectDirs;

fn project() -> Option<ProjectDirs> {
    ProjectDirs::from("", "", "runnerdeck")
}

/// `~/.config/runnerdeck/config.toml` on Linux.
pub fn config_file() -> Option<PathBuf> {
    project().map(|p| p.config_dir().join("config.toml"))
}

/// `~/.local/state/runnerdeck` on Linux; the local data dir elsewhere.
pub fn state_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("RUNNERDECK_STATE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    project().map(|p| {
        p.state_dir()
            .unwrap_or_else(|| p.data_local_dir())
            .to_path_buf()
    })
}
