//! The rematch's vocabulary: pairs by id, what happened to each pair and mentee, the options and
//! the errors.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A (mentee id, mentor id) pair as a programme keeps it between runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PairId {
    /// The mentee's id.
    pub mentee_id: String,
    /// The mentor's id.
    pub mentor_id: String,
}

impl PairId {
    /// A pair from the two ids.
    pub fn new(mentee_id: impl Into<String>, mentor_id: impl Into<String>) -> Self {
        PairId {
            mentee_id: mentee_id.into(),
            mentor_id: mentor_id.into(),
        }
    }
}

impl fmt::Display for PairId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "(mentee {:?}, mentor {:?})",
            self.mentee_id, self.mentor_id
        )
    }
}

/// Why a previous pair was dissolved before re-solving. A dissolved pair is never re-formed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DissolveReason {
    /// The mentee is no longer in the cohort.
    MenteeLeft,
    /// The mentor is no longer in the cohort.
    MentorLeft,
    /// A hard constraint now forbids the pair.
    Forbidden {
        /// Which constraint, in words.
        constraint: String,
    },
    /// The mentor's capacity dropped below their number of still-valid previous pairs; the
    /// better-scoring ones (frozen first) were kept.
    MentorCapacity {
        /// The mentor's current capacity.
        capacity: u32,
    },
    /// The mentee now wants fewer mentors than they had; the better-scoring pairs were kept.
    MenteeCapacity {
        /// How many mentors the mentee wants now.
        wanted: u32,
    },
}

impl fmt::Display for DissolveReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DissolveReason::MenteeLeft => write!(f, "the mentee is no longer in the cohort"),
            DissolveReason::MentorLeft => write!(f, "the mentor is no longer in the cohort"),
            DissolveReason::Forbidden { constraint } => write!(f, "now forbidden: {constraint}"),
            DissolveReason::MentorCapacity { capacity } => write!(
                f,
                "the mentor's capacity is now {capacity}; better-scoring pairs were kept"
            ),
            DissolveReason::MenteeCapacity { wanted } => write!(
                f,
                "the mentee now wants {wanted} mentor(s); better-scoring pairs were kept"
            ),
        }
    }
}

/// What happened to one pair that existed before or exists now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairStatus {
    /// A previous pair that is still in the new matching.
    Kept,
    /// A still-valid previous pair that the re-solve let go for a better overall matching.
    Released,
    /// A previous pair that broke a hard constraint (or lost a person) and was dissolved.
    Dissolved,
    /// A pair that did not exist before.
    New,
}

impl fmt::Display for PairStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PairStatus::Kept => "kept",
            PairStatus::Released => "released",
            PairStatus::Dissolved => "dissolved",
            PairStatus::New => "new",
        })
    }
}

/// One pair of the old or the new matching and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairChange {
    /// The mentee's id.
    pub mentee_id: String,
    /// The mentor's id.
    pub mentor_id: String,
    /// Kept, released, dissolved or new.
    pub status: PairStatus,
    /// Whether the pair was frozen (pinned) by the caller.
    pub frozen: bool,
    /// The pair's current score, without any keep bonus; `None` when a person left or the pair is
    /// now forbidden.
    pub score: Option<f64>,
    /// Set for dissolved pairs.
    pub dissolved: Option<DissolveReason>,
    /// What happened and why, in words.
    pub reason: String,
}

/// What happened to one mentee, summarising their pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MenteeStatus {
    /// Every previous pair kept (new ones may have been added when the mentee wants several).
    Kept,
    /// Had only still-valid pairs, and the re-solve released at least one of them.
    Moved,
    /// Had no mentor before and has one now.
    New,
    /// At least one previous pair was dissolved (see the reason); the mentee may have been
    /// rematched.
    Dissolved,
    /// Had no mentor before and has none now.
    Unmatched,
}

impl fmt::Display for MenteeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MenteeStatus::Kept => "kept",
            MenteeStatus::Moved => "moved",
            MenteeStatus::New => "new",
            MenteeStatus::Dissolved => "dissolved",
            MenteeStatus::Unmatched => "unmatched",
        })
    }
}

/// One mentee's before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenteeChange {
    /// The mentee's id.
    pub mentee_id: String,
    /// Kept, moved, new, dissolved or unmatched.
    pub status: MenteeStatus,
    /// Mentors before, in the order the previous pairs listed them.
    pub previous_mentors: Vec<String>,
    /// Mentors now, in column order.
    pub mentors: Vec<String>,
    /// The reason in words.
    pub reason: String,
}

/// Counts of mentees by [`MenteeStatus`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RematchCounts {
    /// Mentees who kept every previous pair.
    pub kept: usize,
    /// Mentees whose still-valid pairs were changed by the re-solve.
    pub moved: usize,
    /// Mentees matched now who had no mentor before.
    pub new: usize,
    /// Mentees who lost at least one pair to a hard constraint or a departure.
    pub dissolved: usize,
    /// Mentees without a mentor before and after.
    pub unmatched: usize,
}

/// A matched pair of the new matching, by index into the problem and by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RematchPair {
    /// Row of the mentee in the score matrix.
    pub mentee: usize,
    /// Column of the mentor in the score matrix.
    pub mentor: usize,
    /// The mentee's id.
    pub mentee_id: String,
    /// The mentor's id.
    pub mentor_id: String,
    /// Current score (no keep bonus).
    pub score: f64,
    /// Whether this pair existed before.
    pub kept: bool,
    /// Whether the caller froze it.
    pub frozen: bool,
}

/// The outcome of a rematch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rematch {
    /// The new matching, sorted by (mentee row, mentor column).
    pub pairs: Vec<RematchPair>,
    /// Every pair of the old and the new matching with its status: previous pairs in the order
    /// given, then new pairs.
    pub changes: Vec<PairChange>,
    /// One entry per mentee of the cohort (row order), then mentees of previous pairs who left.
    pub mentees: Vec<MenteeChange>,
    /// Mentees by status.
    pub counts: RematchCounts,
    /// Sum of the current scores of the new pairs (no keep bonus).
    pub total_score: f64,
    /// Sum of the current scores of the still-valid previous pairs: what keeping them would give.
    pub baseline_score: f64,
    /// `total_score - baseline_score`.
    pub score_gained: f64,
    /// The keep bonus used.
    pub keep_bonus: f64,
}

/// Errors from a rematch. Each names the pair or value to fix.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RematchError {
    /// The problem's pieces do not fit together.
    #[error("rematch input: {0}")]
    Shape(String),
    /// A score is neither finite nor NaN (NaN marks a forbidden pair).
    #[error("score at mentee {mentee_id:?}, mentor {mentor_id:?} is {value}; scores must be finite (NaN marks a forbidden pair)")]
    InvalidScore {
        /// The mentee's id.
        mentee_id: String,
        /// The mentor's id.
        mentor_id: String,
        /// The bad value.
        value: f64,
    },
    /// The keep bonus is negative or not finite.
    #[error("keep_bonus must be a finite number >= 0, got {0}")]
    KeepBonus(f64),
    /// The same id appears twice in a table.
    #[error("duplicate {table} id {id:?}: ids must be unique")]
    DuplicateId {
        /// `mentees` or `mentors`.
        table: &'static str,
        /// The repeated id.
        id: String,
    },
    /// The same pair is listed twice among the previous or frozen pairs.
    #[error("{list} pairs list {pair} more than once; remove the duplicate")]
    DuplicatePair {
        /// `previous` or `freeze`.
        list: &'static str,
        /// The repeated pair.
        pair: PairId,
    },
    /// A frozen pair cannot be kept without breaking a hard constraint.
    #[error("frozen pair {pair} cannot be kept: {reason}; unfreeze it or fix the input")]
    FrozenInvalid {
        /// The frozen pair.
        pair: PairId,
        /// What it breaks.
        reason: String,
    },
    /// The assignment solver failed.
    #[error("solver failed: {0}")]
    Solver(String),
    /// The solver returned a pair that breaks a constraint (a bug in the solver plugged in).
    #[error("internal error: the solver returned {0}, which breaks a hard constraint")]
    SolverViolation(String),
}

/// The keep bonus when none is given: still-valid pairs stay unless moving gains more than 0.1
/// of score (scores lie in [0, 1]). The one default for Rust, Python and the command line.
pub const DEFAULT_KEEP_BONUS: f64 = 0.1;

/// Options of a rematch besides the solver's own. `Default` gives [`DEFAULT_KEEP_BONUS`] and no
/// frozen pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RematchOptions {
    /// Added to the score of every still-valid previous pair while solving (the reported scores never
    /// include it). 0 = a fresh optimal solve; larger values keep more pairs. In score units:
    /// scores lie in [0, 1], so 0.05–0.2 keeps pairs unless moving gains clearly more (default
    /// [`DEFAULT_KEEP_BONUS`]).
    pub keep_bonus: f64,
    /// Pairs that must stay matched. A frozen pair need not be a previous one (then it is a new,
    /// pinned pair).
    pub freeze: Vec<PairId>,
}

impl Default for RematchOptions {
    fn default() -> Self {
        RematchOptions {
            keep_bonus: DEFAULT_KEEP_BONUS,
            freeze: Vec::new(),
        }
    }
}

impl RematchOptions {
    /// Options with this keep bonus (`None` = [`DEFAULT_KEEP_BONUS`]) and these frozen pairs,
    /// checked: the keep bonus is finite and 0 or more.
    pub fn new(
        keep_bonus: Option<f64>,
        freeze: Vec<PairId>,
    ) -> Result<Self, crate::options::ConfigError> {
        let options = RematchOptions {
            keep_bonus: keep_bonus.unwrap_or(DEFAULT_KEEP_BONUS),
            freeze,
        };
        options.validate()?;
        Ok(options)
    }

    /// Check the keep bonus: finite and 0 or more.
    pub fn validate(&self) -> Result<(), crate::options::ConfigError> {
        if self.keep_bonus.is_finite() && self.keep_bonus >= 0.0 {
            return Ok(());
        }
        Err(crate::options::ConfigError::new(
            "keep_bonus",
            self.keep_bonus,
            "a finite number of 0 or more (0 = a fresh solve; 0.05 to 0.2 keeps pairs unless moving clearly pays), e.g. 0.1",
        ))
    }
}

/// Row and column ids of the instance a rematch solves: previous and frozen pairs are named by
/// them, and the report names pairs by them.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// Mentee ids, one per row, unique.
    pub mentee_ids: &'a [String],
    /// Mentor ids, one per column, unique.
    pub mentor_ids: &'a [String],
}
