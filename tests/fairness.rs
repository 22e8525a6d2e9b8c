//! Fairness layer: the audit against hand computation, maximin against brute force, and the group
//! floor's claims checked independently (floors, hard constraints, totals, coverage).

use mentorpair::cohort::Protected;
use mentorpair::fairness::{
    audit, group_floor, maximin, AuditOptions, FairnessError, GroupFloorOptions, GroupLabels,
    MatchedPair, MatrixSolver, Solved,
};
use ndarray::{Array2, ArrayView2};
use proptest::prelude::*;

// ---------------------------------------------------------------- oracles

/// Every b-matching (each pair at most once) of the allowed pairs, by brute force.
fn all_matchings(w: ArrayView2<'_, f64>, rc: &[u32], cc: &[u32]) -> Vec<Vec<(usize, usize)>> {
    let allowed: Vec<(usize, usize)> = w
        .indexed_iter()
        .filter(|(_, x)| x.is_finite())
        .map(|(ix, _)| ix)
        .collect();
    assert!(allowed.len() <= 14, "brute force is for tiny instances");
    let mut out = Vec::new();
    for mask in 0u32..(1 << allowed.len()) {
        let mut r = vec![0u32; rc.len()];
        let mut c = vec![0u32; cc.len()];
        let mut pairs = Vec::new();
        let mut ok = true;
        for (k, &(i, j)) in allowed.iter().enumerate() {
            if mask >> k & 1 == 1 {
                r[i] += 1;
                c[j] += 1;
                ok &= r[i] <= rc[i] && c[j] <= cc[j];
                pairs.push((i, j));
            }
        }
        if ok {
            out.push(pairs);
        }
    }
    out
}

fn total(w: ArrayView2<'_, f64>, pairs: &[(usize, usize)]) -> f64 {
    pairs.iter().map(|&p| w[p]).sum()
}

/// Coverage objective by brute force: most pairs, then the highest total.
fn brute_coverage(w: ArrayView2<'_, f64>, rc: &[u32], cc: &[u32]) -> Vec<(usize, usize)> {
    let mut best: Option<Vec<(usize, usize)>> = None;
    for m in all_matchings(w, rc, cc) {
        let better = match &best {
            None => true,
            Some(b) => {
                m.len() > b.len() || (m.len() == b.len() && total(w, &m) > total(w, b) + 1e-12)
            }
        };
        if better {
            best = Some(m);
        }
    }
    best.unwrap_or_default()
}

fn brute_solver(rc: Vec<u32>, cc: Vec<u32>) -> impl MatrixSolver {
    move |w: ArrayView2<'_, f64>, _warm: Option<(&[f64], &[f64])>| {
        let mut pairs = brute_coverage(w, &rc, &cc);
        pairs.sort_unstable();
        Ok::<_, FairnessError>(Solved {
            pairs,
            row_duals: vec![0.0; w.nrows()],
            col_duals: vec![0.0; w.ncols()],
        })
    }
}

/// Coverage objective for mentees wanting one mentor, by the dense 1:1 solver on a matrix with
/// one column per mentor seat: allowed entries get a bonus larger than any total difference, so
/// more pairs always win; seats paired through a forbidden entry are dropped.
fn seat_solver(cc: Vec<u32>) -> impl MatrixSolver {
    move |w: ArrayView2<'_, f64>, _warm: Option<(&[f64], &[f64])>| {
        let seats: Vec<usize> = cc
            .iter()
            .enumerate()
            .flat_map(|(j, &k)| std::iter::repeat(j).take(k as usize))
            .collect();
        let maxabs = w
            .iter()
            .filter(|x| x.is_finite())
            .fold(0.0f64, |a, x| a.max(x.abs()));
        let bonus = 4.0 * (w.nrows() as f64 + 1.0) * (maxabs + 1.0);
        let mut e = Array2::zeros((w.nrows(), seats.len()));
        for ((i, s), x) in e.indexed_iter_mut() {
            let v = w[(i, seats[s])];
            if v.is_finite() {
                *x = v + bonus;
            }
        }
        let a = mentorpair::lsap::solve_dense(e.view(), true)
            .map_err(|e| FairnessError::Solver(e.to_string()))?;
        let mut pairs: Vec<(usize, usize)> = a
            .rows
            .iter()
            .zip(&a.cols)
            .filter(|&(&i, &s)| w[(i, seats[s])].is_finite())
            .map(|(&i, &s)| (i, seats[s]))
            .collect();
        pairs.sort_unstable();
        Ok::<_, FairnessError>(Solved {
            pairs,
            row_duals: vec![0.0; w.nrows()],
            col_duals: vec![0.0; w.ncols()],
        })
    }
}

fn check_hard(w: ArrayView2<'_, f64>, rc: &[u32], cc: &[u32], pairs: &[(usize, usize)]) {
    let mut r = vec![0u32; rc.len()];
    let mut c = vec![0u32; cc.len()];
    let mut seen = std::collections::BTreeSet::new();
    for &(i, j) in pairs {
        assert!(w[(i, j)].is_finite(), "forbidden pair ({i},{j}) used");
        assert!(seen.insert((i, j)), "pair ({i},{j}) twice");
        r[i] += 1;
        c[j] += 1;
    }
    assert!(r.iter().zip(rc).all(|(a, b)| a <= b), "row capacity broken");
    assert!(
        c.iter().zip(cc).all(|(a, b)| a <= b),
        "column capacity broken"
    );
}

// ---------------------------------------------------------------- audit

fn labels(values: &[Option<&str>]) -> GroupLabels {
    GroupLabels {
        columns: vec!["gender".into()],
        keys: values.iter().map(|v| vec![v.map(String::from)]).collect(),
    }
}

fn pair(mentee: usize, mentor: usize, score: f64, comps: [f64; 2]) -> MatchedPair {
    MatchedPair {
        mentee,
        mentor,
        score,
        components: comps.to_vec(),
    }
}

#[test]
fn audit_matches_hand_computation() {
    // Mentees: 0 f, 1 f, 2 f, 3 m, 4 m, 5 missing. Mentors: 0 x (cap 2), 1 y (cap 2), 2 y (cap 1).
    let mentees = labels(&[Some("f"), Some("f"), Some("f"), Some("m"), Some("m"), None]);
    let mentors = labels(&[Some("x"), Some("y"), Some("y")]);
    let pairs = vec![
        pair(0, 0, 0.8, [0.5, 0.3]),
        pair(1, 1, 0.4, [0.1, 0.3]),
        pair(3, 0, 0.9, [0.6, 0.3]),
        pair(4, 1, 0.7, [0.4, 0.3]),
        pair(4, 2, 0.5, [0.2, 0.3]), // mentee 4 has two mentors
    ];
    let comps = vec!["goals".to_string(), "skills".to_string()];
    let opts = AuditOptions { min_group_size: 2 };
    let r = audit(&mentees, Some(&mentors), &[2, 2, 1], &pairs, &comps, &opts).unwrap();
    let g = &r.mentees.groups;
    assert_eq!(
        g.iter().map(|x| x.group.as_str()).collect::<Vec<_>>(),
        ["(missing)", "f", "m"]
    );
    // (missing): 1 mentee, none matched, too small.
    assert_eq!((g[0].mentees, g[0].matched, g[0].pairs), (1, 0, 0));
    assert!(g[0].too_small && g[0].mean_score.is_none() && g[0].component_means[0].is_none());
    // f: 3 mentees, 2 matched (0.8, 0.4): rate 2/3, mean 0.6, median 0.6, min 0.4.
    assert_eq!((g[1].mentees, g[1].matched, g[1].pairs), (3, 2, 2));
    assert!((g[1].match_rate - 2.0 / 3.0).abs() < 1e-12);
    assert!((g[1].mean_score.unwrap() - 0.6).abs() < 1e-12);
    assert!((g[1].median_score.unwrap() - 0.6).abs() < 1e-12);
    assert_eq!(g[1].min_score, Some(0.4));
    assert!((g[1].component_means[0].unwrap() - 0.3).abs() < 1e-12);
    assert!((g[1].component_means[1].unwrap() - 0.3).abs() < 1e-12);
    assert!(!g[1].too_small);
    // m: 2 mentees, both matched, pairs 0.9, 0.7, 0.5: mean 0.7, median 0.7, min 0.5.
    assert_eq!((g[2].mentees, g[2].matched, g[2].pairs), (2, 2, 3));
    assert_eq!(g[2].match_rate, 1.0);
    assert!((g[2].mean_score.unwrap() - 0.7).abs() < 1e-12);
    assert!((g[2].median_score.unwrap() - 0.7).abs() < 1e-12);
    assert_eq!(g[2].min_score, Some(0.5));
    assert!((g[2].component_means[0].unwrap() - 0.4).abs() < 1e-12);
    // Ratios leave the too-small group out: (2/3) / 1; gap 0.7 - 0.6.
    assert!((r.mentees.disparate_impact.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(r.mentees.four_fifths_ok, Some(false));
    assert!((r.mentees.max_score_gap.unwrap() - 0.1).abs() < 1e-12);

    // Mentors: x has 1 mentor (too small with min 2), cap 2, load 2 (0.8, 0.9);
    // y has 2 mentors, cap 3, load 3 (0.4, 0.7, 0.5).
    let m = r.mentors.as_ref().unwrap();
    assert_eq!(m.groups[0].group, "x");
    assert_eq!(
        (m.groups[0].mentors, m.groups[0].capacity, m.groups[0].load),
        (1, 2, 2)
    );
    assert!(m.groups[0].too_small);
    assert_eq!(m.groups[0].utilisation, 1.0);
    assert!((m.groups[0].load_share - 0.4).abs() < 1e-12);
    assert!((m.groups[0].mentor_share - 1.0 / 3.0).abs() < 1e-12);
    assert!((m.groups[0].mean_score.unwrap() - 0.85).abs() < 1e-12);
    let y = &m.groups[1];
    assert_eq!((y.mentors, y.active, y.capacity, y.load), (2, 2, 3, 3));
    assert_eq!(y.utilisation, 1.0);
    assert!((y.mean_score.unwrap() - (0.4 + 0.7 + 0.5) / 3.0).abs() < 1e-12);
    assert_eq!(y.median_score, Some(0.5));
    assert!(!y.too_small);
    // Only one judgeable mentor group: no ratio.
    assert_eq!(m.disparate_impact, None);
    assert_eq!(m.four_fifths_ok, None);
    assert_eq!(m.max_score_gap, None);

    // The report is serde data.
    let json = serde_json::to_string(&r).unwrap();
    let back: mentorpair::fairness::AuditReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.mentees.groups.len(), 3);
    assert_eq!(back.mentees.groups[2].pairs, 3);
    assert!((back.mentees.disparate_impact.unwrap() - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(back.mentors.map(|m| m.groups.len()), Some(2));
}

#[test]
fn disparate_impact_when_nobody_is_matched_is_parity() {
    let mentees = labels(&[Some("a"), Some("a"), Some("b"), Some("b")]);
    let opts = AuditOptions { min_group_size: 1 };
    let r = audit(&mentees, None, &[], &[], &[], &opts).unwrap();
    assert_eq!(r.mentees.disparate_impact, Some(1.0));
    assert_eq!(r.mentees.four_fifths_ok, Some(true));
    assert_eq!(r.mentees.max_score_gap, None);
    assert!(r.mentors.is_none());
}

#[test]
fn labels_combine_several_protected_columns_and_name_missing_ones() {
    let p = Protected {
        columns: vec!["gender".into(), "region".into(), "age_band".into()],
        values: vec![
            vec![Some("f".into()), Some("eu".into()), None],
            vec![Some("f".into()), None, None],
            vec![Some("f".into()), Some("eu".into()), Some("30s".into())],
        ],
    };
    let by = vec!["gender".to_string(), "region".to_string()];
    let l = GroupLabels::from_protected(&p, &by, "mentees").unwrap();
    let (keys, ids) = l.group_ids();
    assert_eq!(keys.len(), 2);
    assert_eq!(ids, vec![1, 0, 1]);
    let opts = AuditOptions { min_group_size: 1 };
    let r = audit(&l, None, &[], &[], &[], &opts).unwrap();
    assert_eq!(r.mentees.groups[0].group, "f / (missing)");
    assert_eq!(r.mentees.groups[1].group, "f / eu");
    assert_eq!(r.mentees.groups[1].mentees, 2);

    let err = GroupLabels::from_protected(&p, &["ethnicity".to_string()], "mentees").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("ethnicity") && msg.contains("gender, region, age_band"),
        "{msg}"
    );
    assert!(GroupLabels::from_protected(&p, &[], "mentees").is_err());
}

#[test]
fn audit_rejects_inconsistent_input_without_panicking() {
    let mentees = labels(&[Some("a")]);
    let bad = vec![pair(3, 0, 0.5, [0.0, 0.0])];
    let e = audit(
        &mentees,
        None,
        &[],
        &bad,
        &["g".into(), "s".into()],
        &AuditOptions::default(),
    );
    assert!(matches!(e, Err(FairnessError::PairOutOfRange { .. })));
    let ok_pair = vec![pair(0, 0, 0.5, [0.0, 0.0])];
    let e = audit(
        &mentees,
        None,
        &[],
        &ok_pair,
        &["g".into()],
        &AuditOptions::default(),
    );
    assert!(matches!(e, Err(FairnessError::Shape(_))));
    let mentors = labels(&[Some("x")]);
    let e = audit(
        &mentees,
        Some(&mentors),
        &[1, 1],
        &[],
        &[],
        &AuditOptions::default(),
    );
    assert!(matches!(e, Err(FairnessError::Shape(_))));
}

// ---------------------------------------------------------------- maximin

/// Tiny instance: weights on a 0.05 grid (ties happen), some forbidden, capacities 1–2.
fn tiny_instance() -> impl Strategy<Value = (Array2<f64>, Vec<u32>, Vec<u32>)> {
    (1usize..=4, 1usize..=3).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(
                prop_oneof![1 => Just(f64::NAN), 5 => (0u32..=20).prop_map(|k| k as f64 * 0.05)],
                n * m,
            ),
            proptest::collection::vec(1u32..=2, n),
            proptest::collection::vec(1u32..=2, m),
        )
            .prop_map(move |(v, rc, cc)| (Array2::from_shape_vec((n, m), v).unwrap(), rc, cc))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn maximin_matches_brute_force((w, rc, cc) in tiny_instance()) {
        let mut solver = brute_solver(rc.clone(), cc.clone());
        let r = maximin(w.view(), &mut solver).unwrap();
        check_hard(w.view(), &rc, &cc, &r.pairs);
        // Oracle: among matchings with the most pairs, the highest lowest weight, then total.
        let all = all_matchings(w.view(), &rc, &cc);
        let n = all.iter().map(Vec::len).max().unwrap();
        prop_assert_eq!(r.pairs.len(), n);
        prop_assert_eq!(r.coverage, n);
        let lowest = |m: &Vec<(usize, usize)>| m.iter().map(|&p| w[p]).fold(f64::INFINITY, f64::min);
        let best_min = all.iter().filter(|m| m.len() == n).map(lowest).fold(f64::NEG_INFINITY, f64::max);
        if n == 0 {
            prop_assert_eq!(r.min_score, None);
        } else {
            prop_assert_eq!(r.min_score, Some(best_min));
            let best_total = all
                .iter()
                .filter(|m| m.len() == n && lowest(m) >= best_min)
                .map(|m| total(w.view(), m))
                .fold(f64::NEG_INFINITY, f64::max);
            prop_assert!((r.total - best_total).abs() < 1e-9, "total {} vs {}", r.total, best_total);
            prop_assert!(r.min_score >= r.plain_min_score);
            prop_assert!(r.total <= r.plain_total + 1e-9);
        }
    }

    #[test]
    fn group_floor_claims_hold((w, rc, cc) in tiny_instance(), groups in proptest::collection::vec(0usize..2, 4), tol in 0.0f64..0.3, parity: bool) {
        let n = w.nrows();
        let row_groups = &groups[..n];
        let mut solver = brute_solver(rc.clone(), cc.clone());
        let opts = GroupFloorOptions { tolerance: tol, rate_parity: parity, max_iterations: 30, warm_start: true };
        let r = group_floor(w.view(), row_groups, &mut solver, &opts).unwrap();
        check_hard(w.view(), &rc, &cc, &r.pairs);
        let plain = brute_coverage(w.view(), &rc, &cc);
        prop_assert!((r.unconstrained_total - total(w.view(), &plain)).abs() < 1e-9);
        for g in &r.groups {
            let in_plain: std::collections::BTreeSet<usize> =
                plain.iter().map(|p| p.0).filter(|&i| row_groups[i] == g.group).collect();
            prop_assert_eq!(g.plain_matched, in_plain.len());
        }
        prop_assert!(r.total <= r.unconstrained_total + 1e-9);
        prop_assert!((r.total - total(w.view(), &r.pairs)).abs() < 1e-9);
        prop_assert!(r.pairs.len() >= plain.len());
        check_floor_claims(w.view(), row_groups, tol, parity, &r);
    }
}

/// Recompute every group's mean and match rate from the pairs and compare with the claims.
fn check_floor_claims(
    w: ArrayView2<'_, f64>,
    row_groups: &[usize],
    tol: f64,
    parity: bool,
    r: &mentorpair::fairness::GroupFloorResult,
) {
    let overall = total(w, &r.pairs) / r.pairs.len().max(1) as f64;
    let matched_rows: std::collections::BTreeSet<usize> = r.pairs.iter().map(|p| p.0).collect();
    let overall_rate = matched_rows.len() as f64 / row_groups.len() as f64;
    let mut all_met = true;
    for g in &r.groups {
        let scores: Vec<f64> = r
            .pairs
            .iter()
            .filter(|p| row_groups[p.0] == g.group)
            .map(|&p| w[p])
            .collect();
        let rows = row_groups.iter().filter(|&&x| x == g.group).count();
        let matched = matched_rows
            .iter()
            .filter(|&&i| row_groups[i] == g.group)
            .count();
        assert_eq!(g.rows, rows);
        assert_eq!(g.matched, matched);
        let met = scores.is_empty()
            || scores.iter().sum::<f64>() / scores.len() as f64 >= (1.0 - tol) * overall - 1e-9;
        assert_eq!(g.score_met, met, "group {} score claim", g.group);
        // Without rate parity the count side is "no group loses matched mentees".
        let rate_met = if parity {
            matched as f64 / rows as f64 >= (1.0 - tol) * overall_rate - 1e-9
        } else {
            matched >= g.plain_matched
        };
        assert_eq!(g.rate_met, rate_met, "group {} rate claim", g.group);
        all_met &= met && rate_met;
    }
    assert_eq!(r.all_met, all_met);
    if r.plain_met {
        assert_eq!(r.price_of_fairness, 0.0);
        assert_eq!(r.iterations, 0);
    }
}

/// Group 1's mentees score lower everywhere; the plain optimum gives both good mentors (cols 0, 1)
/// to group 0 (group means 0.9 vs 0.265). The floor moves one of them to group 1 at a cost.
fn contested_instance() -> (Array2<f64>, Vec<usize>) {
    let w = ndarray::array![
        [0.95, 0.50, 0.45, 0.40],
        [0.90, 0.85, 0.45, 0.40],
        [0.60, 0.55, 0.30, 0.25],
        [0.58, 0.52, 0.28, 0.22],
    ];
    (w, vec![0, 0, 1, 1])
}

#[test]
fn group_floor_closes_a_gap_at_a_reported_price() {
    let (w, groups) = contested_instance();
    let cc = vec![1, 1, 1, 1];
    let mut solver = seat_solver(cc.clone());
    let opts = GroupFloorOptions {
        tolerance: 0.35,
        ..GroupFloorOptions::default()
    };
    let r = group_floor(w.view(), &groups, &mut solver, &opts).unwrap();
    check_hard(w.view(), &[1; 4], &cc, &r.pairs);
    check_floor_claims(w.view(), &groups, opts.tolerance, false, &r);
    assert!(!r.plain_met);
    assert!(r.all_met, "{r:#?}");
    assert!(r.iterations >= 1);
    assert_eq!(r.pairs.len(), 4);
    // Brute force over the 24 permutations: the best total meeting the floor.
    let mut best = f64::NEG_INFINITY;
    let perms = permutations(4);
    let mut plain = f64::NEG_INFINITY;
    for p in &perms {
        let pairs: Vec<(usize, usize)> = p.iter().enumerate().map(|(i, &j)| (i, j)).collect();
        let t = total(w.view(), &pairs);
        plain = plain.max(t);
        let overall = t / 4.0;
        let ok = (0..2).all(|g| {
            let s: Vec<f64> = pairs
                .iter()
                .filter(|q| groups[q.0] == g)
                .map(|&q| w[q])
                .collect();
            s.iter().sum::<f64>() / s.len() as f64 >= (1.0 - opts.tolerance) * overall
        });
        if ok {
            best = best.max(t);
        }
    }
    assert!((r.unconstrained_total - plain).abs() < 1e-9);
    assert!(r.total <= best + 1e-9);
    assert!((r.price_of_fairness - (plain - r.total)).abs() < 1e-9);
    assert!(r.price_of_fairness > 0.0);
    // On this instance the relaxation reaches the constrained optimum (2.18, found by brute force).
    assert!(
        (r.total - best).abs() < 1e-9,
        "total {} vs best {}",
        r.total,
        best
    );
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for k in 0..=p.len() {
            let mut q = p.clone();
            q.insert(k, n - 1);
            out.push(q);
        }
    }
    out
}

#[test]
fn group_floor_reports_honestly_when_the_floor_cannot_be_met() {
    // Group 1's single mentee can only reach 0.1; the floor 0.5 × mean is out of reach.
    let w = ndarray::array![[0.9, 0.8], [0.1, f64::NAN]];
    let mut solver = seat_solver(vec![1, 1]);
    let opts = GroupFloorOptions {
        tolerance: 0.5,
        max_iterations: 10,
        ..GroupFloorOptions::default()
    };
    let r = group_floor(w.view(), &[0, 1], &mut solver, &opts).unwrap();
    assert!(!r.all_met);
    assert!(r.groups.iter().any(|g| g.group == 1 && !g.score_met));
    assert_eq!(r.pairs, vec![(0, 1), (1, 0)]);
    check_floor_claims(w.view(), &[0, 1], 0.5, false, &r);
}

#[test]
fn group_floor_rejects_bad_options() {
    let w = ndarray::array![[0.5]];
    let mut solver = seat_solver(vec![1]);
    let bad = GroupFloorOptions {
        tolerance: 1.5,
        ..GroupFloorOptions::default()
    };
    assert!(matches!(
        group_floor(w.view(), &[0], &mut solver, &bad),
        Err(FairnessError::InvalidOption { .. })
    ));
    assert!(matches!(
        group_floor(
            w.view(),
            &[0, 1],
            &mut solver,
            &GroupFloorOptions::default()
        ),
        Err(FairnessError::Shape(_))
    ));
}

// ---------------------------------------------------------------- affinity

fn table(
    role: mentorpair::cohort::Role,
    rows: &[(&str, &[&str], Option<&str>)],
) -> mentorpair::cohort::Table {
    let mut t = mentorpair::cohort::Table::new(role);
    t.protected.columns = vec!["gender".into(), "age_band".into()];
    for (id, asks, gender) in rows {
        let mut p = mentorpair::cohort::Person::new(*id);
        p.shared_background = asks.iter().map(|s| s.to_string()).collect();
        t.people.push(p);
        t.protected
            .values
            .push(vec![gender.map(String::from), Some("30s".into())]);
    }
    t
}

#[test]
fn affinity_is_mentee_requested_and_all_or_nothing() {
    use mentorpair::cohort::Role;
    use mentorpair::score::affinity::SharedBackground;
    let mentees = table(
        Role::Mentee,
        &[
            ("a", &["gender"], Some("f")),
            ("b", &[], Some("f")),
            ("c", &["gender", "age_band"], Some("m")),
            ("d", &["gender"], None),
        ],
    );
    let mentors = table(
        Role::Mentor,
        &[
            ("x", &[], Some("f")),
            ("y", &[], Some("m")),
            ("z", &[], None),
        ],
    );
    let sb = SharedBackground::new(&mentees, &mentors).unwrap();
    assert!(sb.any());
    let v: Vec<Vec<f64>> = (0..4)
        .map(|i| (0..3).map(|j| sb.value(i, j)).collect())
        .collect();
    assert_eq!(v[0], [1.0, 0.0, 0.0]); // asks gender=f: only x
    assert_eq!(v[1], [0.0, 0.0, 0.0]); // asked for nothing
    assert_eq!(v[2], [0.0, 1.0, 0.0]); // gender=m and age 30s: y
    assert_eq!(v[3], [0.0, 0.0, 0.0]); // own value missing: nothing to share
    assert!(!sb.requested(1) && sb.requested(2));
    let e = sb.evidence(2, 0);
    assert_eq!(e.requested, ["gender", "age_band"]);
    assert_eq!(e.shared, ["age_band"]);
    assert_eq!(sb.value(9, 9), 0.0);

    let quiet = table(Role::Mentee, &[("a", &[], Some("f"))]);
    assert!(!SharedBackground::new(&quiet, &mentors).unwrap().any());

    let bad = table(Role::Mentee, &[("q", &["religion"], Some("f"))]);
    let msg = SharedBackground::new(&bad, &mentors)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("'q'") && msg.contains("religion"), "{msg}");

    let pushy = table(Role::Mentor, &[("x", &["gender"], Some("f"))]);
    let msg = SharedBackground::new(&mentees, &pushy)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("mentor 'x'") && msg.contains("only mentees"),
        "{msg}"
    );
}

// ---------------------------------------------------------------- with the capacitated solver

use mentorpair::fairness::CapacitatedSolver;
use mentorpair::lsap::Objective;

/// Medium instance: continuous weights (optimum unique almost surely), ~10% forbidden, 3 groups.
fn medium_instance() -> impl Strategy<Value = (Array2<f64>, Vec<u32>, Vec<u32>, Vec<usize>)> {
    (8usize..=24, 3usize..=8).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(prop_oneof![1 => Just(f64::NAN), 9 => 0.0f64..1.0], n * m),
            proptest::collection::vec(1u32..=2, n),
            proptest::collection::vec(1u32..=3, m),
            proptest::collection::vec(0usize..3, n),
        )
            .prop_map(move |(v, rc, cc, g)| (Array2::from_shape_vec((n, m), v).unwrap(), rc, cc, g))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn maximin_with_the_capacitated_solver_matches_brute_force((w, rc, cc) in tiny_instance()) {
        let mut solver = CapacitatedSolver::new(&rc, &cc, Objective::Coverage);
        let r = maximin(w.view(), &mut solver).unwrap();
        check_hard(w.view(), &rc, &cc, &r.pairs);
        let all = all_matchings(w.view(), &rc, &cc);
        let n = all.iter().map(Vec::len).max().unwrap();
        prop_assert_eq!(r.pairs.len(), n);
        let lowest = |m: &Vec<(usize, usize)>| m.iter().map(|&p| w[p]).fold(f64::INFINITY, f64::min);
        if n > 0 {
            let best_min = all.iter().filter(|m| m.len() == n).map(lowest).fold(f64::NEG_INFINITY, f64::max);
            prop_assert_eq!(r.min_score, Some(best_min));
            let best_total = all
                .iter()
                .filter(|m| m.len() == n && lowest(m) >= best_min)
                .map(|m| total(w.view(), m))
                .fold(f64::NEG_INFINITY, f64::max);
            prop_assert!((r.total - best_total).abs() < 1e-9);
        }
        prop_assert_eq!(r.solves, solver.calls);
    }

    #[test]
    fn group_floor_warm_start_gives_the_cold_result((w, rc, cc, groups) in medium_instance(), tol in 0.0f64..0.1, parity: bool) {
        let run = |warm_start: bool| {
            let mut solver = CapacitatedSolver::new(&rc, &cc, Objective::Coverage);
            let opts = GroupFloorOptions { tolerance: tol, rate_parity: parity, max_iterations: 25, warm_start };
            group_floor(w.view(), &groups, &mut solver, &opts).unwrap()
        };
        let (warm, cold) = (run(true), run(false));
        prop_assert_eq!(&warm.pairs, &cold.pairs);
        prop_assert_eq!(warm.iterations, cold.iterations);
        prop_assert_eq!(warm.all_met, cold.all_met);
        check_hard(w.view(), &rc, &cc, &warm.pairs);
        check_floor_claims(w.view(), &groups, tol, parity, &warm);
        prop_assert!(warm.total <= warm.unconstrained_total + 1e-9);
        prop_assert!(warm.pairs.len() >= warm.coverage);
        // The plain optimum the price is measured against is the true coverage optimum.
        if rc.iter().all(|&c| c == 1) {
            let mut seats = seat_solver(cc.clone());
            let plain = seats.solve(w.view(), None).unwrap();
            prop_assert_eq!(plain.pairs.len(), warm.coverage);
            prop_assert!((total(w.view(), &plain.pairs) - warm.unconstrained_total).abs() < 1e-9);
        }
    }
}

// ---------------------------------------------------------------- audit of a real match

#[test]
fn audit_match_maps_ids_and_components_by_hand() {
    use mentorpair::cohort::{Cohort, Role};
    use mentorpair::io::read_csv;
    use mentorpair::matching::audit_match;
    use mentorpair::matching::{match_cohort, MatchConfig};
    let prot = ["gender".to_string()];
    let mentees = "id,goals,languages,gender\na,sql,en,f\nb,sql,en,f\nc,sql,de,m\nd,sql,en,\n";
    let mentors = "id,goals,languages,capacity,gender\nx,sql,en,2,f\ny,sql,de,1,m\n";
    let cohort = Cohort {
        mentees: read_csv(Role::Mentee, mentees.as_bytes(), &prot).unwrap(),
        mentors: read_csv(Role::Mentor, mentors.as_bytes(), &prot).unwrap(),
    };
    let mut cfg = MatchConfig::default();
    cfg.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23);
    let r = match_cohort(&cohort, &cfg).unwrap();
    let opts = AuditOptions { min_group_size: 1 };
    let a = audit_match(&cohort, &r, &prot, &opts).unwrap();
    // Oracle: recompute every group's figures from the result's pairs by id.
    let gender = |id: &str| match id {
        "a" | "b" => "f",
        "c" => "m",
        _ => "(missing)",
    };
    for g in &a.mentees.groups {
        let mine: Vec<&mentorpair::matching::MatchedPair> = r
            .pairs
            .iter()
            .filter(|p| gender(&p.mentee_id) == g.group)
            .collect();
        assert_eq!(g.pairs, mine.len());
        let members = ["a", "b", "c", "d"]
            .iter()
            .filter(|i| gender(i) == g.group)
            .count();
        assert_eq!(g.mentees, members);
        if !mine.is_empty() {
            let mean = mine.iter().map(|p| p.score).sum::<f64>() / mine.len() as f64;
            assert!((g.mean_score.unwrap() - mean).abs() < 1e-12);
        }
    }
    assert_eq!(a.components[0], "goals");
    let m = a.mentors.as_ref().expect("mentors carry gender");
    assert_eq!(
        m.groups.iter().map(|g| g.load).sum::<usize>(),
        r.pairs.len()
    );
    assert_eq!(m.groups.iter().map(|g| g.capacity).sum::<u64>(), 3);
    let e = audit_match(&cohort, &r, &["ethnicity".to_string()], &opts).unwrap_err();
    assert!(e.to_string().contains("ethnicity"));
}
