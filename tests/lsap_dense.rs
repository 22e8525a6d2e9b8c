//! Dense assignment solver against independent oracles: brute force (n <= 7), pathfinding's
//! Kuhn–Munkres on integer matrices, a plain reference implementation of Crouse's method, and the
//! LP optimality certificate carried by the returned duals.

use mentorpair::lsap::{instances, solve_dense, Assignment, LsapError};
use ndarray::{Array2, ArrayView2};
use pathfinding::kuhn_munkres::kuhn_munkres_min;
use pathfinding::matrix::Matrix;
use proptest::prelude::*;

/// Forbidden value in the caller's sense.
fn forbidden(maximize: bool) -> f64 {
    if maximize {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    }
}

/// Brute force over all injections of the smaller side: best objective, or None if infeasible.
fn brute(c: ArrayView2<f64>, maximize: bool) -> Option<f64> {
    let (n, m) = c.dim();
    if n > m {
        return brute(c.t(), maximize);
    }
    fn rec(
        c: &ArrayView2<f64>,
        i: usize,
        used: &mut Vec<bool>,
        acc: f64,
        best: &mut Option<f64>,
        mx: bool,
    ) {
        if i == c.nrows() {
            let better = match best {
                None => true,
                Some(b) => (mx && acc > *b) || (!mx && acc < *b),
            };
            if better {
                *best = Some(acc);
            }
            return;
        }
        for j in 0..c.ncols() {
            let x = c[[i, j]];
            if !used[j] && x.is_finite() {
                used[j] = true;
                rec(c, i + 1, used, acc + x, best, mx);
                used[j] = false;
            }
        }
    }
    let mut best = None;
    rec(&c, 0, &mut vec![false; m], 0.0, &mut best, maximize);
    best
}

/// Check the assignment is a valid matching of allowed pairs whose objective adds up, and that the
/// duals certify optimality (feasibility within `tol`, equality on assigned pairs, sign
/// conditions on the larger side).
fn certify(c: ArrayView2<f64>, maximize: bool, a: &Assignment) {
    let (n, m) = c.dim();
    let k = n.min(m);
    assert_eq!(a.rows.len(), k);
    assert_eq!(a.cols.len(), k);
    assert!(
        a.rows.windows(2).all(|w| w[0] < w[1]),
        "rows sorted and distinct"
    );
    let mut seen = vec![false; m];
    for &j in &a.cols {
        assert!(!seen[j], "column used twice");
        seen[j] = true;
    }
    let scale = c
        .iter()
        .filter(|x| x.is_finite())
        .fold(1.0f64, |s, x| s.max(x.abs()));
    let tol = 1e-9 * scale * (1.0 + (n + m) as f64);
    let s = if maximize { -1.0 } else { 1.0 };
    let mut total = 0.0;
    for (&r, &col) in a.rows.iter().zip(&a.cols) {
        let x = c[[r, col]];
        assert!(x.is_finite(), "forbidden pair assigned");
        total += x;
        assert!(
            (x - a.row_duals[r] - a.col_duals[col]).abs() <= tol,
            "assigned pair not tight"
        );
    }
    assert!((total - a.objective).abs() <= tol);
    for i in 0..n {
        for j in 0..m {
            let x = c[[i, j]];
            if x.is_finite() {
                assert!(
                    s * (a.row_duals[i] + a.col_duals[j] - x) <= tol,
                    "dual infeasible at ({i},{j})"
                );
            }
        }
    }
    let (larger, assigned): (&[f64], Vec<usize>) = if m > n {
        (&a.col_duals, a.cols.clone())
    } else if n > m {
        (&a.row_duals, a.rows.clone())
    } else {
        (&[], vec![])
    };
    let mut is_assigned = vec![false; larger.len()];
    for &x in &assigned {
        is_assigned[x] = true;
    }
    for (idx, &d) in larger.iter().enumerate() {
        assert!(s * d <= tol, "dual of the larger side has the wrong sign");
        if !is_assigned[idx] {
            assert!(
                d.abs() <= tol,
                "unassigned element of the larger side has a non-zero dual"
            );
        }
    }
    let dual: f64 = a.row_duals.iter().sum::<f64>() + a.col_duals.iter().sum::<f64>();
    assert!(
        (dual - a.objective).abs() <= tol * (n + m) as f64,
        "dual {dual} != primal {}",
        a.objective
    );
}

/// Plain reference implementation of Crouse's shortest augmenting path method (as in scipy),
/// minimising, rows <= cols, no initialisation: the objective oracle for float matrices.
fn reference(c: ArrayView2<f64>) -> Option<f64> {
    let (n, m) = c.dim();
    if n > m {
        return reference(c.t());
    }
    let (mut u, mut v) = (vec![0.0; n], vec![0.0; m]);
    let (mut col4row, mut row4col) = (vec![usize::MAX; n], vec![usize::MAX; m]);
    for cur in 0..n {
        let mut shortest = vec![f64::INFINITY; m];
        let mut path = vec![usize::MAX; m];
        let (mut sr, mut sc) = (vec![false; n], vec![false; m]);
        let mut min_val = 0.0;
        let mut i = cur;
        let sink = loop {
            sr[i] = true;
            let mut best = (f64::INFINITY, usize::MAX);
            for j in 0..m {
                if sc[j] {
                    continue;
                }
                let r = min_val + c[[i, j]] - u[i] - v[j];
                if r < shortest[j] {
                    shortest[j] = r;
                    path[j] = i;
                }
                if shortest[j] < best.0 || (shortest[j] == best.0 && row4col[j] == usize::MAX) {
                    best = (shortest[j], j);
                }
            }
            if best.0 == f64::INFINITY {
                return None;
            }
            min_val = best.0;
            let j = best.1;
            sc[j] = true;
            if row4col[j] == usize::MAX {
                break j;
            }
            i = row4col[j];
        };
        u[cur] += min_val;
        for r in 0..n {
            if sr[r] && r != cur {
                u[r] += min_val - shortest[col4row[r]];
            }
        }
        for j in 0..m {
            if sc[j] {
                v[j] -= min_val - shortest[j];
            }
        }
        let mut j = sink;
        loop {
            let r = path[j];
            row4col[j] = r;
            let prev = col4row[r];
            col4row[r] = j;
            if r == cur {
                break;
            }
            j = prev;
        }
    }
    Some((0..n).map(|r| c[[r, col4row[r]]]).sum())
}

/// Kuhn–Munkres optimum of an integer matrix (minimising), transposing tall inputs.
fn km(c: ArrayView2<f64>) -> i64 {
    let (n, m) = c.dim();
    if n > m {
        return km(c.t());
    }
    let rows: Vec<Vec<i64>> = c
        .outer_iter()
        .map(|r| r.iter().map(|&x| x as i64).collect())
        .collect();
    let w = Matrix::from_rows(rows).expect("rectangular");
    kuhn_munkres_min(&w).0
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

fn small_matrix() -> impl Strategy<Value = (Array2<f64>, bool)> {
    (0usize..=7, 0usize..=7, any::<bool>(), 0u32..6).prop_flat_map(|(n, m, mx, holes)| {
        // From no forbidden pair up to mostly forbidden (many infeasible cases).
        let cell = prop_oneof![
            6 => (-5i32..6).prop_map(f64::from),
            2 => -1e3f64..1e3,
            holes => Just(f64::INFINITY),
        ];
        proptest::collection::vec(cell, n * m).prop_map(move |v| {
            let mut a = Array2::from_shape_vec((n, m), v).expect("shape");
            if mx {
                a.mapv_inplace(|x| {
                    if x == f64::INFINITY {
                        f64::NEG_INFINITY
                    } else {
                        x
                    }
                });
            }
            (a, mx)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn matches_brute_force((c, mx) in small_matrix()) {
        let expected = brute(c.view(), mx);
        match (solve_dense(c.view(), mx), expected) {
            (Ok(a), Some(best)) => {
                prop_assert!(close(a.objective, best), "{} vs {}", a.objective, best);
                certify(c.view(), mx, &a);
            }
            (Err(LsapError::Infeasible { .. }), None) => {}
            (got, want) => prop_assert!(false, "got {got:?}, brute force {want:?}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn matches_kuhn_munkres_on_integers(n in 1usize..120, extra in 0usize..60, tall in any::<bool>(), hi in 1i64..1000, seed in any::<u64>()) {
        let (r, c) = if tall { (n + extra, n) } else { (n, n + extra) };
        let cost = instances::integers(r, c, 0..hi, seed);
        let a = solve_dense(cost.view(), false).unwrap();
        prop_assert_eq!(a.objective, km(cost.view()) as f64);
        certify(cost.view(), false, &a);
        let neg = cost.mapv(|x| -x);
        let b = solve_dense(neg.view(), true).unwrap();
        prop_assert_eq!(b.objective, -a.objective);
        certify(neg.view(), true, &b);
    }

    #[test]
    fn float_families_match_reference(n in 60usize..200, shape in 0usize..3, seed in any::<u64>()) {
        let cols = match shape { 0 => n, 1 => n / 3 + 1, _ => n + n / 2 };
        for (cost, mx) in [
            (instances::uniform(n, cols, seed), false),
            (instances::mentor_like(n, cols, seed), true),
            // Large offset: price steps near the floating-point resolution.
            (instances::uniform(n, cols, seed) + 1e6, false),
        ] {
            let a = solve_dense(cost.view(), mx).unwrap();
            let signed = if mx { cost.mapv(|x| -x) } else { cost.clone() };
            let want = reference(signed.view()).unwrap();
            let got = if mx { -a.objective } else { a.objective };
            prop_assert!(close(got, want), "{got} vs {want}");
            certify(cost.view(), mx, &a);
        }
    }
}

/// Square integer matrix with many ties: costs `0..hi`, with every `stride`-th row made constant
/// (whole rows of ties) and shifted by `offset`.
fn tie_heavy(n: usize, hi: i64, stride: usize, offset: f64, seed: u64) -> Array2<f64> {
    let mut c = instances::integers(n, n, 0..hi, seed);
    for (i, mut row) in c.outer_iter_mut().enumerate() {
        if stride > 0 && i % stride == 0 {
            row.fill((i as i64 % hi) as f64);
        }
    }
    c + offset
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Square integer matrices from 32 rows up go through the primal-dual phases on the tight
    /// graph; few distinct values make the tight graph dense and the phases many.
    #[test]
    fn tight_phases_match_kuhn_munkres_on_tie_heavy_squares(
        n in 32usize..160,
        hi in 1i64..12,
        stride in 0usize..6,
        offset in prop_oneof![Just(0.0), Just(-7.0), Just(1e9)],
        seed in any::<u64>(),
    ) {
        let cost = tie_heavy(n, hi, stride, offset, seed);
        let want = km(cost.view()) as f64;
        let a = solve_dense(cost.view(), false).unwrap();
        prop_assert_eq!(a.objective, want);
        certify(cost.view(), false, &a);
        let neg = cost.mapv(|x| -x);
        let b = solve_dense(neg.view(), true).unwrap();
        prop_assert_eq!(b.objective, -want);
        certify(neg.view(), true, &b);
    }
}

#[test]
fn tight_phases_at_larger_sizes() {
    // Integers 0..1000 at 600 x 600 (the benchmark family), 0..3 at 400 x 400 (the tight graph
    // holds nearly everything) and a 0/1 matrix with a few zeros per row (many phases).
    let sparse_zeros =
        instances::integers(300, 300, 0..40, 5).mapv(|x| if x < 2.0 { 0.0 } else { 1.0 });
    // Wide-range integers (few ties): the phases stop early and the per-row finish completes.
    for cost in [
        instances::integers(600, 600, 0..1000, 4),
        instances::integers(300, 300, 0..1_000_000, 7),
        instances::integers(400, 400, 0..3, 6),
        sparse_zeros,
    ] {
        let a = solve_dense(cost.view(), false).unwrap();
        assert_eq!(a.objective, km(cost.view()) as f64);
        certify(cost.view(), false, &a);
    }
}

#[test]
fn integer_families_match_kuhn_munkres_at_a_few_hundred() {
    for (n, m, seed) in [(300usize, 300usize, 1u64), (250, 90, 2), (90, 250, 3)] {
        let cost = instances::integers(n, m, 0..1000, seed);
        let a = solve_dense(cost.view(), false).unwrap();
        assert_eq!(a.objective, km(cost.view()) as f64);
        certify(cost.view(), false, &a);
        // Scores rounded to integers, maximised.
        let s = instances::mentor_like(n, m, seed).mapv(|x| (x * 1e4).round());
        let b = solve_dense(s.view(), true).unwrap();
        assert_eq!(-b.objective, km(s.mapv(|x| -x).view()) as f64);
        certify(s.view(), true, &b);
    }
}

#[test]
fn constant_tied_huge_and_negative_matrices() {
    for (n, m) in [(1, 1), (5, 5), (40, 40), (30, 70), (70, 30)] {
        for base in [0.0, -3.0, 7.5, 1e15, -1e15] {
            let c = Array2::from_elem((n, m), base);
            let a = solve_dense(c.view(), false).unwrap();
            assert_eq!(a.objective, base * n.min(m) as f64);
            certify(c.view(), false, &a);
            // Like scipy: the identity pairing on a constant matrix.
            let k: Vec<usize> = (0..n.min(m)).collect();
            assert_eq!((a.rows.clone(), a.cols.clone()), (k.clone(), k));
        }
        let huge = instances::integers(n, m, -1000..1000, 9).mapv(|x| x * 1e12);
        let a = solve_dense(huge.view(), false).unwrap();
        assert_eq!(
            a.objective,
            km(huge.mapv(|x| x / 1e12).view()) as f64 * 1e12
        );
        certify(huge.view(), false, &a);
    }
}

#[test]
fn invalid_entries_are_named() {
    let mut c = Array2::from_elem((3, 4), 1.0);
    c[[2, 1]] = f64::NAN;
    c[[1, 3]] = f64::NEG_INFINITY;
    match solve_dense(c.view(), false) {
        Err(LsapError::InvalidEntry {
            row: 1,
            col: 3,
            value,
        }) => assert_eq!(value, f64::NEG_INFINITY),
        other => panic!("unexpected {other:?}"),
    }
    let mut c = Array2::from_elem((3, 4), 1.0);
    c[[0, 2]] = f64::INFINITY;
    assert!(matches!(
        solve_dense(c.view(), true),
        Err(LsapError::InvalidEntry { row: 0, col: 2, .. })
    ));
    let mut c = Array2::from_elem((3, 4), 1.0);
    c[[2, 0]] = f64::NAN;
    let err = solve_dense(c.view(), false).unwrap_err();
    assert!(err.to_string().contains("row 2, column 0"), "{err}");
}

#[test]
fn forbidden_pairs_and_infeasibility() {
    let inf = f64::INFINITY;
    // Row 1 can only use column 0, so row 0 must take column 1.
    let c = ndarray::array![[1.0, 5.0], [2.0, inf]];
    let a = solve_dense(c.view(), false).unwrap();
    assert_eq!(a.cols, vec![1, 0]);
    certify(c.view(), false, &a);
    // Two rows that only accept column 0.
    let c = ndarray::array![[1.0, inf, inf], [2.0, inf, inf]];
    assert!(matches!(
        solve_dense(c.view(), false),
        Err(LsapError::Infeasible { .. })
    ));
    assert!(matches!(
        solve_dense(c.t(), false),
        Err(LsapError::Infeasible { .. })
    ));
    // A whole row forbidden, square and larger.
    let mut c = instances::uniform(50, 50, 4);
    c.row_mut(17).fill(inf);
    let err = solve_dense(c.view(), false).unwrap_err();
    assert!(matches!(err, LsapError::Infeasible { .. }));
    let mut c = instances::uniform(50, 50, 4).mapv(|x| -x);
    c.column_mut(3).fill(f64::NEG_INFINITY);
    assert!(matches!(
        solve_dense(c.view(), true),
        Err(LsapError::Infeasible { .. })
    ));
    // Sparse but feasible: forbid most pairs except a band, compare with brute force on 7x7.
    let mut c = instances::uniform(7, 7, 5);
    for ((i, j), x) in c.indexed_iter_mut() {
        if (i + 7 - j) % 7 > 2 {
            *x = inf;
        }
    }
    let a = solve_dense(c.view(), false).unwrap();
    assert!(close(a.objective, brute(c.view(), false).unwrap()));
    certify(c.view(), false, &a);
}

#[test]
fn non_contiguous_and_empty_inputs() {
    let c = instances::uniform(40, 60, 6);
    let strided = c.slice(ndarray::s![..;2, ..;3]);
    let owned = strided.to_owned();
    assert_eq!(
        solve_dense(strided, false).unwrap(),
        solve_dense(owned.view(), false).unwrap()
    );
    let e = Array2::<f64>::zeros((0, 5));
    let a = solve_dense(e.view(), false).unwrap();
    assert!(a.rows.is_empty() && a.col_duals.len() == 5);
}

fn bits(a: &Assignment) -> (Vec<usize>, Vec<usize>, u64, Vec<u64>, Vec<u64>) {
    (
        a.rows.clone(),
        a.cols.clone(),
        a.objective.to_bits(),
        a.row_duals.iter().map(|x| x.to_bits()).collect(),
        a.col_duals.iter().map(|x| x.to_bits()).collect(),
    )
}

#[test]
fn bit_identical_across_thread_counts() {
    let cases: Vec<(Array2<f64>, bool)> = vec![
        (instances::uniform(300, 300, 11), false),
        (instances::integers(300, 300, 0..1000, 12), false),
        (instances::mentor_like(300, 300, 13), true),
        (instances::uniform(300, 100, 14), false),
        // Tall enough for several blocks in the pass over a tall input.
        (instances::uniform(1500, 40, 17), false),
        (instances::mentor_like(1500, 60, 18), true),
        // Wide enough for the parallel column scan.
        (instances::uniform(24, 40_000, 15), false),
        (instances::integers(24, 40_000, 0..5, 16), false),
        // Square integer costs: column minima from the input pass, then the tight-graph phases.
        (instances::integers(700, 700, 0..1000, 19), false),
        (tie_heavy(300, 4, 3, 0.0, 20), false),
        (tie_heavy(300, 4, 3, 0.0, 21).mapv(|x| -x), true),
    ];
    let pool = |t: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(t)
            .build()
            .unwrap()
    };
    let (one, two) = (pool(1), pool(2));
    for (c, mx) in &cases {
        let a = one.install(|| solve_dense(c.view(), *mx)).unwrap();
        let b = two.install(|| solve_dense(c.view(), *mx)).unwrap();
        assert_eq!(bits(&a), bits(&b));
        certify(c.view(), *mx, &a);
    }
}

#[test]
fn forbidden_value_helper_matches_the_documented_sign() {
    // -inf is forbidden when maximising, +inf when minimising; the other is invalid.
    for mx in [false, true] {
        let mut c = Array2::from_elem((2, 2), 1.0);
        c[[0, 0]] = forbidden(mx);
        let a = solve_dense(c.view(), mx).unwrap();
        assert_eq!(a.cols, vec![1, 0]);
        c[[1, 1]] = -forbidden(mx);
        assert!(matches!(
            solve_dense(c.view(), mx),
            Err(LsapError::InvalidEntry { row: 1, col: 1, .. })
        ));
    }
}
