//! Weight learning: recovery of the generator's weights, held-out quality, bad input.

use std::collections::BTreeMap;

use mentorpair::learn::{fit_weights, FitOptions, LearnError, OutcomeScale};
use mentorpair::synthetic::history::{uniform_history, HistorySpec};

fn names(k: usize) -> Vec<String> {
    ["goals", "skills", "availability", "language", "seniority"][..k]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn spec(w: &[f64], n: usize, scale: OutcomeScale, seed: u64) -> HistorySpec {
    HistorySpec {
        n_pairs: n,
        weights: names(w.len())
            .into_iter()
            .zip(w.iter().copied())
            .collect::<BTreeMap<_, _>>(),
        scale,
        strength: 10.0,
        seed,
    }
}

/// Max absolute error of the learned weights against the true (normalised) weights.
fn recovery_error(w: &[f64], n: usize, scale: OutcomeScale, seed: u64) -> f64 {
    let sum: f64 = w.iter().sum();
    let h = uniform_history(&names(w.len()), &spec(w, n, scale, seed)).unwrap();
    let fit = fit_weights(&h, None, &FitOptions::default()).unwrap();
    names(w.len())
        .iter()
        .zip(w)
        .map(|(n, t)| (fit.weights[n] - t / sum).abs())
        .fold(0.0, f64::max)
}

const TRUE_WEIGHTS: [[f64; 5]; 4] = [
    [0.35, 0.20, 0.20, 0.15, 0.10],
    [0.10, 0.10, 0.60, 0.10, 0.10],
    [0.50, 0.00, 0.25, 0.25, 0.00],
    [0.20, 0.20, 0.20, 0.20, 0.20],
];

#[test]
fn binary_recovers_true_weights_at_5000_pairs_within_0_05() {
    for (s, w) in TRUE_WEIGHTS.iter().enumerate() {
        let e = recovery_error(w, 5000, OutcomeScale::Binary, s as u64);
        assert!(e < 0.05, "weights {w:?}: max error {e}");
    }
}

#[test]
fn ratings_recover_true_weights_at_5000_pairs_within_0_04() {
    for (s, w) in TRUE_WEIGHTS.iter().enumerate() {
        let e = recovery_error(w, 5000, OutcomeScale::Rating, 10 + s as u64);
        assert!(e < 0.04, "weights {w:?}: max error {e}");
    }
}

#[test]
fn report_has_standard_errors_and_heldout_quality() {
    let h = uniform_history(
        &names(3),
        &spec(&[0.6, 0.4, 0.0], 4000, OutcomeScale::Binary, 3),
    )
    .unwrap();
    let fit = fit_weights(&h, None, &FitOptions::default()).unwrap();
    assert_eq!(fit.metric, "auc");
    assert!(fit.heldout.unwrap() > 0.7, "{:?}", fit.heldout);
    for c in &fit.components[..2] {
        assert!(c.std_error > 0.0 && c.std_error < 1.0, "{c:?}");
        assert!(c.z > 2.0);
    }
    // True coefficient 0: either small weight or flagged.
    let third = &fit.components[2];
    assert!(third.weight < 0.06, "{third:?}");
    let sum: f64 = fit.weights.values().sum();
    assert!((sum - 1.0).abs() < 1e-12);
}

#[test]
fn too_small_and_no_variance_are_errors() {
    let h = uniform_history(&names(2), &spec(&[1.0, 1.0], 20, OutcomeScale::Binary, 1)).unwrap();
    assert!(matches!(
        fit_weights(&h, None, &FitOptions::default()),
        Err(LearnError::TooSmall { .. })
    ));
    let mut h =
        uniform_history(&names(2), &spec(&[1.0, 1.0], 200, OutcomeScale::Binary, 1)).unwrap();
    h.outcomes.iter_mut().for_each(|y| *y = 1.0);
    assert_eq!(
        fit_weights(&h, None, &FitOptions::default()),
        Err(LearnError::NoOutcomeVariance(1.0))
    );
    let mut h =
        uniform_history(&names(2), &spec(&[1.0, 1.0], 200, OutcomeScale::Binary, 1)).unwrap();
    h.values.fill(0.5);
    assert_eq!(
        fit_weights(&h, None, &FitOptions::default()),
        Err(LearnError::NoComponentVariance)
    );
}

#[test]
fn bad_rows_are_named() {
    let base =
        uniform_history(&names(2), &spec(&[1.0, 1.0], 200, OutcomeScale::Rating, 1)).unwrap();
    let mut h = base.clone();
    h.outcomes[6] = 7.0;
    let e = fit_weights(&h, None, &FitOptions::default()).unwrap_err();
    assert!(matches!(e, LearnError::Outcome { row: 7, .. }), "{e}");
    let mut h = base.clone();
    h.mentee_ids[9] = h.mentee_ids[2].clone();
    h.mentor_ids[9] = h.mentor_ids[2].clone();
    let e = fit_weights(&h, None, &FitOptions::default()).unwrap_err();
    assert!(
        matches!(
            e,
            LearnError::DuplicatePair {
                row: 10,
                first: 3,
                ..
            }
        ),
        "{e}"
    );
    let mut h = base.clone();
    h.values[[4, 1]] = f64::NAN;
    let e = fit_weights(&h, None, &FitOptions::default()).unwrap_err();
    assert!(e.to_string().contains("row 5, column `skills`"), "{e}");
    let known_e: Vec<String> = vec!["e0".into()];
    let known = mentorpair::learn::KnownIds {
        mentees: &known_e,
        mentors: &base.mentor_ids,
    };
    let e = fit_weights(&base, Some(&known), &FitOptions::default()).unwrap_err();
    assert!(
        matches!(
            &e,
            LearnError::UnknownId {
                row: 2,
                column: "mentee_id",
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn cohort_history_round_trips_through_component_frame_and_fits() {
    use mentorpair::learn::frame::component_frame;
    use mentorpair::score::ScoreConfig;
    use mentorpair::synthetic::history::history;
    use mentorpair::synthetic::{generate, CohortSpec};
    let cohort = generate(&CohortSpec::new(300, 120).seed(5)).unwrap();
    let cfg = ScoreConfig {
        reference_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 2),
        ..ScoreConfig::default()
    };
    let mut weights = BTreeMap::new();
    weights.insert("goals".to_string(), 0.5);
    weights.insert("availability".to_string(), 0.3);
    weights.insert("language".to_string(), 0.2);
    let spec = HistorySpec {
        n_pairs: 6000,
        weights,
        scale: OutcomeScale::Binary,
        strength: 10.0,
        seed: 2,
    };
    let h = history(&cohort, &spec, &cfg).unwrap();
    let again = component_frame(&cohort, &h.mentee_ids, &h.mentor_ids, &h.outcomes, &cfg).unwrap();
    assert_eq!(again, h);
    let fit = fit_weights(&h, None, &FitOptions::default()).unwrap();
    // Real components are skewed and correlated: recovery within 0.1 at 6,000 pairs.
    for (name, t) in [
        ("goals", 0.5),
        ("availability", 0.3),
        ("language", 0.2),
        ("skills", 0.0),
        ("seniority", 0.0),
    ] {
        let w = fit.weights[name];
        assert!(
            (w - t).abs() < 0.1,
            "{name}: learned {w}, true {t}; {:?}",
            fit.components
        );
    }
    let mut bad = h.mentor_ids.clone();
    bad[3] = "nobody".into();
    let e = component_frame(&cohort, &h.mentee_ids, &bad, &h.outcomes, &cfg).unwrap_err();
    assert!(
        e.to_string()
            .contains("row 4, column `mentor_id`: id `nobody`"),
        "{e}"
    );
}
