//! The `/` filter and `y` raw JSON.

use super::*;

/// The ids of the visible controllers, in order.
fn visible_ids(s: &State) -> Vec<ControllerId> {
    (0..s.controllers.visible_len())
        .filter_map(|i| s.controllers.visible(i).map(|c| c.id))
        .collect()
}

#[test]
fn filter_narrows_the_list_as_typed_and_esc_clears_it() {
    let mut s = loaded(1);
    type_filter(&mut s, "GPU");
    assert_eq!(visible_ids(&s), vec![cid(3)]);
    assert_eq!(
        s.controllers.selected,
        Some(cid(3)),
        "the selection moves to what is shown"
    );
    update(&mut s, Intent::Submit);
    assert!(s.dialog.is_none());
    assert_eq!(s.controllers.visible_len(), 1, "Enter keeps the filter");
    // A refresh keeps applying it.
    let req = refresh(&mut s);
    list_loaded(&mut s, req, fixture());
    assert_eq!(s.controllers.visible_len(), 1);
    assert_eq!(
        s.controllers.selected_controller().map(|c| c.id),
        Some(cid(3))
    );
    update(&mut s, Intent::Back);
    assert!(s.controllers.filter.is_none());
    assert_eq!(s.controllers.visible_len(), 4);
    assert_eq!(
        s.controllers.selected,
        Some(cid(3)),
        "clearing keeps the selection"
    );
}

#[test]
fn inverted_filter_and_navigation_stay_inside_the_visible_rows() {
    let mut s = loaded(1);
    type_filter(&mut s, "!dry_run");
    update(&mut s, Intent::Submit);
    assert_eq!(visible_ids(&s), vec![cid(1), cid(2), cid(4)]);
    update(&mut s, Intent::Bottom);
    assert_eq!(s.controllers.selected, Some(cid(4)));
    update(&mut s, Intent::Up);
    assert_eq!(s.controllers.selected, Some(cid(2)), "3 is filtered out");
}

#[test]
fn esc_in_the_filter_box_clears_the_filter() {
    let mut s = loaded(1);
    type_filter(&mut s, "kas");
    assert_eq!(s.controllers.visible_len(), 1);
    update(&mut s, Intent::Back);
    assert!(s.dialog.is_none());
    assert!(s.controllers.filter.is_none());
    assert_eq!(s.controllers.visible_len(), 4);
}

#[test]
fn bookings_filter_matches_owner_state_and_tag() {
    let mut s = bookings_loaded();
    type_filter(&mut s, "vehaas-3");
    assert_eq!(booking_keys(&s), vec![skey("3")]);
    assert_eq!(s.bookings.selected, Some(skey("3")));
    update(&mut s, Intent::Edit(Edit::Clear));
    type_text(&mut s, "SCHEDULED");
    assert_eq!(booking_keys(&s), vec![skey("4")]);
    update(&mut s, Intent::Edit(Edit::Clear));
    type_text(&mut s, "m.kel");
    assert_eq!(booking_keys(&s).len(), 4, "every session is m.keller's");
}

#[test]
fn y_shows_the_raw_json_of_the_selected_controller() {
    let mut s = loaded(3);
    let fx = update(&mut s, Intent::Raw);
    let [Effect::Load(Load::Raw { req, id })] = fx[..] else {
        panic!("one raw read: {fx:?}");
    };
    assert_eq!(id, cid(3));
    assert!(matches!(
        &s.dialog,
        Some(Dialog::Raw {
            title: RawTitle::Controller(ControllerId(3)),
            text: None,
            ..
        })
    ));
    update(
        &mut s,
        Outcome::RawLoaded {
            req,
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
    let fx = update(&mut s, Intent::Copy);
    assert!(
        matches!(&fx[..], [Effect::Copy { text }] if text.contains("dry_run")),
        "{fx:?}"
    );
    assert_eq!(note(&s), Some(&Note::CopiedJson));
}

#[test]
fn a_row_that_leaves_the_filter_takes_the_selection_with_it_to_a_visible_row() {
    let mut s = loaded(1);
    type_filter(&mut s, "!dry_run");
    update(&mut s, Intent::Submit);
    update(&mut s, Intent::Down); // 2
    assert_eq!(s.controllers.selected, Some(cid(2)));
    let fx = update(&mut s, Intent::ToggleDryRun);
    updated(
        &mut s,
        &fx,
        row(2),
        version(controller(2, S::DryRun, "fleet: arm64"), 5),
    );
    // 2 is now hidden by the filter: the selection is on a row the user can see.
    let sel = s.controllers.selected_controller().map(|c| c.id);
    assert!(matches!(sel, Some(ControllerId(1 | 4))), "{sel:?}");
    let fx = update(&mut s, Intent::Copy);
    assert!(
        !matches!(&fx[..], [Effect::Copy { text }] if text == "2"),
        "never the hidden row: {fx:?}"
    );
}

#[test]
fn typing_a_filter_that_matches_nothing_does_not_lose_the_selection() {
    let mut s = loaded(3);
    type_filter(&mut s, "x");
    assert_eq!(s.controllers.visible_len(), 0);
    update(&mut s, Intent::Edit(Edit::Backspace));
    assert_eq!(s.controllers.selected, Some(cid(3)));
}

#[test]
fn a_toggled_row_leaving_the_filter_hands_the_selection_to_the_next_row() {
    let rows = vec![
        controller(2, S::DryRun, "a"),
        controller(4, S::DryRun, "b"),
        controller(6, S::DryRun, "c"),
        controller(10, S::DryRun, "d"),
        controller(12, S::Enabled, "e"),
    ];
    let mut s = loaded_with(rows, 2);
    type_filter(&mut s, "dry");
    update(&mut s, Intent::Submit);
    update(&mut s, Intent::Down);
    update(&mut s, Intent::Down); // 6
    assert_eq!(s.controllers.selected, Some(cid(6)));
    let fx = update(&mut s, Intent::ToggleDryRun);
    updated(
        &mut s,
        &fx,
        controller(6, S::DryRun, "c"),
        version(controller(6, S::Disabled, "c"), 5),
    );
    assert_eq!(s.controllers.selected, Some(cid(10)));
}
