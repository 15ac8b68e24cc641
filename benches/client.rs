//! End to end: `GitLab::list_controllers()` against the embedded simulator over loopback HTTP,
//! 1,000 controllers = 10 pages of 100, fetched (four at a time after the first) and decoded into
//! domain types, with and without GitLab's totals.
//!
//! `cargo bench --bench client`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use runnerdeck::api::gitlab::GitLab;
use runnerdeck::api::http::HttpOptions;
use runnerdeck::sim::{SimOptions, Simulator};
use secrecy::SecretString;

const CONTROLLERS: usize = 1_000;

fn bench_list(c: &mut Criterion) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut group = c.benchmark_group("client/list_controllers");
    // With totals the pages after the first are asked four at a time up to X-Total-Pages;
    // without (GitLab past 10,000 rows) they are guessed while pages come full.
    for (name, count_limit) in [("10_pages", 10_000), ("10_pages_no_totals", 0)] {
        let sim = rt
            .block_on(Simulator::start(SimOptions {
                controllers: CONTROLLERS,
                count_limit,
                ..SimOptions::default()
            }))
            .expect("the simulator starts");
        let client = GitLab::new(
            &sim.url(),
            SecretString::from(sim.gitlab_token()),
            &HttpOptions::default(),
        )
        .expect("a GitLab client");
        let first = rt
            .block_on(client.list_controllers())
            .expect("the simulator lists its controllers");
        assert_eq!(first.len(), CONTROLLERS);
        group.throughput(Throughput::Elements(first.len() as u64));
        group.bench_function(format!("{}_rows_{name}", first.len()), |b| {
            b.iter(|| {
                let rows = rt
                    .block_on(client.list_controllers())
                    .expect("the simulator lists its controllers");
                black_box(rows)
            })
        });
        rt.block_on(sim.shutdown());
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_list
}
criterion_main!(benches);
