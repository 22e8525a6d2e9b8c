//! Time the capacitated solver on the issue-3 scale: 10,000 rows × 4,000 columns, column capacities
//! 1–3, row capacity 1, mentor-like scores (`lsap::instances::mentor_like`), Coverage and Score.
//!
//! `cargo run --release --example capacitated_scale [rows cols]`

use mentorpair::lsap::instances::mentor_like;
use mentorpair::lsap::{
    solve_capacitated, solve_capacitated_from, solve_capacitated_warm, CapacitatedOptions,
    Objective,
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
    let cc: Vec<u32> = (0..m).map(|_| rng.random_range(1..=3)).collect();
    let rc = vec![1u32; n];
    println!(
        "{n} x {m}, column capacity 1-3 (total {}), row capacity 1, {} rayon threads",
        cc.iter().sum::<u32>(),
        rayon::current_num_threads()
    );
    for objective in [Objective::Coverage, Objective::Score] {
        let opts = CapacitatedOptions {
            maximize: true,
            objective,
        };
        let t = Instant::now();
        let mm = solve_capacitated(w.view(), &rc, &cc, &opts).expect("valid problem");
        let cold = t.elapsed().as_secs_f64();
        // A Lagrangian-style step: raise every tenth row by 0.05 and re-solve warm.
        let mut w2 = w.clone();
        for (i, mut row) in w2.rows_mut().into_iter().enumerate() {
            if i % 10 == 0 {
                row.mapv_inplace(|x| x + 0.05);
            }
        }
        let t = Instant::now();
        let warm = solve_capacitated_warm(
            w2.view(),
            &rc,
            &cc,
            &opts,
            Some((&mm.row_duals, &mm.col_duals)),
        )
        .expect("valid problem");
        let warm_t = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let from = solve_capacitated_from(w2.view(), &rc, &cc, &opts, &mm).expect("valid problem");
        let from_t = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let again = solve_capacitated(w2.view(), &rc, &cc, &opts).expect("valid problem");
        let cold2 = t.elapsed().as_secs_f64();
        println!(
            "{objective:?}: {} pairs, total {:.4}, cold {cold:.3} s | shifted rows: from previous result {from_t:.3} s, from duals {warm_t:.3} s, cold {cold2:.3} s (totals {:.6} / {:.6} / {:.6})",
            mm.pairs.len(),
            mm.objective,
            from.objective,
            warm.objective,
            again.objective
        );
    }
}
