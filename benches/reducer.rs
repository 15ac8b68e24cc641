//! Throughput of the pure reducer `update(&mut State, Action)`: navigation on 100,000 rows, a
//! refresh answer of 10,000 rows (the selection stays pinned by id) and the clock tick.
//!
//! `cargo bench --bench reducer`

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use runnerdeck::domain::{ControllerId, ControllerState, RunnerController, Timestamp};
use runnerdeck::effect::{Effect, Load, ReqId};
use runnerdeck::msg::{Intent, Msg, Outcome};
use runnerdeck::state::{Context, Settings, State, update};

fn t0() -> Timestamp {
    "2026-11-22T10:00:00Z".parse().expect("a valid timestamp")
}

fn controllers(n: usize) -> Vec<RunnerController> {
    (1..=n as i64)
        .map(|id| RunnerController {
            id: ControllerId(id),
            description: (id % 7 != 0).then(|| format!("fleet controller {id}: admission guard")),
            state: match id % 3 {
                0 => ControllerState::Enabled,
                1 => ControllerState::Disabled,
                _ => ControllerState::DryRun,
            },
            created_at: Some(t0().into()),
            updated_at: Some(t0().into()),
            connected: None,
        })
        .collect()
}

fn fresh_state() -> State {
    let ctx = Context {
        instance_name: "prod".into(),
        gitlab_url: "https://gitlab.example.com".into(),
        credential: "env GITLAB_TOKEN".into(),
        vehaas_url: Some("https://vehaas.example.com".into()),
        ..Default::default()
    };
    State::new(t0(), ctx, Settings::default())
}

fn load_request(fx: Vec<Effect>) -> ReqId {
    fx.into_iter()
        .find_map(|e| match e {
            Effect::Load(Load::Controllers { req }) => Some(req),
            _ => None,
        })
        .expect("a controllers load was asked for")
}

/// A state with `n` controllers loaded and the middle one selected.
fn loaded(n: usize) -> State {
    let mut state = fresh_state();
    let req = load_request(state.init());
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

fn bench_navigation(c: &mut Criterion) {
    let mut group = c.benchmark_group("reducer/navigate");
    let mut state = loaded(100_000);
    // One Down and one Up per iteration: the selection stays in the middle.
    group.throughput(Throughput::Elements(2));
    group.bench_function("down_up/100000", |b| {
        b.iter(|| {
            black_box(update(&mut state, Intent::Down));
            black_box(update(&mut state, Intent::Up));
        })
    });
    assert_eq!(state.controllers.selected, Some(ControllerId(50_000)));
    group.finish();
}

fn bench_loaded(c: &mut Criterion) {
    let mut group = c.benchmark_group("reducer/controllers_loaded");
    let n = 10_000;
    let base = loaded(n);
    let fresh = controllers(n);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function("10000", |b| {
        b.iter_batched(
            || {
                // Not timed: a refresh in flight and the server's answer ready.
                let mut state = base.clone();
                let req = load_request(update(&mut state, Intent::Refresh));
                (state, req, fresh.clone())
            },
            |(mut state, req, rows)| {
                black_box(update(
                    &mut state,
                    Outcome::ControllersLoaded {
                        req,
                        result: Ok(rows),
                    },
                ));
                debug_assert_eq!(state.controllers.selected, Some(ControllerId(5_000)));
                state
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn bench_tick(c: &mut Criterion) {
    let mut group = c.benchmark_group("reducer/tick");
    let mut state = loaded(100_000);
    let mut now = t0();
    let step = Duration::from_millis(250);
    group.throughput(Throughput::Elements(1));
    group.bench_function("100000", |b| {
        b.iter(|| {
            now = now.checked_add(step).expect("time moves on");
            black_box(update(&mut state, Msg::Tick { now }))
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
    targets = bench_navigation, bench_loaded, bench_tick
}
criterion_main!(benches);
