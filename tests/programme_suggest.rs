//! Shortlists and rounds: `cost_of_choice` equals what a re-solve with the pair pinned loses (the
//! oracle), under both objectives and with pins; ranks follow the cost; mentors without room and
//! excluded pairs are never suggested, and asking about one names the reason; unknown ids are
//! typed errors; the answer does not depend on the thread count.

// Configs are built as `default()` then fields set (public config types are `#[non_exhaustive]`-bound).
#![allow(clippy::field_reassign_with_default)]

use mentorpair::cohort::{Cohort, Role};
use mentorpair::constraints::Exclusion;
use mentorpair::io::history::{read_history_csv, HistoryError, PastPair};
use mentorpair::io::read_csv;
use mentorpair::matching::{MatchConfig, MatchError, Objective};
use mentorpair::problem::{Problem, SuggestError};
use mentorpair::synthetic::{generate, CohortSpec};
use proptest::prelude::*;

/// `(pairs, total score)` of the problem's optimum.
fn optimum(problem: &Problem) -> (usize, f64) {
    let s = problem.solve().unwrap();
    let total = s.pairs.iter().map(|&(i, j)| problem.score(i, j)).sum();
    (s.pairs.len(), total)
}

/// The oracle: re-solve from scratch with `(mentee, mentor)` pinned on top of the config's pins.
fn pinned_optimum(cohort: &Cohort, cfg: &MatchConfig, mentee: &str, mentor: &str) -> (usize, f64) {
    let mut cfg = cfg.clone();
    cfg.pin.push((mentee.to_string(), mentor.to_string()));
    let problem = Problem::new(cohort.clone(), cfg).expect("an allowed choice pins cleanly");
    optimum(&problem)
}

fn cohort(n: usize, m: usize, seed: u64, caps: &[u32], wants: &[u32]) -> Cohort {
    let mut c = generate(&CohortSpec::new(n, m).seed(seed)).unwrap();
    for (j, p) in c.mentors.people.iter_mut().enumerate() {
        p.capacity = caps[j % caps.len()];
    }
    for (i, p) in c.mentees.people.iter_mut().enumerate() {
        p.capacity = wants[i % wants.len()];
    }
    c
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
}

/// What one cohort's check saw: allowed choices priced, how many cost something, how many
/// lose a pair.
#[derive(Default, Debug)]
struct Seen {
    choices: usize,
    costly: usize,
    pairs_lost: usize,
}

/// Every allowed choice of every mentee: `cost_of_choice` (and `pairs_lost`) is exactly what
/// the optimum loses when the pair is pinned; every shortlist is the `k` cheapest allowed
/// choices in rank order.
#[allow(clippy::too_many_arguments)]
fn check_against_pinned_resolves(
    n: usize,
    m: usize,
    seed: u64,
    caps: &[u32],
    wants: &[u32],
    coverage: bool,
    min_score: f64,
    pin_first: bool,
    k: usize,
) -> Result<Seen, TestCaseError> {
    let mut seen = Seen::default();
    let cohort = cohort(n, m, seed, caps, wants);
    let mut cfg = MatchConfig::default();
    cfg.objective = if coverage {
        Objective::Coverage
    } else {
        Objective::Score
    };
    cfg.min_score = min_score;
    if pin_first {
        // Pin the first mentee's cheapest allowed pair, when it has one.
        let probe = Problem::new(cohort.clone(), cfg.clone()).unwrap();
        if let Some(s) = probe
            .suggest(&cohort.mentees.people[0].id, 1)
            .unwrap()
            .first()
        {
            cfg.pin.push((s.mentee_id.clone(), s.mentor_id.clone()));
        }
    }
    let problem = Problem::new(cohort.clone(), cfg.clone()).unwrap();
    let (pairs, total) = optimum(&problem);
    let all = problem.suggest_all(k).unwrap();
    for a in &cohort.mentees.people {
        // Every allowed choice, priced by the oracle.
        let mut expected = Vec::new();
        for b in &cohort.mentors.people {
            let choice = problem.choice(&a.id, &b.id).unwrap();
            if !choice.allowed {
                prop_assert!(choice.reason.is_some());
                continue;
            }
            let (p2, t2) = pinned_optimum(&cohort, &cfg, &a.id, &b.id);
            // Under the score objective the number of pairs is free: only the total counts.
            let lost = if coverage {
                pairs as i64 - p2 as i64
            } else {
                0
            };
            prop_assert_eq!(choice.pairs_lost, Some(lost), "{} -> {}", a.id, b.id);
            let cost = choice.cost_of_choice.unwrap();
            prop_assert!(
                close(cost, total - t2),
                "{} -> {}: {} vs oracle {}",
                a.id,
                b.id,
                cost,
                total - t2
            );
            prop_assert!(lost > 0 || cost >= 0.0);
            seen.choices += 1;
            seen.costly += usize::from(cost > 1e-9);
            seen.pairs_lost += usize::from(lost > 0);
            expected.push((lost, cost, choice.score, b.id.clone()));
        }
        let mine: Vec<_> = all.iter().filter(|s| s.mentee_id == a.id).collect();
        let one = problem.suggest(&a.id, k).unwrap();
        prop_assert_eq!(mine.clone(), one.iter().collect::<Vec<_>>());
        prop_assert_eq!(mine.len(), expected.len().min(k));
        let listed: Vec<&str> = mine.iter().map(|x| x.mentor_id.as_str()).collect();
        for (r, s) in mine.iter().enumerate() {
            prop_assert_eq!(s.rank as usize, r + 1);
            let e = expected
                .iter()
                .find(|e| e.3 == s.mentor_id)
                .expect("a suggested choice is allowed");
            prop_assert_eq!(s.pairs_lost, e.0);
            prop_assert!(close(s.cost_of_choice, e.1));
            // Nothing left out is cheaper than what is listed.
            for o in expected.iter().filter(|o| !listed.contains(&o.3.as_str())) {
                prop_assert!(
                    (o.0, o.1) >= (s.pairs_lost, s.cost_of_choice - 1e-9),
                    "{} left out at {:?} but {} listed at {:?}",
                    o.3,
                    (o.0, o.1),
                    s.mentor_id,
                    (s.pairs_lost, s.cost_of_choice)
                );
            }
            if r > 0 {
                let p = mine[r - 1];
                prop_assert!(
                    (p.pairs_lost, p.cost_of_choice) <= (s.pairs_lost, s.cost_of_choice + 1e-9)
                );
            }
            if s.in_optimum {
                prop_assert!(s.pairs_lost == 0 && s.cost_of_choice == 0.0);
            }
        }
    }
    Ok(seen)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn cost_of_choice_is_what_a_pinned_resolve_loses(
        n in 1usize..8,
        m in 1usize..6,
        seed in 0u64..10_000,
        caps in proptest::collection::vec(0u32..3, 1..4),
        wants in proptest::collection::vec(1u32..3, 1..3),
        coverage in any::<bool>(),
        min_score in prop_oneof![Just(0.0), Just(0.35), Just(0.5)],
        pin_first in any::<bool>(),
        k in 1usize..4,
    ) {
        check_against_pinned_resolves(n, m, seed, &caps, &wants, coverage, min_score, pin_first, k)?;
    }
}

/// The oracle comparison above is not vacuous: over a fixed set of cohorts it prices many
/// choices, many of them costly, and under coverage some lose a pair.
#[test]
fn the_oracle_check_sees_costly_choices_and_lost_pairs() {
    let mut total = Seen::default();
    for seed in 0..30u64 {
        for coverage in [true, false] {
            let s = check_against_pinned_resolves(
                6,
                3,
                seed,
                &[1, 2],
                &[1, 1, 2],
                coverage,
                0.0,
                seed % 2 == 0,
                3,
            )
            .unwrap();
            total.choices += s.choices;
            total.costly += s.costly;
            total.pairs_lost += s.pairs_lost;
        }
    }
    assert!(total.choices > 300, "{total:?}");
    assert!(total.costly > 100, "{total:?}");
    assert!(total.pairs_lost >= 5, "{total:?}");
}

fn small() -> Problem {
    // ana reports to bo; cy has one place; dee wants two mentors.
    let mentees =
        "id,goals,languages,manager_id\nana,sql;leadership,en,bo\neli,rust,en,\ndee,sql;rust,en,\n";
    let mentors =
        "id,goals,languages,capacity\nbo,leadership;sql,en,2\ncy,rust;sql,en,1\nfay,sql,en,1\n";
    let cohort = Cohort {
        mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).unwrap(),
        mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).unwrap(),
    };
    let mut cfg = MatchConfig::default();
    cfg.pin = vec![("eli".into(), "cy".into())];
    Problem::new(cohort, cfg).unwrap()
}

#[test]
fn a_mentor_without_room_or_behind_a_constraint_is_never_suggested_and_says_why() {
    let problem = small();
    // cy's one place is pinned to eli: nobody else is offered cy.
    for who in ["ana", "dee"] {
        let list = problem.suggest(who, 10).unwrap();
        assert!(!list.is_empty());
        assert!(list.iter().all(|s| s.mentor_id != "cy"), "{list:?}");
        let why = problem.choice(who, "cy").unwrap();
        assert!(!why.allowed);
        assert!(why.reason.unwrap().contains("no room left"));
    }
    // bo is in ana's reporting line: excluded, and the answer names the constraint.
    assert!(problem
        .suggest("ana", 10)
        .unwrap()
        .iter()
        .all(|s| s.mentor_id != "bo"));
    let why = problem.choice("ana", "bo").unwrap();
    assert!(!why.allowed);
    assert_eq!(why.exclusion, Some(Exclusion::ReportingLine));
    assert!(why.reason.unwrap().contains("reporting line"));
    assert!(why.cost_of_choice.is_none());
    // eli's only wish is pinned: an empty shortlist, and the pin itself is reported as such.
    assert!(problem.suggest("eli", 5).unwrap().is_empty());
    let pinned = problem.choice("eli", "cy").unwrap();
    assert!(pinned.in_optimum && !pinned.allowed);
    // The explanation line is the one-line form of the pair's explanation.
    let s = &problem.suggest("dee", 1).unwrap()[0];
    assert_eq!(s.rank, 1);
    assert_eq!(
        s.why,
        problem
            .explain(&s.mentee_id, &s.mentor_id)
            .unwrap()
            .explanation
            .line()
    );
    assert!(s.why.contains("goals"));
}

#[test]
fn unknown_ids_are_typed_errors() {
    let problem = small();
    match problem.suggest("nobody", 3) {
        Err(SuggestError::UnknownId { table, id }) => {
            assert_eq!((table, id.as_str()), ("mentee", "nobody"))
        }
        other => panic!("expected UnknownId, got {other:?}"),
    }
    let err = problem.choice("ana", "m-17").unwrap_err();
    assert!(
        matches!(&err, SuggestError::UnknownId { table: "mentor", id } if id == "m-17"),
        "{err:?}"
    );
    assert!(err.to_string().contains("\"m-17\""));
}

#[test]
fn shortlists_do_not_depend_on_the_thread_count() {
    let cohort = generate(&CohortSpec::new(120, 50).seed(3)).unwrap();
    let problem = Problem::new(cohort, MatchConfig::default()).unwrap();
    let run = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| problem.suggest_all(5).unwrap())
    };
    let one = run(1);
    assert_eq!(one, run(2));
    assert_eq!(one, run(3));
    // The optimum's own pairs are there, ranked first at no cost.
    let best = problem.solve().unwrap();
    for &(i, j) in &best.pairs {
        let id = problem.cohort().mentees.people[i].id.as_str();
        let mentor = problem.cohort().mentors.people[j].id.as_str();
        let mine: Vec<_> = one.iter().filter(|s| s.mentee_id == id).collect();
        if let Some(s) = mine.iter().find(|s| s.mentor_id == mentor) {
            assert!(s.in_optimum && s.cost_of_choice == 0.0 && s.pairs_lost == 0);
        } else {
            // Left out only when the k listed also cost nothing.
            assert!(mine.len() == 5 && mine.iter().all(|s| s.cost_of_choice == 0.0));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rounds and history.

fn round_cohort() -> Cohort {
    with_fay(1)
}

fn with_fay(fay_capacity: u32) -> Cohort {
    // One place with cy, whom both ana and eli want; ana is the better match.
    let mentees = "id,goals,languages\nana,sql;rust,en\neli,sql;design,en\n";
    let mentors =
        format!("id,goals,languages,capacity\ncy,sql;rust,en,1\nfay,cooking,fr,{fay_capacity}\n");
    Cohort {
        mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).unwrap(),
        mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).unwrap(),
    }
}

fn history(csv: &str) -> Vec<PastPair> {
    read_history_csv(csv.as_bytes(), "history.csv").unwrap()
}

fn pairs_of(problem: &Problem) -> Vec<(String, String)> {
    problem
        .match_result()
        .unwrap()
        .pairs
        .iter()
        .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()))
        .collect()
}

#[test]
fn a_pair_from_an_earlier_round_is_never_matched_again_unless_allowed() {
    let fresh = Problem::new(round_cohort(), MatchConfig::default()).unwrap();
    assert!(pairs_of(&fresh).contains(&("ana".into(), "cy".into())));
    let mut cfg = MatchConfig::default();
    cfg.history = history("mentee_id,mentor_id,round,outcome\nana,cy,1,1\neli,fay,1,0\n");
    let problem = Problem::new(round_cohort(), cfg.clone()).unwrap();
    let pairs = pairs_of(&problem);
    assert!(!pairs.contains(&("ana".into(), "cy".into())), "{pairs:?}");
    assert!(pairs.contains(&("eli".into(), "cy".into())), "{pairs:?}");
    // The mask names it, suggest leaves it out, and asking about it says why.
    assert_eq!(problem.mask().reason(0, 0), Some(Exclusion::PairedBefore));
    assert!(problem
        .suggest("ana", 5)
        .unwrap()
        .iter()
        .all(|s| s.mentor_id != "cy"));
    let why = problem.choice("ana", "cy").unwrap();
    assert_eq!(why.exclusion, Some(Exclusion::PairedBefore));
    assert!(why.reason.unwrap().contains("earlier round"));
    // The post-solve audit catches the pair in any pairing handed to it.
    let forced = problem.report(&[(0, 0)]);
    let v: Vec<_> = forced
        .violations
        .iter()
        .filter(|v| v.constraint == "paired_before")
        .collect();
    assert_eq!(v.len(), 1, "{:?}", forced.violations);
    assert!(v[0].detail.contains("history row 1"));
    assert!(problem.match_result().unwrap().violations.is_empty());
    // Pinning it is refused with the reason.
    let mut pinned = cfg.clone();
    pinned.pin = vec![("ana".into(), "cy".into())];
    let err = Problem::new(round_cohort(), pinned).unwrap_err();
    assert!(err.to_string().contains("earlier round"), "{err}");
    // allow_repeat_pairs lifts it.
    cfg.allow_repeat_pairs = true;
    let again = Problem::new(round_cohort(), cfg).unwrap();
    assert!(pairs_of(&again).contains(&("ana".into(), "cy".into())));
    assert!(again.report(&[(0, 0)]).violations.is_empty());
}

#[test]
fn mentees_left_unmatched_before_get_an_explained_priority() {
    // eli took part in rounds 1 and 2 and got no mentor in either; ana had a mentor in round 2.
    // fay has no place this round: cy is the one mentor, and only one mentee gets him.
    let h = "mentee_id,mentor_id,round\neli,,1\neli,,2\nana,,2\nana,fay,2\n";
    let mut cfg = MatchConfig::default();
    cfg.history = history(h);
    cfg.unmatched_priority = 2.0;
    let problem = Problem::new(with_fay(0), cfg.clone()).unwrap();
    assert_eq!(pairs_of(&problem), vec![("eli".into(), "cy".into())]);
    let e = problem.explain("eli", "cy").unwrap().explanation;
    let part = e
        .components
        .iter()
        .find(|c| c.component.name() == "priority")
        .expect("a priority component");
    assert_eq!(part.value, 1.0);
    assert!(
        e.line().contains("left unmatched in 2 earlier rounds"),
        "{}",
        e.line()
    );
    let a = problem.explain("ana", "cy").unwrap().explanation;
    assert!(a
        .components
        .iter()
        .all(|c| c.component.name() != "priority"));
    // The bonus is what moves eli ahead: without it (weight 0) ana keeps cy.
    cfg.unmatched_priority = 0.0;
    let off = Problem::new(with_fay(0), cfg).unwrap();
    assert_eq!(pairs_of(&off), vec![("ana".into(), "cy".into())]);
}

#[test]
fn bad_history_is_a_typed_error_naming_row_and_column() {
    let err = read_history_csv(
        "mentee_id,mentor_id,round\nana,cy,1\neli,fay,two\n".as_bytes(),
        "history.csv",
    )
    .unwrap_err();
    match &err {
        HistoryError::BadCell {
            source_name,
            row,
            column,
            value,
            ..
        } => assert_eq!(
            (source_name.as_str(), *row, column.as_str(), value.as_str()),
            ("history.csv", 2, "round", "two")
        ),
        other => panic!("expected BadCell, got {other:?}"),
    }
    assert!(err.to_string().contains("not a round number"));
    let err = read_history_csv("mentee_id,round\nana,1\n".as_bytes(), "h.csv").unwrap_err();
    assert!(matches!(&err, HistoryError::MissingColumn { column, .. } if column == "mentor_id"));
    let err = read_history_csv(
        "mentee_id,mentor_id,date\nana,cy,2026-13-01\n".as_bytes(),
        "h.csv",
    )
    .unwrap_err();
    assert!(err.to_string().contains("YYYY-MM-DD"), "{err}");
    // Ids are checked against this round's tables.
    let mut cfg = MatchConfig::default();
    cfg.history = history("mentee_id,mentor_id,round\nana,cy,1\nana,m-17,1\n");
    match Problem::new(round_cohort(), cfg).unwrap_err() {
        MatchError::History(e) => match *e {
            HistoryError::UnknownId {
                row, column, id, ..
            } => assert_eq!(
                (row, column.as_str(), id.as_str()),
                (2, "mentor_id", "m-17")
            ),
            other => panic!("expected UnknownId, got {other:?}"),
        },
        other => panic!("expected a history error, got {other:?}"),
    }
    let mut cfg = MatchConfig::default();
    cfg.unmatched_priority = -1.0;
    assert!(matches!(
        Problem::new(round_cohort(), cfg),
        Err(MatchError::Config(m)) if m.option == "unmatched_priority"
    ));
}
