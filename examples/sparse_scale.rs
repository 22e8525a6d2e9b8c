//! Sparse capacitated solver + certificate at scale, on mentor-like scores from an oracle
//! (`lsap::instances::MentorLike`): row capacity 1, column capacities 1–3, Coverage, maximising.
//!
//! `cargo run --release --example sparse_scale -- crossover` : dense vs sparse (top-k candidates,
//!   certified) on growing sizes, rows = 2.5 × columns.
//! `cargo run --release --example sparse_scale -- large [rows cols]` : one sparse + certificate
//!   solve, 100,000 × 40,000 by default, rounds stopped after 60 s (run under `/usr/bin/time -v`
//!   for the peak RSS).
//! `cargo run --release --example sparse_scale -- problem [mentees mentors] [dense|sparse|both]` :
//!   the prepared problem on the default synthetic cohort (`synthetic::generate`, mentor
//!   capacities 1–3; `--time-limit=SECONDS` stops certifying after that): preparation (blocking candidates) and the certified sparse solve, against
//!   the dense path when asked; prints each stage and the certificate.
//! `--narrow` (any mode): the hot loops as built for baseline x86-64, without the AVX2 / POPCNT
//! versions `lsap::cpu` picks at run time, for comparing the two side by side.

#![allow(clippy::field_reassign_with_default)] // configs are built field by field (they are non-exhaustive)

use mentorpair::lsap::instances::MentorLike;
use mentorpair::lsap::{
    solve_capacitated, solve_certified, top_candidates, Budget, CapacitatedOptions, Objective,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

const K_ROW: usize = 8;
const K_COL: usize = 8;

fn capacities(n: usize, m: usize) -> (Vec<u32>, Vec<u32>) {
    let mut r = ChaCha8Rng::seed_from_u64(7);
    (vec![1; n], (0..m).map(|_| r.random_range(1..=3)).collect())
}

/// Sparse path: candidates from the oracle, solve, certify (returns seconds and the result).
fn sparse(
    o: &MentorLike,
    rc: &[u32],
    cc: &[u32],
    opts: &CapacitatedOptions,
    budget: &Budget,
) -> (f64, f64, String) {
    let (n, m) = o.dim();
    let oracle = |r: std::ops::Range<usize>, out: &mut [f64]| o.block(r, out);
    let t = Instant::now();
    let g = top_candidates(n, m, &oracle, K_ROW, K_COL, true).expect("valid sizes");
    let t_cand = t.elapsed().as_secs_f64();
    let nnz = g.nnz();
    let c = solve_certified(&oracle, g, rc, cc, opts, budget).expect("solvable");
    let total = t.elapsed().as_secs_f64();
    let cert = c.certificate;
    let info = format!(
        "candidates {nnz} -> {} ({t_cand:.2} s), {} pairs, total {:.4}, certified {}, rounds {}, pairs checked {}, gap {:.3e}, coverage gap {}",
        c.candidates.nnz(),
        c.matching.pairs.len(),
        c.matching.objective,
        cert.certified,
        cert.rounds,
        cert.pairs_checked,
        cert.gap,
        cert.coverage_gap
    );
    (total, c.matching.objective, info)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let nums: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let opts = CapacitatedOptions {
        maximize: true,
        objective: Objective::Coverage,
    };
    if args.iter().any(|a| a == "--narrow") {
        mentorpair::lsap::cpu::set_wide(false);
    }
    println!(
        "{} rayon threads, wide instructions {}",
        rayon::current_num_threads(),
        if mentorpair::lsap::cpu::wide() {
            "on"
        } else {
            "off (--narrow or not available)"
        }
    );
    if args.first().map(String::as_str) == Some("problem") {
        let (n, m) = match nums[..] {
            [n, m, ..] => (n, m),
            _ => (30_000, 12_000),
        };
        let which = args
            .iter()
            .find(|a| ["dense", "sparse", "both"].contains(&a.as_str()));
        let which = which.map_or("sparse", String::as_str);
        let t = Instant::now();
        let cohort = mentorpair::synthetic::generate(&mentorpair::synthetic::CohortSpec::new(n, m))
            .expect("valid spec");
        println!(
            "{n} x {m}: cohort generated in {:.2} s",
            t.elapsed().as_secs_f64()
        );
        for solver in [
            mentorpair::problem::SolverChoice::Dense,
            mentorpair::problem::SolverChoice::Sparse,
        ] {
            if which != "both" && which != solver.name() {
                continue;
            }
            let mut cfg = mentorpair::problem::MatchConfig::default();
            cfg.solver = solver;
            cfg.memory_limit_bytes = u64::MAX;
            cfg.sparse_time_limit_s = args
                .iter()
                .find_map(|a| a.strip_prefix("--time-limit="))
                .and_then(|x| x.parse().ok());
            let t = Instant::now();
            let p = mentorpair::problem::Problem::new(cohort.clone(), cfg).expect("prepared");
            let prep = t.elapsed().as_secs_f64();
            let s = p.solve().expect("solved");
            let solve = t.elapsed().as_secs_f64() - prep;
            let r = p.result(&s);
            let total = t.elapsed().as_secs_f64();
            println!(
                "{:>6}: prepare {prep:.2} s (score {:.2} s, {} stored candidates), solve {solve:.2} s (certificate checks {:.2} s), report {:.2} s, total {total:.2} s; {} pairs, total score {:.6}; certificate {:?}",
                solver.name(),
                p.timings().score_ms / 1e3,
                p.scores().candidate_count(),
                s.certify_ms / 1e3,
                r.timings.report_ms / 1e3,
                r.pairs.len(),
                r.summary.total_score,
                r.certificate
            );
        }
        return;
    }
    if args.first().map(String::as_str) == Some("large") {
        let (n, m) = match nums[..] {
            [n, m, ..] => (n, m),
            _ => (100_000, 40_000),
        };
        let (rc, cc) = capacities(n, m);
        let o = MentorLike::new(n, m, 2026);
        // Stop after the round that ends past 60 s: the certificate then reports the gap.
        let budget = Budget {
            time_limit: Some(std::time::Duration::from_secs(60)),
            ..Budget::default()
        };
        let (secs, _, info) = sparse(&o, &rc, &cc, &opts, &budget);
        println!("{n} x {m} sparse + certificate: {secs:.2} s; {info}");
        return;
    }
    for &(n, m) in &[
        (1_000, 400),
        (2_500, 1_000),
        (5_000, 2_000),
        (10_000, 4_000),
        (20_000, 8_000),
    ] {
        let (rc, cc) = capacities(n, m);
        let o = MentorLike::new(n, m, 2026);
        let t = Instant::now();
        let w = o.dense();
        let d = solve_capacitated(w.view(), &rc, &cc, &opts).expect("solvable");
        let dense_s = t.elapsed().as_secs_f64();
        drop(w);
        let (sparse_s, obj, info) = sparse(&o, &rc, &cc, &opts, &Budget::default());
        let same = (obj - d.objective).abs() <= 1e-9 * d.objective.abs().max(1.0);
        println!(
            "{n:>6} x {m:>5}: dense {dense_s:7.2} s, sparse+cert {sparse_s:7.2} s, same optimum {same}; {info}"
        );
    }
}
