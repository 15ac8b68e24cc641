//! Marks and bulk changes.

use super::*;

#[test]
fn space_marks_and_a_bulk_state_change_always_asks_listing_each() {
    let mut s = loaded(2);
    update(&mut s, Action::Mark); // 2, moves to 3
    update(&mut s, Action::Mark); // 3
    assert_eq!(
        s.controllers.marked.iter().copied().collect::<Vec<_>>(),
        vec![2, 3]
    );
    update(&mut s, Action::PickState);
    update(&mut s, Action::Top);
    update(&mut s, Action::Down); // enabled
    let fx = update(&mut s, Action::Submit);
    assert!(fx.is_empty(), "bulk always asks");
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert_eq!(c.question, "Set 2 runner controllers to enabled?");
    assert!(
        c.details
            .iter()
            .any(|d| d == "3 \"GPU quota guard\": dry_run -> enabled"),
        "{:?}",
        c.details
    );
    assert!(
        update(&mut s, Action::Answer(true)).is_empty(),
        "unknown scopes: yes is not enough"
    );
    for ch in "enable 2".chars() {
        update(&mut s, Action::Edit(Edit::Char(ch)));
    }
    let fx = update(&mut s, Action::Submit);
    let ids: Vec<i64> = fx
        .iter()
        .filter_map(|e| match e {
            Effect::UpdateController { id, .. } => Some(*id),
            _ => None,
        })
        .collect();
    assert_eq!(ids, vec![2, 3]);
    assert!(s.controllers.marked.is_empty(), "marks are spent");
    // Controllers already in the target state are left out.
    update(&mut s, Action::Top);
    update(&mut s, Action::Down); // 2 (disabled)
    update(&mut s, Action::Mark);
    update(&mut s, Action::PickState);
    update(&mut s, Action::Top); // disabled
    assert!(update(&mut s, Action::Submit).is_empty());
    assert!(s.dialog.is_none());
    assert!(
        s.flash
            .as_ref()
            .is_some_and(|f| f.text.contains("already disabled"))
    );
}

#[test]
fn bulk_delete_asks_once_and_esc_unmarks() {
    let mut s = loaded(1);
    update(&mut s, Action::Mark);
    update(&mut s, Action::Back);
    assert!(s.controllers.marked.is_empty());
    update(&mut s, Action::Top);
    update(&mut s, Action::Mark);
    update(&mut s, Action::Mark);
    update(&mut s, Action::Delete);
    let Some(Dialog::Confirm(c)) = &s.dialog else {
        panic!("confirm");
    };
    assert_eq!(c.question, "Delete 2 runner controllers?");
    assert!(!c.yes);
    assert!(
        update(&mut s, Action::Answer(true)).is_empty(),
        "unknown scopes: yes is not enough"
    );
    for ch in "delete 2".chars() {
        update(&mut s, Action::Edit(Edit::Char(ch)));
    }
    let fx = update(&mut s, Action::Submit);
    assert_eq!(
        fx.iter()
            .filter(|e| matches!(e, Effect::DeleteController { .. }))
            .count(),
        2
    );
}
