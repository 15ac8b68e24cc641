//! The `/` filter and `y` raw JSON.

use super::*;

#[test]
fn filter_narrows_the_list_as_typed_and_esc_clears_it() {
    let mut s = loaded(1);
    type_filter(&mut s, "GPU");
    assert_eq!(s.controllers.visible_len(), 1);
    assert_eq!(
        s.controllers.selected,
        Some(3),
        "the selection moves to what is shown"
    );
    update(&mut s, Action::Submit);
    assert!(s.dialog.is_none());
    assert_eq!(s.controllers.visible_len(), 1, "Enter keeps the filter");
    // A refresh keeps applying it.
    let req = refresh(&mut s);
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Ok(fixture()),
        },
    );
    assert_eq!(s.controllers.visible_len(), 1);
    assert_eq!(s.controllers.selected_controller().map(|c| c.id), Some(3));
    update(&mut s, Action::Back);
    assert!(s.controllers.filter.is_none());
    assert_eq!(s.controllers.visible_len(), 4);
    assert_eq!(
        s.controllers.selected,
        Some(3),
        "clearing keeps the selection"
    );
}

#[test]
fn inverted_filter_and_navigation_stay_inside_the_visible_rows() {
    let mut s = loaded(1);
    type_filter(&mut s, "!dry_run");
    update(&mut s, Action::Submit);
    let ids: Vec<i64> = (0..s.controllers.visible_len())
        .filter_map(|i| s.controllers.visible(i).map(|c| c.id))
        .collect();
    assert_eq!(ids, vec![1, 2, 4]);
    update(&mut s, Action::Bottom);
    assert_eq!(s.controllers.selected, Some(4));
    update(&mut s, Action::Up);
    assert_eq!(s.controllers.selected, Some(2), "3 is filtered out");
}

#[test]
fn esc_in_the_filter_box_clears_the_filter() {
    let mut s = loaded(1);
    type_filter(&mut s, "kas");
    assert_eq!(s.controllers.visible_len(), 1);
    update(&mut s, Action::Back);
    assert!(s.dialog.is_none());
    assert_eq!(s.controllers.visible_len(), 4);
}

#[test]
fn bookings_filter_matches_owner_state_and_tag() {
    let mut s = bookings_loaded();
    type_filter(&mut s, "vehaas-3");
    let keys: Vec<String> = s.bookings.rows(s.now).iter().map(|r| r.key()).collect();
    assert_eq!(keys, vec!["3"]);
    assert_eq!(s.bookings.selected.as_deref(), Some("3"));
}

#[test]
fn y_shows_the_raw_json_of_the_selected_controller() {
    let mut s = loaded(3);
    let fx = update(&mut s, Action::Raw);
    assert_eq!(fx, vec![Effect::LoadRaw { id: 3 }]);
    update(
        &mut s,
        Action::RawLoaded {
            result: Ok(serde_json::json!({"id": 3, "state": "dry_run"})),
        },
    );
    let Some(Dialog::Raw {
        text: Some(Ok(t)), ..
    }) = &s.dialog
    else {
        panic!("raw dialog: {:?}", s.dialog);
    };
    assert!(t.contains("\"state\": \"dry_run\""), "{t}");
    let fx = update(&mut s, Action::Copy);
    assert!(matches!(&fx[..], [Effect::Copy { text }] if text.contains("dry_run")));
}

#[test]
fn a_row_that_leaves_the_filter_takes_the_selection_with_it_to_a_visible_row() {
    let mut s = loaded(1);
    type_filter(&mut s, "!dry_run");
    update(&mut s, Action::Submit);
    update(&mut s, Action::Down); // 2
    assert_eq!(s.controllers.selected, Some(2));
    update(&mut s, Action::ToggleDryRun);
    update(
        &mut s,
        Action::ControllerUpdated {
            id: 2,
            result: Ok(controller(2, S::DryRun, "fleet: arm64")),
        },
    );
    // 2 is now hidden by the filter: the selection is on a row the user can see.
    let sel = s.controllers.selected_controller().map(|c| c.id);
    assert!(matches!(sel, Some(1 | 4)), "{sel:?}");
    let fx = update(&mut s, Action::Copy);
    assert!(
        !matches!(&fx[..], [Effect::Copy { text }] if text == "2"),
        "never the hidden row"
    );
}

#[test]
fn typing_a_filter_that_matches_nothing_does_not_lose_the_selection() {
    let mut s = loaded(3);
    type_filter(&mut s, "x");
    assert_eq!(s.controllers.visible_len(), 0);
    update(&mut s, Action::Edit(Edit::Backspace));
    assert_eq!(s.controllers.selected, Some(3));
}

#[test]
fn a_toggled_row_leaving_the_filter_hands_the_selection_to_the_next_row() {
    let mut s = state();
    let fx = s.init();
    let Effect::LoadControllers { req } = fx[0] else {
        panic!("load");
    };
    let rows = vec![
        controller(2, S::DryRun, "a"),
        controller(4, S::DryRun, "b"),
        controller(6, S::DryRun, "c"),
        controller(10, S::DryRun, "d"),
        controller(12, S::Enabled, "e"),
    ];
    update(
        &mut s,
        Action::ControllersLoaded {
            req,
            result: Ok(rows),
        },
    );
    type_filter(&mut s, "dry");
    update(&mut s, Action::Submit);
    update(&mut s, Action::Down);
    update(&mut s, Action::Down); // 6
    assert_eq!(s.controllers.selected, Some(6));
    update(&mut s, Action::ToggleDryRun);
    update(
        &mut s,
        Action::ControllerUpdated {
            id: 6,
            result: Ok(controller(6, S::Disabled, "c")),
        },
    );
    assert_eq!(s.controllers.selected, Some(10));
}
