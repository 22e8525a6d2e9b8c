//! The sparse capacitated solver against the dense one (complete graphs and graphs with missing
//! edges), against brute force on tiny instances, warm restarts, and the certificate.

use mentorpair::lsap::{
    certify, certify_against, solve_capacitated, solve_certified, solve_sparse, solve_sparse_from,
    Budget, CandidateGraph, CapacitatedOptions, Matching, Next, Objective,
};
use ndarray::Array2;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn instance(n: usize, m: usize, missing: f64, seed: u64) -> (Array2<f64>, Vec<u32>, Vec<u32>) {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    let w = Array2::from_shape_simple_fn((n, m), || {
        if r.random::<f64>() < missing {
            f64::NAN
        } else {
            r.random::<f64>()
        }
    });
    let rc = (0..n).map(|_| r.random_range(0..=3)).collect();
    let cc = (0..m).map(|_| r.random_range(0..=3)).collect();
    (w, rc, cc)
}

fn opts(maximize: bool, coverage: bool) -> CapacitatedOptions {
    CapacitatedOptions {
        maximize,
        objective: if coverage {
            Objective::Coverage
        } else {
            Objective::Score
        },
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// Best (pairs, total) over all feasible matchings by enumeration, in the objective's order.
fn brute_force(w: &Array2<f64>, rc: &[u32], cc: &[u32], o: &CapacitatedOptions) -> (usize, f64) {
    let (n, m) = w.dim();
    let cells: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (0..m).map(move |j| (i, j)))
        .filter(|&(i, j)| w[[i, j]].is_finite())
        .collect();
    let s = if o.maximize { 1.0 } else { -1.0 };
    let mut best: Option<(usize, f64)> = None;
    for mask in 0u32..(1 << cells.len()) {
        let (mut dr, mut dc) = (vec![0u32; n], vec![0u32; m]);
        let (mut k, mut t) = (0usize, 0.0);
        for (b, &(i, j)) in cells.iter().enumerate() {
            if mask >> b & 1 == 1 {
                dr[i] += 1;
                dc[j] += 1;
                k += 1;
                t += w[[i, j]];
            }
        }
        if (0..n).any(|i| dr[i] > rc[i]) || (0..m).any(|j| dc[j] > cc[j]) {
            continue;
        }
        let better = match best {
            None => true,
            Some((bk, bt)) => match o.objective {
                Objective::Coverage => k > bk || (k == bk && s * t > s * bt + 1e-12),
                _ => s * t > s * bt + 1e-12,
            },
        };
        if better {
            best = Some((k, t));
        }
    }
    best.unwrap_or((0, 0.0))
}

fn assert_feasible(m: &Matching, g: &CandidateGraph, rc: &[u32], cc: &[u32]) {
    let (mut dr, mut dc) = (vec![0u32; rc.len()], vec![0u32; cc.len()]);
    for w in m.pairs.windows(2) {
        assert!(w[0] < w[1], "pairs sorted and distinct");
    }
    for &(i, j) in &m.pairs {
        assert!(g.score(i, j).is_some(), "pair ({i}, {j}) is a candidate");
        dr[i] += 1;
        dc[j] += 1;
    }
    assert!(dr.iter().zip(rc).all(|(d, c)| d <= c));
    assert!(dc.iter().zip(cc).all(|(d, c)| d <= c));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Random continuous scores have a unique optimum with probability 1: both solvers must find
    /// the same pairs, the same total and (on complete graphs) a dual bound equal to it.
    #[test]
    fn sparse_equals_dense(
        n in 1usize..30, m in 1usize..30, missing in prop::sample::select(vec![0.0, 0.3, 0.8]),
        maximize: bool, coverage: bool, seed in 0u64..1_000_000,
    ) {
        let (w, rc, cc) = instance(n, m, missing, seed);
        let o = opts(maximize, coverage);
        let dense = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
        let g = CandidateGraph::from_dense(w.view()).unwrap();
        let sparse = solve_sparse(&g, &rc, &cc, &o).unwrap();
        assert_feasible(&sparse, &g, &rc, &cc);
        prop_assert!(close(dense.objective, sparse.objective), "{} vs {}", dense.objective, sparse.objective);
        prop_assert_eq!(&dense.pairs, &sparse.pairs);
        // The sparse duals certify the optimum over the same allowed pairs.
        let oracle = |rows: std::ops::Range<usize>, out: &mut [f64]| {
            for (t, i) in rows.enumerate() {
                out[t * m..(t + 1) * m].copy_from_slice(w.row(i).as_slice().unwrap());
            }
        };
        let check = certify(n, m, &oracle, &sparse, &o, 4).unwrap();
        prop_assert_eq!(check.violating, 0);
    }

    /// Tiny instances against enumeration of every feasible matching.
    #[test]
    fn sparse_matches_brute_force(
        n in 1usize..4, m in 1usize..4, maximize: bool, coverage: bool, seed in 0u64..100_000,
    ) {
        let (w, rc, cc) = instance(n, m, 0.25, seed);
        let o = opts(maximize, coverage);
        let g = CandidateGraph::from_dense(w.view()).unwrap();
        let s = solve_sparse(&g, &rc, &cc, &o).unwrap();
        let (k, t) = brute_force(&w, &rc, &cc, &o);
        if coverage {
            prop_assert_eq!(s.pairs.len(), k);
        }
        prop_assert!(close(s.objective, t), "{} vs brute force {}", s.objective, t);
    }

    /// A restart from an earlier result (other scores, fewer candidates) reaches the cold optimum.
    #[test]
    fn warm_restart_equals_cold(
        n in 1usize..25, m in 1usize..25, coverage: bool, seed in 0u64..100_000,
    ) {
        let (w, rc, cc) = instance(n, m, 0.2, seed);
        let o = opts(true, coverage);
        let mut r = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let fewer = w.mapv(|x| if r.random::<f64>() < 0.4 { f64::NAN } else { x });
        let g0 = CandidateGraph::from_dense(fewer.view()).unwrap();
        let first = solve_sparse(&g0, &rc, &cc, &o).unwrap();
        let shifted = Array2::from_shape_fn((n, m), |(i, j)| w[[i, j]] + 0.1 * (i % 3) as f64);
        let g = CandidateGraph::from_dense(shifted.view()).unwrap();
        let warm = solve_sparse_from(&g, &rc, &cc, &o, &first).unwrap();
        let cold = solve_sparse(&g, &rc, &cc, &o).unwrap();
        assert_feasible(&warm, &g, &rc, &cc);
        prop_assert!(close(warm.objective, cold.objective));
        prop_assert_eq!(warm.pairs.len(), cold.pairs.len());
    }
}

/// The top `k` columns of each row by score (ties by column).
fn top_k(w: &Array2<f64>, k: usize) -> CandidateGraph {
    let mut t = Vec::new();
    for (i, row) in w.rows().into_iter().enumerate() {
        let mut idx: Vec<usize> = (0..row.len()).collect();
        idx.sort_by(|&a, &b| row[b].total_cmp(&row[a]).then(a.cmp(&b)));
        t.extend(idx.into_iter().take(k).map(|j| (i, j, row[j])));
    }
    CandidateGraph::from_triplets(w.nrows(), w.ncols(), &t).unwrap()
}

#[test]
fn column_generation_reaches_the_dense_optimum_from_too_few_candidates() {
    for (seed, coverage) in [(1u64, true), (2, false), (3, true)] {
        let w = mentorpair::lsap::instances::mentor_like(120, 50, seed);
        let rc = vec![1u32; 120];
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        let cc: Vec<u32> = (0..50).map(|_| r.random_range(1..=3)).collect();
        let o = opts(true, coverage);
        let dense = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
        let oracle = |rows: std::ops::Range<usize>, out: &mut [f64]| {
            for (t, i) in rows.enumerate() {
                out[t * 50..(t + 1) * 50].copy_from_slice(w.row(i).as_slice().unwrap());
            }
        };
        // One candidate per row: mentor-like rows all like the same few columns.
        let g = top_k(&w, 1);
        let start = solve_sparse(&g, &rc, &cc, &o).unwrap();
        assert!(start.objective < dense.objective - 1e-6 || start.pairs.len() < dense.pairs.len());
        let c = solve_certified(&oracle, g, &rc, &cc, &o, &Budget::default()).unwrap();
        assert!(c.certificate.certified, "{:?}", c.certificate);
        assert_eq!(c.certificate.gap, 0.0);
        assert!(c.certificate.rounds >= 2);
        assert_eq!(c.matching.pairs.len(), dense.pairs.len());
        assert!(close(c.matching.objective, dense.objective));
        assert!(c.candidates.nnz() < 120 * 50);
        assert!(c.certificate.pairs_checked >= (120 * 50 - 120) as u64);
    }
}

#[test]
fn gap_bounds_the_true_distance_when_stopped_early() {
    for seed in 0..6u64 {
        let w = mentorpair::lsap::instances::mentor_like(80, 40, seed);
        let (rc, cc) = (vec![1u32; 80], vec![2u32; 40]);
        let o = opts(true, false);
        let dense = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
        let oracle = |rows: std::ops::Range<usize>, out: &mut [f64]| {
            for (t, i) in rows.enumerate() {
                out[t * 40..(t + 1) * 40].copy_from_slice(w.row(i).as_slice().unwrap());
            }
        };
        let budget = Budget {
            max_rounds: 1,
            per_row: 1,
            ..Budget::default()
        };
        let c = solve_certified(&oracle, top_k(&w, 1), &rc, &cc, &o, &budget).unwrap();
        let distance = dense.objective - c.matching.objective;
        assert!(distance >= -1e-9);
        if c.certificate.certified {
            assert!(distance.abs() < 1e-9);
        } else {
            assert!(c.certificate.gap > 0.0);
            assert!(
                distance <= c.certificate.gap + 1e-9,
                "distance {distance} > gap {}",
                c.certificate.gap
            );
        }
        // Coverage: the bound is lexicographic (pairs first).
        let oc = opts(true, true);
        let dc = solve_capacitated(w.view(), &rc, &cc, &oc).unwrap();
        let cc_ = solve_certified(&oracle, top_k(&w, 1), &rc, &cc, &oc, &budget).unwrap();
        let missing = dc.pairs.len() as i64 - cc_.matching.pairs.len() as i64;
        assert!(missing >= 0 && missing <= cc_.certificate.coverage_gap);
        if missing == cc_.certificate.coverage_gap && missing == 0 {
            assert!(dc.objective - cc_.matching.objective <= cc_.certificate.gap + 1e-9);
        }
    }
}

#[test]
fn graph_construction_rejects_bad_input() {
    assert!(CandidateGraph::new(2, 2, vec![0, 1], vec![0], vec![1.0]).is_err());
    assert!(CandidateGraph::new(1, 2, vec![0, 2], vec![1, 0], vec![1.0, 1.0]).is_err());
    assert!(CandidateGraph::new(1, 2, vec![0, 1], vec![2], vec![1.0]).is_err());
    assert!(CandidateGraph::new(1, 2, vec![0, 1], vec![0], vec![f64::NAN]).is_err());
    let g = CandidateGraph::from_triplets(2, 3, &[(1, 2, 0.5), (0, 1, 0.25), (1, 2, 9.0)]).unwrap();
    assert_eq!(g.nnz(), 2);
    assert_eq!(g.score(1, 2), Some(0.5));
    assert_eq!(g.score(0, 2), None);
    assert!(solve_sparse(&g, &[1], &[1, 1, 1], &CapacitatedOptions::default()).is_err());
}

/// `near` lists, per row, the pairs that are not candidates and not kept as violators: the
/// violators beyond `per_row` first, then the best of those that do not violate, recomputed here
/// from the duals directly (score objective, so the coverage part is 0).
#[test]
fn near_pairs_are_each_rows_next_pairs_after_the_kept_violators() {
    let mut excess_seen = 0;
    for seed in 0..8u64 {
        let (n, m) = (40, 25);
        let w = mentorpair::lsap::instances::mentor_like(n, m, seed);
        let (rc, cc) = (vec![1u32; n], vec![2u32; m]);
        let o = opts(true, false);
        let g = top_k(&w, 1 + (seed as usize % 3));
        let s = solve_sparse(&g, &rc, &cc, &o).unwrap();
        let oracle = |rows: std::ops::Range<usize>, out: &mut [f64]| {
            for (t, i) in rows.enumerate() {
                out[t * m..(t + 1) * m].copy_from_slice(w.row(i).as_slice().unwrap());
            }
        };
        let (per_row, near_per_row) = (2, 3);
        let check = certify_against(
            n,
            m,
            &oracle,
            &s,
            &o,
            per_row,
            Next {
                per_row: near_per_row,
                candidates: Some(&g),
            },
        )
        .unwrap();
        let plain = certify(n, m, &oracle, &s, &o, per_row).unwrap();
        assert_eq!(
            check.violations, plain.violations,
            "near does not change the violators"
        );
        for i in 0..n {
            // Every pair not matched and not a candidate (violators are never candidates), by
            // reduced cost, largest first, ties by column.
            let mut all: Vec<(f64, usize)> = (0..m)
                .filter(|&j| g.score(i, j).is_none() && !s.pairs.contains(&(i, j)))
                .map(|j| (w[[i, j]] - s.row_duals[i] - s.col_duals[j], j))
                .collect();
            all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let kept: Vec<usize> = check
                .violations
                .iter()
                .filter(|v| v.row == i)
                .map(|v| v.col)
                .collect();
            let violating = all.iter().filter(|e| e.0 > 1e-9).count();
            assert_eq!(kept.len(), violating.min(per_row), "seed {seed} row {i}");
            excess_seen += violating.saturating_sub(per_row);
            let mut want: Vec<usize> = all
                .iter()
                .map(|e| e.1)
                .filter(|j| !kept.contains(j))
                .take(near_per_row)
                .collect();
            want.sort_unstable();
            let got: Vec<usize> = check
                .near
                .iter()
                .filter(|v| v.row == i)
                .map(|v| v.col)
                .collect();
            assert_eq!(got, want, "seed {seed} row {i}");
            for v in check.near.iter().filter(|v| v.row == i) {
                assert_eq!(v.score, w[[i, v.col]]);
            }
        }
    }
    // Some rows have more violators than are kept: the excess branch is exercised.
    assert!(excess_seen > 0);
}
