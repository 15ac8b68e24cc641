//! Issue 7.4 and 12.9, reported against the old design: every grave yes waits for a fresh
//! read of the scopes of every controller involved, and a scope change the detail already
//! shows to be pointless is refused before anything is asked.

use super::*;
use crate::ops::ScopeChange;

fn with_5() -> Vec<RunnerController> {
    let mut rows = fixture();
    rows.push(controller(5, S::DryRun, "edge gate"));
    rows
}

fn awaiting(s: &State) -> Vec<ControllerId> {
    confirm(s).awaiting.keys().copied().collect()
}

fn typed(s: &State) -> Option<String> {
    confirm(s).typed.as_ref().map(|t| t.expected.clone())
}

// Issue 7.4: every grave yes waits for a fresh read of the scopes of every controller involved.

#[test]
fn a_bulk_enable_waits_for_fresh_scopes_of_both_and_a_new_instance_scope_asks_for_the_words() {
    let mut s = loaded_with(with_5(), 5);
    // The background read of 5 said: no scope.
    let fx = tick(&mut s, t0());
    answer_scopes_of(&mut s, &fx, 5, Ok(no_scopes()));
    assert_eq!(s.controllers.scopes.get(&cid(5)), Some(&no_scopes()));
    // Meanwhile another admin gives 5 the instance scope. 5 and 2 are marked, set to enabled.
    update(&mut s, Intent::Mark); // 5
    for _ in 0..3 {
        update(&mut s, Intent::Up);
    }
    update(&mut s, Intent::Mark); // 2
    assert_eq!(s.controllers.marked_ids(), vec![cid(2), cid(5)]);
    let asked = pick(&mut s, S::Enabled);
    assert!(sent(&asked).is_empty(), "{asked:?}");
    let mut read: Vec<ControllerId> = scope_reads(&asked).iter().map(|r| r.1).collect();
    read.sort();
    assert_eq!(read, vec![cid(2), cid(5)], "both are read fresh");
    assert_eq!(awaiting(&s), vec![cid(2), cid(5)]);
    assert_eq!(typed(&s), None, "the cached no-scope of 5 decides nothing");
    // A plain y meanwhile sends nothing; it is kept.
    assert!(update(&mut s, Intent::Answer(true)).is_empty());
    assert!(confirm(&s).yes_pending);
    assert_eq!(note(&s), Some(&Note::CheckingScopes));
    let fx = answer_scopes_of(&mut s, &asked, 2, Ok(no_scopes()));
    assert!(sent(&fx).is_empty(), "5 is not read yet: {fx:?}");
    assert_eq!(awaiting(&s), vec![cid(5)]);
    // The fresh read shows the instance scope on 5: the words must be typed.
    let fx = answer_scopes_of(&mut s, &asked, 5, Ok(instance_scope()));
    assert!(sent(&fx).is_empty(), "the early yes does not count: {fx:?}");
    assert_eq!(typed(&s).as_deref(), Some("enable 2"));
    assert_eq!(note(&s), Some(&Note::InstanceScopeTypeId));
    assert!(sent(&update(&mut s, Intent::Answer(true))).is_empty());
    assert_eq!(
        note(&s),
        Some(&Note::TypeToConfirm {
            words: Some("enable 2".into())
        })
    );
    type_text(&mut s, "enable");
    assert!(
        sent(&update(&mut s, Intent::Submit)).is_empty(),
        "half typed"
    );
    type_text(&mut s, " 2");
    let fx = update(&mut s, Intent::Submit);
    assert_eq!(
        sent(&fx),
        vec![
            set_state_change(2, S::Enabled),
            set_state_change(5, S::Enabled)
        ]
    );
    assert!(s.dialog.is_none());
}

#[test]
fn a_fresh_read_overtaken_by_a_newer_one_waits_for_the_newer() {
    // The detail of 2 is open; its scopes were read as none.
    let mut s = detail_with(2, no_scopes());
    let asked = pick(&mut s, S::Enabled);
    let [(fresh, _)] = scope_reads(&asked)[..] else {
        panic!("one fresh read: {asked:?}");
    };
    update(&mut s, Intent::Answer(true));
    // The auto-refresh reloads the detail: a newer read of the same scopes.
    let fx = tick(&mut s, at(15));
    let [(newer, _)] = scope_reads(&fx)[..] else {
        panic!("the detail reloads its scopes: {fx:?}");
    };
    assert!(newer > fresh);
    // The fresh read answers first (the instance scope was added): it is not the latest, so
    // it never reaches the cache; the yes must not go through on the cached "none".
    let fx = scopes_loaded(&mut s, fresh, cid(2), Ok(instance_scope()));
    assert!(sent(&fx).is_empty(), "{fx:?}");
    assert!(matches!(s.dialog, Some(Dialog::Confirm(_))));
    let fx = scopes_loaded(&mut s, newer, cid(2), Ok(instance_scope()));
    assert!(sent(&fx).is_empty(), "{fx:?}");
    assert_eq!(typed(&s).as_deref(), Some("2"));
}

// 12.9: what the detail shows refuses a pointless scope change before anything is asked.

#[test]
fn i_and_a_say_why_not_when_the_detail_shows_a_scope_in_the_way() {
    let mut s = detail_with(1, instance_scope());
    assert!(update(&mut s, Intent::AddInstanceScope).is_empty());
    assert!(s.dialog.is_none());
    assert_eq!(note(&s), Some(&Note::AlreadyInstanceScoped(cid(1))));
    assert!(update(&mut s, Intent::AddRunnerScope).is_empty());
    assert!(s.dialog.is_none(), "no runner id is asked for");
    assert_eq!(note(&s), Some(&Note::HasInstanceScope(cid(1))));

    let mut s = detail_of_2(); // runner #3 scoped
    assert!(update(&mut s, Intent::AddInstanceScope).is_empty());
    assert!(s.dialog.is_none());
    assert_eq!(note(&s), Some(&Note::HasRunnerScopes(cid(2))));
    // Scoping the same runner again is refused too, once its id is typed.
    update(&mut s, Intent::AddRunnerScope);
    type_text(&mut s, "3");
    let fx = update(&mut s, Intent::Submit);
    assert!(fx.is_empty() && s.dialog.is_none(), "{fx:?}");
    assert_eq!(
        note(&s),
        Some(&Note::AlreadyScoped {
            id: cid(2),
            runner: RunnerId(3)
        })
    );
}

#[test]
fn i_says_why_not_while_the_detail_shows_the_instance_scope_after_the_list_reloaded() {
    let mut s = detail_with(1, instance_scope());
    // The list reloads (its scopes cache is emptied); the detail's own read is not back yet.
    let list = refresh(&mut s);
    list_loaded(&mut s, list, fixture());
    let d = s.controllers.detail.as_ref().expect("detail");
    assert_eq!(d.rows().first(), Some(&DetailRow::Instance), "still shown");
    let fx = update(&mut s, Intent::AddInstanceScope);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(s.dialog.is_none(), "{:?}", s.dialog);
    assert_eq!(note(&s), Some(&Note::AlreadyInstanceScoped(cid(1))));
}

#[test]
fn adding_the_instance_scope_to_an_enabled_controller_asks_for_its_id() {
    let mut s = detail_with(1, no_scopes());
    assert!(update(&mut s, Intent::AddInstanceScope).is_empty());
    let c = confirm(&s);
    assert_eq!(
        c.question,
        Question::Scope {
            id: cid(1),
            change: ScopeChange::AddInstance,
            state: Some(S::Enabled)
        }
    );
    assert_eq!(typed(&s).as_deref(), Some("1"));
}
