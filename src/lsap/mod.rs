//! Linear sum assignment solvers: dense 1:1 (scipy-compatible) and capacitated b-matching.
//! Plain numeric code on `ndarray` views; knows nothing about people.

mod capacitated;
pub mod cpu;
mod dense;
pub mod forced;
pub mod input;
pub mod instances;
pub mod memory;
mod sparse;

pub use capacitated::{
    solve_capacitated, solve_capacitated_from, solve_capacitated_loads, solve_capacitated_warm,
    CapacitatedOptions, ColumnLoads, LoadMatching, Matching, Objective,
};
pub use dense::solve_dense;
pub use input::Instance;
pub use sparse::{
    certify, certify_against, certify_bounded, certify_bounded_against, solve_certified,
    solve_certified_with, solve_sparse, solve_sparse_from, top_candidates, BoundedScores, Budget,
    CandidateGraph, Certificate, Certified, Check, Cut, Next, Violation, POOL_PER_ROW,
};

use serde::{Deserialize, Serialize};

/// Errors from the assignment solvers. Messages are written for the person holding the matrix.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LsapError {
    /// A NaN, or an infinity of the sign that cannot mean "forbidden", was found.
    #[error("matrix contains invalid numeric entries: {value} at row {row}, column {col} (use +inf to forbid a pair when minimising, -inf when maximising)")]
    InvalidEntry {
        /// Row of the bad entry.
        row: usize,
        /// Column of the bad entry.
        col: usize,
        /// The bad value.
        value: f64,
    },
    /// No complete assignment of the smaller side avoids the forbidden pairs.
    #[error("cost matrix is infeasible: {detail}")]
    Infeasible {
        /// Where the solver got stuck.
        detail: String,
    },
    /// Capacities or other inputs do not fit the matrix shape.
    #[error("shape mismatch: {0}")]
    Shape(String),
    /// A capacity is invalid (for example negative or too large).
    #[error("invalid capacity: {0}")]
    Capacity(String),
    /// Warm-start duals that do not fit the problem (wrong length or not finite).
    #[error("invalid warm start: {0}")]
    WarmStart(String),
    /// A buffer the solver needs does not fit in the memory available (or the configured limit,
    /// see [`memory`]); nothing was allocated beyond what fits.
    #[error("problem too large: the solver needs about {} MiB more memory but only {} MiB are available; split the problem, free memory or raise the limit", needed_bytes >> 20, limit_bytes >> 20)]
    TooLarge {
        /// Bytes the refused buffer (or the whole solve, when refused up front) needs.
        needed_bytes: u64,
        /// Bytes available under the configured limit and the system's free memory.
        limit_bytes: u64,
    },
    /// The solve was stopped through its [`crate::cancel::Cancel`] token before it finished.
    #[error("solve interrupted before it finished (no result was produced)")]
    Interrupted,
}

impl From<crate::cancel::Interrupted> for LsapError {
    fn from(_: crate::cancel::Interrupted) -> Self {
        LsapError::Interrupted
    }
}

/// The optimal 1:1 assignment of a dense matrix, with dual potentials that certify it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    /// Assigned row indices, sorted ascending (length `min(rows, cols)`).
    pub rows: Vec<usize>,
    /// `cols[k]` is the column assigned to `rows[k]`.
    pub cols: Vec<usize>,
    /// Sum of the matrix entries at the assigned pairs, in the caller's sense (min or max).
    pub objective: f64,
    /// Row potentials `u` (length = rows of the input matrix).
    pub row_duals: Vec<f64>,
    /// Column potentials `v` (length = columns of the input matrix).
    pub col_duals: Vec<f64>,
}
