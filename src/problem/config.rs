//! The match configuration, its validation and the errors of preparing and solving a problem.

use crate::cohort::Cohort;
use crate::constraints::UnknownPair;
use crate::lsap::{self, LsapError};
use crate::score::{self, ScoreConfig, Weights};
use serde::{Deserialize, Serialize};

/// Default memory budget for dense matrices: 8 GiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 8 << 30;

/// Dense `rows × cols` f64 matrices alive at the peak: the prepared problem's scores and one
/// working copy inside the solver (pins add one more: the scores with the pinned pairs taken out).
pub const DENSE_MATRICES: u64 = 2;

/// What the solver maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// As many pairs as the constraints allow, then the highest total score among those.
    #[default]
    Coverage,
    /// The highest total score, whatever the number of pairs.
    Score,
}

/// Everything that shapes a matching. `Default` gives the documented defaults.
///
/// Scoring, constraints and pins are fixed when a [`super::Problem`] is prepared from it;
/// `objective` and `fairness` are the defaults of [`super::Problem::solve`] (see
/// [`super::SolveOptions`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchConfig {
    /// Component weights.
    pub weights: Weights,
    /// Component parameters (reference date, meeting length, cadence, ...).
    pub scoring: ScoreConfig,
    /// Pairs scoring below this are not allowed (default 0).
    pub min_score: f64,
    /// Forbid pairs within the same department (default false).
    pub exclude_same_department: bool,
    /// `(mentee id, mentor id)` pairs that must not be matched.
    pub forbid: Vec<(String, String)>,
    /// `(mentee id, mentor id)` pairs that must be matched; each must satisfy every hard
    /// constraint.
    pub pin: Vec<(String, String)>,
    /// What to maximise.
    pub objective: Objective,
    /// Refuse problems whose dense matrices need more bytes than this (default 8 GiB).
    pub memory_limit_bytes: u64,
    // -- fairness (issue 4) --
    /// Fairness-aware solving instead of the plain solve (default none); see [`crate::fairness`].
    pub fairness: Option<crate::fairness::Fairness>,
    /// Programme-defined criteria (soft components) and rules (`rule = "must"`) on any column.
    pub criteria: Vec<crate::criteria::Criterion>,
    /// How mentees' `preferred_mentors` are used: a bonus (default) or a hard restriction.
    pub preferences: crate::wishes::PreferenceMode,
    // -- load spreading (issue 13) --
    /// The fewest mentees every mentor should get, for mentors without a `min_load` value of
    /// their own (default 0: none). Solved as lower bounds, before coverage and score.
    pub min_load: u32,
    /// Spreading penalty: a mentor's `k`-th mentee costs `spread · (k − 1)` score points
    /// (default 0: off). Prefers pairings over more mentors at equal quality.
    pub spread: f64,
    /// What happens when the minimum loads cannot all be met: a typed error naming the mentors
    /// (default) or the best matching with the shortfall reported.
    pub min_load_shortfall: super::loads::ShortfallPolicy,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            weights: Weights::default(),
            scoring: ScoreConfig::default(),
            min_score: 0.0,
            exclude_same_department: false,
            forbid: Vec::new(),
            pin: Vec::new(),
            objective: Objective::Coverage,
            memory_limit_bytes: DEFAULT_MEMORY_LIMIT,
            fairness: None,
            criteria: Vec::new(),
            preferences: crate::wishes::PreferenceMode::Bonus,
            min_load: 0,
            spread: 0.0,
            min_load_shortfall: super::loads::ShortfallPolicy::Error,
        }
    }
}

/// Why matching could not run. Input errors are caught earlier, by the `io` readers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatchError {
    /// A configuration value is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A `forbid` or `pin` pair names an unknown id.
    #[error(transparent)]
    UnknownPair(#[from] UnknownPair),
    /// A pinned pair breaks a hard constraint.
    #[error("pinned pair ({mentee_id:?}, {mentor_id:?}) breaks a hard constraint: {problem}; remove the pin or the conflicting constraint")]
    PinViolates {
        /// Mentee id.
        mentee_id: String,
        /// Mentor id.
        mentor_id: String,
        /// Which constraint.
        problem: String,
    },
    /// The dense problem would not fit in the memory budget.
    #[error("problem too large: {rows} mentees x {cols} mentors needs about {needed_mib} MiB for {matrices} dense score matrices, over the limit of {limit_mib} MiB; split the cohort (e.g. by region) or raise memory_limit_bytes")]
    TooLarge {
        /// Mentees.
        rows: usize,
        /// Mentors.
        cols: usize,
        /// Estimated bytes, in MiB.
        needed_mib: u64,
        /// The limit, in MiB.
        limit_mib: u64,
        /// Dense matrices counted.
        matrices: u64,
    },
    /// A table has the wrong role (mentors given as mentees).
    #[error("the {0} table is tagged with the wrong role; pass mentees first, then mentors")]
    WrongRole(&'static str),
    /// The solver failed (should not happen on a masked score matrix).
    #[error("assignment solver failed: {0}")]
    Solver(#[from] LsapError),
    /// The fairness configuration cannot be applied (e.g. an unknown protected column).
    #[error("fairness: {0}")]
    Fairness(#[from] crate::fairness::FairnessError),
    /// A wish column (`preferred_mentors`, `avoid_mentors`, `declined_mentees`,
    /// `target_skills`) names something that cannot be honoured.
    #[error(transparent)]
    Wish(Box<crate::wishes::WishError>),
    /// A programme criterion cannot be applied.
    #[error(transparent)]
    Criterion(Box<crate::criteria::CriterionError>),
    /// Minimum loads that no matching can meet (with `min_load_shortfall = "error"`).
    #[error(transparent)]
    LoadShortfall(Box<super::loads::LoadShortfallError>),
}

impl From<Box<crate::wishes::WishError>> for MatchError {
    fn from(e: Box<crate::wishes::WishError>) -> Self {
        MatchError::Wish(e)
    }
}

impl From<crate::criteria::CriterionError> for MatchError {
    fn from(e: crate::criteria::CriterionError) -> Self {
        MatchError::Criterion(Box::new(e))
    }
}

impl Objective {
    /// The assignment solver's objective of the same name.
    pub fn solver(self) -> lsap::Objective {
        match self {
            Objective::Coverage => lsap::Objective::Coverage,
            Objective::Score => lsap::Objective::Score,
        }
    }
}

impl From<crate::score::affinity::AffinityError> for MatchError {
    fn from(e: crate::score::affinity::AffinityError) -> Self {
        MatchError::Fairness(e.into())
    }
}

pub(super) fn validate(cohort: &Cohort, cfg: &MatchConfig) -> Result<(), MatchError> {
    cfg.weights.validate().map_err(MatchError::Config)?;
    cfg.scoring.validate().map_err(MatchError::Config)?;
    if !cfg.min_score.is_finite() {
        return Err(MatchError::Config(format!(
            "min_score is {}; use a finite number such as 0 or 0.3",
            cfg.min_score
        )));
    }
    super::loads::validate(cfg)?;
    if cohort.mentees.role != crate::cohort::Role::Mentee {
        return Err(MatchError::WrongRole("mentees"));
    }
    if cohort.mentors.role != crate::cohort::Role::Mentor {
        return Err(MatchError::WrongRole("mentors"));
    }
    let (rows, cols) = (cohort.mentees.people.len(), cohort.mentors.people.len());
    // Pins take their pairs out of a working copy of the scores, one more matrix at the peak.
    let matrices = DENSE_MATRICES + u64::from(!cfg.pin.is_empty());
    let needed = score::dense_bytes(rows, cols) * matrices as u128;
    if needed > cfg.memory_limit_bytes as u128 {
        return Err(MatchError::TooLarge {
            rows,
            cols,
            needed_mib: (needed >> 20).min(u64::MAX as u128) as u64,
            limit_mib: cfg.memory_limit_bytes >> 20,
            matrices,
        });
    }
    Ok(())
}
