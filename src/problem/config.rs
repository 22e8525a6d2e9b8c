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

/// Which score storage and solver a problem uses (`solver = "auto" | "dense" | "sparse"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SolverChoice {
    /// Dense when its matrices fit `memory_limit_bytes` and the memory available, sparse
    /// otherwise (see [`SolverChoice::resolve`]).
    #[default]
    Auto,
    /// Every pair scored into one dense matrix, solved by the dense capacitated solver.
    Dense,
    /// Candidates from blocking indexes, the sparse solver, and a certificate against all pairs
    /// (see docs/matching.md, "Certificate").
    Sparse,
}

impl SolverChoice {
    /// The name used in configs, Python and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            SolverChoice::Auto => "auto",
            SolverChoice::Dense => "dense",
            SolverChoice::Sparse => "sparse",
        }
    }

    /// The storage `auto` picks for a `rows × cols` cohort with `dense_needed` bytes of dense
    /// matrices: dense while they fit both `limit` and the memory the system reports available,
    /// sparse otherwise. `Dense` and `Sparse` resolve to themselves.
    pub fn resolve(self, dense_needed: u128, limit: u64) -> SolverChoice {
        match self {
            SolverChoice::Auto => {
                let available = lsap::memory::available_bytes().unwrap_or(u64::MAX);
                if dense_needed <= limit.min(available) as u128 {
                    SolverChoice::Dense
                } else {
                    SolverChoice::Sparse
                }
            }
            other => other,
        }
    }
}

/// Default round budget of the sparse solve's column generation.
pub const DEFAULT_SPARSE_MAX_ROUNDS: usize = 50;

/// Everything that shapes a matching. `Default` gives the documented defaults.
///
/// Scoring, constraints and pins are fixed when a [`super::Problem`] is prepared from it;
/// `objective` and `fairness` are the defaults of [`super::Problem::solve`] (see
/// [`super::SolveOptions`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
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
    // -- rounds (issue 13) --
    /// Earlier rounds: past pairs and mentees left unmatched (see [`crate::io::history`]).
    /// A past pair is never matched again unless `allow_repeat_pairs`.
    pub history: Vec<crate::io::history::PastPair>,
    /// Allow pairs the history says met before (default false: `paired_before` excludes them).
    pub allow_repeat_pairs: bool,
    /// Weight of the priority component for mentees left unmatched in earlier rounds (default
    /// 0.5, in [0, 1000]; 0 turns it off); see [`crate::score::priority`].
    pub unmatched_priority: f64,
    /// Related tags: groups of tags that earn partial goal (and open-doors, two-way) credit
    /// against each other (default none); see [`crate::score::taxonomy`].
    pub taxonomy: Vec<crate::score::taxonomy::TaxonomyGroup>,
    /// Language and BM25 parameters of the free-text goals (`goals_text`) component.
    pub text: crate::score::text::TextConfig,
    // -- scale (issue 14) --
    /// Dense matrix or sparse candidates with a certificate (default auto).
    pub solver: SolverChoice,
    /// Sparse solver: solve-and-certify rounds at most (default 50, at least 1).
    pub sparse_max_rounds: usize,
    /// Sparse solver: stop column generation after the round that ends past this many seconds
    /// (default none); the certificate then says `certified = false` and bounds the gap.
    pub sparse_time_limit_s: Option<f64>,
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

/// Default weight of the priority component for mentees the history shows unmatched.
pub const DEFAULT_UNMATCHED_PRIORITY: f64 = 0.5;

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
            history: Vec::new(),
            allow_repeat_pairs: false,
            unmatched_priority: DEFAULT_UNMATCHED_PRIORITY,
            taxonomy: Vec::new(),
            text: crate::score::text::TextConfig::default(),
            solver: SolverChoice::Auto,
            sparse_max_rounds: DEFAULT_SPARSE_MAX_ROUNDS,
            sparse_time_limit_s: None,
            min_load: 0,
            spread: 0.0,
            min_load_shortfall: super::loads::ShortfallPolicy::Error,
        }
    }
}

/// Why matching could not run. Input errors are caught earlier, by the `io` readers.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MatchError {
    /// An option is out of range or does not parse; names the option and what it allows.
    #[error(transparent)]
    Config(crate::options::ConfigError),
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
    #[error("problem too large: {rows} mentees x {cols} mentors needs about {} MiB for {matrices} dense score matrices, over the limit of {} MiB; split the cohort (e.g. by region) or raise memory_limit_bytes", needed_bytes >> 20, limit_bytes >> 20)]
    TooLarge {
        /// Mentees.
        rows: usize,
        /// Mentors.
        cols: usize,
        /// Estimated bytes of the dense matrices.
        needed_bytes: u64,
        /// The limit (`memory_limit_bytes`).
        limit_bytes: u64,
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
    /// An operation that needs every pair's score in a dense matrix, on a problem prepared with
    /// sparse candidates.
    #[error("{operation} needs the dense score matrix, but this problem was prepared with solver=\"sparse\" (candidates only); prepare it with solver=\"dense\" (about {dense_mib} MiB) to use {operation}")]
    NeedsDense {
        /// What was asked (`fairness`, `rematch`, `run_strategies`, ...).
        operation: &'static str,
        /// What the dense matrices would take, in MiB.
        dense_mib: u64,
    },
    /// Minimum loads that no matching can meet (with `min_load_shortfall = "error"`).
    #[error(transparent)]
    LoadShortfall(Box<super::loads::LoadShortfallError>),
    /// The history names someone not in the tables (or cannot be read).
    #[error(transparent)]
    History(Box<crate::io::history::HistoryError>),
    /// A taxonomy, text option or embedding that cannot be used.
    #[error(transparent)]
    Beyond(Box<crate::score::beyond::BeyondError>),
}

impl From<crate::io::history::HistoryError> for MatchError {
    fn from(e: crate::io::history::HistoryError) -> Self {
        MatchError::History(Box::new(e))
    }
}

impl From<crate::score::beyond::BeyondError> for MatchError {
    fn from(e: crate::score::beyond::BeyondError) -> Self {
        MatchError::Beyond(Box::new(e))
    }
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

/// Bytes the sparse form takes, about: features and solver state per person (1 KiB), and per
/// candidate pair (`k_row` per row and `k_col` per column) 128 bytes for the graph, its copies in
/// the solver and the pairs added by the certificate.
pub fn sparse_bytes(rows: usize, cols: usize, k_row: usize, k_col: usize) -> u128 {
    let people = (rows + cols) as u128;
    let nnz = rows as u128 * k_row as u128 + cols as u128 * k_col as u128;
    people * 1024 + nnz * 128
}

/// Check the options, then pick the storage (`auto` resolved) for the cohort's size.
pub(super) fn validate(cohort: &Cohort, cfg: &MatchConfig) -> Result<SolverChoice, MatchError> {
    cfg.validate_options()?;
    cfg.text
        .validate()
        .map_err(|e| MatchError::from(crate::score::beyond::BeyondError::from(e)))?;
    if !(0.0..=score::MAX_WEIGHT).contains(&cfg.unmatched_priority) {
        return Err(MatchError::Config(crate::options::ConfigError::new(
            "unmatched_priority",
            cfg.unmatched_priority,
            format!(
                "a number from 0 (off) to {} (default {DEFAULT_UNMATCHED_PRIORITY})",
                score::MAX_WEIGHT
            ),
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
    if cfg.sparse_max_rounds == 0 {
        return Err(MatchError::Config(crate::options::ConfigError::new(
            "sparse_max_rounds",
            0,
            "at least 1 solve-and-certify round (default 50)",
        )));
    }
    if let Some(t) = cfg.sparse_time_limit_s {
        if !(t.is_finite() && t > 0.0) {
            return Err(MatchError::Config(crate::options::ConfigError::new(
                "sparse_time_limit_s",
                t,
                "a positive number of seconds, or none for no limit",
            )));
        }
    }
    let choice = cfg.solver.resolve(needed, cfg.memory_limit_bytes);
    let fits = match choice {
        SolverChoice::Sparse => {
            let caps = |t: &crate::cohort::Table| -> Vec<u32> {
                t.people.iter().map(|p| p.capacity).collect()
            };
            let (k_row, k_col) = crate::candidates::KRule::default()
                .for_cohort(&caps(&cohort.mentees), &caps(&cohort.mentors));
            sparse_bytes(rows, cols, k_row, k_col) <= cfg.memory_limit_bytes as u128
        }
        _ => needed <= cfg.memory_limit_bytes as u128,
    };
    if !fits {
        return Err(MatchError::TooLarge {
            rows,
            cols,
            needed_bytes: needed.min(u64::MAX as u128) as u64,
            limit_bytes: cfg.memory_limit_bytes,
            matrices,
        });
    }
    Ok(choice)
}
