//! The `:` line's memory and help: up / down walk back through the commands run before (the
//! newest first, kept across context switches and runs), tab completes a command word, a
//! context name after `ctx`, and whatever else `command::ARGS` lists for a word.

use super::State;
use super::command;
use super::text_form::TextForm;
use crate::msg::Intent;

/// How many commands the history keeps.
pub const HISTORY_MAX: usize = 100;

/// What the `:` line remembers: the commands run, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandHistory {
    pub entries: Vec<String>,
}

impl CommandHistory {
    /// Remembers a command run (not twice in a row; the oldest go past the limit).
    pub fn push(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || self.entries.last().is_some_and(|l| l == line) {
            return;
        }
        self.entries.push(line.to_string());
        let over = self.entries.len().saturating_sub(HISTORY_MAX);
        self.entries.drain(..over);
    }
}

/// Up (`back`) / down through the history, from where the line is. Past the newest the line is
/// empty again.
pub(super) fn walk(state: &State, f: &mut TextForm, back: bool) {
    let entries = &state.command_history.entries;
    if entries.is_empty() {
        return;
    }
    let at = match (f.history_at, back) {
        (None, true) => Some(entries.len() - 1),
        (None, false) => None,
        (Some(i), true) => Some(i.saturating_sub(1)),
        (Some(i), false) => (i + 1 < entries.len()).then_some(i + 1),
    };
    f.history_at = at;
    let text = at.map_or(String::new(), |i| entries[i].clone());
    f.input = tui_input::Input::new(text);
    f.hint = None;
}

/// Tab: completes the word under the cursor, or says what it could be.
pub(super) fn complete(state: &State, f: &mut TextForm) {
    let line = f.input.value().trim_start_matches(':').to_string();
    let (head, word, choices): (String, String, Vec<String>) = match line.split_once(' ') {
        None => (
            String::new(),
            line.clone(),
            command::WORDS.iter().map(|w| w.to_string()).collect(),
        ),
        Some((cmd, arg)) => (
            format!("{cmd} "),
            arg.trim_start().to_string(),
            args(state, cmd),
        ),
    };
    let hits: Vec<&String> = choices.iter().filter(|c| c.starts_with(&word)).collect();
    let text = match hits.as_slice() {
        [] => {
            f.hint = Some(format!("nothing starts with {word:?}"));
            return;
        }
        [one] => {
            let takes_args = head.is_empty() && !args(state, one).is_empty();
            f.hint = None;
            format!("{head}{one}{}", if takes_args { " " } else { "" })
        }
        many => {
            let common = common_prefix(many);
            f.hint = Some(
                many.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("  "),
            );
            format!("{head}{common}")
        }
    };
    f.input = tui_input::Input::new(text);
    f.history_at = None;
}

/// What may follow a command word.
fn args(state: &State, cmd: &str) -> Vec<String> {
    match cmd {
        "ctx" | "context" => state.context.contexts.clone(),
        _ => command::ARGS
            .iter()
            .find(|(w, _)| *w == cmd)
            .map(|(_, a)| a.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default(),
    }
}

fn common_prefix(words: &[&String]) -> String {
    let first = words[0];
    let mut n = first.len();
    for w in &words[1..] {
        n = n.min(
            first
                .char_indices()
                .zip(w.chars())
                .take_while(|((_, a), b)| a == b)
                .count(),
        );
    }
    first.chars().take(n).collect()
}

/// The `:` line's own keys; `false` when the intent is not one of them.
pub(super) fn intent(state: &State, f: &mut TextForm, intent: &Intent) -> bool {
    match intent {
        Intent::Complete => complete(state, f),
        Intent::HistoryBack => walk(state, f, true),
        Intent::HistoryForward => walk(state, f, false),
        _ => return false,
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::msg::{Edit, Intent};
    use crate::state::tests::{loaded, type_text};
    use crate::state::{Dialog, State, update};

    fn line(s: &State) -> (String, Option<String>) {
        match &s.dialog {
            Some(Dialog::Text(f)) => (f.input.value().to_string(), f.hint.clone()),
            other => panic!("no : line: {other:?}"),
        }
    }

    fn run(s: &mut State, cmd: &str) {
        update(s, Intent::CommandLine);
        type_text(s, cmd);
        update(s, Intent::Submit);
    }

    #[test]
    fn up_and_down_walk_the_commands_run_before() {
        let mut s = loaded(1);
        run(&mut s, "bookings");
        run(&mut s, "rc");
        run(&mut s, "rc");
        run(&mut s, "nonsense");
        update(&mut s, Intent::Back);
        assert_eq!(s.command_history.entries, ["bookings", "rc", "nonsense"]);
        update(&mut s, Intent::CommandLine);
        update(&mut s, Intent::HistoryBack);
        assert_eq!(line(&s).0, "nonsense");
        update(&mut s, Intent::HistoryBack);
        update(&mut s, Intent::HistoryBack);
        update(&mut s, Intent::HistoryBack);
        assert_eq!(line(&s).0, "bookings", "stops at the oldest");
        update(&mut s, Intent::HistoryForward);
        assert_eq!(line(&s).0, "rc");
        update(&mut s, Intent::HistoryForward);
        update(&mut s, Intent::HistoryForward);
        assert_eq!(line(&s).0, "", "past the newest: an empty line");
    }

    #[test]
    fn tab_completes_a_word_or_lists_the_choices() {
        let mut s = loaded(1);
        s.context.contexts = vec!["default".into(), "prod-eu".into(), "prod-us".into()];
        update(&mut s, Intent::CommandLine);
        type_text(&mut s, "bo");
        update(&mut s, Intent::Complete);
        assert_eq!(line(&s), ("bookings".into(), None));
        update(&mut s, Intent::Edit(Edit::Clear));
        type_text(&mut s, "r");
        update(&mut s, Intent::Complete);
        let (text, hint) = line(&s);
        assert_eq!(text, "r");
        assert_eq!(hint.as_deref(), Some("rc  readonly"));
        update(&mut s, Intent::Edit(Edit::Clear));
        type_text(&mut s, "ct");
        update(&mut s, Intent::Complete);
        assert_eq!(
            line(&s).0,
            "ctx ",
            "a word that takes a name gets its space"
        );
        type_text(&mut s, "p");
        update(&mut s, Intent::Complete);
        let (text, hint) = line(&s);
        assert_eq!(text, "ctx prod-");
        assert_eq!(hint.as_deref(), Some("prod-eu  prod-us"));
        type_text(&mut s, "u");
        update(&mut s, Intent::Complete);
        assert_eq!(line(&s).0, "ctx prod-us");
        update(&mut s, Intent::Edit(Edit::Clear));
        type_text(&mut s, "zz");
        update(&mut s, Intent::Complete);
        assert!(line(&s).1.expect("a hint").contains("nothing starts with"));
    }
}
