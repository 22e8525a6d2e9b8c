//! Criterion benches for the capacitated solver, grouped by size: low-rank-plus-noise scores
//! (the shape of mentor–mentee compatibility), rows with capacity 1, columns with capacity 1–3.
//! `cargo bench --bench capacitated`; the full 10,000 × 4,000 figure comes from
//! `cargo run --release --example capacitated_scale`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mentorpair::lsap::instances::mentor_like;
use mentorpair::lsap::{solve_capacitated, CapacitatedOptions, Objective};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::hint::black_box;

fn capacitated(c: &mut Criterion) {
    for objective in [Objective::Coverage, Objective::Score] {
        let mut group = c.benchmark_group(format!("capacitated_{objective:?}").to_lowercase());
        group.sample_size(10);
        for (n, m) in [(250, 100), (500, 200), (1000, 400), (2000, 800)] {
            let w = mentor_like(n, m, 2026);
            let mut rng = ChaCha8Rng::seed_from_u64(7);
            let cc: Vec<u32> = (0..m).map(|_| rng.random_range(1..=3)).collect();
            let rc = vec![1u32; n];
            let opts = CapacitatedOptions {
                maximize: true,
                objective,
            };
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("{n}x{m}")),
                &w,
                |b, w| b.iter(|| black_box(solve_capacitated(w.view(), &rc, &cc, &opts))),
            );
        }
        group.finish();
    }
}

criterion_group!(benches, capacitated);
criterion_main!(benches);
