//! `runnerdeck completions SHELL` and `runnerdeck man`: generated from the clap definition, so
//! they never fall behind the verbs. The man page is clap_mangen's page of the program with a
//! VERBS section naming every verb (`rc scope add` and all) and what it does.

use std::io::Write;

use clap::CommandFactory;

use super::exit::{EXIT_API, EXIT_OK};
use crate::cli::Cli;

/// Writes `bytes` to stdout; a closed pipe is not an error.
fn write_out(bytes: &[u8]) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("runnerdeck: cannot write output: {e}");
            EXIT_API
        }
    }
}

/// The completion script for `shell`.
pub fn completion_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "runnerdeck", &mut buf);
    buf
}

pub fn completions(shell: clap_complete::Shell) -> u8 {
    write_out(&completion_script(shell))
}

/// Text for roff: backslashes and dashes escaped, no line starting with a control character.
fn roff_text(s: &str) -> String {
    let escaped = s.replace('\\', "\\e").replace('-', "\\-");
    escaped
        .lines()
        .map(|l| {
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every verb below `cmd`, as `(words, about)`, depth first.
fn verbs(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String)>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let words = format!("{path} {}", sub.get_name());
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.push((words.clone(), about));
        verbs(sub, &words, out);
    }
}

/// The whole page, roff.
pub fn man_page() -> Result<Vec<u8>, std::io::Error> {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    let mut list = Vec::new();
    verbs(&cmd, "runnerdeck", &mut list);
    writeln!(buf, ".SH VERBS")?;
    for (words, about) in list {
        writeln!(
            buf,
            ".TP\n\\fB{}\\fR\n{}",
            roff_text(&words),
            roff_text(&about)
        )?;
    }
    Ok(buf)
}

pub fn man() -> u8 {
    match man_page() {
        Ok(page) => write_out(&page),
        Err(e) => {
            eprintln!("runnerdeck: cannot write the manual page: {e}");
            EXIT_API
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_text_escapes_what_roff_would_read() {
        assert_eq!(roff_text("a-b \\x"), "a\\-b \\ex");
        assert_eq!(roff_text(".hidden\n'also"), "\\&.hidden\n\\&'also");
    }
}
