//! The background health reads: the rows around the selection first, never more than four on
//! their way, everything read in the end, latest wins, read again with each list; the scopes
//! cache shared with the preview; findings, `:health` and its jump; sorting.

use std::collections::VecDeque;

use super::*;
use crate::effect::VitalRead;
use crate::health::{Kind, Level, RunnerSeen, RunnerStatus};
use crate::msg::VitalAnswer;

fn many(n: i64) -> Vec<RunnerController> {
    (1..=n)
        .map(|id| {
            let state = match id % 3 {
                0 => S::Enabled,
                1 => S::Disabled,
                _ => S::DryRun,
            };
            controller(id, state, &format!("fleet {id}"))
        })
        .collect()
}

/// What the simulated server says to each read: controllers divisible by 5 have no scope.
fn world(read: VitalRead) -> VitalAnswer {
    match read {
        VitalRead::Controller(id) => VitalAnswer::Controller {
            id,
            result: Ok(RunnerController {
                connected: Some(true),
                ..controller(id.0, S::Enabled, "x")
            }),
        },
        VitalRead::Scopes(id) => VitalAnswer::Scopes {
            id,
            result: Ok(match id.0 % 5 {
                0 => no_scopes(),
                1 => runner_scope(id.0 % 7 + 1),
                _ => instance_scope(),
            }),
        },
        VitalRead::Tokens(id) => VitalAnswer::Tokens {
            id,
            result: Ok(vec![ControllerToken {
                runner_controller_id: id,
                last_used_at: Some(stamp(0)),
                ..token(id.0 * 10)
            }]),
        },
        VitalRead::Runner(id) => VitalAnswer::Runner {
            id,
            result: Ok(RunnerSeen::Found(crate::health::Runner {
                id,
                description: None,
                runner_type: None,
                status: RunnerStatus::Online,
                paused: false,
            })),
        },
    }
}

pub fn vital_reads(fx: &[Effect]) -> Vec<(ReqId, VitalRead)> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Load(Load::Vital { req, read }) => Some((*req, *read)),
            _ => None,
        })
        .collect()
}

/// A list of `n` with controller `selected` chosen before it arrives; the effects of its answer.
fn listed(n: i64, selected: i64) -> (State, Vec<Effect>) {
    let mut s = state();
    let fx = s.init();
    s.controllers.select_id(cid(selected));
    let req = list_read(&fx).expect("a list read");
    let fx = list_loaded(&mut s, req, many(n));
    (s, fx)
}

/// Plays the executor: answers the reads one at a time, oldest first, until none is left;
/// returns the order they were asked in and the most ever on their way.
fn serve(s: &mut State, fx: Vec<Effect>) -> (Vec<VitalRead>, usize) {
    serve_with(s, fx, world)
}

/// `serve` with another server.
pub fn serve_with(
    s: &mut State,
    fx: Vec<Effect>,
    world: impl Fn(VitalRead) -> VitalAnswer,
) -> (Vec<VitalRead>, usize) {
    let mut queue: VecDeque<(ReqId, VitalRead)> = vital_reads(&fx).into();
    let mut asked: Vec<VitalRead> = queue.iter().map(|(_, r)| *r).collect();
    let mut most = queue.len();
    while let Some((req, read)) = queue.pop_front() {
        let fx = update(
            s,
            Outcome::VitalLoaded {
                req,
                answer: world(read),
            },
        );
        for (req, read) in vital_reads(&fx) {
            asked.push(read);
            queue.push_back((req, read));
        }
        most = most.max(queue.len());
        assert_eq!(queue.len(), s.controllers.vitals.in_flight(), "counted");
    }
    (asked, most)
}

fn about(read: &VitalRead) -> Option<i64> {
    match read {
        VitalRead::Controller(id) | VitalRead::Scopes(id) | VitalRead::Tokens(id) => Some(id.0),
        VitalRead::Runner(_) => None,
    }
}

#[test]
fn the_list_starts_four_reads_around_the_selection_and_no_more() {
    let (s, fx) = listed(1000, 500);
    let reads = vital_reads(&fx);
    assert_eq!(reads.len(), MAX_IN_FLIGHT, "{reads:?}");
    for (_, r) in &reads {
        let id = about(r).expect("a controller read");
        assert!((499..=501).contains(&id), "{r:?}");
    }
    assert_eq!(s.controllers.vitals.in_flight(), 4);
    // The tick adds nothing while four are on their way.
    let mut s = s;
    assert!(vital_reads(&tick(&mut s, at(1))).is_empty());
}

#[test]
fn every_row_is_read_in_the_end_screen_first_never_more_than_four_at_once() {
    let (mut s, fx) = listed(1000, 500);
    let (asked, most) = serve(&mut s, fx);
    assert!(most <= MAX_IN_FLIGHT, "{most} in flight");
    let v = &s.controllers.vitals;
    assert_eq!(v.read_count(), 1000, "everything read");
    // The first hundred controllers read are the ones around the selection.
    let mut first: Vec<i64> = Vec::new();
    for id in asked.iter().filter_map(about) {
        if !first.contains(&id) {
            first.push(id);
        }
    }
    assert!(
        first[..100].iter().all(|id| (450..=550).contains(id)),
        "{:?}",
        &first[..100]
    );
    // Each runner is read once, however many controllers scope it.
    let runners = asked
        .iter()
        .filter(|r| matches!(r, VitalRead::Runner(_)))
        .count();
    assert_eq!(runners, 7);
    // Nothing left: ticks ask for nothing.
    assert!(vital_reads(&tick(&mut s, at(1))).is_empty());
    assert_eq!(s.controllers.vitals.in_flight(), 0);
}

#[test]
fn each_list_makes_the_health_stale_and_it_is_read_again_selection_first() {
    let (mut s, fx) = listed(50, 20);
    serve(&mut s, fx);
    assert!(vital_reads(&tick(&mut s, at(1))).is_empty());
    let req = refresh(&mut s);
    let fx = list_loaded(&mut s, req, many(50));
    let reads = vital_reads(&fx);
    assert_eq!(reads.len(), 4);
    assert_eq!(about(&reads[0].1), Some(20), "{reads:?}");
    let (asked, _) = serve(&mut s, fx);
    assert!(asked.len() >= 150, "all read again: {}", asked.len());
}

#[test]
fn moving_the_selection_moves_what_is_read_first() {
    let (mut s, fx) = listed(1000, 1);
    // Answer the first four; meanwhile the user jumped to the end.
    update(&mut s, Intent::Bottom);
    let mut next = Vec::new();
    for (req, read) in vital_reads(&fx) {
        next.extend(vital_reads(&update(
            &mut s,
            Outcome::VitalLoaded {
                req,
                answer: world(read),
            },
        )));
    }
    assert!(!next.is_empty());
    // (The runner of a scope just read goes first, wherever its controller is.)
    let controllers: Vec<i64> = next.iter().filter_map(|(_, r)| about(r)).collect();
    assert!(
        !controllers.is_empty() && controllers.iter().all(|id| *id >= 990),
        "{next:?}"
    );
}

#[test]
fn an_older_answer_never_replaces_a_newer_one() {
    let (mut s, fx) = listed(3, 2);
    let tokens_read = vital_reads(&fx)
        .into_iter()
        .find(|(_, r)| *r == VitalRead::Tokens(cid(2)))
        .expect("the sweep reads 2's tokens");
    // The detail reads the same tokens later and its answer comes first: none.
    let open = update(&mut s, Intent::OpenDetail);
    let Some(Effect::Load(Load::Tokens { req, id })) = open
        .iter()
        .find(|e| matches!(e, Effect::Load(Load::Tokens { .. })))
        .cloned()
    else {
        panic!("the detail reads tokens: {open:?}");
    };
    update(
        &mut s,
        Outcome::TokensLoaded {
            req,
            id,
            result: Ok(vec![]),
        },
    );
    let (old, read) = tokens_read;
    update(
        &mut s,
        Outcome::VitalLoaded {
            req: old,
            answer: world(read),
        },
    );
    let e = s.controllers.vitals.of(cid(2)).expect("known");
    assert_eq!(
        e.tokens.data.as_deref(),
        Some(&[][..]),
        "the newer answer stays"
    );
    assert_eq!(
        s.controllers.vitals.in_flight(),
        4,
        "its slot went to the next read"
    );
}

#[test]
fn the_sweeps_scopes_fill_the_cache_the_preview_and_the_safety_rule_read() {
    let (mut s, fx) = listed(3, 3);
    let (req, read) = vital_reads(&fx)
        .into_iter()
        .find(|(_, r)| *r == VitalRead::Scopes(cid(3)))
        .expect("scopes of the selected first");
    update(
        &mut s,
        Outcome::VitalLoaded {
            req,
            answer: world(read),
        },
    );
    assert_eq!(s.controllers.scopes.get(&cid(3)), Some(&instance_scope()));
    // The preview does not read them again.
    assert!(scope_reads(&tick(&mut s, at(1))).is_empty());
    // Enabling still reads them fresh.
    let asked = pick(&mut s, S::Disabled);
    assert!(
        scope_reads(&asked).is_empty(),
        "disabling needs no fresh read"
    );
}

#[test]
fn findings_follow_the_reads_and_health_jumps_to_the_controller() {
    let (mut s, fx) = listed(10, 1);
    serve(&mut s, fx);
    // 5 and 10 have no scope; 5 is dry_run, 10 disabled: only 5 receives nothing.
    let e = s.controllers.vitals.of(cid(5)).expect("read");
    assert_eq!(e.findings[0].kind, Kind::NoScope { enforcing: false });
    assert_eq!(e.findings[0].level, Level::Warn);
    assert!(
        s.controllers
            .vitals
            .of(cid(10))
            .is_some_and(|e| e.findings.is_empty())
    );
    update(&mut s, Intent::CommandLine);
    type_text(&mut s, "health");
    update(&mut s, Intent::Submit);
    let Some(Sheet::Health(h)) = &s.sheet else {
        panic!("the health view: {:?}", s.sheet);
    };
    assert_eq!(h.rows[0].controller, cid(5), "worst first");
    assert_eq!(crate::keymap::mode(&s), crate::keymap::Mode::Health);
    let fx = update(&mut s, Intent::OpenDetail);
    assert!(s.sheet.is_none());
    assert_eq!(s.controllers.selected, Some(cid(5)));
    assert_eq!(s.controllers.detail.as_ref().map(|d| d.id), Some(cid(5)));
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Load(Load::Controller { .. })))
    );
    // Esc walks back: from the detail to :health, then from :health to the panes.
    update(&mut s, Intent::Back);
    assert!(s.controllers.detail.is_none());
    assert!(
        matches!(s.sheet, Some(Sheet::Health(_))),
        "back where it was opened"
    );
    update(&mut s, Intent::Back);
    assert!(s.sheet.is_none());
    // A detail opened from the list goes back to the list.
    update(&mut s, Intent::OpenDetail);
    update(&mut s, Intent::Back);
    assert!(s.sheet.is_none() && s.controllers.detail.is_none());
}

#[test]
fn a_state_change_is_judged_again_at_once() {
    let (mut s, fx) = listed(10, 10);
    serve(&mut s, fx);
    assert!(
        s.controllers
            .vitals
            .of(cid(10))
            .is_some_and(|e| e.findings.is_empty())
    );
    // Someone enables 10 (no scope): the row changes, the finding appears.
    let fx = pick(&mut s, S::DryRun);
    let after = version(controller(10, S::DryRun, "fleet 10"), 5);
    updated(&mut s, &fx, controller(10, S::Disabled, "fleet 10"), after);
    let e = s.controllers.vitals.of(cid(10)).expect("read");
    assert_eq!(e.findings.len(), 1, "{:?}", e.findings);
}

fn order(s: &State) -> Vec<i64> {
    (0..s.controllers.visible_len())
        .filter_map(|i| s.controllers.visible(i))
        .map(|c| c.id.0)
        .collect()
}

#[test]
fn sorting_by_a_column_and_back_keeps_the_selection() {
    let mut s = loaded(3);
    update(&mut s, Intent::Sort(SortColumn::State));
    assert_eq!(order(&s), [1, 3, 2, 4], "enabled, dry_run, disabled, other");
    assert_eq!(s.controllers.selected, Some(cid(3)));
    assert_eq!(s.controllers.selected_index(), Some(1));
    update(&mut s, Intent::Sort(SortColumn::State));
    assert_eq!(order(&s), [4, 2, 3, 1], "again: reversed");
    update(&mut s, Intent::Down);
    assert_eq!(s.controllers.selected, Some(cid(1)));
    // A refresh keeps the order and the selection.
    let req = refresh(&mut s);
    list_loaded(&mut s, req, fixture());
    assert_eq!(order(&s), [4, 2, 3, 1]);
    assert_eq!(s.controllers.selected, Some(cid(1)));
    // With a filter, the order holds among what shows.
    type_filter(&mut s, "a");
    update(&mut s, Intent::Submit);
    let shown = order(&s);
    assert!(shown.windows(2).all(|w| {
        let rank = |id| [4, 2, 3, 1].iter().position(|x| *x == id);
        rank(w[0]) < rank(w[1])
    }));
    // `:sort id` goes back.
    update(&mut s, Intent::CommandLine);
    type_text(&mut s, "sort id");
    update(&mut s, Intent::Submit);
    assert_eq!(s.controllers.sort.map(|x| x.column), Some(SortColumn::Id));
    update(&mut s, Intent::CommandLine);
    type_text(&mut s, "sort nope");
    update(&mut s, Intent::Submit);
    assert!(s.dialog.is_some(), "an unknown column is said in the form");
}

#[test]
fn sorting_by_findings_puts_the_worst_first_as_the_reads_come_in() {
    let (mut s, fx) = listed(10, 1);
    update(&mut s, Intent::Sort(SortColumn::Findings));
    serve(&mut s, fx);
    assert_eq!(order(&s)[0], 5, "{:?}", order(&s));
    assert_eq!(s.controllers.selected, Some(cid(1)), "pinned by id");
}
