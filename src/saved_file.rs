//! The file behind `state::Saved`: `view.toml` in the state dir, read at start and written
//! (whole, through a temporary file and a rename) at a context switch and at quit. A file that
//! cannot be read is a warning and a fresh start; it is overwritten only at the next save.

use std::path::PathBuf;

use crate::state::Saved;

const NAME: &str = "view.toml";

fn path() -> Option<PathBuf> {
    crate::dirs::state_dir().map(|d| d.join(NAME))
}

/// What the last run left, and a warning when the file was there but unreadable.
pub fn load() -> (Saved, Option<String>) {
    let Some(p) = path() else {
        return (Saved::default(), None);
    };
    match std::fs::read_to_string(&p) {
        Ok(text) => match toml::from_str(&text) {
            Ok(saved) => (saved, None),
            Err(e) => (
                Saved::default(),
                Some(format!(
                    "{}: not read ({}); the views start fresh",
                    p.display(),
                    e.message()
                )),
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (Saved::default(), None),
        Err(e) => (
            Saved::default(),
            Some(format!("{}: not read ({e})", p.display())),
        ),
    }
}

/// Writes it whole; a failure is only logged (nothing the user is doing depends on it).
pub fn store(saved: &Saved) {
    let Some(p) = path() else {
        return;
    };
    let result = (|| -> std::io::Result<()> {
        if let Some(dir) = p.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let text = toml::to_string(saved).map_err(std::io::Error::other)?;
        let tmp = p.with_extension("toml.tmp");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &p)
    })();
    if let Err(e) = result {
        tracing::warn!("could not save the views to {}: {e}", p.display());
    }
}
