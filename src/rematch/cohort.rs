//! Rematching a prepared cohort: the rematch on the problem's own scores and mask, the new
//! matching reported by [`Problem::report`]. The cohort is scored once, when it is prepared.

use std::collections::HashSet;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::{rematch_scores_with, Labels, PairId, Rematch, RematchError, RematchOptions};
use crate::cohort::Cohort;
use crate::constraints::Exclusion;
use crate::fairness::solve_fair;
use crate::problem::{MatchConfig, MatchError, MatchResult, Problem, SolveOptions};

/// A rematch of a cohort: what changed, and the new matching as a full [`MatchResult`] (scores
/// explained, unmatched reasons, the independent constraint audit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRematch {
    /// Kept / released / dissolved / new pairs, per-mentee status and the score gained.
    pub rematch: Rematch,
    /// The new matching, reported by the prepared problem ([`Problem::report`]); `pinned` marks
    /// the frozen pairs and `config` is the caller's, with the frozen pairs as `pin`.
    pub result: MatchResult,
}

/// Errors of [`rematch_cohort`] and [`Problem::rematch`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CohortRematchError {
    /// Scoring or matching refused the cohort or the configuration.
    #[error(transparent)]
    Match(#[from] MatchError),
    /// The rematch itself failed (a frozen pair breaking a constraint, a bad keep bonus, ...).
    #[error(transparent)]
    Rematch(#[from] RematchError),
}

impl Problem {
    /// Rematch this round's prepared cohort against last round's pairs, with the configuration's
    /// objective and fairness mode; see [`Problem::rematch_with`].
    ///
    /// # Errors
    /// As [`Problem::rematch_with`].
    pub fn rematch(
        &self,
        previous: &[PairId],
        options: &RematchOptions,
    ) -> Result<CohortRematch, CohortRematchError> {
        self.rematch_with(previous, options, &SolveOptions::from_config(self.config()))
    }

    /// Rematch after goals, people or constraints changed, on this problem's scores and mask.
    ///
    /// `previous` are last round's pairs by id; the configuration's `pin` pairs are frozen
    /// besides `options.freeze`. Pairs that now break a hard constraint (reporting line,
    /// department, `forbid`, minimum score, a mentor with capacity 0) or lost a person are
    /// dissolved, with the mask's reason; frozen pairs stay or the call fails naming them; the rest
    /// is re-solved with the keep bonus on still-valid pairs, fairness-aware when `solve` asks.
    /// The new matching is reported by [`Problem::report`]: no second scoring.
    ///
    /// # Errors
    /// [`CohortRematchError::Rematch`] for a frozen pair that cannot be kept, a duplicate pair or
    /// a bad keep bonus; [`CohortRematchError::Match`] when the fairness mode cannot be applied.
    pub fn rematch_with(
        &self,
        previous: &[PairId],
        options: &RematchOptions,
        solve: &SolveOptions,
    ) -> Result<CohortRematch, CohortRematchError> {
        self.require_dense("rematch")?;
        if self.has_load_terms() {
            return Err(crate::problem::MatchError::Config(crate::options::ConfigError::new(
                "min_load",
                self.config().min_load,
                "0 (and spread 0, no min_load column) for a rematch: its solver has no load bounds; rematch without them, or match again with them",
            ))
            .into());
        }
        let t = Instant::now();
        let mentee_ids: Vec<String> = self.mentee_ids().map(str::to_string).collect();
        let mentor_ids: Vec<String> = self.mentor_ids().map(str::to_string).collect();
        let labels = Labels {
            mentee_ids: &mentee_ids,
            mentor_ids: &mentor_ids,
        };
        let min_score = self.config().min_score;
        let why = |r: usize, c: usize| match self.mask().reason(r, c) {
            Some(Exclusion::BelowMinScore) | None => {
                format!("the score is below min_score {min_score}")
            }
            Some(e) => e.describe().to_string(),
        };
        let mut options = options.clone();
        for (a, b) in &self.config().pin {
            let pin = PairId::new(a.clone(), b.clone());
            if !options.freeze.contains(&pin) {
                options.freeze.push(pin);
            }
        }
        let objective = solve.objective.solver();
        let instance = self.instance();
        // With a fairness mode, the re-solve is the fairness-aware one (on the weights with the
        // keep bonus), and its report goes with the result.
        let mut fair_report = None;
        let rematch = rematch_scores_with(&instance, &labels, previous, &options, &why, |input| {
            match &solve.fairness {
                None => input
                    .solve(objective)
                    .map(|m| m.pairs)
                    .map_err(|e| e.to_string()),
                Some(fairness) => {
                    solve_fair(input, &self.cohort().mentees.protected, objective, fairness)
                        .map(|report| {
                            let pairs = report.pairs().to_vec();
                            fair_report = Some(report);
                            pairs
                        })
                        .map_err(|e| e.to_string())
                }
            }
            .map_err(RematchError::Solver)
        })?;
        let solve_ms = t.elapsed().as_secs_f64() * 1e3;

        let chosen: Vec<(usize, usize)> =
            rematch.pairs.iter().map(|p| (p.mentee, p.mentor)).collect();
        let mut result = self.report(&chosen);
        // Report the caller's pins and frozen pairs as pinned.
        let frozen: HashSet<(&str, &str)> = rematch
            .pairs
            .iter()
            .filter(|p| p.frozen)
            .map(|p| (p.mentee_id.as_str(), p.mentor_id.as_str()))
            .collect();
        for p in &mut result.pairs {
            p.pinned = frozen.contains(&(p.mentee_id.as_str(), p.mentor_id.as_str()));
        }
        result.config.objective = solve.objective;
        result.config.fairness = solve.fairness.clone();
        result.config.pin = options
            .freeze
            .iter()
            .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()))
            .collect();
        result.fairness = fair_report;
        result.timings.solve_ms = solve_ms;
        result.timings.total_ms += solve_ms;
        Ok(CohortRematch { rematch, result })
    }
}

/// Rematch a cohort after goals, people or constraints changed: [`Problem::new`] then
/// [`Problem::rematch`].
///
/// `previous` are last round's pairs by id; `config` is the match configuration for this round
/// (its `pin` pairs are frozen too, its objective is the solver's); `options` gives the keep bonus
/// and the frozen pairs.
///
/// # Errors
/// As [`Problem::new`] (as [`CohortRematchError::Match`]) and [`Problem::rematch`].
pub fn rematch_cohort(
    cohort: &Cohort,
    config: &MatchConfig,
    previous: &[PairId],
    options: &RematchOptions,
) -> Result<CohortRematch, CohortRematchError> {
    Problem::new(cohort.clone(), config.clone())?.rematch(previous, options)
}
