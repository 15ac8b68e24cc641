//! The log file (`runnerdeck.log` in the state dir): full errors and deprecation notices go
//! there, never to the terminal while the TUI runs. Tokens are never logged.
//!
//! The file is opened on the first line logged and written directly (a line is one `write` on
//! a file opened for appending): a run that logs nothing, as most CLI runs, costs no file, no
//! thread and no buffer; the few lines a session logs cost microseconds each.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Starts logging to the state dir (`RUNNERDECK_LOG` filters, default `info`); without a state
/// dir nothing is logged.
pub fn init() {
    let Some(dir) = crate::dirs::state_dir() else {
        return;
    };
    let filter =
        EnvFilter::try_from_env("RUNNERDECK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_writer(LazyFile {
            dir,
            file: OnceLock::new(),
        })
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init();
}

/// `runnerdeck.log` in `dir`, opened (and the directory made) when the first line comes; if
/// that fails, lines are dropped.
struct LazyFile {
    dir: PathBuf,
    file: OnceLock<Option<File>>,
}

impl LazyFile {
    fn open(&self) -> Option<File> {
        std::fs::create_dir_all(&self.dir).ok()?;
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("runnerdeck.log"))
            .ok()
    }
}

impl<'a> MakeWriter<'a> for LazyFile {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Line<'a> {
        Line(self.file.get_or_init(|| self.open()).as_ref())
    }
}

/// Where one formatted line goes.
struct Line<'a>(Option<&'a File>);

impl Write for Line<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.0 {
            Some(file) => file.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::fmt::MakeWriter;

    #[test]
    fn the_file_appears_with_the_first_line_only() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("state");
        let lazy = LazyFile {
            dir: dir.clone(),
            file: OnceLock::new(),
        };
        assert!(!dir.exists(), "nothing made before a line");
        lazy.make_writer().write_all(b"one\n").expect("write");
        lazy.make_writer().write_all(b"two\n").expect("write");
        let text = std::fs::read_to_string(dir.join("runnerdeck.log")).expect("log");
        assert_eq!(text, "one\ntwo\n");
    }
}
