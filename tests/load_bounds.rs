//! Minimum loads and load spreading in the capacitated solver, against independent oracles:
//! brute force over every b-matching (tiny), a dual certificate checked from first principles
//! (any size), the plain solver (no load terms), and determinism across thread counts.

#![allow(clippy::field_reassign_with_default)]

use mentorpair::lsap::{
    solve_capacitated, solve_capacitated_loads, CapacitatedOptions, ColumnLoads, LoadMatching,
    LsapError, Objective,
};
use ndarray::Array2;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TOL: f64 = 1e-7;

fn opts(maximize: bool, objective: Objective) -> CapacitatedOptions {
    let mut o = CapacitatedOptions::default();
    o.maximize = maximize;
    o.objective = objective;
    o
}

fn loads(min_load: Vec<u32>, spread: f64) -> ColumnLoads {
    let mut l = ColumnLoads::default();
    l.min_load = min_load;
    l.spread = spread;
    l
}

/// The lexicographic value of a matching in maximisation form:
/// `(minimum-load slots filled, pairs (coverage only), total − spreading penalty)`.
type Key = (i64, i64, f64);

fn value(
    w: &Array2<f64>,
    pairs: &[(usize, usize)],
    min_load: &[u32],
    spread: f64,
    maximize: bool,
    objective: Objective,
) -> Key {
    let s = if maximize { 1.0 } else { -1.0 };
    let mut load = vec![0u32; w.ncols()];
    let mut total = 0.0;
    for &(i, j) in pairs {
        load[j] += 1;
        total += w[[i, j]];
    }
    let filled: u32 = load.iter().zip(min_load).map(|(&l, &m)| l.min(m)).sum();
    let penalty: f64 = load
        .iter()
        .map(|&l| spread * f64::from(l) * (f64::from(l) - 1.0) / 2.0)
        .sum();
    let count = match objective {
        Objective::Coverage => pairs.len() as i64,
        Objective::Score => 0,
    };
    (i64::from(filled), count, s * total - penalty)
}

fn better(a: Key, b: Key) -> bool {
    (a.0, a.1) > (b.0, b.1) || ((a.0, a.1) == (b.0, b.1) && a.2 > b.2 + 1e-12)
}

/// Brute force: the best value over every subset of allowed pairs within both capacities, and
/// the largest number of pairs of any such subset.
fn brute_force(
    w: &Array2<f64>,
    rc: &[u32],
    cc: &[u32],
    min_load: &[u32],
    spread: f64,
    maximize: bool,
    objective: Objective,
) -> (Key, usize) {
    let (n, m) = w.dim();
    let mut e = Enumeration {
        pairs: (0..n)
            .flat_map(|i| (0..m).map(move |j| (i, j)))
            .filter(|&(i, j)| w[[i, j]].is_finite())
            .collect(),
        rc,
        cc,
        deg_r: vec![0; n],
        deg_c: vec![0; m],
        chosen: Vec::new(),
        found: Vec::new(),
    };
    e.rec(0);
    let mut best: Option<Key> = None;
    let mut most = 0usize;
    for ps in &e.found {
        let v = value(w, ps, min_load, spread, maximize, objective);
        if best.map_or(true, |b| better(v, b)) {
            best = Some(v);
        }
        most = most.max(ps.len());
    }
    (best.unwrap_or((0, 0, 0.0)), most)
}

/// Every b-matching of the allowed pairs, depth first: skip pair `t`, or take it when both ends
/// have room.
struct Enumeration<'a> {
    pairs: Vec<(usize, usize)>,
    rc: &'a [u32],
    cc: &'a [u32],
    deg_r: Vec<u32>,
    deg_c: Vec<u32>,
    chosen: Vec<(usize, usize)>,
    found: Vec<Vec<(usize, usize)>>,
}

impl Enumeration<'_> {
    fn rec(&mut self, t: usize) {
        if t == self.pairs.len() {
            self.found.push(self.chosen.clone());
            return;
        }
        self.rec(t + 1);
        let (i, j) = self.pairs[t];
        if self.deg_r[i] < self.rc[i] && self.deg_c[j] < self.cc[j] {
            self.deg_r[i] += 1;
            self.deg_c[j] += 1;
            self.chosen.push((i, j));
            self.rec(t + 1);
            self.chosen.pop();
            self.deg_r[i] -= 1;
            self.deg_c[j] -= 1;
        }
    }
}

/// Lexicographic `(count, score)` with a tolerance on the score.
fn le(a: (i64, f64), b: (i64, f64)) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 <= b.1 + TOL * (1.0 + a.1.abs().max(b.1.abs())))
}

/// Feasibility, shortfall, and the documented dual certificate, checked from first principles.
#[allow(clippy::too_many_arguments)]
fn check(
    w: &Array2<f64>,
    rc: &[u32],
    cc: &[u32],
    min_load: &[u32],
    spread: f64,
    maximize: bool,
    objective: Objective,
    r: &LoadMatching,
) {
    let (n, m) = w.dim();
    let mm = &r.matching;
    let mut deg_r = vec![0u32; n];
    let mut deg_c = vec![0u32; m];
    let mut used = Array2::from_elem((n, m), false);
    for &(i, j) in &mm.pairs {
        assert!(w[[i, j]].is_finite(), "forbidden pair ({i}, {j}) used");
        assert!(!used[[i, j]], "pair ({i}, {j}) used twice");
        used[[i, j]] = true;
        deg_r[i] += 1;
        deg_c[j] += 1;
    }
    for i in 0..n {
        assert!(deg_r[i] <= rc[i], "row {i} over capacity");
    }
    for j in 0..m {
        assert!(deg_c[j] <= cc[j], "column {j} over capacity");
        assert_eq!(r.shortfall[j], min_load[j].saturating_sub(deg_c[j]));
    }
    let total: f64 = mm.pairs.iter().map(|&(i, j)| w[[i, j]]).sum();
    assert!((total - mm.objective).abs() <= TOL * (1.0 + total.abs()));
    // Everything in maximisation form.
    let s = if maximize { 1.0 } else { -1.0 };
    let si = if maximize { 1 } else { -1 };
    let k = r.min_slot_weight;
    let u: Vec<(i64, f64)> = (0..n)
        .map(|i| (si * mm.row_count_duals[i], s * mm.row_duals[i]))
        .collect();
    let v: Vec<(i64, f64)> = (0..m)
        .map(|j| (si * mm.col_count_duals[j], s * mm.col_duals[j]))
        .collect();
    let pc = match objective {
        Objective::Coverage => 1,
        Objective::Score => 0,
    };
    let gain = |j: usize, l: u32| -> (i64, f64) {
        (if l < min_load[j] { k } else { 0 }, -spread * f64::from(l))
    };
    for i in 0..n {
        assert!(le((0, 0.0), u[i]), "row dual {i} negative: {:?}", u[i]);
        if deg_r[i] < rc[i] {
            assert!(le(u[i], (0, 0.0)), "row {i} has room but dual {:?}", u[i]);
        }
    }
    for i in 0..n {
        for j in 0..m {
            if !w[[i, j]].is_finite() {
                continue;
            }
            let red = (pc - u[i].0 - v[j].0, s * w[[i, j]] - u[i].1 - v[j].1);
            if used[[i, j]] {
                assert!(le((0, 0.0), red), "used pair ({i}, {j}) reduced {red:?}");
            } else {
                assert!(le(red, (0, 0.0)), "unused pair ({i}, {j}) reduced {red:?}");
            }
        }
    }
    // Column j's slots: a column with room must not gain from its next slot at the price
    // v_j (g + v ≤ 0), a column holding rows must gain from its last one (g + v ≥ 0).
    for j in 0..m {
        let neg = |g: (i64, f64)| (-g.0, -g.1);
        if deg_c[j] < cc[j] {
            let g = gain(j, deg_c[j]);
            assert!(
                le(v[j], neg(g)),
                "column {j} with room: dual {:?}, next slot gains {g:?}",
                v[j]
            );
        }
        if deg_c[j] > 0 {
            let g = gain(j, deg_c[j] - 1);
            assert!(
                le(neg(g), v[j]),
                "column {j}: dual {:?}, last slot gains {g:?}",
                v[j]
            );
        }
    }
    // The certificate implies optimality; also check the primal value of it is the matching's.
    let _ = value(w, &mm.pairs, min_load, spread, maximize, objective);
}

/// Weights, row and column capacities, minimum loads, spread, maximise, coverage.
type Tiny = (Array2<f64>, Vec<u32>, Vec<u32>, Vec<u32>, f64, bool, bool);

fn tiny() -> impl Strategy<Value = Tiny> {
    (1usize..=4, 1usize..=4).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(
                prop_oneof![4 => (-8i32..8).prop_map(|x| f64::from(x) / 4.0), 1 => Just(f64::NAN)],
                n * m,
            ),
            prop::collection::vec(0u32..=3, n),
            prop::collection::vec(0u32..=3, m),
            prop::collection::vec(0u32..=3, m),
            prop_oneof![
                Just(0.0),
                Just(0.25),
                Just(1.0),
                (0u32..8).prop_map(|x| f64::from(x) * 0.3)
            ],
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(move |(w, rc, cc, ml, spread, maximize, coverage)| {
                (
                    Array2::from_shape_vec((n, m), w).unwrap(),
                    rc,
                    cc,
                    ml,
                    spread,
                    maximize,
                    coverage,
                )
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// The load solve reaches the brute-force optimum of (minimum-load slots, coverage, total −
    /// penalty), its duals certify it, and meeting minimum loads never costs coverage.
    #[test]
    fn tiny_matches_brute_force((w, rc, cc, ml, spread, maximize, coverage) in tiny()) {
        let objective = if coverage { Objective::Coverage } else { Objective::Score };
        let o = opts(maximize, objective);
        let r = solve_capacitated_loads(w.view(), &rc, &cc, &o, &loads(ml.clone(), spread)).unwrap();
        check(&w, &rc, &cc, &ml, spread, maximize, objective, &r);
        let got = value(&w, &r.matching.pairs, &ml, spread, maximize, objective);
        let (best, most) = brute_force(&w, &rc, &cc, &ml, spread, maximize, objective);
        prop_assert_eq!((got.0, got.1), (best.0, best.1));
        prop_assert!((got.2 - best.2).abs() <= 1e-9, "score {} vs brute force {}", got.2, best.2);
        if objective == Objective::Coverage {
            prop_assert_eq!(r.matching.pairs.len(), most);
        }
    }

    /// Without load terms the load solve is the plain solve (same optimum).
    #[test]
    fn no_load_terms_equal_plain_solver((w, rc, cc, _ml, _s, maximize, coverage) in tiny()) {
        let objective = if coverage { Objective::Coverage } else { Objective::Score };
        let o = opts(maximize, objective);
        let r = solve_capacitated_loads(w.view(), &rc, &cc, &o, &ColumnLoads::default()).unwrap();
        let plain = solve_capacitated(w.view(), &rc, &cc, &o).unwrap();
        if objective == Objective::Coverage {
            prop_assert_eq!(r.matching.pairs.len(), plain.pairs.len());
        }
        prop_assert!((r.matching.objective - plain.objective).abs() <= 1e-9);
    }
}

fn random_problem(n: usize, m: usize, seed: u64) -> (Array2<f64>, Vec<u32>, Vec<u32>, Vec<u32>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let w = Array2::from_shape_fn((n, m), |_| {
        if rng.random_bool(0.2) {
            f64::NAN
        } else {
            rng.random_range(0.0..1.0)
        }
    });
    let rc = (0..n).map(|_| rng.random_range(1..=2)).collect();
    let cc: Vec<u32> = (0..m).map(|_| rng.random_range(1..=6)).collect();
    let ml = cc.iter().map(|&c| rng.random_range(0..=c.min(3))).collect();
    (w, rc, cc, ml)
}

/// Medium problems of every objective are certified by their duals.
#[test]
fn medium_problems_are_certified() {
    for seed in 0..24u64 {
        let (n, m) = (20 + (seed as usize % 7) * 9, 6 + (seed as usize % 5) * 5);
        let (w, rc, cc, ml) = random_problem(n, m, seed);
        let spread = [0.0, 0.05, 0.3][seed as usize % 3];
        for (maximize, objective) in [
            (true, Objective::Coverage),
            (true, Objective::Score),
            (false, Objective::Coverage),
        ] {
            let r = solve_capacitated_loads(
                w.view(),
                &rc,
                &cc,
                &opts(maximize, objective),
                &loads(ml.clone(), spread),
            )
            .unwrap();
            check(&w, &rc, &cc, &ml, spread, maximize, objective, &r);
        }
    }
}

/// Infeasible minimum loads: the best matching comes back with each short column and how many
/// rows it lacks; the total shortfall is the unavoidable one.
#[test]
fn infeasible_minimum_loads_report_the_short_columns() {
    // Three rows; column 0 wants 2 but only row 0 may take it; column 2 wants 3 of the 3 rows
    // but column 1 also wants 1: 2 + 1 + 3 = 6 > 3 rows.
    let nan = f64::NAN;
    let w = ndarray::array![[0.9, 0.1, 0.5], [nan, 0.8, 0.5], [nan, 0.7, 0.4]];
    let r = solve_capacitated_loads(
        w.view(),
        &[1, 1, 1],
        &[3, 3, 3],
        &CapacitatedOptions::default(),
        &loads(vec![2, 1, 3], 0.0),
    )
    .unwrap();
    // Three rows fill three minimum-load slots whatever they do: total shortfall 6 − 3 = 3.
    assert_eq!(r.shortfall.iter().sum::<u32>(), 3);
    assert_eq!(r.shortfall[0], 1, "column 0 can only ever get row 0");
    assert_eq!(r.matching.pairs.len(), 3);
    assert!(r.short_columns().iter().all(|&(_, s)| s > 0));
    // A minimum above the capacity is short by the difference at best.
    let r = solve_capacitated_loads(
        w.view(),
        &[1, 1, 1],
        &[1, 3, 3],
        &CapacitatedOptions::default(),
        &loads(vec![2, 0, 0], 0.0),
    )
    .unwrap();
    assert_eq!(r.short_columns(), vec![(0, 1)]);
    assert!(r.matching.pairs.contains(&(0, 0)));
}

/// Minimum loads outrank score: the favourite column gives up a row to the one with a minimum.
#[test]
fn minimum_loads_outrank_score_and_spread_spreads() {
    let w = ndarray::array![
        [0.9, 0.2, 0.1],
        [0.8, 0.3, 0.2],
        [0.7, 0.1, 0.3],
        [0.6, 0.2, 0.1]
    ];
    let o = CapacitatedOptions::default();
    let plain = solve_capacitated_loads(w.view(), &[1; 4], &[4, 4, 4], &o, &ColumnLoads::default())
        .unwrap();
    assert!(plain.matching.pairs.iter().all(|&(_, j)| j == 0));
    let r = solve_capacitated_loads(
        w.view(),
        &[1; 4],
        &[4, 4, 4],
        &o,
        &loads(vec![0, 1, 1], 0.0),
    )
    .unwrap();
    assert_eq!(r.shortfall, vec![0, 0, 0]);
    let (best, _) = brute_force(
        &w,
        &[1; 4],
        &[4, 4, 4],
        &[0, 1, 1],
        0.0,
        true,
        Objective::Coverage,
    );
    let got = value(
        &w,
        &r.matching.pairs,
        &[0, 1, 1],
        0.0,
        true,
        Objective::Coverage,
    );
    assert_eq!((got.0, got.1), (2, 4));
    assert!((got.2 - best.2).abs() < 1e-12 && (got.2 - 2.2).abs() < 1e-12);
    // Spreading: the k-th row of a column costs spread·(k−1). With 0.25, column 0's 3rd row
    // (cost 0.5) loses to column 1 for row 3 (0.6 − 0.5 < 0.2).
    let r =
        solve_capacitated_loads(w.view(), &[1; 4], &[4, 4, 4], &o, &loads(vec![], 0.25)).unwrap();
    let on_0 = r.matching.pairs.iter().filter(|p| p.1 == 0).count();
    assert!(on_0 < 4, "spreading moved no row: {:?}", r.matching.pairs);
    assert!(r.spread_penalty > 0.0);
    let (best, _) = brute_force(
        &w,
        &[1; 4],
        &[4, 4, 4],
        &[0, 0, 0],
        0.25,
        true,
        Objective::Coverage,
    );
    let got = value(
        &w,
        &r.matching.pairs,
        &[0, 0, 0],
        0.25,
        true,
        Objective::Coverage,
    );
    assert!((got.2 - best.2).abs() < 1e-12);
}

/// Spreading on larger problems against the brute-force-free check: the certificate, and more
/// spread never raises the largest load.
#[test]
fn more_spread_never_concentrates() {
    let (w, rc, _, _) = random_problem(60, 12, 7);
    let cc = vec![20; 12];
    let mut last_max = u32::MAX;
    for spread in [0.0, 0.01, 0.05, 0.2, 1.0] {
        let r = solve_capacitated_loads(
            w.view(),
            &rc,
            &cc,
            &CapacitatedOptions::default(),
            &loads(vec![], spread),
        )
        .unwrap();
        check(
            &w,
            &rc,
            &cc,
            &[0; 12],
            spread,
            true,
            Objective::Coverage,
            &r,
        );
        let mut load = [0u32; 12];
        r.matching.pairs.iter().for_each(|p| load[p.1] += 1);
        let max = *load.iter().max().unwrap();
        assert!(
            max <= last_max,
            "spread {spread}: largest load {max} after {last_max}"
        );
        last_max = max;
    }
}

#[test]
fn deterministic_across_thread_counts() {
    let (w, rc, cc, ml) = random_problem(300, 5000, 11);
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                solve_capacitated_loads(
                    w.view(),
                    &rc,
                    &cc,
                    &CapacitatedOptions::default(),
                    &loads(ml.clone(), 0.02),
                )
                .unwrap()
            })
    };
    let one = run(1);
    let two = run(2);
    let four = run(4);
    assert_eq!(one, two);
    assert_eq!(one, four);
}

#[test]
fn errors_name_the_option() {
    let w = ndarray::array![[0.5, 0.2]];
    let o = CapacitatedOptions::default();
    let e = solve_capacitated_loads(w.view(), &[1], &[1, 1], &o, &loads(vec![1], 0.0)).unwrap_err();
    assert!(
        matches!(&e, LsapError::Shape(m) if m.contains("min_load has 1 entries")),
        "{e}"
    );
    let e = solve_capacitated_loads(w.view(), &[1], &[1, 1], &o, &loads(vec![], -1.0)).unwrap_err();
    assert!(e.to_string().contains("spread is -1"), "{e}");
    let e =
        solve_capacitated_loads(w.view(), &[1], &[1, 1], &o, &loads(vec![], f64::NAN)).unwrap_err();
    assert!(e.to_string().contains("spread is NaN"), "{e}");
}

// ---- the prepared problem: the `min_load` column and options, shortfall, audit ----

use mentorpair::cohort::{Cohort, Role};
use mentorpair::fairness::{AuditOptions, Fairness};
use mentorpair::io::{read_csv, write_csv, InputError};
use mentorpair::matching::{MatchConfig, MatchError};
use mentorpair::problem::{Problem, ShortfallPolicy};

fn cohort(mentees: &str, mentors: &str) -> Cohort {
    Cohort {
        mentees: read_csv(Role::Mentee, mentees.as_bytes(), &["gender".to_string()])
            .expect("mentees"),
        mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).expect("mentors"),
    }
}

const MENTEES: &str = "id,goals,gender\na,sql,f\nb,sql,m\nc,sql,f\nd,sql,m\n";
/// `star` is everyone's best fit; `quiet` and `far` offer less.
const MENTORS: &str = "id,goals,capacity,min_load\nstar,sql;python,4,\nquiet,sql,4,1\nfar,art,4,\n";

fn loads_of(problem: &Problem, pairs: &[(usize, usize)]) -> Vec<u32> {
    let mut l = vec![0u32; problem.dims().1];
    pairs.iter().for_each(|p| l[p.1] += 1);
    l
}

#[test]
fn min_load_column_and_option_are_lower_bounds() {
    let c = cohort(MENTEES, MENTORS);
    assert_eq!(c.mentors.people[1].min_load, Some(1));
    assert_eq!(c.mentors.people[0].min_load, None);
    let plain = Problem::new(c.clone(), {
        let mut cfg = MatchConfig::default();
        cfg.min_score = -1.0;
        cfg
    })
    .unwrap();
    // The column alone: `quiet` gets its one mentee.
    let s = plain.solve().unwrap();
    assert!(loads_of(&plain, &s.pairs)[1] >= 1);
    // The option fills in for mentors without a value: everyone gets at least one.
    let mut cfg = MatchConfig::default();
    cfg.min_score = -1.0;
    cfg.min_load = 1;
    let p = Problem::new(c.clone(), cfg).unwrap();
    assert_eq!(p.mentor_min_load(), vec![1, 1, 1]);
    let s = p.solve().unwrap();
    assert!(
        loads_of(&p, &s.pairs).iter().all(|&l| l >= 1),
        "{:?}",
        s.pairs
    );
    assert!(s.load_shortfall.is_empty());
    assert_eq!(s.pairs.len(), 4);
}

#[test]
fn infeasible_min_loads_fail_naming_mentors_or_are_reported() {
    let c = cohort(MENTEES, MENTORS);
    let mut cfg = MatchConfig::default();
    cfg.min_score = -1.0;
    cfg.min_load = 3; // 3 mentors x 3 > 4 mentees
    let p = Problem::new(c.clone(), cfg.clone()).unwrap();
    let e = p.solve().unwrap_err();
    let MatchError::LoadShortfall(err) = &e else {
        panic!("expected a load shortfall, got {e}");
    };
    // 3 + 1 + 3 = 7 minimum-load slots, 4 mentees: 3 short in total.
    assert_eq!(err.total, 3);
    let text = e.to_string();
    for s in &err.short {
        assert!(text.contains(&format!("{:?}", s.mentor_id)), "{text}");
        assert_eq!(s.shortfall, s.min_load - s.load);
    }
    assert!(text.contains("min_load_shortfall"), "{text}");
    cfg.min_load_shortfall = ShortfallPolicy::Report;
    let p = Problem::new(c, cfg).unwrap();
    let s = p.solve().unwrap();
    assert_eq!(s.pairs.len(), 4);
    assert_eq!(s.load_shortfall.iter().map(|x| x.shortfall).sum::<u32>(), 3);
    // The audit shows the same table.
    let result = p.result(&s);
    let audit = p
        .audit(&result, &["gender".to_string()], &AuditOptions::default())
        .unwrap();
    let t = audit.mentor_loads.expect("mentor loads");
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.total_shortfall, 3);
    assert_eq!(t.below_min_load, s.load_shortfall.len());
    assert_eq!(t.rows[1].min_load, 1);
    assert_eq!(t.rows[0].min_load, 3);
    for (row, l) in t.rows.iter().zip(loads_of(&p, &s.pairs)) {
        assert_eq!(row.load, l);
        assert_eq!(row.capacity, 4);
    }
}

#[test]
fn spread_moves_mentees_off_the_busiest_mentor() {
    let c = cohort(
        MENTEES,
        "id,goals,capacity\nstar,sql;python,4\nquiet,sql,4\n",
    );
    let mut cfg = MatchConfig::default();
    cfg.min_score = -1.0;
    let p = Problem::new(c.clone(), cfg.clone()).unwrap();
    let before = loads_of(&p, &p.solve().unwrap().pairs);
    cfg.spread = 10.0;
    let p = Problem::new(c, cfg).unwrap();
    let after = loads_of(&p, &p.solve().unwrap().pairs);
    assert!(
        before.iter().max() > after.iter().max(),
        "{before:?} -> {after:?}"
    );
    assert_eq!(after, vec![2, 2]);
}

#[test]
fn rematch_refuses_load_terms_rather_than_ignoring_them() {
    let mut cfg = MatchConfig::default();
    cfg.min_load = 1;
    cfg.min_load_shortfall = ShortfallPolicy::Report;
    let problem = Problem::new(cohort(MENTEES, MENTORS), cfg).unwrap();
    let e = problem
        .rematch(&[], &mentorpair::rematch::RematchOptions::default())
        .unwrap_err();
    assert!(e.to_string().contains("min_load"), "{e}");
}

#[test]
fn bad_load_options_and_cells_are_typed_errors() {
    let c = cohort(MENTEES, MENTORS);
    let mut cfg = MatchConfig::default();
    cfg.spread = -0.5;
    let e = Problem::new(c.clone(), cfg).unwrap_err();
    assert!(
        matches!(&e, MatchError::Config(m) if m.option == "spread"),
        "{e}"
    );
    let mut cfg = MatchConfig::default();
    cfg.min_load = 1;
    cfg.fairness = Some(Fairness::Maximin);
    let e = Problem::new(c, cfg).unwrap().solve().unwrap_err();
    assert!(
        e.to_string().contains("maximin") && e.to_string().contains("min_load"),
        "{e}"
    );
    let e = read_csv(Role::Mentor, "id,min_load\nm1,two\n".as_bytes(), &[]).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("min_load") && text.contains("two") && text.contains("m1"),
        "{text}"
    );
    let e = read_csv(Role::Mentee, "id,min_load\na,1\n".as_bytes(), &[]).unwrap_err();
    assert!(matches!(e, InputError::WrongTableColumn { .. }), "{e}");
}

#[test]
fn min_load_column_round_trips_through_the_writers() {
    let t = read_csv(Role::Mentor, MENTORS.as_bytes(), &[]).unwrap();
    let mut out = Vec::new();
    write_csv(&t, &mut out).unwrap();
    let back = read_csv(Role::Mentor, out.as_slice(), &[]).unwrap();
    assert_eq!(t, back);
    // Without any min_load the column is not written.
    let t = read_csv(Role::Mentor, "id,capacity\nm,2\n".as_bytes(), &[]).unwrap();
    let mut out = Vec::new();
    write_csv(&t, &mut out).unwrap();
    assert!(!String::from_utf8(out).unwrap().contains("min_load"));
}

#[test]
fn cli_flags_and_toml_keys() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("load-bounds-cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (mentees, mentors) = (dir.join("mentees.csv"), dir.join("mentors.csv"));
    std::fs::write(&mentees, "id,goals\na,sql\nb,sql\nc,sql\nd,sql\n").unwrap();
    std::fs::write(&mentors, MENTORS).unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "match".to_string(),
            "--mentees".into(),
            mentees.display().to_string(),
            "--mentors".into(),
            mentors.display().to_string(),
            "--min-score=-1".into(),
            "--out".into(),
            dir.join("pairs.csv").display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        std::process::Command::new(env!("CARGO_BIN_EXE_mentorpair"))
            .args(&args)
            .output()
            .unwrap()
    };
    let o = run(&["--min-load", "3"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(
        err.contains("minimum loads cannot all be met") && err.contains("\"far\""),
        "{err}"
    );
    let o = run(&[
        "--min-load",
        "3",
        "--min-load-shortfall",
        "report",
        "--spread",
        "0.1",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let toml = dir.join("options.toml");
    std::fs::write(
        &toml,
        "min_load = 3\nmin_load_shortfall = \"report\"\nspread = 0.1\n",
    )
    .unwrap();
    let o = run(&["--config", &toml.display().to_string()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(&["--spread", "-1"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
