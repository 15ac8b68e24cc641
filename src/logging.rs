//! The log file (`runnerdeck.log` in the state dir): full errors and deprecation notices go
//! there, never to the terminal while the TUI runs. Tokens are never logged.

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging to the state dir; returns the guard that flushes on drop, or `None` when
/// there is no writable state dir (then nothing is logged).
pub fn init() -> Option<WorkerGuard> {
    let dir = crate::dirs::state_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(&dir, "runnerdeck.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter =
        EnvFilter::try_from_env("RUNNERDECK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
