//! The sparse prepared problem (`solver = "sparse"`) against the dense one on cohorts both can
//! solve: same number of pairs and the same total score (the same optimum), certified, across
//! sizes, seeds, objectives and capacities; and the operations that need the dense matrix fail
//! with a typed error that says so.

#![allow(clippy::field_reassign_with_default)] // configs are built field by field (they are non-exhaustive)

use mentorpair::problem::{MatchConfig, MatchError, Objective, Problem, SolverChoice};
use mentorpair::synthetic::{generate, CohortSpec};
use proptest::prelude::*;

fn prepare(n: usize, m: usize, seed: u64, solver: SolverChoice, cfg: &MatchConfig) -> Problem {
    let cohort = generate(&CohortSpec::new(n, m).seed(seed)).expect("valid spec");
    let mut cfg = cfg.clone();
    cfg.solver = solver;
    Problem::new(cohort, cfg).expect("prepared")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// Solve both ways and compare; returns whether the pairs themselves coincide.
fn compare(n: usize, m: usize, seed: u64, cfg: &MatchConfig) -> bool {
    let dense = prepare(n, m, seed, SolverChoice::Dense, cfg);
    let sparse = prepare(n, m, seed, SolverChoice::Sparse, cfg);
    assert_eq!(dense.solver(), SolverChoice::Dense);
    assert_eq!(sparse.solver(), SolverChoice::Sparse);
    assert!(sparse.scores().dense().is_none());
    let d = dense.match_result().expect("dense solve");
    let s = sparse.match_result().expect("sparse solve");
    assert!(d.certificate.is_none());
    let cert = s.certificate.expect("a sparse solve reports a certificate");
    assert!(cert.certified, "{n} x {m} seed {seed}: {cert:?}");
    assert_eq!(cert.gap, 0.0);
    assert_eq!(
        d.pairs.len(),
        s.pairs.len(),
        "{n} x {m} seed {seed}: pair counts differ"
    );
    assert!(
        close(d.summary.total_score, s.summary.total_score),
        "{n} x {m} seed {seed}: dense {} vs sparse {}",
        d.summary.total_score,
        s.summary.total_score
    );
    assert!(s.violations.is_empty(), "{:?}", s.violations);
    // Every pair's score in a report is the dense one, to the bit.
    for p in &s.pairs {
        let (i, j) = dense.locate("test", &p.mentee_id, &p.mentor_id).unwrap();
        assert_eq!(p.score.to_bits(), dense.score(i, j).to_bits());
    }
    assert_eq!(d.summary.excluded_pairs, s.summary.excluded_pairs);
    assert_eq!(d.unmatched.len(), s.unmatched.len());
    let key = |r: &mentorpair::problem::MatchResult| -> Vec<(String, String)> {
        r.pairs
            .iter()
            .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()))
            .collect()
    };
    key(&d) == key(&s)
}

#[test]
fn sparse_and_dense_reach_the_same_optimum_across_sizes_and_seeds() {
    let mut same_pairs = 0;
    let mut runs = 0;
    for &(n, m) in &[(1, 1), (12, 5), (60, 25), (200, 80), (600, 240)] {
        for seed in [1, 2, 3] {
            for objective in [Objective::Coverage, Objective::Score] {
                let mut cfg = MatchConfig::default();
                cfg.objective = objective;
                runs += 1;
                same_pairs += usize::from(compare(n, m, seed, &cfg));
            }
        }
    }
    // Ties between equally good pairings can break either way; on these cohorts they are rare.
    assert!(same_pairs * 10 >= runs * 8, "{same_pairs} of {runs}");
}

/// The certificate rules most pairs out by upper bounds (docs/matching.md, "Certificate") and is
/// still exact: on cohorts with information missing here and there (the neutral branches of the
/// bounds) the certified sparse optimum is the dense one, across seeds and objectives.
#[test]
fn bounded_certificate_is_exact_and_scores_few_pairs() {
    for seed in [4, 5, 6, 7] {
        let mut cohort = generate(&CohortSpec::new(300, 120).seed(seed)).unwrap();
        for (k, p) in cohort.mentors.people.iter_mut().enumerate() {
            match k % 9 {
                0 => p.goals.clear(),
                1 => p.skills.clear(),
                2 => p.availability.clear(),
                3 => p.level = None,
                _ => {}
            }
        }
        for (k, p) in cohort.mentees.people.iter_mut().enumerate() {
            match k % 11 {
                0 => p.goals.clear(),
                1 => p.languages.clear(),
                2 => p.availability.clear(),
                _ => {}
            }
        }
        for objective in [Objective::Coverage, Objective::Score] {
            for min_score in [0.0, 0.4] {
                let mut cfg = MatchConfig::default();
                cfg.objective = objective;
                cfg.min_score = min_score;
                let run = |solver| {
                    let mut cfg = cfg.clone();
                    cfg.solver = solver;
                    Problem::new(cohort.clone(), cfg)
                        .unwrap()
                        .match_result()
                        .unwrap()
                };
                let (d, s) = (run(SolverChoice::Dense), run(SolverChoice::Sparse));
                let cert = s.certificate.expect("sparse certificate");
                assert!(cert.certified, "seed {seed}: {cert:?}");
                assert_eq!(d.pairs.len(), s.pairs.len(), "seed {seed}");
                assert!(
                    close(d.summary.total_score, s.summary.total_score),
                    "seed {seed} {objective:?} min_score {min_score}: dense {} vs sparse {}",
                    d.summary.total_score,
                    s.summary.total_score
                );
                assert!(cert.pairs_scored <= cert.pairs_checked);
                assert!(
                    cert.pairs_scored * 2 < cert.pairs_checked,
                    "seed {seed}: {} of {} pairs scored",
                    cert.pairs_scored,
                    cert.pairs_checked
                );
            }
        }
    }
}

#[test]
fn constraints_min_score_and_pins_are_honoured_by_the_sparse_path() {
    let cohort = generate(&CohortSpec::new(150, 60).seed(9)).unwrap();
    let mut cfg = MatchConfig::default();
    cfg.min_score = 0.45;
    cfg.exclude_same_department = true;
    cfg.forbid = vec![(
        cohort.mentees.people[0].id.clone(),
        cohort.mentors.people[0].id.clone(),
    )];
    // Pin a pair the dense problem allows.
    let dense = prepare(150, 60, 9, SolverChoice::Dense, &cfg);
    let (pi, pj) = (0..150)
        .flat_map(|i| (0..60).map(move |j| (i, j)))
        .find(|&(i, j)| dense.scores().get(i, j).is_some())
        .unwrap();
    cfg.pin = vec![(
        cohort.mentees.people[pi].id.clone(),
        cohort.mentors.people[pj].id.clone(),
    )];
    compare(150, 60, 9, &cfg);
    let sparse = prepare(150, 60, 9, SolverChoice::Sparse, &cfg);
    let r = sparse.match_result().unwrap();
    assert!(r.pairs.iter().any(|p| p.pinned));
    assert!(r.pairs.iter().all(|p| p.score >= 0.45));
    // Reasons come from the lazy mask plus scoring, as the dense bits say.
    let dense = prepare(150, 60, 9, SolverChoice::Dense, &cfg);
    for i in 0..150 {
        for j in 0..60 {
            assert_eq!(dense.reason(i, j), sparse.reason(i, j), "({i}, {j})");
            assert_eq!(dense.allowed_score(i, j), sparse.allowed_score(i, j));
        }
    }
}

#[test]
fn operations_needing_the_dense_matrix_fail_with_a_typed_error() {
    let sparse = prepare(40, 16, 4, SolverChoice::Sparse, &MatchConfig::default());
    let mut opts = mentorpair::problem::SolveOptions::default();
    opts.fairness = Some(mentorpair::fairness::Fairness::Maximin);
    match sparse.solve_with(&opts) {
        Err(e @ MatchError::NeedsDense { .. }) => {
            assert!(e.to_string().contains("solver=\"dense\""), "{e}");
        }
        other => panic!("expected NeedsDense, got {other:?}"),
    }
    let e = sparse
        .rematch(&[], &mentorpair::rematch::RematchOptions::default())
        .unwrap_err();
    assert!(e.to_string().contains("rematch needs the dense"), "{e}");
    let e = sparse
        .run_strategies(&[mentorpair::quality::Strategy::Optimal], 1)
        .unwrap_err();
    assert!(e.to_string().contains("dense score matrix"), "{e}");
    // Explain and audit work: they read features and the cohort.
    let id = |t: &mentorpair::cohort::Table, k: usize| t.people[k].id.clone();
    let why = sparse
        .explain(
            &id(&sparse.cohort().mentees, 0),
            &id(&sparse.cohort().mentors, 0),
        )
        .unwrap();
    assert!(why.explanation.score.is_finite());
    // The full matrix on demand is the dense problem's, to the bit.
    let dense = prepare(40, 16, 4, SolverChoice::Dense, &MatchConfig::default());
    let a = sparse.try_score_matrix().unwrap().scores;
    let b = dense.score_matrix().scores;
    assert!(a
        .iter()
        .zip(b.iter())
        .all(|(x, y)| x.to_bits() == y.to_bits()));
}

#[test]
fn auto_picks_sparse_when_the_dense_matrices_do_not_fit_and_a_budget_stops_rounds() {
    let cohort = generate(&CohortSpec::new(1500, 600).seed(5)).unwrap();
    let mut cfg = MatchConfig::default();
    cfg.memory_limit_bytes = 1500 * 600 * 8 + 1; // one dense matrix fits, two do not
    let p = Problem::new(cohort.clone(), cfg.clone()).unwrap();
    assert_eq!(p.solver(), SolverChoice::Sparse);
    cfg.memory_limit_bytes = 1 << 30;
    let p = Problem::new(cohort.clone(), cfg.clone()).unwrap();
    assert_eq!(p.solver(), SolverChoice::Dense);
    cfg.solver = SolverChoice::Dense;
    cfg.memory_limit_bytes = 1000;
    assert!(matches!(
        Problem::new(cohort.clone(), cfg.clone()),
        Err(MatchError::TooLarge { .. })
    ));
    cfg.solver = SolverChoice::Sparse;
    cfg.memory_limit_bytes = 1 << 30;
    cfg.sparse_max_rounds = 0;
    assert!(matches!(
        Problem::new(cohort.clone(), cfg.clone()),
        Err(MatchError::Config(m)) if m.option == "sparse_max_rounds"
    ));
    // One round only: the certificate says whether it is optimal, and bounds the gap if not.
    cfg.sparse_max_rounds = 1;
    let p = Problem::new(cohort, cfg).unwrap();
    let c = p.match_result().unwrap().certificate.unwrap();
    assert_eq!(c.rounds, 1);
    assert!(c.certified || c.gap > 0.0 || c.coverage_gap > 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn sparse_matches_dense_on_random_cohorts(
        n in 1usize..70,
        m in 1usize..30,
        seed in 0u64..1000,
        score in any::<bool>(),
        min_score in prop_oneof![Just(0.0), 0.2f64..0.6],
    ) {
        let mut cfg = MatchConfig::default();
        cfg.objective = if score { Objective::Score } else { Objective::Coverage };
        cfg.min_score = min_score;
        compare(n, m, seed, &cfg);
    }
}

/// The bounds, the candidate pools and the certificate run compiled for the processor's wider
/// instructions when it has them (`lsap::cpu`): the same candidates, pairs, score bits and
/// certificate as the baseline build, on cohorts with information missing here and there and
/// zones off the half-hour grid. (On a processor without them both runs take the baseline path.)
#[test]
fn wide_instructions_give_the_same_bits_as_the_baseline_build() {
    for seed in [11, 12] {
        let mut cohort = generate(&CohortSpec::new(600, 240).seed(seed)).unwrap();
        for (k, p) in cohort.mentors.people.iter_mut().enumerate() {
            match k % 7 {
                0 => p.goals.clear(),
                1 => p.availability.clear(),
                2 => p.timezone = Some("Asia/Kathmandu".into()),
                _ => {}
            }
        }
        for (k, p) in cohort.mentees.people.iter_mut().enumerate() {
            match k % 9 {
                0 => p.skills.clear(),
                1 => p.languages.clear(),
                _ => {}
            }
        }
        let run = |wide: bool| {
            let before = mentorpair::lsap::cpu::set_wide(wide);
            let mut cfg = MatchConfig::default();
            cfg.solver = SolverChoice::Sparse;
            let p = Problem::new(cohort.clone(), cfg).unwrap();
            let r = p.match_result().unwrap();
            mentorpair::lsap::cpu::set_wide(before);
            let pairs: Vec<(String, String, u64)> = r
                .pairs
                .iter()
                .map(|q| (q.mentee_id.clone(), q.mentor_id.clone(), q.score.to_bits()))
                .collect();
            (pairs, r.certificate.expect("sparse certificate"))
        };
        let (narrow, wide) = (run(false), run(true));
        assert!(narrow.1.certified && wide.1.certified);
        assert_eq!(narrow.0, wide.0, "seed {seed}: the pairs differ");
        assert_eq!(
            (narrow.1.rounds, narrow.1.pairs_scored, narrow.1.candidates),
            (wide.1.rounds, wide.1.pairs_scored, wide.1.candidates),
            "seed {seed}"
        );
        assert!(wide.1.pairs_scored > 0);
    }
}
