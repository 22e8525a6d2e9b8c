//! Strategies and metrics of the quality benchmark, against hand computation and brute force.

use mentorpair::cohort::Protected;
use mentorpair::lsap::Instance;
use mentorpair::quality::{
    assign, assign_grouped, blocking_pairs, check_pairs, evaluate, format_table, percentile,
    run_strategies, summarise, QualityError, Strategy as S,
};
use ndarray::{array, Array2};
use proptest::prelude::*;

const NAN: f64 = f64::NAN;

fn hand_problem() -> (Array2<f64>, Vec<u32>, Vec<u32>) {
    (
        array![[0.9, 0.5, NAN], [0.8, 0.7, 0.1], [NAN, 0.6, 0.4]],
        vec![1, 2, 1],
        vec![1, 1, 2],
    )
}

fn protected(columns: &[&str], values: &[&[Option<&str>]]) -> Protected {
    Protected {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        values: values
            .iter()
            .map(|row| row.iter().map(|v| v.map(str::to_string)).collect())
            .collect(),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn metrics_match_hand_computation() {
    let (s, wanted, capacity) = hand_problem();
    let p = Instance::new(s.view(), &wanted, &capacity).unwrap();
    let groups = protected(
        &["gender", "age_band"],
        &[
            &[Some("f"), Some("a")],
            &[Some("m"), Some("b")],
            &[Some("m"), None],
        ],
    );
    let pairs = [(0, 1), (1, 0), (1, 2), (2, 2)];
    let m = evaluate(&p, &pairs, &groups, 0, 0.25);
    assert_eq!(m.pairs, 4);
    assert!(close(m.total_score, 1.8));
    assert!(close(m.mean_score, 0.45));
    assert!(close(m.median_score, 0.45)); // (0.4 + 0.5) / 2
    assert!(close(m.p10_score, 0.19)); // 0.1 + 0.3 * (0.4 - 0.1)
    assert!(close(m.min_score, 0.1));
    assert!(close(m.matched_share, 1.0));
    assert!(close(m.mentees_matched_share, 1.0));
    assert!(close(m.mentor_utilisation, 1.0));
    // (0,0): 0.9 beats mentee 0's 0.5 and mentor 0's 0.8. (1,1): 0.7 beats 0.1 and 0.5.
    // (2,1): 0.6 beats 0.4 and 0.5.
    assert_eq!(m.blocking_pairs, 3);
    // gender: f = {0}: mean 0.5; m = {1, 2}: mean (0.8 + 0.1 + 0.4) / 3. age: a 0.5, b 0.45.
    assert!(close(m.group_gap_mean_score, 0.5 - 1.3 / 3.0));
    assert!(close(m.group_gap_match_rate, 0.0));
    assert_eq!(m.violations, 0);
    assert_eq!(m.seconds, 0.25);

    let m = evaluate(&p, &[(1, 0)], &groups, 2, 0.0);
    assert!(close(m.matched_share, 0.25));
    assert!(close(m.mentees_matched_share, 1.0 / 3.0));
    assert!(close(m.mentor_utilisation, 0.25));
    // gender: f 0/1, m 1/3; age: a 0/1, b 1/2 -> 0.5.
    assert!(close(m.group_gap_match_rate, 0.5));
    assert!(
        close(m.group_gap_mean_score, 0.0),
        "only one group has a match"
    );
    assert_eq!(m.violations, 2, "audit violations are carried");

    let empty = evaluate(&p, &[], &groups, 0, 0.0);
    assert!(empty.mean_score.is_nan() && empty.min_score.is_nan() && empty.p10_score.is_nan());
    assert_eq!(empty.total_score, 0.0);
}

#[test]
fn structural_violations_are_counted() {
    let (s, wanted, capacity) = hand_problem();
    let p = Instance::new(s.view(), &wanted, &capacity).unwrap();
    assert_eq!(check_pairs(&p, &[(0, 0)]), 0);
    assert_eq!(check_pairs(&p, &[(0, 2)]), 1, "forbidden pair");
    assert_eq!(
        check_pairs(&p, &[(1, 1), (1, 1)]),
        2,
        "repeated pair, over mentor 1's capacity"
    );
    assert_eq!(check_pairs(&p, &[(0, 0), (0, 1)]), 1, "mentee 0 wants one");
    assert_eq!(check_pairs(&p, &[(7, 0)]), 1, "out of range");
    assert_eq!(
        evaluate(&p, &[(0, 2)], &Protected::default(), 0, 0.0).violations,
        1
    );
}

#[test]
fn hand_problem_strategies() {
    let (s, wanted, capacity) = hand_problem();
    let p = Instance::new(s.view(), &wanted, &capacity).unwrap();
    let expected = vec![(0, 0), (1, 1), (1, 2), (2, 2)];
    assert_eq!(assign(S::Stable, &p, 0).unwrap(), expected);
    assert_eq!(assign(S::Greedy, &p, 0).unwrap(), expected);
    assert_eq!(blocking_pairs(&p, &expected), 0);
}

#[test]
fn greedy_breaks_ties_by_index() {
    let s = array![[1.0, 1.0], [1.0, 1.0]];
    let p = Instance::new(s.view(), &[1, 1], &[1, 1]).unwrap();
    assert_eq!(assign(S::Greedy, &p, 0).unwrap(), [(0, 0), (1, 1)]);
    assert_eq!(assign(S::Stable, &p, 0).unwrap(), [(0, 0), (1, 1)]);
}

#[test]
fn percentile_is_numpys_linear() {
    let xs = [1.0, 2.0, 3.0, 4.0];
    assert!(close(percentile(&xs, 0.1), 1.3));
    assert!(close(percentile(&xs, 0.5), 2.5));
    assert!(close(percentile(&xs, 1.0), 4.0));
    assert!(close(percentile(&[5.0], 0.1), 5.0));
    assert!(percentile(&[], 0.5).is_nan());
}

#[test]
fn fairness_strategies_keep_coverage_and_lift_the_floor() {
    let (s, wanted, capacity) = hand_problem();
    let groups = [0usize, 1, 0];
    let p = Instance::new(s.view(), &wanted, &capacity).unwrap();
    let opt = assign(S::Optimal, &p, 0).unwrap();
    let min = |pairs: &[(usize, usize)]| {
        pairs
            .iter()
            .map(|&(i, j)| s[[i, j]])
            .fold(f64::INFINITY, f64::min)
    };
    for st in [S::GroupFloor, S::Maximin] {
        let pairs = assign_grouped(st, &p, &groups, 0).unwrap();
        assert_eq!(check_pairs(&p, &pairs), 0, "{st}");
        assert_eq!(pairs.len(), opt.len(), "{st} gave up coverage");
    }
    assert!(min(&assign(S::Maximin, &p, 0).unwrap()) >= min(&opt));
    assert_eq!(S::available(), S::ALL.to_vec());
}

#[test]
fn unknown_strategies_and_bad_shapes_are_errors() {
    let (s, wanted, capacity) = hand_problem();
    assert_eq!("Group-Floor".parse::<S>().unwrap(), S::GroupFloor);
    let err = "best".parse::<S>().unwrap_err();
    assert!(matches!(err, QualityError::UnknownStrategy(_)));
    assert!(err.to_string().contains("`best`") && err.to_string().contains("stable"));
    let err = Instance::new(s.view(), &[1, 1], &capacity).unwrap_err();
    assert!(
        err.to_string().contains("row_capacity has 2 entries"),
        "{err}"
    );
    let p = Instance::new(s.view(), &wanted, &capacity).unwrap();
    let err = assign_grouped(S::GroupFloor, &p, &[0], 0).unwrap_err();
    assert!(err.to_string().contains("row_groups has 1 entries"));
}

#[test]
fn runs_summarise_into_a_table() {
    let (s, wanted, capacity) = hand_problem();
    let p = Instance::new(s.view(), &wanted, &capacity).unwrap();
    let mut runs = Vec::new();
    for seed in 0..3 {
        runs.extend(
            run_strategies(
                &p,
                &Protected::default(),
                &[S::Greedy, S::Random],
                seed,
                &|_| 0,
            )
            .unwrap(),
        );
    }
    assert_eq!(runs.len(), 6);
    let summary = summarise(&runs);
    assert_eq!(summary.len(), 2);
    let greedy_total = summary[0]
        .metrics
        .iter()
        .find(|(n, _, _)| n == "total_score")
        .unwrap();
    assert!(
        close(greedy_total.1, 2.1) && close(greedy_total.2, 0.0),
        "{greedy_total:?}"
    );
    let table = format_table(&runs);
    assert!(table.contains("greedy") && table.contains("random") && table.contains(" ± "));
    assert_eq!(table.lines().count(), 4);
}

/// Independent blocking-pair count: a side "wants" the pair if it has room, or if dropping some
/// current partner for the new one is a strict gain.
fn brute_blocking(s: &Array2<f64>, wanted: &[u32], cap: &[u32], pairs: &[(usize, usize)]) -> usize {
    let (n, m) = s.dim();
    let mut count = 0;
    for i in 0..n {
        for j in 0..m {
            if !s[[i, j]].is_finite() || pairs.contains(&(i, j)) || wanted[i] == 0 || cap[j] == 0 {
                continue;
            }
            let mine: Vec<usize> = pairs.iter().filter(|p| p.0 == i).map(|p| p.1).collect();
            let theirs: Vec<usize> = pairs.iter().filter(|p| p.1 == j).map(|p| p.0).collect();
            let mentee =
                mine.len() < wanted[i] as usize || mine.iter().any(|&k| s[[i, j]] > s[[i, k]]);
            let mentor =
                theirs.len() < cap[j] as usize || theirs.iter().any(|&k| s[[i, j]] > s[[k, j]]);
            count += usize::from(mentee && mentor);
        }
    }
    count
}

/// Random small problems: scores on a coarse grid (so ties happen), some forbidden pairs.
fn small_problem() -> impl Strategy<Value = (Array2<f64>, Vec<u32>, Vec<u32>)> {
    (1usize..7, 1usize..6).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(
                prop_oneof![1 => Just(NAN), 4 => (0u8..6).prop_map(|x| f64::from(x) / 5.0)],
                n * m,
            ),
            proptest::collection::vec(0u32..3, n),
            proptest::collection::vec(0u32..4, m),
        )
            .prop_map(move |(v, w, c)| (Array2::from_shape_vec((n, m), v).unwrap(), w, c))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn strategies_are_feasible_and_stable_is_stable((s, wanted, cap) in small_problem(), seed in 0u64..100) {
        let p = Instance::new(s.view(), &wanted, &cap).unwrap();
        for st in S::ALL {
            let pairs = assign(st, &p, seed).unwrap();
            prop_assert_eq!(check_pairs(&p, &pairs), 0, "{} broke a rule: {:?}", st, pairs);
            prop_assert_eq!(blocking_pairs(&p, &pairs), brute_blocking(&s, &wanted, &cap, &pairs));
            // Every strategy is maximal: no acceptable pair with room on both sides.
            let (n, m) = s.dim();
            for i in 0..n {
                for j in 0..m {
                    let room_e = pairs.iter().filter(|q| q.0 == i).count() < wanted[i] as usize;
                    let room_r = pairs.iter().filter(|q| q.1 == j).count() < cap[j] as usize;
                    prop_assert!(!(s[[i, j]].is_finite() && room_e && room_r && !pairs.contains(&(i, j))),
                        "{} left ({}, {}) open", st, i, j);
                }
            }
        }
        let stable = assign(S::Stable, &p, 0).unwrap();
        prop_assert_eq!(blocking_pairs(&p, &stable), 0);
    }

    #[test]
    fn blocking_count_matches_brute_force_on_any_matching((s, wanted, cap) in small_problem(), picks in proptest::collection::vec(any::<bool>(), 42)) {
        // Any feasible matching: take acceptable pairs in index order where `picks` says so.
        let (n, m) = s.dim();
        let p = Instance::new(s.view(), &wanted, &cap).unwrap();
        let mut pairs = Vec::new();
        let (mut ue, mut ur) = (vec![0u32; n], vec![0u32; m]);
        for i in 0..n {
            for j in 0..m {
                if s[[i, j]].is_finite() && picks[i * m + j] && ue[i] < wanted[i] && ur[j] < cap[j] {
                    pairs.push((i, j));
                    ue[i] += 1;
                    ur[j] += 1;
                }
            }
        }
        prop_assert_eq!(check_pairs(&p, &pairs), 0);
        prop_assert_eq!(blocking_pairs(&p, &pairs), brute_blocking(&s, &wanted, &cap, &pairs));
    }
}

#[test]
fn random_is_seeded() {
    let s = Array2::from_shape_fn((40, 30), |(i, j)| ((i * 7 + j * 13) % 11) as f64 / 10.0);
    let wanted = vec![1u32; 40];
    let cap = vec![1u32; 30];
    let p = Instance::new(s.view(), &wanted, &cap).unwrap();
    let a = assign(S::Random, &p, 1).unwrap();
    assert_eq!(a, assign(S::Random, &p, 1).unwrap());
    assert_ne!(a, assign(S::Random, &p, 2).unwrap());
    assert_eq!(a.len(), 30);
}

/// The best (pairs, total) over every feasible subset of acceptable pairs: the coverage optimum.
fn brute_optimum(s: &Array2<f64>, wanted: &[u32], cap: &[u32]) -> (usize, f64) {
    let (n, m) = s.dim();
    let acceptable: Vec<(usize, usize)> = (0..n)
        .flat_map(|i| (0..m).map(move |j| (i, j)))
        .filter(|&(i, j)| s[[i, j]].is_finite())
        .collect();
    let mut best = (0usize, 0.0f64);
    for mask in 0u32..(1 << acceptable.len()) {
        let (mut ue, mut ur) = (vec![0u32; n], vec![0u32; m]);
        let (mut count, mut total, mut ok) = (0, 0.0, true);
        for (k, &(i, j)) in acceptable.iter().enumerate() {
            if mask >> k & 1 == 1 {
                ue[i] += 1;
                ur[j] += 1;
                ok &= ue[i] <= wanted[i] && ur[j] <= cap[j];
                count += 1;
                total += s[[i, j]];
            }
        }
        if ok && (count > best.0 || (count == best.0 && total > best.1)) {
            best = (count, total);
        }
    }
    best
}

fn tiny_problem() -> impl Strategy<Value = (Array2<f64>, Vec<u32>, Vec<u32>)> {
    (1usize..5, 1usize..4).prop_flat_map(|(n, m)| {
        (
            proptest::collection::vec(
                prop_oneof![1 => Just(NAN), 3 => (0u8..10).prop_map(|x| f64::from(x) / 9.0)],
                n * m,
            ),
            proptest::collection::vec(0u32..3, n),
            proptest::collection::vec(0u32..3, m),
        )
            .prop_map(move |(v, w, c)| (Array2::from_shape_vec((n, m), v).unwrap(), w, c))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn optimal_is_the_coverage_optimum_and_beats_every_strategy((s, wanted, cap) in tiny_problem(), seed in 0u64..50) {
        let p = Instance::new(s.view(), &wanted, &cap).unwrap();
        let opt = assign(S::Optimal, &p, 0).unwrap();
        prop_assert_eq!(check_pairs(&p, &opt), 0);
        let total = |pairs: &[(usize, usize)]| pairs.iter().map(|&(i, j)| s[[i, j]]).sum::<f64>();
        let (best_count, best_total) = brute_optimum(&s, &wanted, &cap);
        prop_assert_eq!(opt.len(), best_count);
        prop_assert!((total(&opt) - best_total).abs() < 1e-9, "{} vs brute force {}", total(&opt), best_total);
        let groups: Vec<usize> = (0..s.nrows()).map(|i| i % 2).collect();
        for st in [S::GroupFloor, S::Maximin] {
            let fair = assign_grouped(st, &p, &groups, seed).unwrap();
            prop_assert_eq!(check_pairs(&p, &fair), 0);
            prop_assert_eq!(fair.len(), opt.len(), "{} gave up coverage", st);
        }
        let low = |pairs: &[(usize, usize)]| pairs.iter().map(|&(i, j)| s[[i, j]]).fold(f64::INFINITY, f64::min);
        prop_assert!(low(&assign(S::Maximin, &p, 0).unwrap()) >= low(&opt) - 1e-12);
        for st in S::ALL {
            let other = assign_grouped(st, &p, &groups, seed).unwrap();
            prop_assert!(other.len() <= opt.len());
            if other.len() == opt.len() {
                prop_assert!(total(&other) <= total(&opt) + 1e-9, "{} beats optimal", st);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// On synthetic cohorts, through the match module's scoring, mask and audit.

use mentorpair::quality::{benchmark_config, compare, compare_cohort, StrategyRun};
use mentorpair::synthetic::{generate, CohortSpec};

fn check_claims(runs: &[StrategyRun], seeds: &[u64]) {
    for &seed in seeds {
        let mine: Vec<&StrategyRun> = runs.iter().filter(|r| r.seed == seed).collect();
        let opt = mine
            .iter()
            .find(|r| r.strategy == S::Optimal)
            .expect("optimal ran");
        for r in &mine {
            assert_eq!(
                r.metrics.violations, 0,
                "{} broke a constraint on seed {seed}",
                r.strategy
            );
            assert!(r.metrics.matched_share <= opt.metrics.matched_share + 1e-12);
            if r.metrics.pairs == opt.metrics.pairs {
                assert!(
                    r.metrics.total_score <= opt.metrics.total_score + 1e-9,
                    "{} beats optimal",
                    r.strategy
                );
            }
        }
        let stable = mine
            .iter()
            .find(|r| r.strategy == S::Stable)
            .expect("stable ran");
        assert_eq!(stable.metrics.blocking_pairs, 0);
        let greedy = mine
            .iter()
            .find(|r| r.strategy == S::Greedy)
            .expect("greedy ran");
        assert!(greedy.metrics.blocking_pairs > 0 || opt.metrics.blocking_pairs > 0);
    }
}

#[test]
fn synthetic_cohorts_meet_the_claims() {
    let seeds = [0, 1, 2];
    let runs = compare(&CohortSpec::new(300, 120), &seeds, &S::available()).unwrap();
    assert_eq!(runs.len(), 3 * S::available().len());
    check_claims(&runs, &seeds);
    // Scarce mentors and tight availability: the same claims.
    let spec = CohortSpec::new(200, 40)
        .availability_tightness(0.9)
        .goal_mismatch(0.7);
    check_claims(&compare(&spec, &seeds, &S::available()).unwrap(), &seeds);
}

#[test]
fn compare_is_the_same_on_one_and_two_threads() {
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| compare(&CohortSpec::new(250, 100), &[4], &S::available()).unwrap())
    };
    let strip = |runs: Vec<StrategyRun>| -> Vec<StrategyRun> {
        runs.into_iter()
            .map(|mut r| {
                r.metrics.seconds = 0.0;
                r
            })
            .collect()
    };
    assert_eq!(strip(run(1)), strip(run(2)));
}

#[test]
fn violations_carry_the_audit_and_pins_are_refused() {
    use mentorpair::constraints::{audit, AuditRules};
    use mentorpair::matching::score_matrix;

    let cohort = generate(&CohortSpec::new(120, 60).seed(3)).unwrap();
    let cfg = benchmark_config();
    let runs = compare_cohort(&cohort, &cfg, &[S::Optimal, S::Stable], 3).unwrap();
    assert!(runs.iter().all(|r| r.metrics.violations == 0));

    // Lift the mask (every excluded pair scores 2.0, above any real score): the optimum now uses
    // reporting-line pairs, and the audit, reading the raw cohort, reports them.
    let m = score_matrix(&cohort, &cfg).unwrap();
    let excluded = m.scores.iter().filter(|v| v.is_nan()).count();
    assert!(
        excluded > 0,
        "the generated cohort has conflicts of interest"
    );
    let unmasked = m.scores.mapv(|v| if v.is_nan() { 2.0 } else { v });
    let wanted: Vec<u32> = cohort.mentees.people.iter().map(|p| p.capacity).collect();
    let capacity: Vec<u32> = cohort.mentors.people.iter().map(|p| p.capacity).collect();
    let p = Instance::new(unmasked.view(), &wanted, &capacity).unwrap();
    let rules = AuditRules {
        exclude_same_department: false,
        forbid: &[],
        pin: &[],
        min_score: 0.0,
    };
    let audit_fn = |pairs: &[(usize, usize)]| {
        let named: Vec<(String, String, f64)> = pairs
            .iter()
            .map(|&(i, j)| {
                (
                    m.mentee_ids[i].clone(),
                    m.mentor_ids[j].clone(),
                    unmasked[[i, j]],
                )
            })
            .collect();
        audit(&cohort, rules, &named).len()
    };
    let runs = run_strategies(&p, &cohort.mentees.protected, &[S::Optimal], 0, &audit_fn).unwrap();
    assert!(runs[0].metrics.violations > 0, "the audit found nothing");

    let mut pinned = cfg.clone();
    pinned.pin = vec![("mentee-000000".into(), "mentor-000000".into())];
    let err = compare_cohort(&cohort, &pinned, &[S::Optimal], 3).unwrap_err();
    assert!(err.to_string().contains("pin"), "{err}");
}
