//! Blockwise matching against the single-machine prepared problem: the same scores bit for bit,
//! the same candidates' exclusions, the same optimum, certified.

use mentorpair::distributed::{
    solve_in_blocks, table_rows, BlockScorer, MenteeContext, PartitionSummary,
};
use mentorpair::lsap::Budget;
use mentorpair::problem::{MatchConfig, Objective, Problem};
use mentorpair::synthetic::{generate, CohortSpec};

fn cohort(n: usize, m: usize, seed: u64) -> mentorpair::cohort::Cohort {
    let mut spec = CohortSpec::new(n, m).seed(seed);
    spec.decline_share = 0.1;
    spec.avoid_share = 0.1;
    generate(&spec).unwrap()
}

fn config(cohort: &mentorpair::cohort::Cohort) -> MatchConfig {
    let mut cfg = MatchConfig::default();
    cfg.scoring.reference_date = chrono::NaiveDate::from_ymd_opt(2027, 3, 1);
    cfg.min_score = 0.2;
    cfg.exclude_same_department = true;
    let (a, b) = (&cohort.mentees.people, &cohort.mentors.people);
    cfg.forbid = vec![(a[3].id.clone(), b[1].id.clone())];
    cfg
}

/// Every pair of every partition scores as in the dense problem, NaN exactly where it is NaN.
#[test]
fn block_scores_are_bit_identical_to_the_prepared_problem() {
    let c = cohort(90, 40, 3);
    let cfg = config(&c);
    let problem = Problem::new(c.clone(), cfg.clone()).unwrap();
    let dense = problem.scores().to_dense();
    let ranges = [0..25, 25..26, 26..90];
    let parts: Vec<_> = ranges
        .iter()
        .map(|r| table_rows(&c.mentees, r.clone()))
        .collect();
    let summaries: Vec<_> = parts
        .iter()
        .map(|p| PartitionSummary::of(p, &c.mentors).unwrap())
        .collect();
    let ctx = MenteeContext::merge(&summaries).unwrap();
    assert_eq!(ctx.offsets, vec![0, 25, 26, 90]);
    let mut compared = 0;
    for (p, r) in parts.into_iter().zip(&ranges) {
        let block =
            BlockScorer::new(p, &c.mentors, cfg.clone(), &ctx.worker_view(), r.start).unwrap();
        let mut row = vec![0.0; 40];
        for i in 0..r.len() {
            block.score_row(i, &mut row);
            for (j, &s) in row.iter().enumerate() {
                let d = dense[[r.start + i, j]];
                assert!(
                    s.to_bits() == d.to_bits() || (s.is_nan() && d.is_nan()),
                    "pair ({}, {j}): block {s} vs dense {d}",
                    r.start + i
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 90 * 40);
    assert!(dense.iter().any(|x| x.is_nan()) && dense.iter().any(|x| !x.is_nan()));
}

/// Reporting lines run through mentees of other partitions: a mentee whose manager is a mentee
/// elsewhere, whose manager is a mentor, is excluded from that mentor.
#[test]
fn reporting_lines_cross_partitions() {
    let mentees = "id,goals,manager_id\na,x,b\nb,x,m1\nc,x,\n";
    let mentors = "id,goals,capacity\nm1,x,3\nm2,x,3\n";
    let read = |role, text: &str| mentorpair::io::read_csv(role, text.as_bytes(), &[]).unwrap();
    let c = mentorpair::cohort::Cohort {
        mentees: read(mentorpair::cohort::Role::Mentee, mentees),
        mentors: read(mentorpair::cohort::Role::Mentor, mentors),
    };
    let cfg = MatchConfig::default();
    let single = Problem::new(c.clone(), cfg.clone()).unwrap();
    assert!(single.scores().get(0, 0).is_none());
    let parts = [table_rows(&c.mentees, 0..1), table_rows(&c.mentees, 1..3)];
    let summaries: Vec<_> = parts
        .iter()
        .map(|p| PartitionSummary::of(p, &c.mentors).unwrap())
        .collect();
    let ctx = MenteeContext::merge(&summaries).unwrap();
    let first = BlockScorer::new(parts[0].clone(), &c.mentors, cfg, &ctx.worker_view(), 0).unwrap();
    let mut row = vec![0.0; 2];
    first.score_row(0, &mut row);
    assert!(row[0].is_nan(), "a -> b -> m1 is a reporting line");
    assert!(!row[1].is_nan());
}

fn pairs_of(problem: &Problem) -> Vec<(usize, usize)> {
    problem.solve().unwrap().pairs
}

/// The blockwise match reaches the dense problem's optimum, certified, across seeds, sizes,
/// partition sizes and both objectives.
#[test]
fn blocks_reach_the_single_machine_optimum() {
    for (seed, n, m, rows, objective) in [
        (1, 120, 50, 17, Objective::Coverage),
        (2, 200, 60, 64, Objective::Score),
        (5, 80, 90, 80, Objective::Coverage),
    ] {
        let c = cohort(n, m, seed);
        let mut cfg = config(&c);
        cfg.objective = objective;
        cfg.pin = vec![(
            c.mentees.people[10].id.clone(),
            c.mentors.people[7].id.clone(),
        )];
        let problem = match Problem::new(c.clone(), cfg.clone()) {
            Ok(p) => p,
            Err(_) => {
                cfg.pin.clear();
                Problem::new(c.clone(), cfg.clone()).unwrap()
            }
        };
        let want = pairs_of(&problem);
        let total: f64 = want.iter().map(|&(i, j)| problem.score(i, j)).sum();
        let got = solve_in_blocks(&c, &cfg, rows, 3, 2, &Budget::default()).unwrap();
        assert!(
            got.certificate.certified,
            "seed {seed}: {:?}",
            got.certificate
        );
        assert!(got.certificate.rounds >= 1 && got.certificate.pairs_checked > 0);
        let pairs: Vec<(usize, usize)> = got.pairs.iter().map(|p| (p.0, p.1)).collect();
        let got_total: f64 = got.pairs.iter().map(|p| p.2).sum();
        assert_eq!(pairs.len(), want.len(), "seed {seed}: coverage");
        assert!(
            (got_total - total).abs() < 1e-9,
            "seed {seed}: {got_total} vs {total}"
        );
        for p in &got.pairs {
            assert_eq!(
                problem.scores().get(p.0, p.1).map(f64::to_bits),
                Some(p.2.to_bits())
            );
        }
        assert_eq!(pairs, want, "seed {seed}: the optimum is unique here");
        assert_eq!(got.pairs.iter().filter(|p| p.3).count(), cfg.pin.len());
    }
}

/// Ids checked against the whole cohort, not one partition.
#[test]
fn unknown_ids_and_duplicates_are_errors() {
    let c = cohort(30, 12, 4);
    let mut cfg = config(&c);
    cfg.forbid
        .push(("nobody".into(), c.mentors.people[0].id.clone()));
    let err = solve_in_blocks(&c, &cfg, 10, 3, 2, &Budget::default()).unwrap_err();
    assert!(
        err.to_string().contains("no mentee has id \"nobody\""),
        "{err}"
    );
    let mut twice = c.clone();
    let id = twice.mentees.people[2].id.clone();
    twice.mentees.people[20].id = id;
    let err = solve_in_blocks(&twice, &config(&c), 10, 3, 2, &Budget::default()).unwrap_err();
    assert!(err.to_string().contains("appears twice"), "{err}");
}
