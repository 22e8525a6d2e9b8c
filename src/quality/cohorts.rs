//! Quality runs on cohorts: score and mask with the match module, run every strategy on the same
//! matrix, and re-check each result with the match module's independent audit.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{
    assign, first_column_groups, run_strategies, Problem, QualityError, Strategy, StrategyRun,
};
use crate::cohort::Cohort;
use crate::constraints::{self, AuditRules};
use crate::matching::{self, MatchConfig};
use crate::synthetic::{self, CohortSpec};

/// The reference date of [`benchmark_config`]: a fixed Monday, so a benchmark scores
/// availability the same way on every day it is run.
pub fn benchmark_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap_or_default()
}

/// The match configuration used by [`compare`]: the documented defaults with the reference date
/// fixed to [`benchmark_date`].
pub fn benchmark_config() -> MatchConfig {
    let mut cfg = MatchConfig::default();
    cfg.scoring.reference_date = Some(benchmark_date());
    cfg
}

/// Generate one cohort per seed from `spec` (the seed replaces `spec.seed`) and compare the
/// strategies on each, with [`benchmark_config`]. One [`StrategyRun`] per strategy and seed.
pub fn compare(
    spec: &CohortSpec,
    seeds: &[u64],
    strategies: &[Strategy],
) -> Result<Vec<StrategyRun>, QualityError> {
    compare_with(spec, seeds, strategies, &benchmark_config())
}

/// [`compare`] with a chosen match configuration.
pub fn compare_with(
    spec: &CohortSpec,
    seeds: &[u64],
    strategies: &[Strategy],
    cfg: &MatchConfig,
) -> Result<Vec<StrategyRun>, QualityError> {
    let mut runs = Vec::with_capacity(seeds.len() * strategies.len());
    for &seed in seeds {
        let cohort = synthetic::generate(&spec.clone().seed(seed))?;
        runs.extend(compare_cohort(&cohort, cfg, strategies, seed)?);
    }
    Ok(runs)
}

/// The scored, masked problem of a cohort, ready for the strategies.
struct Scored {
    scores: ndarray::Array2<f64>,
    mentee_ids: Vec<String>,
    mentor_ids: Vec<String>,
    wanted: Vec<u32>,
    capacity: Vec<u32>,
}

fn score(cohort: &Cohort, cfg: &MatchConfig) -> Result<Scored, QualityError> {
    if !cfg.pin.is_empty() {
        return Err(QualityError::Unsupported(
            "pinned pairs: the strategies compared here do not honour pins; remove `pin` from the configuration".into(),
        ));
    }
    let m = matching::score_matrix(cohort, cfg)?;
    Ok(Scored {
        scores: m.scores,
        mentee_ids: m.mentee_ids,
        mentor_ids: m.mentor_ids,
        wanted: cohort.mentees.people.iter().map(|p| p.capacity).collect(),
        capacity: cohort.mentors.people.iter().map(|p| p.capacity).collect(),
    })
}

/// The number of hard constraints `pairs` breaks, found by the match module's audit from the
/// raw cohort.
fn audit_count(cohort: &Cohort, cfg: &MatchConfig, s: &Scored, pairs: &[(usize, usize)]) -> usize {
    let named: Vec<(String, String, f64)> = pairs
        .iter()
        .filter_map(|&(i, j)| {
            Some((
                s.mentee_ids.get(i)?.clone(),
                s.mentor_ids.get(j)?.clone(),
                *s.scores.get((i, j))?,
            ))
        })
        .collect();
    let rules = AuditRules {
        exclude_same_department: cfg.exclude_same_department,
        forbid: &cfg.forbid,
        pin: &cfg.pin,
        min_score: cfg.min_score,
    };
    // Pairs that could not be named are out of range; check_pairs counts those.
    constraints::audit(cohort, rules, &named).len()
}

/// Compare `strategies` on one cohort: the same score matrix and mask for all, each result
/// audited. `seed` seeds the random strategy and labels the runs.
pub fn compare_cohort(
    cohort: &Cohort,
    cfg: &MatchConfig,
    strategies: &[Strategy],
    seed: u64,
) -> Result<Vec<StrategyRun>, QualityError> {
    let s = score(cohort, cfg)?;
    let problem = Problem::new(s.scores.view(), &s.wanted, &s.capacity)?;
    run_strategies(
        &problem,
        &cohort.mentees.protected,
        strategies,
        seed,
        &|pairs| audit_count(cohort, cfg, &s, pairs),
    )
}

/// One matched pair of a strategy, for plotting and inspection.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StrategyPair {
    /// The strategy that formed the pair.
    pub strategy: Strategy,
    /// Mentee row.
    pub mentee: usize,
    /// Mentor row.
    pub mentor: usize,
    /// Mentee id.
    pub mentee_id: String,
    /// Mentor id.
    pub mentor_id: String,
    /// The pair's score.
    pub score: f64,
    /// The mentee's protected attributes (column → value; missing values left out), for
    /// reporting by group.
    pub mentee_groups: BTreeMap<String, String>,
}

/// The pairs each strategy forms on one cohort (same matrix as [`compare_cohort`]).
pub fn strategy_pairs(
    cohort: &Cohort,
    cfg: &MatchConfig,
    strategies: &[Strategy],
    seed: u64,
) -> Result<Vec<StrategyPair>, QualityError> {
    let s = score(cohort, cfg)?;
    let protected = &cohort.mentees.protected;
    let ids = first_column_groups(protected, s.wanted.len());
    let problem = Problem::new(s.scores.view(), &s.wanted, &s.capacity)?.with_groups(&ids)?;
    let groups = |i: usize| -> BTreeMap<String, String> {
        protected
            .columns
            .iter()
            .filter_map(|c| Some((c.clone(), protected.get(i, c)?.to_string())))
            .collect()
    };
    let mut out = Vec::new();
    for &strategy in strategies {
        for (i, j) in assign(strategy, &problem, seed)? {
            out.push(StrategyPair {
                strategy,
                mentee: i,
                mentor: j,
                mentee_id: s.mentee_ids[i].clone(),
                mentor_id: s.mentor_ids[j].clone(),
                score: s.scores[[i, j]],
                mentee_groups: groups(i),
            });
        }
    }
    Ok(out)
}
