//! Property tests of the reducer: random sequences of intents, outcomes (for any effect on its
//! way, in any order, some failing, some for superseded or already answered requests) and
//! ticks. It never panics, and after every step: the selection is a visible row, a queued
//! dialog only waits behind an open one, every pending read and change was asked for and not
//! yet answered, and a token's secret appears in no flash, no log entry and no screen but its
//! own dialog. Bounded so `cargo test` stays fast.

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::*;
use crate::effect::{ChangeId, Load};
use crate::msg::Edit;
use crate::ops::{Change, Done, OpError};

const SECRET: &str = "glrct-PROPERTYSECRET";

#[derive(Debug, Clone)]
enum Step {
    Key(Intent),
    /// Answer the n-th effect on its way (mod their number), well or badly.
    Answer(usize, bool),
    /// Answer a read that was already answered (or superseded) once more.
    Stale(usize),
    Tick(u64),
}

fn intents() -> impl Strategy<Value = Intent> {
    prop_oneof![
        Just(Intent::Up),
        Just(Intent::Down),
        Just(Intent::Top),
        Just(Intent::Bottom),
        Just(Intent::PageDown),
        Just(Intent::FocusNext),
        Just(Intent::OpenDetail),
        Just(Intent::Back),
        Just(Intent::Refresh),
        Just(Intent::ToggleDryRun),
        Just(Intent::PickState),
        Just(Intent::Submit),
        Just(Intent::Answer(true)),
        Just(Intent::Answer(false)),
        Just(Intent::NextField),
        Just(Intent::Mark),
        Just(Intent::Delete),
        Just(Intent::Undo),
        Just(Intent::New),
        Just(Intent::EditDescription),
        Just(Intent::Rotate),
        Just(Intent::AddInstanceScope),
        Just(Intent::Filter),
        Just(Intent::Raw),
        Just(Intent::Copy),
        Just(Intent::Help),
        Just(Intent::Extend),
        Just(Intent::Edit(Edit::Char('1'))),
        Just(Intent::Edit(Edit::Char('k'))),
        Just(Intent::Edit(Edit::Backspace)),
        Just(Intent::ToggleTimeline),
        Just(Intent::ZoomIn),
        Just(Intent::Click {
            pane: crate::state::Pane::Controllers,
            row: Some(3)
        }),
        Just(Intent::Click {
            pane: crate::state::Pane::Bookings,
            row: Some(99)
        }),
        Just(Intent::Wheel {
            pane: crate::state::Pane::Bookings,
            down: true
        }),
    ]
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![
        4 => intents().prop_map(Step::Key),
        4 => (any::<usize>(), any::<bool>()).prop_map(|(n, ok)| Step::Answer(n, ok)),
        1 => any::<usize>().prop_map(Step::Stale),
        1 => (1u64..400).prop_map(Step::Tick),
    ];
    proptest::collection::vec(step, 1..80)
}

/// The world the reducer talks to, played by hand.
struct World {
    state: State,
    pending: Vec<Effect>,
    answered: Vec<Effect>,
    now: Timestamp,
}

fn rows(n: usize) -> Vec<RunnerController> {
    let mut all = fixture();
    all.push(controller(5, S::Enabled, "\u{202e}hostile"));
    all.truncate(n.max(1));
    all
}

fn secret_token() -> std::sync::Arc<crate::domain::NewToken> {
    std::sync::Arc::new(crate::domain::NewToken {
        token: token(99),
        secret: secrecy::SecretString::from(SECRET.to_string()),
    })
}

/// A plausible answer to `effect`, good or bad.
fn answer(effect: &Effect, ok: bool, seed: usize) -> Option<Msg> {
    let fail = || ApiError::Server {
        status: 500,
        message: "500 Internal Server Error".into(),
    };
    let scopes = match seed % 3 {
        0 => no_scopes(),
        1 => instance_scope(),
        _ => runner_scope(3),
    };
    let o = match effect.clone() {
        Effect::Load(load) => load_answer(load, ok, seed, scopes, fail())?,
        Effect::Change { id, change } => Outcome::Changed {
            id,
            result: if ok {
                Ok(done(&change, seed))
            } else if seed.is_multiple_of(2) {
                Err(failure(fail()))
            } else {
                Err(OpError::ChangedElsewhere {
                    server: Box::new(version(row(1), 900)),
                })
            },
        },
        Effect::PollJob { key, .. } => Outcome::JobPolled {
            key,
            result: if ok {
                Ok(job(JobState::Finished, Some("tag-1")))
            } else {
                Err(fail())
            },
        },
        Effect::Copy { .. }
        | Effect::CopySecret { .. }
        | Effect::SwitchContext { .. }
        | Effect::MouseCapture(_) => {
            return None;
        }
    };
    Some(Msg::Outcome(o))
}

fn load_answer(load: Load, ok: bool, seed: usize, scopes: Scopes, e: ApiError) -> Option<Outcome> {
    Some(match load {
        Load::Controllers { req } => Outcome::ControllersLoaded {
            req,
            result: if ok { Ok(rows(seed % 6)) } else { Err(e) },
        },
        Load::Controller { req, id } => Outcome::ControllerLoaded {
            req,
            result: if ok {
                Ok(controller(id.0, S::DryRun, "read"))
            } else {
                Err(e)
            },
        },
        Load::Tokens { req, id } => Outcome::TokensLoaded {
            req,
            id,
            result: if ok {
                Ok(vec![token(10), token(11)])
            } else {
                Err(e)
            },
        },
        Load::Scopes { req, id } => Outcome::ScopesLoaded {
            req,
            id,
            result: if ok { Ok(scopes) } else { Err(e) },
        },
        Load::Raw { req, .. } => Outcome::RawLoaded {
            req,
            result: Ok(serde_json::json!({"id": 1})),
        },
        Load::Audit => Outcome::AuditLoaded {
            result: Ok(Vec::new()),
        },
        Load::Sessions { req } => Outcome::SessionsLoaded {
            req,
            result: if ok {
                Ok(vec![
                    session(
                        "1",
                        SessionState::Active,
                        20 + (seed % 30) as i64,
                        Some("t"),
                    ),
                    session("2", SessionState::Scheduled, 90, None),
                ])
            } else {
                Err(e)
            },
        },
    })
}

fn done(change: &Change, seed: usize) -> Done {
    match change {
        Change::CreateController { .. } => Done::Created(controller(40, S::Disabled, "new")),
        Change::UpdateController { id, .. } => Done::Updated {
            before: controller(id.0, S::Disabled, "before"),
            after: version(
                controller(id.0, S::DryRun, "after"),
                100 + (seed % 1000) as u64,
            ),
        },
        Change::DeleteController { id, .. } => Done::Deleted {
            before: controller(id.0, S::Disabled, "gone"),
        },
        Change::CreateToken { .. } => Done::TokenIssued {
            token: secret_token(),
            rotated: None,
        },
        Change::RotateToken { token, .. } => Done::TokenIssued {
            token: secret_token(),
            rotated: Some(*token),
        },
        Change::RevokeToken { .. } => Done::TokenRevoked,
        Change::Scope { .. } => Done::ScopeChanged {
            before: no_scopes(),
            after: Some(instance_scope()),
        },
        Change::RequestRunner { .. } => Done::RunnerRequested(job(JobState::Queued, None)),
        Change::ExtendSession { .. } => Done::Extended {
            before: session("1", SessionState::Active, 20, None),
            after: session("1", SessionState::Active, 50, None),
        },
        Change::ReleaseSession { .. } => Done::Released {
            before: session("1", SessionState::Active, 20, None),
        },
    }
}

impl World {
    fn new() -> Self {
        let mut state = state();
        let pending = state.init();
        Self {
            state,
            pending,
            answered: Vec::new(),
            now: t0(),
        }
    }

    fn step(&mut self, step: Step) {
        let msg = match step {
            Step::Key(i) => Msg::Intent(i),
            Step::Tick(secs) => {
                self.now += std::time::Duration::from_secs(secs);
                Msg::Tick { now: self.now }
            }
            Step::Answer(n, ok) => {
                if self.pending.is_empty() {
                    return;
                }
                let effect = self.pending.remove(n % self.pending.len());
                let msg = answer(&effect, ok, n);
                self.answered.push(effect);
                match msg {
                    Some(m) => m,
                    None => return,
                }
            }
            Step::Stale(n) => {
                let Some(effect) = self.answered.get(n % self.answered.len().max(1)) else {
                    return;
                };
                match effect {
                    Effect::Load(_) => match answer(effect, true, n) {
                        Some(m) => m,
                        None => return,
                    },
                    _ => return,
                }
            }
        };
        let fx = update(&mut self.state, msg);
        self.pending.extend(fx);
    }

    fn asked_reads(&self) -> Vec<ReqId> {
        self.pending
            .iter()
            .filter_map(|e| match e {
                Effect::Load(Load::Controllers { req } | Load::Sessions { req }) => Some(*req),
                _ => None,
            })
            .collect()
    }

    fn asked_changes(&self) -> Vec<ChangeId> {
        self.pending
            .iter()
            .filter_map(|e| match e {
                Effect::Change { id, .. } => Some(*id),
                _ => None,
            })
            .collect()
    }

    fn check(&self) -> Result<(), TestCaseError> {
        let s = &self.state;
        if let Some(id) = s.controllers.selected {
            prop_assert!(s.controllers.is_visible(id), "selected {id} is not visible");
        }
        if let Some(key) = &s.bookings.selected {
            prop_assert!(
                s.bookings.is_empty() || s.bookings.rows().any(|r| r.key() == *key),
                "booking selection {key:?} is not a row"
            );
        }
        prop_assert!(
            s.queued.is_empty() || s.dialog.is_some(),
            "a queue with no dialog"
        );
        let reads = self.asked_reads();
        for req in [s.controllers.remote.pending, s.bookings.remote.pending]
            .into_iter()
            .flatten()
        {
            prop_assert!(
                reads.contains(&req),
                "pending read {req} was never asked for"
            );
        }
        let changes = self.asked_changes();
        for id in s.changes.keys() {
            prop_assert!(
                changes.contains(id),
                "change {id:?} on its way was never sent"
            );
        }
        let history = format!("{:?}{:?}", s.history, s.flash);
        prop_assert!(
            !history.contains("PROPERTYSECRET"),
            "a secret in the flashes"
        );
        Ok(())
    }

    fn screen(&self) -> String {
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        let mut view = crate::ui::View::default();
        terminal
            .draw(|f| crate::ui::render(&self.state, &mut view, f))
            .expect("draw");
        format!("{}", terminal.backend())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn the_reducer_keeps_its_invariants_whatever_comes(steps in steps()) {
        let mut w = World::new();
        for step in steps {
            w.step(step);
            w.check()?;
            let screen = w.screen();
            let showing_secret = matches!(w.state.dialog, Some(Dialog::Secret { .. }));
            prop_assert!(
                showing_secret || !screen.contains("PROPERTYSECRET"),
                "the secret on screen outside its dialog"
            );
            if w.state.quit {
                break;
            }
        }
    }
}
