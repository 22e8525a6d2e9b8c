//! Solving a prepared problem: the pins fixed, the rest handed to the capacitated solver (or the
//! fairness-aware solve driving it), pairs and duals back.

use std::borrow::Cow;
use std::time::Instant;

use ndarray::CowArray;
use serde::{Deserialize, Serialize};

use super::{ms, MatchConfig, MatchError, Objective, Problem};
use crate::fairness::{self, Fairness, FairnessReport};
use crate::lsap::Instance;

/// What [`Problem::solve_with`] optimises. [`Problem::solve`] takes them from the configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SolveOptions {
    /// What the solver maximises (default coverage).
    pub objective: Objective,
    /// A fairness-aware solve instead of the plain one (default none).
    pub fairness: Option<Fairness>,
}

impl SolveOptions {
    /// The objective and fairness mode of a match configuration.
    pub fn from_config(config: &MatchConfig) -> Self {
        SolveOptions {
            objective: config.objective,
            fairness: config.fairness.clone(),
        }
    }
}

/// Dual potentials of the plain capacitated solve over the capacities left after the pins (see
/// [`crate::lsap::Matching`] for what they certify).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Duals {
    /// Row (mentee) duals, score part.
    pub row: Vec<f64>,
    /// Column (mentor) duals, score part.
    pub col: Vec<f64>,
    /// Row duals, coverage part (all zero for the score objective).
    pub row_count: Vec<i64>,
    /// Column duals, coverage part.
    pub col_count: Vec<i64>,
}

/// A solution of a prepared problem, in row and column indices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// Matched `(mentee row, mentor column)` pairs, pins included, sorted.
    pub pairs: Vec<(usize, usize)>,
    /// The plain solve's duals; `None` after a fairness-aware solve or when a side is empty.
    pub duals: Option<Duals>,
    /// What was optimised.
    pub options: SolveOptions,
    /// The fairness-aware solve's report, when one ran.
    pub fairness: Option<FairnessReport>,
    /// Wall-clock time of the solve, in milliseconds.
    pub solve_ms: f64,
    /// Mentors left below their minimum load (only with `min_load_shortfall = "report"`;
    /// empty when every minimum load is met or none is set).
    #[serde(default)]
    pub load_shortfall: Vec<super::MentorShortfall>,
}

impl Problem {
    /// The capacities left after the pins, and the scores with the pinned pairs taken out (a
    /// copy only when there are pins).
    pub(crate) fn residual(&self) -> Instance<'_> {
        let mut row = self.mentee_capacity.clone();
        let mut col = self.mentor_capacity.clone();
        for p in &self.pins {
            row[p.mentee] -= 1;
            col[p.mentor] -= 1;
        }
        let full = self.instance();
        let scores = if self.pins.is_empty() {
            full.scores
        } else {
            let mut owned = full.scores.into_owned();
            for p in &self.pins {
                owned[[p.mentee, p.mentor]] = f64::NAN;
            }
            CowArray::from(owned)
        };
        Instance {
            scores,
            row_capacity: Cow::Owned(row),
            col_capacity: Cow::Owned(col),
        }
    }

    /// Solve with the configuration's objective and fairness mode.
    ///
    /// # Errors
    /// As [`Problem::solve_with`].
    pub fn solve(&self) -> Result<Solution, MatchError> {
        self.solve_with(&SolveOptions::from_config(&self.config))
    }

    /// The optimal pairing under every hard constraint with these options: the pins plus the
    /// capacitated solve (or the fairness-aware one) of the rest.
    ///
    /// # Errors
    /// [`MatchError::Fairness`] when the fairness mode cannot be applied (an unknown protected
    /// column, a bad tolerance); [`MatchError::Solver`] should not happen on a prepared problem.
    pub fn solve_with(&self, options: &SolveOptions) -> Result<Solution, MatchError> {
        let t = Instant::now();
        let (rows, cols) = self.dims();
        let mut duals = None;
        let mut fairness_report = None;
        let mut pairs: Vec<(usize, usize)> =
            self.pins.iter().map(|p| (p.mentee, p.mentor)).collect();
        if rows > 0 && cols > 0 {
            let residual = self.residual();
            let objective = options.objective.solver();
            let loads = self.residual_loads();
            if let (Some(_), Some(f)) = (&loads, &options.fairness) {
                return Err(MatchError::Config(format!(
                    "the fairness mode {} does not support min_load or spread (its solver has no load bounds); drop the fairness option, or set min_load = 0 and spread = 0",
                    match f {
                        Fairness::GroupFloor { .. } => "group_floor",
                        Fairness::Maximin => "maximin",
                    }
                )));
            }
            if let Some(loads) = &loads {
                let opts = crate::lsap::CapacitatedOptions {
                    objective,
                    ..Default::default()
                };
                let r = crate::lsap::solve_capacitated_loads(
                    residual.scores(),
                    &residual.row_capacity,
                    &residual.col_capacity,
                    &opts,
                    loads,
                )?;
                let m = r.matching;
                pairs.extend_from_slice(&m.pairs);
                duals = Some(Duals {
                    row: m.row_duals,
                    col: m.col_duals,
                    row_count: m.row_count_duals,
                    col_count: m.col_count_duals,
                });
            } else if let Some(f) = &options.fairness {
                let report =
                    fairness::solve_fair(&residual, &self.cohort.mentees.protected, objective, f)?;
                pairs.extend_from_slice(report.pairs());
                fairness_report = Some(report);
            } else {
                let m = residual.solve(objective)?;
                pairs.extend_from_slice(&m.pairs);
                duals = Some(Duals {
                    row: m.row_duals,
                    col: m.col_duals,
                    row_count: m.row_count_duals,
                    col_count: m.col_count_duals,
                });
            }
        }
        pairs.sort_unstable();
        let load_shortfall = self.shortfall(&pairs);
        if !load_shortfall.is_empty()
            && self.config.min_load_shortfall == super::ShortfallPolicy::Error
        {
            let total = load_shortfall.iter().map(|s| u64::from(s.shortfall)).sum();
            return Err(MatchError::LoadShortfall(Box::new(
                super::LoadShortfallError {
                    short: load_shortfall,
                    total,
                },
            )));
        }
        Ok(Solution {
            pairs,
            duals,
            options: options.clone(),
            fairness: fairness_report,
            solve_ms: ms(t),
            load_shortfall,
        })
    }
}
