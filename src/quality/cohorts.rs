//! Quality runs on cohorts: prepare the problem once, run every strategy on its scores, and
//! re-check each result with the problem's independent audit.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{
    assign_grouped, first_column_groups, run_strategies, QualityError, Strategy, StrategyRun,
};
use crate::cohort::Cohort;
use crate::problem::{MatchConfig, Problem};
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

/// Prepare `cohort` once for the strategies; pins are refused (no strategy here honours them).
fn prepare(cohort: &Cohort, cfg: &MatchConfig) -> Result<Problem, QualityError> {
    if !cfg.pin.is_empty() {
        return Err(QualityError::Unsupported(
            "pinned pairs: the strategies compared here do not honour pins; remove `pin` from the configuration".into(),
        ));
    }
    Ok(Problem::new(cohort.clone(), cfg.clone())?)
}

/// Compare `strategies` on one cohort: the same score matrix and mask for all, each result
/// audited. `seed` seeds the random strategy and labels the runs.
pub fn compare_cohort(
    cohort: &Cohort,
    cfg: &MatchConfig,
    strategies: &[Strategy],
    seed: u64,
) -> Result<Vec<StrategyRun>, QualityError> {
    prepare(cohort, cfg)?.run_strategies(strategies, seed)
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
    prepare(cohort, cfg)?.strategy_pairs(strategies, seed)
}

impl Problem {
    /// Run the quality `strategies` on this prepared problem: the same scores and mask for all,
    /// each result audited by [`Problem::violations`]. `seed` seeds the random strategy and
    /// labels the runs.
    ///
    /// # Errors
    /// [`QualityError::Unsupported`] when the problem has pins (no strategy here honours them);
    /// a fairness or solver error of a strategy.
    pub fn run_strategies(
        &self,
        strategies: &[Strategy],
        seed: u64,
    ) -> Result<Vec<StrategyRun>, QualityError> {
        self.refuse_pins()?;
        run_strategies(
            &self.instance(),
            &self.cohort().mentees.protected,
            strategies,
            seed,
            &|pairs| self.violations(pairs).len(),
        )
    }

    /// The pairs each strategy forms on this prepared problem.
    ///
    /// # Errors
    /// As [`Problem::run_strategies`].
    pub fn strategy_pairs(
        &self,
        strategies: &[Strategy],
        seed: u64,
    ) -> Result<Vec<StrategyPair>, QualityError> {
        self.refuse_pins()?;
        let protected = &self.cohort().mentees.protected;
        let instance = self.instance();
        let ids = first_column_groups(protected, instance.dims().0);
        let groups = |i: usize| -> BTreeMap<String, String> {
            protected
                .columns
                .iter()
                .filter_map(|c| Some((c.clone(), protected.get(i, c)?.to_string())))
                .collect()
        };
        let (mentees, mentors) = (&self.cohort().mentees.people, &self.cohort().mentors.people);
        let mut out = Vec::new();
        for &strategy in strategies {
            for (i, j) in assign_grouped(strategy, &instance, &ids, seed)? {
                out.push(StrategyPair {
                    strategy,
                    mentee: i,
                    mentor: j,
                    mentee_id: mentees[i].id.clone(),
                    mentor_id: mentors[j].id.clone(),
                    score: instance.scores[[i, j]],
                    mentee_groups: groups(i),
                });
            }
        }
        Ok(out)
    }

    fn refuse_pins(&self) -> Result<(), QualityError> {
        if let Err(e) = self.require_dense("the quality strategies") {
            return Err(QualityError::Unsupported(e.to_string()));
        }
        if self.pins().is_empty() {
            Ok(())
        } else {
            Err(QualityError::Unsupported(
                "pinned pairs: the strategies compared here do not honour pins; remove `pin` from the configuration".into(),
            ))
        }
    }
}
