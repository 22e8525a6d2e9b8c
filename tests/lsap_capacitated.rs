//! The capacitated solver against independent oracles: brute force over all b-matchings (tiny),
//! a Bellman–Ford min-cost flow on the explicit network (medium, any capacities) and
//! `pathfinding::kuhn_munkres` on a matrix expanded by capacity with "unmatched" dummy columns.
//! Every result is also checked for feasibility and for its dual certificate.

use mentorpair::lsap::{
    solve_capacitated, solve_capacitated_from, solve_capacitated_warm, solve_dense,
    CapacitatedOptions, LsapError, Matching, Objective,
};
use ndarray::Array2;
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOL: f64 = 1e-7;

fn opts(maximize: bool, objective: Objective) -> CapacitatedOptions {
    CapacitatedOptions {
        maximize,
        objective,
    }
}

fn forbidden(w: f64, maximize: bool) -> bool {
    w.is_nan() || (maximize && w == f64::NEG_INFINITY) || (!maximize && w == f64::INFINITY)
}

/// The best `(pairs, total)` in the caller's sense: lexicographic `(count, total)` for Coverage.
/// Returned as a comparable key in maximisation form.
fn key(count: usize, total: f64, maximize: bool, objective: Objective) -> (i64, f64) {
    let s = if maximize { 1.0 } else { -1.0 };
    match objective {
        Objective::Coverage => (count as i64, s * total),
        Objective::Score => (0, s * total),
    }
}

/// Brute force: every subset of allowed pairs that respects both capacities.
fn brute_force(
    w: &Array2<f64>,
    rc: &[u32],
    cc: &[u32],
    maximize: bool,
    objective: Objective,
) -> (i64, f64) {
    let (n, m) = w.dim();
    let pairs: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (0..m).map(move |j| (i, j)))
        .filter(|&(i, j)| !forbidden(w[[i, j]], maximize))
        .collect();
    let mut best = key(0, 0.0, maximize, objective);
    let mut deg_r = vec![0u32; n];
    let mut deg_c = vec![0u32; m];
    #[allow(clippy::too_many_arguments)]
    fn rec(
        t: usize,
        pairs: &[(usize, usize)],
        w: &Array2<f64>,
        rc: &[u32],
        cc: &[u32],
        deg_r: &mut [u32],
        deg_c: &mut [u32],
        count: usize,
        total: f64,
        maximize: bool,
        objective: Objective,
        best: &mut (i64, f64),
    ) {
        if t == pairs.len() {
            let k = key(count, total, maximize, objective);
            if k.0 > best.0 || (k.0 == best.0 && k.1 > best.1) {
                *best = k;
            }
            return;
        }
        rec(
            t + 1,
            pairs,
            w,
            rc,
            cc,
            deg_r,
            deg_c,
            count,
            total,
            maximize,
            objective,
            best,
        );
        let (i, j) = pairs[t];
        if deg_r[i] < rc[i] && deg_c[j] < cc[j] {
            deg_r[i] += 1;
            deg_c[j] += 1;
            rec(
                t + 1,
                pairs,
                w,
                rc,
                cc,
                deg_r,
                deg_c,
                count + 1,
                total + w[[i, j]],
                maximize,
                objective,
                best,
            );
            deg_r[i] -= 1;
            deg_c[j] -= 1;
        }
    }
    rec(
        0, &pairs, w, rc, cc, &mut deg_r, &mut deg_c, 0, 0.0, maximize, objective, &mut best,
    );
    best
}

/// Min-cost flow by successive shortest paths with Bellman–Ford on the explicit network
/// source → rows (capacity d_i) → columns (capacity 1 per pair) → sink (capacity c_j), integer
/// costs. Score: augment while a path lowers the cost; Coverage: augment while any path exists.
fn min_cost_flow(
    w: &Array2<i64>,
    allowed: &Array2<bool>,
    rc: &[u32],
    cc: &[u32],
    maximize: bool,
    objective: Objective,
) -> (i64, i64) {
    let (n, m) = w.dim();
    let (src, snk) = (n + m, n + m + 1);
    let nodes = n + m + 2;
    // edges: (to, cap, cost); the reverse of edge e is e ^ 1.
    let mut to = Vec::new();
    let mut cap = Vec::new();
    let mut cost = Vec::new();
    let mut adj = vec![Vec::new(); nodes];
    let mut add = |a: usize, b: usize, c: i64, k: i64, adj: &mut Vec<Vec<usize>>| {
        adj[a].push(to.len());
        to.push(b);
        cap.push(c);
        cost.push(k);
        adj[b].push(to.len());
        to.push(a);
        cap.push(0);
        cost.push(-k);
    };
    let s = if maximize { -1 } else { 1 };
    for i in 0..n {
        add(src, i, i64::from(rc[i]), 0, &mut adj);
        for j in 0..m {
            if allowed[[i, j]] {
                add(i, n + j, 1, s * w[[i, j]], &mut adj);
            }
        }
    }
    for (j, &c) in cc.iter().enumerate() {
        add(n + j, snk, i64::from(c), 0, &mut adj);
    }
    let (mut flow, mut total) = (0i64, 0i64);
    loop {
        let mut dist = vec![i64::MAX; nodes];
        let mut prev = vec![usize::MAX; nodes];
        dist[src] = 0;
        for _ in 0..nodes {
            let mut changed = false;
            for a in 0..nodes {
                if dist[a] == i64::MAX {
                    continue;
                }
                for &e in &adj[a] {
                    if cap[e] > 0 && dist[a] + cost[e] < dist[to[e]] {
                        dist[to[e]] = dist[a] + cost[e];
                        prev[to[e]] = e;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        if dist[snk] == i64::MAX || (objective == Objective::Score && dist[snk] >= 0) {
            break;
        }
        let mut v = snk;
        while v != src {
            let e = prev[v];
            cap[e] -= 1;
            cap[e ^ 1] += 1;
            v = to[e ^ 1];
        }
        flow += 1;
        total += dist[snk];
    }
    (flow, s * total)
}

/// kuhn_munkres on the matrix expanded by column capacity (rows have capacity ≤ 1) with one
/// zero-weight dummy column per row for "unmatched"; Coverage adds a bonus `big` to every real pair.
fn kuhn_oracle(
    w: &Array2<i64>,
    allowed: &Array2<bool>,
    rc: &[u32],
    cc: &[u32],
    maximize: bool,
    objective: Objective,
) -> (i64, i64) {
    let (n, m) = w.dim();
    let s = if maximize { 1 } else { -1 };
    let big: i64 = 1 << 30;
    let bonus = if objective == Objective::Coverage {
        big
    } else {
        0
    };
    let copies: Vec<usize> = (0..m)
        .flat_map(|j| std::iter::repeat(j).take(cc[j] as usize))
        .collect();
    let width = copies.len() + n;
    let mut data = Vec::with_capacity(n * width);
    for i in 0..n {
        for &j in &copies {
            data.push(if allowed[[i, j]] && rc[i] > 0 {
                s * w[[i, j]] + bonus
            } else {
                -(big << 8)
            });
        }
        data.extend(std::iter::repeat(0).take(n));
    }
    let mat = Matrix::from_vec(n, width, data).unwrap();
    let (_, assign) = kuhn_munkres(&mat);
    let (mut count, mut total) = (0i64, 0i64);
    for (i, &k) in assign.iter().enumerate() {
        if k < copies.len() {
            count += 1;
            total += w[[i, copies[k]]];
        }
    }
    (count, total)
}

/// Feasibility and the LP certificate, in maximisation form (`s = ±1` flips a minimisation):
/// duals `≥ 0`; a positive dual only on a row/column used to capacity; reduced value
/// `r = s·w − s·u − s·v ≤ 0` on unused allowed pairs and `≥ 0` on used ones; and strong duality
/// `Σ d·u + Σ c·v + Σ_used r = objective`. For Coverage all of it holds lexicographically on
/// `(count, score)` with pair value `(1, s·w)` and duals `(s·count_dual, s·dual)`.
fn check_matching(w: &Array2<f64>, rc: &[u32], cc: &[u32], o: &CapacitatedOptions, mm: &Matching) {
    let (n, m) = w.dim();
    let mut deg_r = vec![0u32; n];
    let mut deg_c = vec![0u32; m];
    for win in mm.pairs.windows(2) {
        assert!(win[0] < win[1], "pairs sorted and unique: {:?}", mm.pairs);
    }
    let mut used = Array2::from_elem((n, m), false);
    for &(i, j) in &mm.pairs {
        assert!(
            !forbidden(w[[i, j]], o.maximize),
            "forbidden pair ({i},{j}) used"
        );
        deg_r[i] += 1;
        deg_c[j] += 1;
        used[[i, j]] = true;
    }
    for i in 0..n {
        assert!(deg_r[i] <= rc[i], "row {i} over capacity");
    }
    for j in 0..m {
        assert!(deg_c[j] <= cc[j], "column {j} over capacity");
    }
    let total: f64 = mm.pairs.iter().map(|&(i, j)| w[[i, j]]).sum();
    assert!((total - mm.objective).abs() <= TOL * (1.0 + total.abs()));
    let s = if o.maximize { 1.0 } else { -1.0 };
    let si = if o.maximize { 1 } else { -1 };
    let cov = o.objective == Objective::Coverage;
    let u: Vec<(i64, f64)> = (0..n)
        .map(|i| (si * mm.row_count_duals[i], s * mm.row_duals[i]))
        .collect();
    let v: Vec<(i64, f64)> = (0..m)
        .map(|j| (si * mm.col_count_duals[j], s * mm.col_duals[j]))
        .collect();
    if !cov {
        assert!(u.iter().chain(&v).all(|x| x.0 == 0));
    }
    let scale = 1.0
        + w.iter()
            .filter(|x| x.is_finite())
            .fold(0.0f64, |a, &x| a.max(x.abs()));
    let tol = TOL * scale;
    let nonneg = |x: (i64, f64)| x.0 > 0 || (x.0 == 0 && x.1 >= -tol);
    let positive = |x: (i64, f64)| x.0 > 0 || (x.0 == 0 && x.1 > tol);
    for i in 0..n {
        assert!(nonneg(u[i]), "row dual {i} negative: {:?}", u[i]);
        if positive(u[i]) {
            assert_eq!(
                deg_r[i], rc[i],
                "row {i} has a positive dual but is not full"
            );
        }
    }
    for j in 0..m {
        assert!(nonneg(v[j]), "column dual {j} negative: {:?}", v[j]);
        if positive(v[j]) {
            assert_eq!(
                deg_c[j], cc[j],
                "column {j} has a positive dual but is not full"
            );
        }
    }
    let mut dual_obj = (0i64, 0.0f64);
    for i in 0..n {
        dual_obj.0 += i64::from(rc[i]) * u[i].0;
        dual_obj.1 += f64::from(rc[i]) * u[i].1;
    }
    for j in 0..m {
        dual_obj.0 += i64::from(cc[j]) * v[j].0;
        dual_obj.1 += f64::from(cc[j]) * v[j].1;
    }
    for i in 0..n {
        for j in 0..m {
            if forbidden(w[[i, j]], o.maximize) {
                continue;
            }
            let r = (
                i64::from(cov) - u[i].0 - v[j].0,
                s * w[[i, j]] - u[i].1 - v[j].1,
            );
            if used[[i, j]] {
                assert!(nonneg(r), "used pair ({i},{j}) has reduced value {r:?}");
                if positive(r) {
                    dual_obj.0 += r.0;
                    dual_obj.1 += r.1;
                }
            } else {
                assert!(
                    nonneg((-r.0, -r.1)),
                    "unused pair ({i},{j}) has reduced value {r:?}"
                );
            }
        }
    }
    let count = if cov { mm.pairs.len() as i64 } else { 0 };
    assert_eq!(dual_obj.0, count, "coverage part of strong duality");
    assert!(
        (dual_obj.1 - s * total).abs() <= tol * (1.0 + (n + m) as f64),
        "strong duality: dual {} vs primal {}",
        dual_obj.1,
        s * total
    );
}

fn objectives() -> impl Strategy<Value = (bool, Objective)> {
    (
        any::<bool>(),
        prop_oneof![Just(Objective::Coverage), Just(Objective::Score)],
    )
}

/// Integer-valued weights (exact sums) with some forbidden entries.
fn int_problem(
    max_n: usize,
    max_m: usize,
    max_cap: u32,
) -> impl Strategy<Value = (Array2<f64>, Vec<u32>, Vec<u32>)> {
    (1..=max_n, 1..=max_m).prop_flat_map(move |(n, m)| {
        (
            proptest::collection::vec((-20i32..=20, 0u8..10), n * m),
            proptest::collection::vec(0..=max_cap, n),
            proptest::collection::vec(0..=max_cap, m),
        )
            .prop_map(move |(cells, rc, cc)| {
                let w = Array2::from_shape_vec(
                    (n, m),
                    cells
                        .into_iter()
                        .map(|(x, f)| if f == 0 { f64::NAN } else { f64::from(x) })
                        .collect(),
                )
                .unwrap();
                (w, rc, cc)
            })
    })
}

/// Mark forbidden pairs with the sign's own infinity half of the time (instead of NaN).
fn with_infinities(w: &Array2<f64>, maximize: bool, use_inf: bool) -> Array2<f64> {
    let inf = if maximize {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    };
    w.mapv(|x| if x.is_nan() && use_inf { inf } else { x })
}

fn oracle_inputs(w: &Array2<f64>, maximize: bool) -> (Array2<i64>, Array2<bool>) {
    (
        w.mapv(|x| if x.is_finite() { x as i64 } else { 0 }),
        w.mapv(|x| !forbidden(x, maximize)),
    )
}

/// Solve, check feasibility and the certificate, and compare with the min-cost-flow optimum
/// (integer-valued weights, so the totals must agree exactly).
fn solve_and_compare_with_flow(
    w: &Array2<f64>,
    rc: &[u32],
    cc: &[u32],
    maximize: bool,
    objective: Objective,
) {
    let o = opts(maximize, objective);
    let mm = solve_capacitated(w.view(), rc, cc, &o).unwrap();
    check_matching(w, rc, cc, &o, &mm);
    let (wi, allowed) = oracle_inputs(w, maximize);
    let (flow, total) = min_cost_flow(&wi, &allowed, rc, cc, maximize, objective);
    if objective == Objective::Coverage {
        assert_eq!(mm.pairs.len() as i64, flow, "coverage of {o:?}");
    }
    assert_eq!(mm.objective, total as f64, "total of {o:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn tiny_matches_brute_force(
        (w, rc, cc) in int_problem(4, 4, 3),
        (maximize, objective) in objectives(),
        use_inf in any::<bool>(),
    ) {
        let w = with_infinities(&w, maximize, use_inf);
        let o = opts(maximize, objective);
        let mm = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
        check_matching(&w, &rc, &cc, &o, &mm);
        let best = brute_force(&w, &rc, &cc, maximize, objective);
        let got = key(mm.pairs.len(), mm.objective, maximize, objective);
        prop_assert_eq!(got, best);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn medium_matches_min_cost_flow(
        (w, rc, cc) in int_problem(14, 12, 3),
        (maximize, objective) in objectives(),
    ) {
        solve_and_compare_with_flow(&w, &rc, &cc, maximize, objective);
    }

    #[test]
    fn medium_matches_expanded_kuhn_munkres(
        (w, rc, cc) in int_problem(14, 10, 3),
        (maximize, objective) in objectives(),
        transpose in any::<bool>(),
    ) {
        // Rows take one column each (the expansion then cannot use a pair twice); the transposed
        // problem covers the other side.
        let rc: Vec<u32> = rc.iter().map(|&d| d.min(1)).collect();
        let o = opts(maximize, objective);
        let (w, rc, cc) = if transpose {
            (w.t().to_owned(), cc, rc)
        } else {
            (w, rc, cc)
        };
        let mm = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
        check_matching(&w, &rc, &cc, &o, &mm);
        let (ow, orc, occ) = if transpose {
            (w.t().to_owned(), cc.clone(), rc.clone())
        } else {
            (w.clone(), rc.clone(), cc.clone())
        };
        let (wi, allowed) = oracle_inputs(&ow, maximize);
        let (count, total) = kuhn_oracle(&wi, &allowed, &orc, &occ, maximize, objective);
        if objective == Objective::Coverage {
            prop_assert_eq!(mm.pairs.len() as i64, count);
        }
        prop_assert_eq!(mm.objective, total as f64);
    }

    #[test]
    fn ties_and_constants_match_min_cost_flow(
        n in 1usize..10, m in 1usize..10, value in -3i32..=3,
        caps in proptest::collection::vec(0u32..=3, 20),
        (maximize, objective) in objectives(),
    ) {
        let w = Array2::from_elem((n, m), f64::from(value));
        let rc = caps[..n].to_vec();
        let cc = caps[10..10 + m].to_vec();
        solve_and_compare_with_flow(&w, &rc, &cc, maximize, objective);
    }

    #[test]
    fn warm_start_equals_cold(
        (w, rc, cc) in int_problem(12, 10, 3),
        (maximize, objective) in objectives(),
        shifts in proptest::collection::vec(-6i32..=6, 12),
        junk in proptest::collection::vec(-10i32..=10, 22),
    ) {
        let o = opts(maximize, objective);
        let first = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
        // A Lagrangian step: shift whole rows, re-solve cold and warm.
        let mut w2 = w.clone();
        for (i, mut row) in w2.rows_mut().into_iter().enumerate() {
            row.mapv_inplace(|x| x + f64::from(shifts[i]));
        }
        let cold = solve_capacitated(w2.view(), &rc, &cc, &o).unwrap();
        let warm = solve_capacitated_warm(
            w2.view(), &rc, &cc, &o, Some((&first.row_duals, &first.col_duals)),
        ).unwrap();
        check_matching(&w2, &rc, &cc, &o, &warm);
        // Score may differ in zero-weight pairs only; coverage fixes the count.
        if objective == Objective::Coverage {
            prop_assert_eq!(warm.pairs.len(), cold.pairs.len());
        }
        prop_assert_eq!(warm.objective, cold.objective);
        // Restarting from the whole earlier result (pairs and duals).
        let again = solve_capacitated_from(w2.view(), &rc, &cc, &o, &first).unwrap();
        check_matching(&w2, &rc, &cc, &o, &again);
        if objective == Objective::Coverage {
            prop_assert_eq!(again.pairs.len(), cold.pairs.len());
        }
        prop_assert_eq!(again.objective, cold.objective);
        // ... also after the capacities change.
        let rc3: Vec<u32> = rc.iter().map(|&d| (d + 1) % 4).collect();
        let cold3 = solve_capacitated(w2.view(), &rc3, &cc, &o).unwrap();
        let from3 = solve_capacitated_from(w2.view(), &rc3, &cc, &o, &first).unwrap();
        check_matching(&w2, &rc3, &cc, &o, &from3);
        prop_assert_eq!(from3.objective, cold3.objective);
        // Any finite duals are a valid (if poor) warm start.
        let (n, m) = w.dim();
        let jr: Vec<f64> = (0..n).map(|i| f64::from(junk[i])).collect();
        let jc: Vec<f64> = (0..m).map(|j| f64::from(junk[12 + j % 10])).collect();
        let odd = solve_capacitated_warm(w2.view(), &rc, &cc, &o, Some((&jr, &jc))).unwrap();
        check_matching(&w2, &rc, &cc, &o, &odd);
        if objective == Objective::Coverage {
            prop_assert_eq!(odd.pairs.len(), cold.pairs.len());
        }
        prop_assert_eq!(odd.objective, cold.objective);
    }
}

fn low_rank(n: usize, m: usize, seed: u64) -> Array2<f64> {
    mentorpair::lsap::instances::mentor_like(n, m, seed)
}

#[test]
fn float_scores_certified_and_match_flow_on_scaled_integers() {
    for seed in 0..6u64 {
        let (n, m) = (40, 25);
        let w = low_rank(n, m, seed).mapv(|x| (x * 1e6).round());
        let mut rng = ChaCha8Rng::seed_from_u64(100 + seed);
        let rc: Vec<u32> = (0..n).map(|_| rng.random_range(0..3)).collect();
        let cc: Vec<u32> = (0..m).map(|_| rng.random_range(0..4)).collect();
        for (maximize, objective) in [
            (true, Objective::Coverage),
            (true, Objective::Score),
            (false, Objective::Coverage),
            (false, Objective::Score),
        ] {
            solve_and_compare_with_flow(&w, &rc, &cc, maximize, objective);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Wider than the solver's per-row candidate lists, so the pruned scans and their fallback to
    /// a full scan are exercised.
    #[test]
    fn wide_matches_expanded_kuhn_munkres(
        (w, rc, cc) in int_problem(12, 160, 3).prop_filter("wide", |(w, _, _)| w.ncols() > 70),
        (maximize, objective) in objectives(),
    ) {
        let rc: Vec<u32> = rc.iter().map(|&d| d.min(1)).collect();
        let o = opts(maximize, objective);
        let mm = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
        check_matching(&w, &rc, &cc, &o, &mm);
        let (wi, allowed) = oracle_inputs(&w, maximize);
        let (count, total) = kuhn_oracle(&wi, &allowed, &rc, &cc, maximize, objective);
        if objective == Objective::Coverage {
            prop_assert_eq!(mm.pairs.len() as i64, count);
        }
        prop_assert_eq!(mm.objective, total as f64);
    }
}

#[test]
fn wide_and_tall_float_problems_are_certified() {
    // Low-rank scores (many near-ties) on both orientations, beyond the candidate-list length.
    for (seed, (n, m)) in [(80usize, 300usize), (300, 70), (150, 150)]
        .into_iter()
        .enumerate()
    {
        let w = low_rank(n, m, 40 + seed as u64);
        let mut rng = ChaCha8Rng::seed_from_u64(50 + seed as u64);
        let rc: Vec<u32> = (0..n).map(|_| rng.random_range(0..3)).collect();
        let cc: Vec<u32> = (0..m).map(|_| rng.random_range(0..4)).collect();
        for objective in [Objective::Coverage, Objective::Score] {
            for maximize in [true, false] {
                let o = opts(maximize, objective);
                let mm = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
                check_matching(&w, &rc, &cc, &o, &mm);
            }
        }
    }
}

#[test]
fn square_one_to_one_equals_dense_solver() {
    for seed in 0..5u64 {
        let n = 30 + 7 * seed as usize;
        let w = low_rank(n, n, seed);
        for maximize in [true, false] {
            let dense = solve_dense(w.view(), maximize).unwrap();
            let ones = vec![1u32; n];
            let mm =
                solve_capacitated(w.view(), &ones, &ones, &opts(maximize, Objective::Coverage))
                    .unwrap();
            assert_eq!(mm.pairs.len(), n);
            assert!((mm.objective - dense.objective).abs() < 1e-9);
        }
    }
}

#[test]
fn deterministic_across_thread_counts() {
    // Wide enough for the parallel column scans.
    let (n, m) = (60, 5000);
    let w = low_rank(n, m, 7);
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let rc: Vec<u32> = (0..n).map(|_| rng.random_range(1..4)).collect();
    let cc: Vec<u32> = (0..m).map(|_| rng.random_range(0..2)).collect();
    for objective in [Objective::Coverage, Objective::Score] {
        let o = opts(true, objective);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| solve_capacitated(w.view(), &rc, &cc, &o).unwrap())
        };
        let one = run(1);
        let two = run(2);
        assert_eq!(one.pairs, two.pairs);
        assert_eq!(one.objective.to_bits(), two.objective.to_bits());
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&one.row_duals), bits(&two.row_duals));
        assert_eq!(bits(&one.col_duals), bits(&two.col_duals));
        check_matching(&w, &rc, &cc, &o, &one);
    }
}

#[test]
fn non_contiguous_views_are_accepted() {
    let w = low_rank(9, 13, 3);
    let t = w.t();
    let rc = vec![2u32; 13];
    let cc = vec![1u32; 9];
    let o = CapacitatedOptions::default();
    let a = solve_capacitated(t, &rc, &cc, &o).unwrap();
    let b = solve_capacitated(t.to_owned().view(), &rc, &cc, &o).unwrap();
    assert_eq!(a, b);
}

#[test]
fn errors_name_the_problem() {
    let w = Array2::from_elem((2, 3), 1.0);
    let o = CapacitatedOptions::default();
    match solve_capacitated(w.view(), &[1], &[1, 1, 1], &o) {
        Err(LsapError::Shape(msg)) => {
            assert!(msg.contains("row_capacity") && msg.contains('1') && msg.contains('2'))
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    match solve_capacitated(w.view(), &[1, 1], &[1, 1], &o) {
        Err(LsapError::Shape(msg)) => {
            assert!(msg.contains("col_capacity") && msg.contains('2') && msg.contains('3'))
        }
        other => panic!("expected a shape error, got {other:?}"),
    }
    let mut bad = w.clone();
    bad[[1, 2]] = f64::INFINITY;
    assert_eq!(
        solve_capacitated(bad.view(), &[1, 1], &[1, 1, 1], &o),
        Err(LsapError::InvalidEntry {
            row: 1,
            col: 2,
            value: f64::INFINITY
        })
    );
    let min = opts(false, Objective::Score);
    bad[[1, 2]] = f64::NEG_INFINITY;
    assert!(matches!(
        solve_capacitated(bad.view(), &[1, 1], &[1, 1, 1], &min),
        Err(LsapError::InvalidEntry { row: 1, col: 2, .. })
    ));
    let warm = solve_capacitated_warm(w.view(), &[1, 1], &[1, 1, 1], &o, Some((&[0.0], &[0.0])));
    assert!(matches!(warm, Err(LsapError::WarmStart(_))));
    let warm = solve_capacitated_warm(
        w.view(),
        &[1, 1],
        &[1, 1, 1],
        &o,
        Some((&[0.0, 0.0], &[0.0, f64::NAN, 0.0])),
    );
    assert!(matches!(warm, Err(LsapError::WarmStart(_))));
    let mut prev = solve_capacitated(w.view(), &[1, 1], &[1, 1, 1], &o).unwrap();
    prev.pairs.push((5, 0));
    let again = solve_capacitated_from(w.view(), &[1, 1], &[1, 1, 1], &o, &prev);
    assert!(matches!(again, Err(LsapError::WarmStart(msg)) if msg.contains("(5, 0)")));
}

#[test]
fn empty_and_zero_capacity_problems() {
    let o = CapacitatedOptions::default();
    let e = Array2::<f64>::zeros((0, 4));
    let mm = solve_capacitated(e.view(), &[], &[1; 4], &o).unwrap();
    assert!(mm.pairs.is_empty());
    assert_eq!(mm.col_duals.len(), 4);
    let w = low_rank(5, 4, 1);
    let mm = solve_capacitated(w.view(), &[0; 5], &[3; 4], &o).unwrap();
    assert!(mm.pairs.is_empty());
    check_matching(&w, &[0; 5], &[3; 4], &o, &mm);
    // Huge capacities are capped by what the matrix allows.
    let mm = solve_capacitated(w.view(), &[u32::MAX; 5], &[u32::MAX; 4], &o).unwrap();
    assert_eq!(mm.pairs.len(), 20);
}

#[test]
fn score_skips_harmful_pairs_coverage_keeps_them() {
    // Maximising: row 1 only has a negative pair. Score leaves it out; Coverage takes it.
    let w = ndarray::array![[3.0, 1.0], [f64::NAN, -2.0]];
    let score =
        solve_capacitated(w.view(), &[1, 1], &[1, 1], &opts(true, Objective::Score)).unwrap();
    assert_eq!(score.pairs, vec![(0, 0)]);
    let cover =
        solve_capacitated(w.view(), &[1, 1], &[1, 1], &opts(true, Objective::Coverage)).unwrap();
    assert_eq!(cover.pairs, vec![(0, 0), (1, 1)]);
    assert_eq!(cover.objective, 1.0);
}
