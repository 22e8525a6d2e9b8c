//! Fairness-aware solving on a cohort's score matrix: the entry point `match` calls when a
//! fairness mode is configured. Chooses group ids from the mentees' protected columns and runs
//! [`group_floor`] or [`maximin`] with the capacitated solver.

use super::{
    group_floor, maximin, CapacitatedSolver, FairnessError, GroupFloorOptions, GroupFloorResult,
    GroupLabels, MaximinResult,
};
use crate::cohort::Protected;
use crate::lsap::{Instance, Objective};
use serde::{Deserialize, Serialize};

/// Which fairness-aware solve to run instead of the plain one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Fairness {
    /// Every mentee group's mean score ≥ (1 − tolerance) × the overall mean.
    GroupFloor {
        /// Protected mentee columns whose combined value defines the groups.
        by: Vec<String>,
        /// ε in `[0, 1)`.
        tolerance: f64,
        /// Also hold every group's match rate ≥ (1 − ε) × the overall rate.
        #[serde(default)]
        rate_parity: bool,
    },
    /// Keep the coverage, maximise the lowest matched score, then the total.
    Maximin,
}

/// What a fairness-aware solve reports next to its pairs (serde).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum FairnessReport {
    /// [`Fairness::GroupFloor`]: the result plus the display name of each group id.
    GroupFloor {
        /// Protected columns defining the groups.
        by: Vec<String>,
        /// `group_names[g]` names group id `g` (see [`super::audit::group_name`]).
        group_names: Vec<String>,
        /// Constraints met per group, iterations, price of fairness.
        result: GroupFloorResult,
    },
    /// [`Fairness::Maximin`].
    Maximin {
        /// Lowest score, total, price, solves.
        result: MaximinResult,
    },
}

impl FairnessReport {
    /// The chosen matching's pairs.
    pub fn pairs(&self) -> &[(usize, usize)] {
        match self {
            FairnessReport::GroupFloor { result, .. } => &result.pairs,
            FairnessReport::Maximin { result } => &result.pairs,
        }
    }
}

/// Run the configured fairness-aware solve on an instance whose forbidden pairs are NaN.
///
/// `mentees` holds the mentee table's protected attributes (row-aligned with the instance's
/// rows); capacities come with the instance, the objective is the plain problem's. Maximin always
/// drives the solver with the coverage objective (it keeps the plain coverage by definition).
pub fn solve_fair(
    instance: &Instance<'_>,
    mentees: &Protected,
    objective: Objective,
    fairness: &Fairness,
) -> Result<FairnessReport, FairnessError> {
    let scores = instance.scores();
    match fairness {
        Fairness::GroupFloor {
            by,
            tolerance,
            rate_parity,
        } => {
            let labels = GroupLabels::from_protected(mentees, by, "mentees")?;
            if labels.len() != scores.nrows() {
                return Err(FairnessError::Shape(format!(
                    "{} mentees carry protected values but the score matrix has {} rows",
                    labels.len(),
                    scores.nrows()
                )));
            }
            let (keys, ids) = labels.group_ids();
            let mut solver = CapacitatedSolver::for_instance(instance, objective);
            let opts = GroupFloorOptions {
                tolerance: *tolerance,
                rate_parity: *rate_parity,
                ..GroupFloorOptions::default()
            };
            let result = group_floor(scores, &ids, &mut solver, &opts)?;
            Ok(FairnessReport::GroupFloor {
                by: by.clone(),
                group_names: keys.iter().map(|k| super::audit::group_name(k)).collect(),
                result,
            })
        }
        Fairness::Maximin => {
            let mut solver = CapacitatedSolver::for_instance(instance, Objective::Coverage);
            Ok(FairnessReport::Maximin {
                result: maximin(scores, &mut solver)?,
            })
        }
    }
}

/// group-floor tolerance when none is given.
pub const DEFAULT_TOLERANCE: f64 = 0.05;

/// The name of a fairness-aware solve, parsed once for every front end: `group_floor` (or
/// `group-floor`) and `maximin`, case-insensitive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FairnessMode {
    /// [`Fairness::GroupFloor`].
    GroupFloor,
    /// [`Fairness::Maximin`].
    Maximin,
}

impl FairnessMode {
    /// Every mode, in documentation order.
    pub const ALL: [FairnessMode; 2] = [FairnessMode::GroupFloor, FairnessMode::Maximin];

    /// The canonical name (`group_floor`, `maximin`).
    pub fn name(self) -> &'static str {
        match self {
            FairnessMode::GroupFloor => "group_floor",
            FairnessMode::Maximin => "maximin",
        }
    }
}

impl std::fmt::Display for FairnessMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for FairnessMode {
    type Err = crate::options::ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        FairnessMode::ALL
            .into_iter()
            .find(|m| m.name() == wanted)
            .ok_or_else(|| {
                crate::options::ConfigError::new(
                    "fairness",
                    format!("{s:?}"),
                    "group_floor (with by) or maximin, or none for the plain solve",
                )
            })
    }
}

impl Fairness {
    /// The fairness solve from its flat options, as every front end takes them: `mode` (none =
    /// the plain solve), `by` (group_floor only, required), `tolerance` in `[0, 1)` (default
    /// [`DEFAULT_TOLERANCE`]) and `rate_parity` (default false). Options that do not go with
    /// the mode: `by` is an error naming it, `tolerance` and `rate_parity` are ignored.
    pub fn from_parts(
        mode: Option<FairnessMode>,
        by: Vec<String>,
        tolerance: Option<f64>,
        rate_parity: Option<bool>,
    ) -> Result<Option<Fairness>, crate::options::ConfigError> {
        use crate::options::ConfigError;
        match mode {
            None | Some(FairnessMode::Maximin) => {
                // `tolerance` and `rate_parity` only tune the group floor and are ignored
                // otherwise (their defaults may be passed as they are); `by` would be a mistake.
                if !by.is_empty() {
                    let what = if mode.is_none() {
                        "to audit a result by a column use audit(by=...)"
                    } else {
                        "maximin lifts the lowest pair of everyone"
                    };
                    return Err(ConfigError::about(
                        "by",
                        format!("only with fairness=\"group_floor\"; {what}"),
                    ));
                }
                Ok(mode.map(|_| Fairness::Maximin))
            }
            Some(FairnessMode::GroupFloor) => {
                if by.is_empty() {
                    return Err(ConfigError::about(
                        "by",
                        "a protected mentee column (or several) with fairness=\"group_floor\", e.g. by=\"gender\"",
                    ));
                }
                let tolerance = tolerance.unwrap_or(DEFAULT_TOLERANCE);
                if !(0.0..1.0).contains(&tolerance) {
                    return Err(ConfigError::new(
                        "tolerance",
                        tolerance,
                        "a number in [0, 1), e.g. 0.05",
                    ));
                }
                Ok(Some(Fairness::GroupFloor {
                    by,
                    tolerance,
                    rate_parity: rate_parity.unwrap_or(false),
                }))
            }
        }
    }
}
