//! Fairness: an audit of a matching by protected group, and fairness-aware solving (group floor,
//! maximin) that drives an assignment solver repeatedly on the score matrix. Never reads features.
//!
//! Everything here is generic: the audit takes group labels and matched pairs, the solvers take a
//! weight matrix, row group ids and a [`MatrixSolver`] that keeps the hard constraints (forbidden
//! pairs as NaN / `-inf`, capacities) of the plain problem.

pub mod audit;
pub mod group_floor;
pub mod maximin;
mod solve;
mod solver;

pub use audit::{
    audit, mentor_loads, AuditOptions, AuditReport, GroupLabels, MatchedPair, MenteeAudit,
    MenteeGroupStats, MentorAudit, MentorGroupStats, MentorLoadRow, MentorLoads,
    DEFAULT_MIN_GROUP_SIZE,
};
pub use group_floor::{group_floor, GroupFloorOptions, GroupFloorReport, GroupFloorResult};
pub use maximin::{maximin, MaximinResult};
pub use solve::{solve_fair, Fairness, FairnessMode, FairnessReport, DEFAULT_TOLERANCE};
pub use solver::CapacitatedSolver;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

/// Errors of the fairness layer, written for the person configuring the audit or the solve.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FairnessError {
    /// An audit or a fairness constraint names a column that the table does not hold as protected.
    #[error("{table} have no protected column '{column}'; protected columns are [{available}] (declare it with protected=[...])")]
    UnknownColumn {
        /// `mentees` or `mentors`.
        table: String,
        /// The requested column.
        column: String,
        /// The protected columns the table does have, comma-separated.
        available: String,
    },
    /// No grouping column was given.
    #[error("no column to group by: pass at least one protected column (by=\"gender\")")]
    NoColumns,
    /// Lengths of the inputs do not agree.
    #[error("shape mismatch: {0}")]
    Shape(String),
    /// A matched pair points outside the tables.
    #[error("matched pair {index} refers to {what} {value}, but there are only {len}")]
    PairOutOfRange {
        /// Position of the pair in the input.
        index: usize,
        /// `mentee` or `mentor`.
        what: &'static str,
        /// The bad index.
        value: usize,
        /// The table length.
        len: usize,
    },
    /// A tolerance or other option is outside its range.
    #[error("invalid option {name} = {value}: {hint}")]
    InvalidOption {
        /// Option name.
        name: &'static str,
        /// The value given.
        value: String,
        /// What would be accepted.
        hint: &'static str,
    },
    /// A shared-background request cannot be honoured.
    #[error(transparent)]
    Affinity(#[from] crate::score::affinity::AffinityError),
    /// A matching result names a person the cohort does not have.
    #[error("the result names {table} id '{id}', which is not in the cohort; audit a result together with the cohort it was matched from")]
    UnknownId {
        /// `mentees` or `mentors`.
        table: &'static str,
        /// The id.
        id: String,
    },
    /// The assignment solver failed.
    #[error("assignment solver failed: {0}")]
    Solver(String),
}

/// One solution of the assignment solver, as the fairness layer needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solved {
    /// Matched `(row, col)` pairs, sorted, each at most once.
    pub pairs: Vec<(usize, usize)>,
    /// Row dual potentials of that solve (for warm starts), one per row.
    pub row_duals: Vec<f64>,
    /// Column dual potentials of that solve, one per column.
    pub col_duals: Vec<f64>,
}

/// The assignment solver driven by [`group_floor`] and [`maximin`].
///
/// An implementation fixes everything about the plain problem except the weights: capacities,
/// objective (maximising; NaN and `-inf` forbid a pair) and any pinned pairs. The fairness layer
/// only ever lowers entries to forbidden or re-weights finite entries, so the hard constraints of
/// the plain problem carry over to every solve.
pub trait MatrixSolver {
    /// Solve on `weights` (same shape every call), optionally warm-started from duals of an
    /// earlier call.
    fn solve(
        &mut self,
        weights: ArrayView2<'_, f64>,
        warm: Option<(&[f64], &[f64])>,
    ) -> Result<Solved, FairnessError>;
}

impl<F> MatrixSolver for F
where
    F: FnMut(ArrayView2<'_, f64>, Option<(&[f64], &[f64])>) -> Result<Solved, FairnessError>,
{
    fn solve(
        &mut self,
        weights: ArrayView2<'_, f64>,
        warm: Option<(&[f64], &[f64])>,
    ) -> Result<Solved, FairnessError> {
        self(weights, warm)
    }
}

/// `true` when the entry forbids a pair (NaN or `-inf`, the solver's maximising convention).
pub(crate) fn is_forbidden(w: f64) -> bool {
    w.is_nan() || w == f64::NEG_INFINITY
}

/// Sum of the weights at `pairs`; `None` if a pair is forbidden or out of range.
pub(crate) fn total_of(weights: ArrayView2<'_, f64>, pairs: &[(usize, usize)]) -> Option<f64> {
    let mut total = 0.0;
    for &(r, c) in pairs {
        let w = *weights.get((r, c))?;
        if is_forbidden(w) {
            return None;
        }
        total += w;
    }
    Some(total)
}
