//! Snapshots of the health at a glance, at 80x24 and 140x40: the table with SCOPE, CONNECTED,
//! TOKENS and the findings' marker (and sorted), the detail with its findings and history,
//! `:health`, `:events`, and `:events` where GitLab cannot tell. Each was looked at.

use super::region_tests::{screen, snap};
use crate::api::ApiError;
use crate::audit::AuditEntry;
use crate::msg::{Intent, Outcome};
use crate::state::tests::health_fixture::{answer_events, events, health_loaded, open_detail};
use crate::state::tests::type_text;
use crate::state::{SortColumn, State, update};

fn command(s: &mut State, line: &str) -> Vec<crate::effect::Effect> {
    update(s, Intent::CommandLine);
    type_text(s, line);
    update(s, Intent::Submit)
}

#[test]
fn the_table_shows_scope_connected_tokens_and_the_worst_finding() {
    let s = health_loaded(1);
    snap("health_table", &s, |t| {
        for want in [
            "SCOPE",
            "CONNECTED",
            "instance",
            "1 runner",
            "none",
            "● yes",
            "○ no",
        ] {
            assert!(t.contains(want), "{want}: {t}");
        }
        assert!(t.contains("│!  1 enabled"), "a warning marker: {t}");
    });
    // TOKENS shows where there is room (at 140 the side-by-side pane drops it).
    let t = screen(&s, 80, 24);
    assert!(
        t.contains("2 · 4m"),
        "two tokens, the newest used 4m ago: {t}"
    );
    assert!(!screen(&s, 140, 40).contains("TOKENS"));
}

#[test]
fn the_header_shows_the_sort() {
    let mut s = health_loaded(1);
    update(&mut s, Intent::Sort(SortColumn::Scope));
    snap("health_table_sorted", &s, |t| {
        assert!(t.contains("SCOPE ▲"), "{t}");
        let none = t.find("none").expect("none");
        let instance = t.find("instance").expect("instance");
        assert!(none < instance, "no scope first: {t}");
    });
}

#[test]
fn the_detail_lists_findings_and_who_changed_it() {
    let mut s = health_loaded(2);
    open_detail(&mut s);
    snap("health_detail", &s, |t| {
        assert!(t.contains("Findings (1)"), "{t}");
        assert!(t.contains("scoped runner #3 no longer exists"), "{t}");
        assert!(t.contains("History (2 in 30 days"), "{t}");
        assert!(!t.contains("deleted"), "another controller's event: {t}");
    });
    let alice = "Alice Admin · enabled -> disabled · 2d ago";
    assert!(screen(&s, 140, 40).contains(alice));
    // At 80x24 PgDn scrolls down to the rest of the history.
    update(&mut s, Intent::PageDown);
    let t = screen(&s, 80, 24);
    assert!(t.contains(alice) && t.contains("created (disabled)"), "{t}");
    insta::assert_snapshot!("health_detail_scrolled_80x24", t);
}

#[test]
fn health_lists_every_finding_worst_first_with_its_fix() {
    let mut s = health_loaded(1);
    command(&mut s, "health");
    snap("health_sheet", &s, |t| {
        assert!(t.contains("Health: 5 findings, 4 warnings"), "{t}");
        assert!(t.contains("-> add a scope, or disable it"), "{t}");
        assert!(t.contains("enter controller"), "the keys: {t}");
        let warn = t.find("no active token").expect("a warning");
        let info = t.find("2 active tokens").expect("a note");
        assert!(warn < info, "worst first: {t}");
    });
}

#[test]
fn events_lists_every_runner_controller_event() {
    let mut s = health_loaded(1);
    let fx = command(&mut s, "events");
    answer_events(&mut s, &fx, Ok(events()));
    s.flash = None;
    snap("events_sheet", &s, |t| {
        assert!(
            t.contains("Runner controller events, last 30 days (5)"),
            "{t}"
        );
        assert!(t.contains("token rotated"), "{t}");
        assert!(t.contains("+ runner scope #3"), "instance-wide: {t}");
        assert!(t.contains("deleted"), "{t}");
    });
}

#[test]
fn events_say_why_the_server_cannot_tell_and_show_the_local_log() {
    let mut s = health_loaded(1);
    let fx = command(&mut s, "events");
    let fx = answer_events(&mut s, &fx, Err(ApiError::NotLicensed));
    let req = fx
        .iter()
        .find_map(|e| match e {
            crate::effect::Effect::Load(crate::effect::Load::LocalAudit { req }) => Some(*req),
            _ => None,
        })
        .expect("the local log is read instead");
    let entry = AuditEntry {
        time: "2026-11-22T09:55:00.000Z".into(),
        service: "gitlab".into(),
        url: "https://gitlab.example.com".into(),
        user: Some("root".into()),
        method: "PUT".into(),
        path: "/api/v4/runner_controllers/2".into(),
        before: Some(serde_json::json!({"state": "disabled"})),
        after: Some(serde_json::json!({"state": "dry_run"})),
        status: 200,
        request_id: None,
        source: "tui".into(),
        error: None,
    };
    update(
        &mut s,
        Outcome::LocalAuditLoaded {
            req,
            result: Ok(vec![entry]),
        },
    );
    s.flash = None;
    snap("events_unlicensed", &s, |t| {
        assert!(t.contains("404"), "{t}");
        assert!(
            t.contains("root · disabled -> dry_run · 200 · 5m ago"),
            "{t}"
        );
    });
}
