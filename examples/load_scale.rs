//! Time minimum loads and spreading in the capacitated solver side by side with the plain solve:
//! 10,000 rows × 4,000 columns, column capacities 2–6 (more room than rows, so loads are a
//! choice), row capacity 1, mentor-like scores.
//!
//! `cargo run --release --example load_scale [rows cols]`
//!
//! Rows: the plain solve (`solve_capacitated`), the load solve with no load terms (the same
//! problem through the load code path: cold, no bids), every column at `min_load = 2`, and
//! `spread = 0.01`; with coverage, total score, filled minimum loads and the largest load.

#![allow(clippy::field_reassign_with_default)]

use mentorpair::lsap::instances::mentor_like;
use mentorpair::lsap::{
    solve_capacitated, solve_capacitated_loads, CapacitatedOptions, ColumnLoads,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let (n, m) = match args[..] {
        [n, m, ..] => (n, m),
        _ => (10_000, 4_000),
    };
    let w = mentor_like(n, m, 2026);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let cc: Vec<u32> = (0..m).map(|_| rng.random_range(2..=6)).collect();
    let rc = vec![1u32; n];
    println!(
        "{n} x {m}, column capacity 2-6 (total {}), row capacity 1, {} rayon threads",
        cc.iter().sum::<u32>(),
        rayon::current_num_threads()
    );
    let opts = CapacitatedOptions::default();
    let report = |name: &str, secs: f64, pairs: &[(usize, usize)], objective: f64| {
        let mut load = vec![0u32; m];
        pairs.iter().for_each(|p| load[p.1] += 1);
        let active = load.iter().filter(|&&l| l > 0).count();
        let max = load.iter().max().copied().unwrap_or(0);
        println!(
            "{name:<28} {secs:>8.2} s  pairs {:>6}  total {objective:>10.3}  mentors with >=1 {active:>5}  max load {max}",
            pairs.len()
        );
    };
    let t = Instant::now();
    let plain = solve_capacitated(w.view(), &rc, &cc, &opts).expect("plain solve");
    report(
        "plain (solve_capacitated)",
        t.elapsed().as_secs_f64(),
        &plain.pairs,
        plain.objective,
    );
    let mut min2 = ColumnLoads::default();
    min2.min_load = vec![2; m];
    let mut spread = ColumnLoads::default();
    spread.spread = 0.01;
    let cases = [
        ("loads: none", ColumnLoads::default()),
        ("loads: min_load = 2", min2),
        ("loads: spread = 0.01", spread),
    ];
    for (name, loads) in cases {
        let t = Instant::now();
        let r = solve_capacitated_loads(w.view(), &rc, &cc, &opts, &loads).expect("load solve");
        let secs = t.elapsed().as_secs_f64();
        report(name, secs, &r.matching.pairs, r.matching.objective);
        let short: u32 = r.shortfall.iter().sum();
        if !loads.min_load.is_empty() {
            println!("{:<28} shortfall {short}", "");
        }
    }
}
