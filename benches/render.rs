//! One full frame of the TUI (`ui::render` into a `TestBackend` terminal) with 10, 1,000 and
//! 100,000 runner controllers loaded and the selection in the middle. Only the visible rows are
//! built, so the cost of a frame should not depend on the number of controllers.
//!
//! `cargo bench --bench render`

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runnerdeck::domain::{ControllerId, ControllerState, RunnerController, Timestamp};
use runnerdeck::effect::{Effect, Load};
use runnerdeck::msg::{Intent, Outcome};
use runnerdeck::state::{Context, Settings, State, update};
use runnerdeck::ui::{View, render};

fn t0() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().expect("a valid timestamp")
}

fn controllers(n: usize) -> Vec<RunnerController> {
    (1..=n as i64)
        .map(|id| RunnerController {
            id: ControllerId(id),
            description: (id % 7 != 0).then(|| format!("fleet controller {id}: admission guard")),
            state: match id % 4 {
                0 => ControllerState::Enabled,
                1 => ControllerState::Disabled,
                2 => ControllerState::DryRun,
                _ => ControllerState::Other("paused".into()),
            },
            created_at: Some(t0().into()),
            updated_at: Some(t0().into()),
            connected: None,
        })
        .collect()
}

/// A state with `n` controllers loaded and the middle one selected.
fn loaded(n: usize) -> State {
    let ctx = Context {
        instance_name: "prod".into(),
        gitlab_url: "https://gitlab.example.com".into(),
        credential: "env GITLAB_TOKEN".into(),
        ..Default::default()
    };
    let mut state = State::new(t0(), ctx, Settings::default());
    let req = state
        .init()
        .into_iter()
        .find_map(|fx| match fx {
            Effect::Load(Load::Controllers { req }) => Some(req),
            _ => None,
        })
        .expect("init loads the controllers");
    update(
        &mut state,
        Outcome::ControllersLoaded {
            req,
            result: Ok(controllers(n)),
        },
    );
    state.controllers.selected = Some(ControllerId((n as i64 + 1) / 2));
    state
}

fn bench_frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("render/frame");
    for (w, h) in [(140u16, 40u16), (80, 24)] {
        for n in [10usize, 1_000, 100_000] {
            let state = loaded(n);
            let mut view = View::default();
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("a test terminal");
            group.bench_with_input(BenchmarkId::new(format!("{w}x{h}"), n), &n, |b, _| {
                b.iter(|| {
                    terminal
                        .draw(|f| render(black_box(&state), &mut view, f))
                        .expect("draw a frame");
                })
            });
        }
    }
    group.finish();
}

fn bench_dialog(c: &mut Criterion) {
    let mut group = c.benchmark_group("render/dialog");
    let n = 100_000;
    let mut state = loaded(n);
    // ctrl-d on the selected controller: the delete confirmation over the table.
    update(&mut state, Intent::Delete);
    assert!(state.dialog.is_some(), "the delete confirmation is open");
    let mut view = View::default();
    let mut terminal = Terminal::new(TestBackend::new(140, 40)).expect("a test terminal");
    group.bench_with_input(BenchmarkId::new("140x40-confirm", n), &n, |b, _| {
        b.iter(|| {
            terminal
                .draw(|f| render(black_box(&state), &mut view, f))
                .expect("draw a frame");
        })
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_frame, bench_dialog
}
criterion_main!(benches);
