//! Marks and bulk changes.

use super::*;

#[test]
fn space_marks_and_a_bulk_state_change_always_asks_listing_each() {
    let mut s = loaded(2);
    update(&mut s, Intent::Mark); // 2, moves to 3
    update(&mut s, Intent::Mark); // 3
    assert_eq!(
        s.controllers.marked.iter().copied().collect::<Vec<_>>(),
        vec![cid(2), cid(3)]
    );
    let asked = pick(&mut s, S::Enabled);
    assert!(sent(&asked).is_empty(), "bulk always asks: {asked:?}");
    let c = confirm(&s);
    assert_eq!(
        c.question,
        Question::BulkState {
            targets: vec![row(2), row(3)],
            to: S::Enabled,
            already: 0,
            hidden: 0
        }
    );
    assert_eq!(c.plan.steps.len(), 2);
    assert_eq!(
        c.plan.steps[1].change,
        set_state_change(3, S::Enabled),
        "3 \"GPU quota guard\": dry_run -> enabled, based on the version shown"
    );
    assert!(
        update(&mut s, Intent::Answer(true)).is_empty(),
        "yes waits for the scopes"
    );
    // The scopes of 3 cannot be read: it may have the instance scope.
    answer_scopes_of(&mut s, &asked, 2, Ok(no_scopes()));
    let fx = answer_scopes_of(&mut s, &asked, 3, Err(err500()));
    assert!(fx.is_empty(), "unreadable scopes: yes is not enough");
    let typed = confirm(&s).typed.as_ref().map(|t| t.expected.clone());
    assert_eq!(typed.as_deref(), Some("enable 2"));
    type_text(&mut s, "enable 2");
    let fx = update(&mut s, Intent::Submit);
    assert_eq!(
        sent(&fx),
        vec![
            set_state_change(2, S::Enabled),
            set_state_change(3, S::Enabled)
        ]
    );
    assert!(s.controllers.marked.is_empty(), "marks are spent");
    assert_eq!(
        note(&s),
        Some(&Note::SendingMany {
            n: 2,
            change: ManyKind::SetState(S::Enabled)
        })
    );
    // Controllers already in the target state are left out.
    update(&mut s, Intent::Top);
    update(&mut s, Intent::Down); // 2 (disabled)
    update(&mut s, Intent::Mark);
    let fx = pick(&mut s, S::Disabled);
    assert!(fx.is_empty());
    assert!(s.dialog.is_none());
    assert_eq!(note(&s), Some(&Note::MarkedAlready(S::Disabled)));
}

#[test]
fn bulk_delete_asks_once_and_esc_unmarks() {
    let mut s = loaded(1);
    update(&mut s, Intent::Mark);
    update(&mut s, Intent::Back);
    assert!(s.controllers.marked.is_empty());
    update(&mut s, Intent::Top);
    update(&mut s, Intent::Mark);
    update(&mut s, Intent::Mark);
    let asked = update(&mut s, Intent::Delete);
    let c = confirm(&s);
    assert_eq!(
        c.question,
        Question::BulkDelete {
            targets: vec![row(1), row(2)],
            hidden: 0
        }
    );
    assert!(!c.yes);
    let mut read: Vec<ControllerId> = scope_reads(&asked).iter().map(|r| r.1).collect();
    read.sort();
    assert_eq!(read, vec![cid(1), cid(2)], "both are read fresh");
    assert!(
        update(&mut s, Intent::Answer(true)).is_empty(),
        "yes waits for the scopes"
    );
    answer_scopes_of(&mut s, &asked, 1, Ok(instance_scope()));
    assert!(answer_scopes_of(&mut s, &asked, 2, Ok(no_scopes())).is_empty());
    let typed = confirm(&s).typed.as_ref().map(|t| t.expected.clone());
    assert_eq!(typed.as_deref(), Some("delete 2"));
    type_text(&mut s, "delete 2");
    let fx = update(&mut s, Intent::Submit);
    assert_eq!(
        sent(&fx),
        vec![
            Change::DeleteController {
                id: cid(1),
                based_on: Some(Some(stamp(0)))
            },
            Change::DeleteController {
                id: cid(2),
                based_on: Some(Some(stamp(0)))
            }
        ]
    );
    assert!(s.dialog.is_none());
}
