//! `[keys]` overrides: an action's keys replaced by name (`toggle_dry_run = "x"`,
//! `delete = ["ctrl-d", "D"]`). A name the table does not know, a key that does not parse, or a
//! key another action already has where this one applies is a warning, and that action keeps
//! its default keys.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyModifiers};

use super::{Binding, Key, Keymap};

impl Keymap {
    /// The defaults with `overrides` applied; the warnings say what was not.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> (Self, Vec<String>) {
        let mut map = Self::default();
        let mut warnings = Vec::new();
        for (name, texts) in overrides {
            if let Err(w) = map.rebind(name, texts) {
                warnings.push(format!("[keys] {name}: {w}; the default stays"));
            }
        }
        (map, warnings)
    }

    fn rebind(&mut self, name: &str, texts: &[String]) -> Result<(), String> {
        if !self.bindings.iter().any(|b| b.name == name) {
            return Err("no such action (`?` in the program lists them by what they do)".into());
        }
        if texts.is_empty() {
            return Err("no key given".into());
        }
        let mut keys = Vec::new();
        for t in texts {
            let key = Key::parse(t).ok_or_else(|| {
                format!("{t:?} names no key (x, X, ctrl-d, alt-x, enter, f2, pgdn, ...)")
            })?;
            keys.push(key);
        }
        for b in self.bindings.iter().filter(|b| b.name == name) {
            for key in &keys {
                if let Some(other) = self.clash(b, key) {
                    return Err(format!("{key} is already `{}` there", other.name));
                }
                if b.modes.iter().any(|m| m.types()) && plain_char(key) {
                    return Err(format!("{key} would be typed in a form, not pressed"));
                }
            }
        }
        for b in self.bindings.iter_mut().filter(|b| b.name == name) {
            b.keys.clone_from(&keys);
        }
        Ok(())
    }

    /// Another action that has `key` in a mode where `b` applies.
    fn clash(&self, b: &Binding, key: &Key) -> Option<&Binding> {
        self.bindings.iter().find(|o| {
            o.name != b.name && o.keys.contains(key) && o.modes.iter().any(|m| b.modes.contains(m))
        })
    }
}

fn plain_char(key: &Key) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key
            .mods
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keymap::Mode;
    use crate::msg::Intent;

    fn over(pairs: &[(&str, &[&str])]) -> (Keymap, Vec<String>) {
        let m = pairs
            .iter()
            .map(|(n, ks)| (n.to_string(), ks.iter().map(|k| k.to_string()).collect()))
            .collect();
        Keymap::with_overrides(&m)
    }

    fn keys_of(map: &Keymap, intent: &Intent) -> Vec<String> {
        map.active(Mode::Rc, false)
            .filter(|b| b.intent == *intent)
            .map(|b| {
                b.keys
                    .iter()
                    .map(Key::to_string)
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .collect()
    }

    #[test]
    fn an_action_gets_its_new_key_and_loses_the_old_one() {
        let (map, warnings) = over(&[("toggle_dry_run", &["x"])]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            map.key_for(Mode::Rc, &Intent::ToggleDryRun),
            Key::parse("x")
        );
        assert_eq!(
            map.key_for(Mode::Detail, &Intent::ToggleDryRun),
            Key::parse("x")
        );
        assert!(
            map.help(Mode::Rc, false)
                .iter()
                .any(|(k, d)| k == "x" && d.starts_with("toggle dry_run")),
            "? shows the key in force"
        );
        assert_eq!(keys_of(&map, &Intent::ToggleDryRun), ["x"]);
    }

    #[test]
    fn several_keys_and_modifiers() {
        let (map, warnings) = over(&[("delete", &["D", "alt-d"])]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(keys_of(&map, &Intent::Delete), ["D / alt-d"]);
    }

    #[test]
    fn unknown_action_bad_key_and_clash_warn_and_keep_the_default() {
        let (map, warnings) = over(&[
            ("toggle_dryrun", &["x"]),
            ("delete", &["ctrl-shift-banana"]),
            ("edit", &["t"]),
        ]);
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("[keys] delete") && warnings[0].contains("names no key"));
        assert!(warnings[1].contains("[keys] edit") && warnings[1].contains("`toggle_dry_run`"));
        assert!(
            warnings[2].contains("[keys] toggle_dryrun") && warnings[2].contains("no such action")
        );
        assert_eq!(
            map.key_for(Mode::Rc, &Intent::EditDescription),
            Key::parse("e")
        );
        assert_eq!(map.key_for(Mode::Rc, &Intent::Delete), Key::parse("ctrl-d"));
    }

    #[test]
    fn a_printable_key_cannot_take_a_form_action() {
        let (map, warnings) = over(&[("clear_line", &["u"])]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("typed"));
        assert_eq!(
            map.key_for(Mode::Form, &Intent::Edit(crate::msg::Edit::Clear)),
            Key::parse("ctrl-u")
        );
    }
}
