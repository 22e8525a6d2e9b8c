//! The prepared problem: solving it gives, bit for bit, what the one-pass pipeline it replaced
//! gave (rebuilt here from the public building blocks as the oracle); its mask names every kind
//! of exclusion; its report audits any pairing; explain, rematch and threads read it as it is.

use std::sync::Arc;

use mentorpair::cohort::{Cohort, Person, Role, Table};
use mentorpair::constraints::{self, Exclusion};
use mentorpair::fairness::{solve_fair, Fairness};
use mentorpair::features::Features;
use mentorpair::io::read_csv;
use mentorpair::lsap::{self, Instance};
use mentorpair::matching::{match_cohort, MatchConfig, MatchError, Objective, UnmatchedReason};
use mentorpair::problem::{Problem, SolveOptions};
use mentorpair::quality::benchmark_config;
use mentorpair::rematch::{rematch_cohort, PairId, RematchOptions};
use mentorpair::score::{self, affinity::SharedBackground};
use mentorpair::synthetic::{generate, CohortSpec};
use proptest::prelude::*;

/// What the one-pass pipeline produced: sorted `(row, col, score, pinned)` and the number of
/// excluded pairs, or the pins' error text.
type Legacy = Result<(Vec<(usize, usize, f64, bool)>, u64), String>;

/// The constraint mask with the wishes (avoid, declines, `preferences = must`) and programme
/// rules, as the prepared problem builds it.
fn wish_mask(
    cohort: &Cohort,
    cfg: &MatchConfig,
    forbid: &[(usize, usize)],
) -> Result<constraints::Mask, String> {
    let wishes = mentorpair::wishes::Wishes::read(cohort).map_err(|e| e.to_string())?;
    let criteria = mentorpair::criteria::prepare(cohort, &cfg.criteria, score::builtin_name)
        .map_err(|e| e.to_string())?;
    let mut mask = constraints::Mask::build(cohort, cfg.exclude_same_department, forbid);
    let avoided = wishes
        .avoid
        .iter()
        .enumerate()
        .flat_map(|(i, js)| js.iter().map(move |&j| (i, j, Exclusion::MenteeDeclined)));
    let declined = wishes
        .declined
        .iter()
        .enumerate()
        .flat_map(|(j, is)| is.iter().map(move |&i| (i, j, Exclusion::MentorDeclined)));
    mask.add_exclusions(avoided.chain(declined));
    if cfg.preferences == mentorpair::wishes::PreferenceMode::Must {
        mask.restrict_to(&wishes.preferred);
    }
    mask.add_rules(criteria);
    Ok(mask)
}

/// The pipeline before the prepared problem, from the public pieces: score, add affinity, fold
/// the mask into the matrix as NaN, pin in place, solve the capacitated (or fair) problem.
fn legacy(cohort: &Cohort, cfg: &MatchConfig) -> Legacy {
    let forbid =
        constraints::resolve_pairs(cohort, "forbid", &cfg.forbid).map_err(|e| e.to_string())?;
    let wishes = mentorpair::wishes::Wishes::read(cohort).map_err(|e| e.to_string())?;
    let mut features = Features::build(
        &cohort.mentees.people,
        &cohort.mentors.people,
        cfg.scoring.date(),
    );
    score::prepare_features(&mut features, &cfg.scoring, &wishes.target_skills);
    let affinity =
        SharedBackground::new(&cohort.mentees, &cohort.mentors).map_err(|e| e.to_string())?;
    let mut extras = Vec::new();
    if affinity.any() && cfg.weights.affinity > 0.0 {
        extras.push(score::Weighted {
            part: Box::new(affinity),
            weight: cfg.weights.affinity,
        });
    }
    if wishes.preferred.iter().any(|p| !p.is_empty()) && cfg.weights.preference > 0.0 {
        extras.push(score::Weighted {
            part: Box::new(score::preference::Preferences {
                ranked: wishes.preferred.clone(),
            }),
            weight: cfg.weights.preference,
        });
    }
    let mut scores = score::ScoreModel::new(&features, &cfg.weights, &cfg.scoring, &extras).fill();
    let mask = wish_mask(cohort, cfg, &forbid)?;
    mask.apply(&mut scores, cfg.min_score);
    let mut row_cap: Vec<u32> = cohort.mentees.people.iter().map(|p| p.capacity).collect();
    let mut col_cap: Vec<u32> = cohort.mentors.people.iter().map(|p| p.capacity).collect();
    let pins = constraints::resolve_pairs(cohort, "pin", &cfg.pin).map_err(|e| e.to_string())?;
    let mut all = Vec::new();
    for (k, &(i, j)) in pins.iter().enumerate() {
        let s = scores[[i, j]];
        if pins[..k].contains(&(i, j)) || s.is_nan() || row_cap[i] == 0 || col_cap[j] == 0 {
            return Err(format!("pin {k} refused"));
        }
        row_cap[i] -= 1;
        col_cap[j] -= 1;
        scores[[i, j]] = f64::NAN;
        all.push((i, j, s, true));
    }
    let excluded = scores.iter().filter(|x| x.is_nan()).count() as u64 - pins.len() as u64;
    if !row_cap.is_empty() && !col_cap.is_empty() {
        let instance =
            Instance::new(scores.view(), &row_cap, &col_cap).map_err(|e| e.to_string())?;
        let pairs = match &cfg.fairness {
            Some(f) => solve_fair(
                &instance,
                &cohort.mentees.protected,
                cfg.objective.solver(),
                f,
            )
            .map_err(|e| e.to_string())?
            .pairs()
            .to_vec(),
            None => {
                instance
                    .solve(cfg.objective.solver())
                    .map_err(|e| e.to_string())?
                    .pairs
            }
        };
        all.extend(
            pairs
                .into_iter()
                .map(|(i, j)| (i, j, scores[[i, j]], false)),
        );
    }
    all.sort_by_key(|&(i, j, _, _)| (i, j));
    Ok((all, excluded))
}

/// A seeded cohort's size, a configuration, and forbid and pin cells to name from it.
type Case = (
    u64,
    usize,
    usize,
    MatchConfig,
    Vec<(usize, usize)>,
    Vec<(usize, usize)>,
);

fn config_strategy() -> impl Strategy<Value = Case> {
    (
        0u64..1_000,
        2usize..14,
        1usize..8,
        prop::sample::select(vec![0.0, 0.3, 0.45]),
        any::<bool>(),
        any::<bool>(),
        0u8..3,
        prop::collection::vec((0usize..14, 0usize..8), 0..4),
        prop::collection::vec((0usize..14, 0usize..8), 0..3),
    )
        .prop_map(
            |(seed, n, m, min_score, same_dept, score_obj, fair, forbid, pin)| {
                let mut cfg = benchmark_config();
                cfg.min_score = min_score;
                cfg.exclude_same_department = same_dept;
                cfg.objective = if score_obj {
                    Objective::Score
                } else {
                    Objective::Coverage
                };
                cfg.fairness = match fair {
                    1 => Some(Fairness::Maximin),
                    2 => Some(Fairness::GroupFloor {
                        by: vec!["gender".into()],
                        tolerance: 0.1,
                        rate_parity: false,
                    }),
                    _ => None,
                };
                (seed, n, m, cfg, forbid, pin)
            },
        )
}

fn name_pairs(cohort: &Cohort, cells: &[(usize, usize)]) -> Vec<(String, String)> {
    let (e, r) = (&cohort.mentees.people, &cohort.mentors.people);
    cells
        .iter()
        .map(|&(i, j)| (e[i % e.len()].id.clone(), r[j % r.len()].id.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(80))]

    #[test]
    fn solve_is_bit_identical_to_the_one_pass_pipeline((seed, n, m, mut cfg, forbid, pin) in config_strategy()) {
        let cohort = generate(&CohortSpec::new(n, m).seed(seed)).expect("cohort");
        cfg.forbid = name_pairs(&cohort, &forbid);
        cfg.pin = name_pairs(&cohort, &pin);
        let want = legacy(&cohort, &cfg);
        let problem = Problem::new(cohort.clone(), cfg.clone());
        match (want, problem) {
            (Err(_), Err(MatchError::PinViolates { .. })) => {}
            (Err(w), got) => prop_assert!(false, "oracle refused ({w}) but the problem gave {:?}", got.map(|p| p.pins().len())),
            (Ok(_), Err(e)) => prop_assert!(false, "the problem refused a valid config: {e}"),
            (Ok((pairs, excluded)), Ok(problem)) => {
                let solution = problem.solve().expect("solve");
                let cells: Vec<(usize, usize)> = pairs.iter().map(|&(i, j, _, _)| (i, j)).collect();
                prop_assert_eq!(&solution.pairs, &cells);
                let result = problem.result(&solution);
                prop_assert_eq!(result.pairs.len(), pairs.len());
                for (got, &(i, j, s, pinned)) in result.pairs.iter().zip(&pairs) {
                    prop_assert_eq!(&got.mentee_id, &cohort.mentees.people[i].id);
                    prop_assert_eq!(&got.mentor_id, &cohort.mentors.people[j].id);
                    prop_assert_eq!(got.score.to_bits(), s.to_bits());
                    prop_assert_eq!(got.pinned, pinned);
                }
                prop_assert_eq!(result.summary.excluded_pairs, excluded);
                prop_assert!(result.violations.is_empty(), "{:?}", result.violations);
                // The one-call wrapper is the same thing.
                prop_assert_eq!(&match_cohort(&cohort, &cfg).expect("match").pairs, &result.pairs);
                // Solving again reads the same prepared data and gives the same pairs.
                prop_assert_eq!(problem.solve().expect("again").pairs, solution.pairs);
            }
        }
    }

    #[test]
    fn the_mask_agrees_with_the_folded_matrix_everywhere((seed, n, m, mut cfg, forbid, _pin) in config_strategy()) {
        let cohort = generate(&CohortSpec::new(n, m).seed(seed)).expect("cohort");
        cfg.forbid = name_pairs(&cohort, &forbid);
        let problem = Problem::new(cohort.clone(), cfg.clone()).expect("problem");
        let forbid = constraints::resolve_pairs(&cohort, "forbid", &cfg.forbid).expect("ids");
        let constraint_mask = wish_mask(&cohort, &cfg, &forbid).expect("mask");
        for i in 0..n {
            for j in 0..m {
                let raw = problem.score(i, j);
                let want = constraint_mask.excluded(i, j).or((raw < cfg.min_score).then_some(Exclusion::BelowMinScore));
                prop_assert_eq!(problem.mask().reason(i, j), want);
                prop_assert_eq!(problem.scores().get(i, j).is_some(), want.is_none());
                if let Some(s) = problem.scores().get(i, j) {
                    prop_assert_eq!(s.to_bits(), raw.to_bits());
                }
                prop_assert_eq!(problem.explain_at(i, j).expect("in range").exclusion, want);
            }
            let listed: Vec<usize> = problem.scores().candidates(i).map(|(j, _)| j).collect();
            let allowed: Vec<usize> = (0..m).filter(|&j| problem.mask().reason(i, j).is_none()).collect();
            prop_assert_eq!(listed, allowed);
        }
        let excluded = (0..n).flat_map(|i| (0..m).map(move |j| (i, j))).filter(|&(i, j)| problem.mask().is_excluded(i, j)).count() as u64;
        prop_assert_eq!(problem.mask().excluded_count(), excluded);
        prop_assert_eq!(problem.scores().candidate_count() + excluded, (n * m) as u64);
    }
}

fn cohort(mentees: &str, mentors: &str) -> Cohort {
    Cohort {
        mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).expect("mentees"),
        mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).expect("mentors"),
    }
}

/// One mentor per exclusion kind for mentee `ana`, plus `free`, whom nothing excludes.
fn every_exclusion() -> (Problem, MatchConfig) {
    let c = cohort(
        "id,goals,department,manager_id\nana,sql,ops,boss\nsam,python,data,\n",
        "id,goals,department,capacity\n\
         ana,sql,x,1\n\
         boss,sql,y,1\n\
         peer,sql,ops,1\n\
         nope,sql,z,1\n\
         full,sql,w,0\n\
         weak,art,v,1\n\
         free,sql,u,1\n",
    );
    let mut cfg = benchmark_config();
    cfg.exclude_same_department = true;
    cfg.forbid = vec![("ana".into(), "nope".into())];
    cfg.min_score = 0.5;
    (Problem::new(c, cfg.clone()).expect("problem"), cfg)
}

#[test]
fn the_mask_names_every_kind_of_exclusion() {
    let (problem, cfg) = every_exclusion();
    let want = [
        ("ana", Some(Exclusion::SamePerson)),
        ("boss", Some(Exclusion::ReportingLine)),
        ("peer", Some(Exclusion::SameDepartment)),
        ("nope", Some(Exclusion::Forbidden)),
        ("full", Some(Exclusion::NoCapacity)),
        ("weak", Some(Exclusion::BelowMinScore)),
        ("free", None),
    ];
    for (mentor, reason) in want {
        let j = problem.mentor_col(mentor).expect("mentor");
        assert_eq!(problem.mask().reason(0, j), reason, "{mentor}");
        let report = problem.explain("ana", mentor).expect("explain");
        assert_eq!(report.exclusion, reason, "{mentor}");
        assert_eq!(report.excluded.is_some(), reason.is_some(), "{mentor}");
        assert_eq!(
            problem.scores().get(0, j).is_some(),
            reason.is_none(),
            "{mentor}"
        );
    }
    let weak = problem.explain("ana", "weak").expect("explain");
    assert!(weak.explanation.score < cfg.min_score);
    assert!(
        weak.excluded
            .as_deref()
            .unwrap_or("")
            .contains("below min_score 0.5"),
        "{weak:?}"
    );
    assert_eq!(
        problem
            .explain("ana", "boss")
            .expect("explain")
            .excluded
            .as_deref(),
        Some(Exclusion::ReportingLine.describe())
    );
    // Out of range is no pair at all, and an unknown id is an error naming it.
    assert_eq!(problem.mask().reason(9, 0), None);
    let err = problem.explain("ana", "ghost").expect_err("unknown mentor");
    assert!(
        err.to_string().contains("no mentor has id \"ghost\""),
        "{err}"
    );
}

#[test]
fn unmatched_reasons_come_from_the_mask() {
    let (problem, _) = every_exclusion();
    let result = problem.match_result().expect("match");
    // ana's one allowed mentor (free) goes to ana or sam; whoever is left over has every other
    // mentor excluded or full.
    assert_eq!(
        result.summary.excluded_pairs,
        problem.mask().excluded_count()
    );
    for u in &result.unmatched {
        assert!(
            matches!(
                u.reason,
                UnmatchedReason::CapacityTaken
                    | UnmatchedReason::AllExcluded
                    | UnmatchedReason::BelowMinScore
            ),
            "{u:?}"
        );
    }
    // With nobody matched, ana's reason lists each exclusion by kind, and free is open.
    let empty = problem.report(&[]);
    let ana = empty
        .unmatched
        .iter()
        .find(|u| u.mentee_id == "ana")
        .expect("ana");
    assert_eq!(ana.reason, UnmatchedReason::NotSelected);
    for kind in [
        "same person",
        "reporting line",
        "same department",
        "forbidden pair",
        "capacity is 0",
    ] {
        assert!(ana.detail.contains(kind), "{kind}: {}", ana.detail);
    }
}

#[test]
fn report_audits_any_pairing_it_is_given() {
    let (problem, _) = every_exclusion();
    let col = |id: &str| problem.mentor_col(id).expect("mentor");
    // ana with her manager and a forbidden mentor, sam twice with free, and a pair out of range.
    let pairs = [
        (0, col("boss")),
        (0, col("nope")),
        (1, col("free")),
        (1, col("free")),
        (7, 0),
    ];
    let r = problem.report(&pairs);
    let kinds: Vec<&str> = r.violations.iter().map(|v| v.constraint.as_str()).collect();
    for k in [
        "reporting_line",
        "forbidden",
        "duplicate_pair",
        "capacity",
        "mentors_wanted",
        "unknown_id",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
    assert_eq!(
        r.pairs.len(),
        4,
        "the out-of-range pair is not reported as a pair"
    );
    // Excluded pairs keep their real score, computed from the features.
    let boss = r
        .pairs
        .iter()
        .find(|p| p.mentor_id == "boss")
        .expect("boss");
    assert_eq!(
        boss.score.to_bits(),
        problem
            .explain("ana", "boss")
            .expect("e")
            .explanation
            .score
            .to_bits()
    );
    // A correct pairing has no violation, and reports the same as the solver's.
    let solved = problem.solve().expect("solve");
    assert!(problem.report(&solved.pairs).violations.is_empty());
    assert_eq!(
        problem.report(&solved.pairs).pairs,
        problem.result(&solved).pairs
    );
}

#[test]
fn explain_reads_an_unmatched_pair_from_the_prepared_problem() {
    let c = generate(&CohortSpec::new(40, 15).seed(7)).expect("cohort");
    let problem = Problem::new(c, benchmark_config()).expect("problem");
    let result = problem.match_result().expect("match");
    let matched: std::collections::HashSet<(String, String)> = result
        .pairs
        .iter()
        .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()))
        .collect();
    let (i, j) = (0..40)
        .flat_map(|i| (0..15).map(move |j| (i, j)))
        .find(|&(i, j)| {
            let key = (
                problem.cohort().mentees.people[i].id.clone(),
                problem.cohort().mentors.people[j].id.clone(),
            );
            problem.scores().get(i, j).is_some() && !matched.contains(&key)
        })
        .expect("an allowed pair that was not chosen");
    let (a, b) = (
        &problem.cohort().mentees.people[i].id,
        &problem.cohort().mentors.people[j].id,
    );
    let report = problem.explain(a, b).expect("explain");
    assert_eq!(report.excluded, None);
    assert_eq!(
        report.explanation.score.to_bits(),
        problem.scores().get(i, j).expect("candidate").to_bits()
    );
    let sum: f64 = report
        .explanation
        .components
        .iter()
        .map(|c| c.contribution)
        .sum();
    assert!((sum - report.explanation.score).abs() < 1e-12);
    // The same as the one-call wrapper that prepares everything again.
    let once = mentorpair::matching::explain_pair(problem.cohort(), problem.config(), a, b)
        .expect("explain");
    assert_eq!(once, report);
}

#[test]
fn solve_options_override_the_configuration() {
    let c = generate(&CohortSpec::new(30, 12).seed(3)).expect("cohort");
    let problem = Problem::new(c.clone(), benchmark_config()).expect("problem");
    let score = SolveOptions {
        objective: Objective::Score,
        fairness: None,
    };
    let s = problem.solve_with(&score).expect("solve");
    let mut cfg = benchmark_config();
    cfg.objective = Objective::Score;
    let want = match_cohort(&c, &cfg).expect("match");
    assert_eq!(problem.result(&s).pairs, want.pairs);
    assert_eq!(problem.result(&s).config.objective, Objective::Score);
    let duals = s.duals.expect("plain solves keep their duals");
    assert_eq!((duals.row.len(), duals.col.len()), (30, 12));
}

#[test]
fn rematch_on_the_problem_is_rematch_cohort_and_reports_without_rescoring() {
    let c = generate(&CohortSpec::new(60, 25).seed(11)).expect("cohort");
    let cfg = benchmark_config();
    let previous: Vec<PairId> = match_cohort(&c, &cfg)
        .expect("first round")
        .pairs
        .iter()
        .map(|p| PairId::new(p.mentee_id.clone(), p.mentor_id.clone()))
        .collect();
    let mut after = c.clone();
    after.mentees.people[0].goals.clear();
    after.mentors.people[1].capacity = 0;
    let options = RematchOptions::new(Some(0.1), vec![]).unwrap();
    let problem = Problem::new(after.clone(), cfg.clone()).expect("problem");
    let on_problem = problem.rematch(&previous, &options).expect("rematch");
    let once = rematch_cohort(&after, &cfg, &previous, &options).expect("rematch");
    assert_eq!(on_problem.rematch, once.rematch);
    assert_eq!(on_problem.result.pairs, once.result.pairs);
    assert!(on_problem.result.violations.is_empty());
    // The report reused the preparation: its scoring stages are the problem's own.
    assert_eq!(
        on_problem.result.timings.score_ms,
        problem.timings().score_ms
    );
    assert_eq!(
        on_problem.result.timings.features_ms,
        problem.timings().features_ms
    );
    let chosen: Vec<(usize, usize)> = on_problem
        .rematch
        .pairs
        .iter()
        .map(|p| (p.mentee, p.mentor))
        .collect();
    assert_eq!(
        problem.report(&chosen).pairs.len(),
        on_problem.result.pairs.len()
    );
}

#[test]
fn a_shared_problem_answers_from_several_threads() {
    let c = generate(&CohortSpec::new(50, 20).seed(5)).expect("cohort");
    let problem = Arc::new(Problem::new(c, benchmark_config()).expect("problem"));
    let ids: Vec<(String, String)> = (0..20)
        .map(|k| {
            (
                problem.cohort().mentees.people[k].id.clone(),
                problem.cohort().mentors.people[k % 20].id.clone(),
            )
        })
        .collect();
    let want: Vec<_> = ids
        .iter()
        .map(|(a, b)| problem.explain(a, b).expect("explain"))
        .collect();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (p, ids) = (Arc::clone(&problem), ids.clone());
            std::thread::spawn(move || {
                ids.iter()
                    .map(|(a, b)| p.explain(a, b).expect("explain"))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().expect("thread"), want);
    }
}

#[test]
fn pins_are_checked_once_when_the_problem_is_prepared() {
    let mentees = Table {
        role: Role::Mentee,
        people: vec![Person::new("a")],
        protected: Default::default(),
    };
    let mut boss = Person::new("m");
    boss.capacity = 1;
    let mut a = Person::new("a");
    a.manager_id = Some("m".into());
    let c = Cohort {
        mentees: Table {
            people: vec![a],
            ..mentees
        },
        mentors: Table {
            role: Role::Mentor,
            people: vec![boss],
            protected: Default::default(),
        },
    };
    let mut cfg = benchmark_config();
    cfg.pin = vec![("a".into(), "m".into())];
    match Problem::new(c, cfg) {
        Err(MatchError::PinViolates { problem, .. }) => {
            assert!(problem.contains("reporting line"), "{problem}")
        }
        other => panic!(
            "expected a refused pin, got {:?}",
            other.map(|p| p.pins().len())
        ),
    }
    // The scores + capacities instance of a prepared problem solves like the solver on its own.
    let c = generate(&CohortSpec::new(20, 8).seed(1)).expect("cohort");
    let problem = Problem::new(c, benchmark_config()).expect("problem");
    let inst = problem.instance();
    let direct = lsap::solve_capacitated(
        inst.scores(),
        problem.mentee_capacity(),
        problem.mentor_capacity(),
        &Default::default(),
    )
    .expect("solve");
    assert_eq!(
        inst.solve(lsap::Objective::Coverage).expect("solve").pairs,
        direct.pairs
    );
    assert_eq!(problem.solve().expect("solve").pairs, direct.pairs);
}
