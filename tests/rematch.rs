//! Rematch: dissolve what breaks a hard constraint, keep what is frozen, reward staying, and report
//! it all; checked against a brute-force b-matching oracle on small random programmes.

use std::collections::HashSet;

use mentorpair::lsap::{Instance, Objective};
use mentorpair::rematch::{
    rematch_scores, rematch_scores_with, DissolveReason, Labels, MenteeStatus, PairId, PairStatus,
    Rematch, RematchError, RematchOptions,
};
use ndarray::{Array2, ArrayView2};
use proptest::prelude::*;

/// A matching found by the oracle: (pairs, total weight, cells).
type Best = (usize, f64, Vec<(usize, usize)>);

/// Best set of cells (max count first when `coverage`, then max weight) with capacities and the
/// cells in `must` included; NaN cells are never used. Returns (count, weight, cells).
fn brute_force(
    weights: ArrayView2<f64>,
    row_cap: &[u32],
    col_cap: &[u32],
    must: &[(usize, usize)],
    coverage: bool,
) -> Option<Best> {
    let cells: Vec<(usize, usize)> = weights
        .indexed_iter()
        .filter(|(_, w)| !w.is_nan())
        .map(|(rc, _)| rc)
        .collect();
    assert!(cells.len() <= 20, "oracle is exponential");
    let mut best: Option<Best> = None;
    for mask in 0u32..(1u32 << cells.len()) {
        let chosen: Vec<(usize, usize)> = (0..cells.len())
            .filter(|&k| mask >> k & 1 == 1)
            .map(|k| cells[k])
            .collect();
        if must.iter().any(|m| !chosen.contains(m)) {
            continue;
        }
        let fits = (0..row_cap.len())
            .all(|r| chosen.iter().filter(|c| c.0 == r).count() as u32 <= row_cap[r])
            && (0..col_cap.len())
                .all(|c| chosen.iter().filter(|x| x.1 == c).count() as u32 <= col_cap[c]);
        if !fits {
            continue;
        }
        let w: f64 = chosen.iter().map(|&(r, c)| weights[[r, c]]).sum();
        let better = match &best {
            None => true,
            Some((n, bw, _)) => {
                if coverage && chosen.len() != *n {
                    chosen.len() > *n
                } else {
                    w > *bw + 1e-12
                }
            }
        };
        if better {
            best = Some((chosen.len(), w, chosen));
        }
    }
    best
}

fn oracle_solver(
    coverage: bool,
) -> impl FnOnce(&Instance<'_>) -> Result<Vec<(usize, usize)>, RematchError> {
    move |input: &Instance<'_>| {
        let (_, _, cells) = brute_force(
            input.scores.view(),
            &input.row_capacity,
            &input.col_capacity,
            &[],
            coverage,
        )
        .ok_or_else(|| RematchError::Solver("no feasible set".into()))?;
        Ok(cells)
    }
}

#[derive(Debug, Clone)]
struct Programme {
    scores: Array2<f64>,
    mentee_ids: Vec<String>,
    mentor_ids: Vec<String>,
    mentee_capacity: Vec<u32>,
    mentor_capacity: Vec<u32>,
    previous: Vec<PairId>,
    freeze: Vec<PairId>,
}

impl Programme {
    fn instance(&self) -> Instance<'_> {
        Instance::new(
            self.scores.view(),
            &self.mentee_capacity,
            &self.mentor_capacity,
        )
        .expect("capacities fit the scores")
    }

    fn labels(&self) -> Labels<'_> {
        Labels {
            mentee_ids: &self.mentee_ids,
            mentor_ids: &self.mentor_ids,
        }
    }

    fn options(&self, keep_bonus: f64) -> RematchOptions {
        ropts(keep_bonus, self.freeze.clone())
    }

    /// Rematch with the capacitated solver.
    fn run(&self, keep_bonus: f64, coverage: bool) -> Rematch {
        let objective = if coverage {
            Objective::Coverage
        } else {
            Objective::Score
        };
        rematch_scores(
            &self.instance(),
            &self.labels(),
            &self.previous,
            &self.options(keep_bonus),
            &|_, _| "forbidden".to_string(),
            objective,
        )
        .expect("valid programme")
    }

    /// Rematch with the brute-force oracle plugged in as the solver.
    fn run_oracle(&self, keep_bonus: f64, coverage: bool) -> Rematch {
        rematch_scores_with(
            &self.instance(),
            &self.labels(),
            &self.previous,
            &self.options(keep_bonus),
            &|_, _| "forbidden".to_string(),
            oracle_solver(coverage),
        )
        .expect("valid programme")
    }

    fn cell(&self, p: &PairId) -> Option<(usize, usize)> {
        let r = self.mentee_ids.iter().position(|x| *x == p.mentee_id)?;
        let c = self.mentor_ids.iter().position(|x| *x == p.mentor_id)?;
        Some((r, c))
    }
}

/// Random small programmes: up to 4 × 4, some forbidden pairs, capacities 1–2, previous pairs that
/// may name people who left ("gone"), and frozen pairs drawn from the valid previous ones.
fn programme() -> impl Strategy<Value = Programme> {
    (1usize..=4, 1usize..=4).prop_flat_map(|(n, m)| {
        (
            prop::collection::vec(prop::option::weighted(0.8, 0u32..=100), n * m),
            prop::collection::vec(1u32..=2, n),
            prop::collection::vec(1u32..=2, m),
            prop::collection::vec(prop::bool::weighted(0.35), (n + 1) * (m + 1)),
            prop::collection::vec(prop::bool::weighted(0.3), (n + 1) * (m + 1)),
        )
            .prop_map(move |(cells, rcap, ccap, prev, frz)| {
                let scores = Array2::from_shape_fn((n, m), |(r, c)| {
                    cells[r * m + c].map_or(f64::NAN, |x| f64::from(x) / 100.0)
                });
                let mentee = |r: usize| {
                    if r == n {
                        "gone-e".to_string()
                    } else {
                        format!("e{r}")
                    }
                };
                let mentor = |c: usize| {
                    if c == m {
                        "gone-m".to_string()
                    } else {
                        format!("m{c}")
                    }
                };
                let mut previous = Vec::new();
                let mut freeze = Vec::new();
                let (mut rl, mut cl) = (rcap.clone(), ccap.clone());
                for r in 0..=n {
                    for c in 0..=m {
                        if !prev[r * (m + 1) + c] {
                            continue;
                        }
                        let p = PairId::new(mentee(r), mentor(c));
                        let valid = r < n && c < m && !scores[[r, c]].is_nan();
                        if valid && frz[r * (m + 1) + c] && rl[r] > 0 && cl[c] > 0 {
                            rl[r] -= 1;
                            cl[c] -= 1;
                            freeze.push(p.clone());
                        }
                        previous.push(p);
                    }
                }
                Programme {
                    scores,
                    mentee_ids: (0..n).map(mentee).collect(),
                    mentor_ids: (0..m).map(mentor).collect(),
                    mentee_capacity: rcap,
                    mentor_capacity: ccap,
                    previous,
                    freeze,
                }
            })
    })
}

fn check_hard_constraints(p: &Programme, out: &Rematch) -> Result<(), TestCaseError> {
    let mut seen = HashSet::new();
    let dissolved: HashSet<(String, String)> = out
        .changes
        .iter()
        .filter(|c| c.status == PairStatus::Dissolved)
        .map(|c| (c.mentee_id.clone(), c.mentor_id.clone()))
        .collect();
    for pair in &out.pairs {
        prop_assert_eq!(&p.mentee_ids[pair.mentee], &pair.mentee_id);
        prop_assert_eq!(&p.mentor_ids[pair.mentor], &pair.mentor_id);
        prop_assert!(
            !p.scores[[pair.mentee, pair.mentor]].is_nan(),
            "forbidden pair used"
        );
        prop_assert_eq!(pair.score, p.scores[[pair.mentee, pair.mentor]]);
        prop_assert!(seen.insert((pair.mentee, pair.mentor)), "pair used twice");
        prop_assert!(!dissolved.contains(&(pair.mentee_id.clone(), pair.mentor_id.clone())));
    }
    for r in 0..p.mentee_ids.len() {
        let k = out.pairs.iter().filter(|x| x.mentee == r).count() as u32;
        prop_assert!(k <= p.mentee_capacity[r]);
    }
    for c in 0..p.mentor_ids.len() {
        let k = out.pairs.iter().filter(|x| x.mentor == c).count() as u32;
        prop_assert!(k <= p.mentor_capacity[c]);
    }
    for f in &p.freeze {
        prop_assert!(
            out.pairs
                .iter()
                .any(|x| x.mentee_id == f.mentee_id && x.mentor_id == f.mentor_id),
            "frozen pair {} not kept",
            f
        );
    }
    Ok(())
}

fn check_report(p: &Programme, out: &Rematch) -> Result<(), TestCaseError> {
    // Every previous pair once, in order; then exactly the new pairs that were not previous.
    prop_assert_eq!(out.changes.len() >= p.previous.len(), true);
    for (change, prev) in out.changes.iter().zip(&p.previous) {
        prop_assert_eq!(&change.mentee_id, &prev.mentee_id);
        prop_assert_eq!(&change.mentor_id, &prev.mentor_id);
        let in_new = out
            .pairs
            .iter()
            .any(|x| x.mentee_id == prev.mentee_id && x.mentor_id == prev.mentor_id);
        match change.status {
            PairStatus::Kept => prop_assert!(in_new),
            PairStatus::Released => prop_assert!(!in_new && change.dissolved.is_none()),
            PairStatus::Dissolved => prop_assert!(!in_new && change.dissolved.is_some()),
            PairStatus::New => prop_assert!(false, "a previous pair reported as new"),
        }
        // Reasons for leaving and forbidden pairs are exact.
        let forbidden = matches!(change.dissolved, Some(DissolveReason::Forbidden { .. }));
        let left = matches!(
            change.dissolved,
            Some(DissolveReason::MenteeLeft | DissolveReason::MentorLeft)
        );
        match p.cell(prev) {
            None => prop_assert!(left),
            Some((r, c)) if p.scores[[r, c]].is_nan() => prop_assert!(forbidden),
            Some(_) => prop_assert!(!left && !forbidden),
        }
    }
    let news = out.changes[p.previous.len()..].to_vec();
    prop_assert!(news.iter().all(|c| c.status == PairStatus::New));
    let kept = out
        .changes
        .iter()
        .filter(|c| c.status == PairStatus::Kept)
        .count();
    prop_assert_eq!(kept + news.len(), out.pairs.len());

    // Scores add up.
    let total: f64 = out.pairs.iter().map(|x| x.score).sum();
    prop_assert!((out.total_score - total).abs() < 1e-9);
    let baseline: f64 = out
        .changes
        .iter()
        .filter(|c| matches!(c.status, PairStatus::Kept | PairStatus::Released))
        .filter_map(|c| c.score)
        .sum();
    prop_assert!((out.baseline_score - baseline).abs() < 1e-9);
    prop_assert!((out.score_gained - (out.total_score - out.baseline_score)).abs() < 1e-12);

    // One entry per current mentee, then the ones who left; counts agree.
    prop_assert!(out.mentees.len() >= p.mentee_ids.len());
    for (m, id) in out.mentees.iter().zip(&p.mentee_ids) {
        prop_assert_eq!(&m.mentee_id, id);
    }
    let c = out.counts;
    prop_assert_eq!(
        c.kept + c.moved + c.new + c.dissolved + c.unmatched,
        out.mentees.len()
    );
    for m in &out.mentees {
        let had = !m.previous_mentors.is_empty();
        let has = !m.mentors.is_empty();
        match m.status {
            MenteeStatus::Kept => prop_assert!(had && has),
            MenteeStatus::New => prop_assert!(!had && has),
            MenteeStatus::Unmatched => prop_assert!(!had && !has),
            MenteeStatus::Moved => prop_assert!(had),
            MenteeStatus::Dissolved => prop_assert!(had && !m.reason.is_empty()),
        }
    }
    Ok(())
}

/// The optimum of the reduced problem (dissolved pairs forbidden, frozen pairs pinned) with
/// `bonus` on the kept-or-released previous pairs, computed from scratch.
fn reduced_optimum(p: &Programme, out: &Rematch, bonus: f64, coverage: bool) -> (usize, f64) {
    let mut w = p.scores.clone();
    for ch in &out.changes {
        if let Some((r, c)) = p.cell(&PairId::new(ch.mentee_id.clone(), ch.mentor_id.clone())) {
            match ch.status {
                PairStatus::Dissolved => w[[r, c]] = f64::NAN,
                PairStatus::Kept | PairStatus::Released => w[[r, c]] += bonus,
                PairStatus::New => {}
            }
        }
    }
    let must: Vec<(usize, usize)> = p.freeze.iter().filter_map(|f| p.cell(f)).collect();
    let (n, obj, _) = brute_force(
        w.view(),
        &p.mentee_capacity,
        &p.mentor_capacity,
        &must,
        coverage,
    )
    .expect("frozen pairs fit by construction");
    (n, obj)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_breaks_a_hard_constraint_and_reports_consistently(p in programme(), bonus in 0.0f64..0.6, coverage: bool) {
        let out = p.run(bonus, coverage);
        check_hard_constraints(&p, &out)?;
        check_report(&p, &out)?;
    }

    #[test]
    fn the_solve_is_optimal_with_the_bonus(p in programme(), bonus in 0.0f64..0.6, coverage: bool) {
        let out = p.run(bonus, coverage);
        let kept = out.pairs.iter().filter(|x| x.kept).count() as f64;
        let (n, best) = reduced_optimum(&p, &out, bonus, coverage);
        if coverage {
            prop_assert_eq!(out.pairs.len(), n);
        }
        prop_assert!((out.total_score + bonus * kept - best).abs() < 1e-9);
    }

    #[test]
    fn a_plugged_in_solver_gives_the_same_report(p in programme(), bonus in 0.0f64..0.6, coverage: bool) {
        let ours = p.run(bonus, coverage);
        let oracle = p.run_oracle(bonus, coverage);
        check_hard_constraints(&p, &oracle)?;
        check_report(&p, &oracle)?;
        // Equally good matchings may differ in their pairs, never in their value.
        let value = |r: &Rematch| r.total_score + bonus * r.pairs.iter().filter(|x| x.kept).count() as f64;
        prop_assert!((value(&ours) - value(&oracle)).abs() < 1e-9);
        if coverage {
            prop_assert_eq!(ours.pairs.len(), oracle.pairs.len());
        }
        prop_assert!((ours.baseline_score - oracle.baseline_score).abs() < 1e-12);
    }

    #[test]
    fn a_large_bonus_keeps_every_still_valid_pair(p in programme()) {
        let out = p.run(1000.0, false);
        for ch in &out.changes[..p.previous.len()] {
            prop_assert_ne!(ch.status, PairStatus::Released, "{:?} released", ch);
        }
        prop_assert_eq!(out.counts.moved, 0);
        prop_assert!(out.score_gained >= -1e-9);
    }

    #[test]
    fn no_bonus_is_a_fresh_optimal_solve(p in programme(), coverage: bool) {
        let out = p.run(0.0, coverage);
        let trimmed = out.changes.iter().any(|c| matches!(
            c.dissolved,
            Some(DissolveReason::MentorCapacity { .. } | DissolveReason::MenteeCapacity { .. })
        ));
        if p.freeze.is_empty() && !trimmed {
            let (n, best, _) = brute_force(p.scores.view(), &p.mentee_capacity, &p.mentor_capacity, &[], coverage)
                .expect("the empty matching is feasible");
            prop_assert!((out.total_score - best).abs() < 1e-9);
            if coverage {
                prop_assert_eq!(out.pairs.len(), n);
            }
        }
    }
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

#[test]
fn reasons_name_what_changed() {
    // Mentee e0 was with m0, now forbidden; e1 with m1 stays; e2 with a mentor who left; m1's
    // capacity dropped to 1 so the weaker of its two pairs (e3) goes.
    let p = Programme {
        scores: ndarray::array![[f64::NAN, 0.9], [0.2, 0.8], [0.5, 0.1], [0.6, 0.3],],
        mentee_ids: ids("e", 4),
        mentor_ids: ids("m", 2),
        mentee_capacity: vec![1; 4],
        mentor_capacity: vec![2, 1],
        previous: vec![
            PairId::new("e0", "m0"),
            PairId::new("e1", "m1"),
            PairId::new("e2", "gone"),
            PairId::new("e3", "m1"),
            PairId::new("left", "m0"),
        ],
        freeze: vec![],
    };
    let out = p.run(0.5, false);
    let status: Vec<PairStatus> = out.changes.iter().map(|c| c.status).collect();
    assert_eq!(
        &status[..5],
        &[
            PairStatus::Dissolved,
            PairStatus::Kept,
            PairStatus::Dissolved,
            PairStatus::Dissolved,
            PairStatus::Dissolved
        ]
    );
    assert_eq!(
        out.changes[3].dissolved,
        Some(DissolveReason::MentorCapacity { capacity: 1 })
    );
    assert_eq!(out.changes[2].dissolved, Some(DissolveReason::MentorLeft));
    assert_eq!(out.changes[4].dissolved, Some(DissolveReason::MenteeLeft));
    // e1-m1 kept (0.8), e2 and e3 take m0's two places (0.5 + 0.6), e0 can only have m1: full.
    assert_eq!(out.pairs.len(), 3);
    assert!((out.total_score - 1.9).abs() < 1e-12);
    assert!((out.baseline_score - 0.8).abs() < 1e-12);
    assert!((out.score_gained - 1.1).abs() < 1e-12);
    let left = out.mentees.last().expect("the mentee who left is reported");
    assert_eq!(left.mentee_id, "left");
    assert_eq!(left.status, MenteeStatus::Dissolved);
    assert!(out.mentees[0].reason.contains("now forbidden"));
    assert_eq!(out.counts.dissolved, 4);
    assert_eq!(out.counts.kept, 1);
}

#[test]
fn a_frozen_pair_that_breaks_a_constraint_is_an_error_naming_it() {
    let mut p = Programme {
        scores: ndarray::array![[f64::NAN, 0.9]],
        mentee_ids: ids("e", 1),
        mentor_ids: ids("m", 2),
        mentee_capacity: vec![1],
        mentor_capacity: vec![1, 1],
        previous: vec![PairId::new("e0", "m0")],
        freeze: vec![PairId::new("e0", "m0")],
    };
    let run = |p: &Programme| {
        rematch_scores_with(
            &p.instance(),
            &p.labels(),
            &p.previous,
            &ropts(0.1, p.freeze.clone()),
            &|_, _| "same reporting line".to_string(),
            oracle_solver(true),
        )
    };
    let err = run(&p).expect_err("frozen pair is forbidden").to_string();
    assert!(
        err.contains("\"e0\"") && err.contains("\"m0\"") && err.contains("same reporting line"),
        "{err}"
    );
    p.freeze = vec![PairId::new("e0", "nobody")];
    let err = run(&p).expect_err("frozen mentor left").to_string();
    assert!(
        err.contains("\"nobody\"") && err.contains("no longer in the cohort"),
        "{err}"
    );
    p.freeze = vec![PairId::new("e0", "m1"), PairId::new("e0", "m1")];
    assert!(matches!(run(&p), Err(RematchError::DuplicatePair { .. })));
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let p = Programme {
        scores: ndarray::array![[0.5, f64::INFINITY]],
        mentee_ids: ids("e", 1),
        mentor_ids: ids("m", 2),
        mentee_capacity: vec![1],
        mentor_capacity: vec![1, 1],
        previous: vec![],
        freeze: vec![],
    };
    let run = |p: &Programme, bonus: f64| {
        rematch_scores_with(
            &p.instance(),
            &p.labels(),
            &p.previous,
            &ropts(bonus, vec![]),
            &|_, _| String::new(),
            oracle_solver(true),
        )
    };
    assert!(matches!(
        run(&p, 0.1),
        Err(RematchError::InvalidScore { .. })
    ));
    let mut q = Programme {
        scores: ndarray::array![[0.5, 0.5]],
        ..p
    };
    assert!(matches!(run(&q, -1.0), Err(RematchError::KeepBonus(_))));
    assert!(matches!(run(&q, f64::NAN), Err(RematchError::KeepBonus(_))));
    q.mentor_ids = vec!["m".into(), "m".into()];
    assert!(matches!(
        run(&q, 0.1),
        Err(RematchError::DuplicateId { .. })
    ));
    q.mentor_ids = ids("m", 3);
    assert!(matches!(run(&q, 0.1), Err(RematchError::Shape(_))));
}

#[test]
fn a_solver_that_breaks_a_constraint_is_caught() {
    let scores = ndarray::array![[f64::NAN, 0.5]];
    let (e, m) = (ids("e", 1), ids("m", 2));
    let instance = Instance::new(scores.view(), &[1], &[1, 1]).expect("shapes fit");
    let labels = Labels {
        mentee_ids: &e,
        mentor_ids: &m,
    };
    let bad = rematch_scores_with(
        &instance,
        &labels,
        &[],
        &RematchOptions::default(),
        &|_, _| String::new(),
        |_| Ok(vec![(0, 0)]),
    );
    assert!(matches!(bad, Err(RematchError::SolverViolation(_))));
    let twice = rematch_scores_with(
        &instance,
        &labels,
        &[],
        &RematchOptions::default(),
        &|_, _| String::new(),
        |_| Ok(vec![(0, 1), (0, 1)]),
    );
    assert!(matches!(twice, Err(RematchError::SolverViolation(_))));
}

mod on_a_cohort {
    use super::*;
    use mentorpair::cohort::{Cohort, Role};
    use mentorpair::io::read_csv;
    use mentorpair::matching::{match_cohort, MatchConfig, Objective as MatchObjective};
    use mentorpair::rematch::{rematch_cohort, CohortRematchError};

    fn cohort(mentees: &str, mentors: &str) -> Cohort {
        Cohort {
            mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).expect("mentees"),
            mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).expect("mentors"),
        }
    }

    fn cfg(objective: MatchObjective) -> MatchConfig {
        let mut c = MatchConfig::default();
        c.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2026, 3, 2);
        c.objective = objective;
        c
    }

    const MENTORS: &str = "id,goals,capacity,department\n\
        m0,leadership;sql,2,ops\n\
        m1,python;sql,1,data\n\
        m2,speaking,1,sales\n";

    fn previous_of(c: &Cohort) -> Vec<PairId> {
        match_cohort(c, &cfg(MatchObjective::Coverage))
            .expect("first round")
            .pairs
            .iter()
            .map(|p| PairId::new(p.mentee_id.clone(), p.mentor_id.clone()))
            .collect()
    }

    #[test]
    fn goals_change_people_leave_and_constraints_arrive() {
        let before = cohort(
            "id,goals,department\na,leadership,eng\nb,python,eng\nc,speaking,eng\nd,sql,eng\n",
            MENTORS,
        );
        let previous = previous_of(&before);
        assert_eq!(previous.len(), 4, "{previous:?}");
        // Round two: c left, b now reports to m1, a's goals changed, e joined.
        let after = cohort(
            "id,goals,department,manager_id\na,speaking,eng,\nb,python,eng,m1\nd,sql,eng,\ne,leadership,eng,\n",
            MENTORS,
        );
        let opts = ropts(0.1, vec![]);
        let out = rematch_cohort(&after, &cfg(MatchObjective::Coverage), &previous, &opts)
            .expect("rematch");
        assert!(out.result.violations.is_empty());
        let chosen: HashSet<(String, String)> = out
            .rematch
            .pairs
            .iter()
            .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()))
            .collect();
        let explained: HashSet<(String, String)> = out
            .result
            .pairs
            .iter()
            .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()))
            .collect();
        assert_eq!(chosen, explained);
        let change = |mentee: &str| {
            out.rematch
                .changes
                .iter()
                .find(|c| c.mentee_id == mentee)
                .expect("reported")
        };
        assert_eq!(change("c").dissolved, Some(DissolveReason::MenteeLeft));
        assert_eq!(change("b").status, PairStatus::Dissolved);
        assert!(
            change("b").reason.contains("reporting line"),
            "{}",
            change("b").reason
        );
        assert!(!explained.contains(&("b".to_string(), "m1".to_string())));
        // Scores in the report are the matching pipeline's own.
        for p in &out.result.pairs {
            let r = out
                .rematch
                .pairs
                .iter()
                .find(|x| x.mentee_id == p.mentee_id && x.mentor_id == p.mentor_id)
                .expect("same pairs");
            assert!((r.score - p.score).abs() < 1e-12);
        }
        let status = |id: &str| {
            out.rematch
                .mentees
                .iter()
                .find(|m| m.mentee_id == id)
                .expect("mentee")
                .status
        };
        assert_eq!(status("e"), MenteeStatus::New);
        assert_eq!(status("b"), MenteeStatus::Dissolved);
        assert_eq!(status("c"), MenteeStatus::Dissolved);
    }

    #[test]
    fn no_bonus_equals_a_fresh_match_and_a_large_one_keeps_everything_valid() {
        let before = cohort(
            "id,goals\na,leadership\nb,python\nc,speaking\nd,sql\n",
            MENTORS,
        );
        let previous = previous_of(&before);
        let after = cohort(
            "id,goals\na,sql\nb,leadership\nc,python\nd,speaking\n",
            MENTORS,
        );
        for objective in [MatchObjective::Coverage, MatchObjective::Score] {
            let fresh = match_cohort(&after, &cfg(objective)).expect("fresh");
            let zero = rematch_cohort(&after, &cfg(objective), &previous, &ropts(0.0, vec![]))
                .expect("rematch");
            assert!((zero.rematch.total_score - fresh.summary.total_score).abs() < 1e-9);
            assert_eq!(zero.result.pairs.len(), fresh.pairs.len());
        }
        let keep = rematch_cohort(
            &after,
            &cfg(MatchObjective::Score),
            &previous,
            &ropts(10.0, vec![]),
        )
        .expect("rematch");
        assert_eq!(keep.rematch.counts.kept, 4);
        assert!(keep
            .rematch
            .changes
            .iter()
            .all(|c| c.status == PairStatus::Kept));
    }

    #[test]
    fn a_frozen_pair_across_a_reporting_line_is_refused() {
        let c = cohort("id,manager_id\na,m0\n", MENTORS);
        let err = rematch_cohort(
            &c,
            &cfg(MatchObjective::Coverage),
            &[],
            &ropts(0.1, vec![PairId::new("a", "m0")]),
        )
        .expect_err("frozen pair breaks the reporting-line rule");
        assert!(matches!(
            err,
            CohortRematchError::Rematch(RematchError::FrozenInvalid { .. })
        ));
        assert!(err.to_string().contains("reporting line"), "{err}");
    }
    #[test]
    fn fairness_modes_drive_the_re_solve() {
        use mentorpair::fairness::{Fairness, FairnessReport};
        // Goals skewed by group, so the plain optimum favours one group and the floor binds.
        let goals = ["leadership", "python", "sql", "speaking"];
        let mut mentees = String::from("id,goals,gender\n");
        for i in 0..24 {
            let g = if i % 2 == 0 {
                goals[i % 4]
            } else {
                goals[(i / 2) % 2 + 2]
            };
            let gender = if i % 2 == 0 { "a" } else { "b" };
            mentees.push_str(&format!("e{i},{g},{gender}\n"));
        }
        let mentors = "id,goals,capacity\nm0,leadership;python,3\nm1,python,3\nm2,sql,2\nm3,leadership,3\nm4,speaking;sql,2\n";
        let cohort = Cohort {
            mentees: read_csv(Role::Mentee, mentees.as_bytes(), &["gender".to_string()])
                .expect("mentees"),
            mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).expect("mentors"),
        };
        let plain = cfg(MatchObjective::Coverage);
        let previous: Vec<PairId> = match_cohort(&cohort, &plain)
            .expect("match")
            .pairs
            .iter()
            .map(|p| PairId::new(p.mentee_id.clone(), p.mentor_id.clone()))
            .collect();
        for fairness in [
            Fairness::GroupFloor {
                by: vec!["gender".into()],
                tolerance: 0.05,
                rate_parity: false,
            },
            Fairness::Maximin,
        ] {
            let mut config = plain.clone();
            config.fairness = Some(fairness.clone());
            let out = rematch_cohort(&cohort, &config, &previous, &RematchOptions::default())
                .expect("rematch");
            assert!(out.result.violations.is_empty());
            match (&fairness, &out.result.fairness) {
                (Fairness::GroupFloor { .. }, Some(FairnessReport::GroupFloor { .. }))
                | (Fairness::Maximin, Some(FairnessReport::Maximin { .. })) => {}
                other => panic!("report does not match the mode: {other:?}"),
            }
            // With no bonus and the same cohort, the fairness-aware rematch is the fairness-aware match.
            let fresh = match_cohort(&cohort, &config).expect("match");
            assert!((out.rematch.total_score - fresh.summary.total_score).abs() < 1e-6);
        }
    }
}

/// Rematch options without checking them (the checks are what some tests exercise).
fn ropts(keep_bonus: f64, freeze: Vec<PairId>) -> RematchOptions {
    let mut o = RematchOptions::default();
    o.keep_bonus = keep_bonus;
    o.freeze = freeze;
    o
}

#[test]
fn the_default_keep_bonus_is_the_documented_one() {
    assert_eq!(
        RematchOptions::default().keep_bonus,
        mentorpair::rematch::DEFAULT_KEEP_BONUS
    );
    assert_eq!(mentorpair::rematch::DEFAULT_KEEP_BONUS, 0.1);
    let e = RematchOptions::new(Some(-1.0), vec![]).unwrap_err();
    assert_eq!(e.option, "keep_bonus");
    assert!(e.to_string().contains("`keep_bonus`"), "{e}");
}
