//! Criterion benches of the dense solver, one group per instance family, parameterised by size.
//! The seeded families are the ones the tests and `benches/compare.py` use.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mentorpair::lsap::{instances, solve_dense};
use ndarray::Array2;
use std::hint::black_box;
use std::time::Duration;

type Family = (&'static str, bool, fn(usize) -> Array2<f64>);

fn families() -> Vec<Family> {
    vec![
        ("uniform", false, |n| instances::uniform(n, n, 1)),
        ("integers", false, |n| instances::integers(n, n, 0..1000, 1)),
        ("mentor_like", true, |n| instances::mentor_like(n, n, 1)),
        ("rectangular", false, |n| instances::uniform(n, n / 3, 1)),
    ]
}

fn bench(c: &mut Criterion) {
    let sizes: Vec<usize> = std::env::var("LSAP_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![500, 1000, 2000]);
    for (name, maximize, make) in families() {
        let mut g = c.benchmark_group(name);
        g.sample_size(10).measurement_time(Duration::from_secs(3));
        for &n in &sizes {
            let cost = make(n);
            g.bench_with_input(BenchmarkId::from_parameter(n), &cost, |b, cost| {
                b.iter(|| solve_dense(black_box(cost.view()), maximize).expect("feasible"))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
