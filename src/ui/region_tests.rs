//! Snapshots of every region and dialog, at 80x24 and 140x40, from the reducer's own fixtures:
//! the detail, the picker, both forms, a typed-id confirmation, a bulk confirmation, a new
//! token's secret (its value masked before the snapshot), the audit log, raw JSON, help, the
//! filter and the quit question. Each was looked at: nothing blank or cut off is frozen here.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{View, render};
use crate::audit::AuditEntry;
use crate::effect::Effect;
use crate::msg::{Edit, Intent, Outcome};
use crate::state::tests::{
    answer_scopes, bookings_loaded, detail_of_2, instance_scope, loaded, new_token, type_text,
};
use crate::state::{Dialog, Pane, State, update};

const SIZES: [(u16, u16); 2] = [(80, 24), (140, 40)];

fn screen(state: &State, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut view = View::default();
    terminal
        .draw(|f| render(state, &mut view, f))
        .expect("draw");
    format!("{}", terminal.backend())
}

/// Both sizes, one snapshot each, named `{name}_{w}x{h}`; `check` sees each screen.
fn snap(name: &str, state: &State, check: impl Fn(&str)) {
    for (w, h) in SIZES {
        let text = screen(state, w, h);
        check(&text);
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), text);
    }
}

fn quiet(mut s: State) -> State {
    s.flash = None;
    s
}

#[test]
fn detail_with_scopes_and_tokens() {
    let s = quiet(detail_of_2());
    snap("detail", &s, |t| {
        assert!(t.contains("runner #3") && t.contains("#10"), "{t}");
        assert!(t.contains("rotate"), "the detail's own keys: {t}");
    });
}

#[test]
fn state_picker() {
    let mut s = quiet(loaded(3));
    update(&mut s, Intent::PickState);
    snap("picker", &s, |t| {
        assert!(
            t.contains("dry_run -> dry_run") || t.contains("(current)"),
            "{t}"
        )
    });
}

#[test]
fn controller_form_with_an_error() {
    let mut s = quiet(loaded(1));
    update(&mut s, Intent::New);
    type_text(&mut s, &"x".repeat(1100));
    update(&mut s, Intent::Submit);
    snap("controller_form", &s, |t| {
        assert!(t.contains("New runner controller"), "{t}");
        assert!(t.contains("at most 1024"), "{t}");
    });
}

#[test]
fn runner_form() {
    let mut s = quiet(bookings_loaded());
    update(&mut s, Intent::New);
    type_text(&mut s, "HIL-BENCH-01");
    update(&mut s, Intent::NextField);
    type_text(&mut s, "1x");
    update(&mut s, Intent::Submit);
    snap("runner_form", &s, |t| {
        assert!(t.contains("Request a GitLab Runner"), "{t}");
        assert!(t.contains("not a duration"), "{t}");
    });
}

#[test]
fn confirmation_with_a_typed_id() {
    let mut s = quiet(loaded(2));
    update(&mut s, Intent::PickState);
    update(&mut s, Intent::Down);
    let fx = update(&mut s, Intent::Submit);
    answer_scopes(&mut s, &fx, instance_scope());
    update(&mut s, Intent::Edit(Edit::Char('2')));
    snap("typed_confirmation", &quiet(s), |t| {
        assert!(t.contains("Enable runner controller 2"), "{t}");
        assert!(t.contains("Type 2 to confirm"), "{t}");
        assert!(!t.contains("[ y Yes ]"), "{t}");
    });
}

#[test]
fn bulk_confirmation() {
    let mut s = quiet(loaded(1));
    for _ in 0..3 {
        update(&mut s, Intent::Mark);
    }
    update(&mut s, Intent::PickState);
    update(&mut s, Intent::Top);
    update(&mut s, Intent::Submit);
    snap("bulk_confirmation", &quiet(s), |t| {
        assert!(t.contains("Set 2 runner controllers to disabled?"), "{t}");
        assert!(t.contains("1 marked already disabled"), "{t}");
    });
}

#[test]
fn secret_shown_once_is_masked_here() {
    let mut s = quiet(detail_of_2());
    let token = new_token(12);
    let secret = {
        use secrecy::ExposeSecret;
        token.secret.expose_secret().to_string()
    };
    s.dialog = Some(Dialog::Secret {
        token,
        rotated: None,
    });
    for (w, h) in SIZES {
        let text = screen(&s, w, h);
        assert!(text.contains(&secret), "the secret is on screen: {text}");
        let masked = text.replace(&secret, &"*".repeat(secret.chars().count()));
        insta::assert_snapshot!(format!("secret_{w}x{h}"), masked);
    }
}

#[test]
fn audit_log() {
    let mut s = quiet(loaded(1));
    update(&mut s, Intent::CommandLine);
    type_text(&mut s, "log");
    update(&mut s, Intent::Submit);
    let entry = |n: u16, status: u16, before: &str, after: &str| AuditEntry {
        time: format!("2026-11-22T09:5{n}:00.000Z"),
        service: "gitlab".into(),
        url: "https://gitlab.example.com".into(),
        user: Some("root".into()),
        method: "PUT".into(),
        path: format!("/api/v4/runner_controllers/{n}"),
        before: Some(serde_json::json!({"state": before})),
        after: Some(serde_json::json!({"state": after})),
        status,
        request_id: Some(format!("req-{n}")),
        source: "tui".into(),
        error: (status >= 400).then(|| "409 Conflict: it changed".to_string()),
    };
    let entries = vec![
        entry(2, 200, "disabled", "dry_run"),
        entry(1, 409, "dry_run", "enabled"),
    ];
    update(
        &mut s,
        Outcome::AuditLoaded {
            result: Ok(entries),
        },
    );
    snap("audit_log", &quiet(s), |t| {
        assert!(t.contains("disabled -> dry_run"), "{t}");
        assert!(t.contains("409"), "{t}");
    });
}

#[test]
fn raw_json() {
    let mut s = quiet(loaded(1));
    let fx = update(&mut s, Intent::Raw);
    let Some(Effect::Load(crate::effect::Load::Raw { req, .. })) = fx.first().cloned() else {
        panic!("a raw read: {fx:?}");
    };
    let raw = serde_json::json!({"id": 1, "description": "kas admission prod", "state": "enabled", "connected": true});
    update(
        &mut s,
        Outcome::RawLoaded {
            req,
            result: Ok(raw),
        },
    );
    snap("raw_json", &quiet(s), |t| {
        assert!(t.contains("GET /api/v4/runner_controllers/1"), "{t}");
        assert!(t.contains("\"connected\": true"), "{t}");
    });
}

#[test]
fn help_of_the_list_and_of_a_dialog() {
    let mut s = quiet(loaded(1));
    update(&mut s, Intent::Help);
    snap("help", &s, |t| assert!(t.contains("toggle dry_run"), "{t}"));
    let mut s = quiet(loaded(1));
    update(&mut s, Intent::ToggleDryRun);
    update(&mut s, Intent::Help);
    snap("help_in_a_confirmation", &quiet(s), |t| {
        assert!(t.contains("Keys: confirmation"), "{t}");
        assert!(!t.contains("toggle dry_run"), "only the dialog's keys: {t}");
    });
}

#[test]
fn filter_as_it_is_typed() {
    let mut s = quiet(loaded(1));
    update(&mut s, Intent::Filter);
    type_text(&mut s, "kas");
    snap("filter", &s, |t| {
        assert!(t.contains("/kas"), "{t}");
        assert!(!t.contains("GPU quota guard"), "{t}");
    });
}

#[test]
fn quit_with_a_change_on_its_way() {
    let mut s = quiet(loaded(2));
    update(&mut s, Intent::ToggleDryRun);
    update(&mut s, Intent::Quit);
    assert!(matches!(s.dialog, Some(Dialog::Quit)));
    s.focus = Pane::Controllers;
    snap("quit", &quiet(s), |t| {
        assert!(t.contains("1 change is on its way"), "{t}");
        assert!(t.contains("w / enter wait"), "{t}");
    });
}

#[test]
fn bookings_timeline() {
    let mut s = quiet(bookings_loaded());
    update(&mut s, Intent::ToggleTimeline);
    update(&mut s, Intent::ZoomOut);
    snap("timeline", &s, |t| {
        assert!(t.contains("timeline 12h"), "{t}");
        assert!(t.contains("HIL-3") && t.contains('▼'), "{t}");
        assert!(t.contains("+ zoom") || t.contains("zoom"), "its keys: {t}");
    });
}
