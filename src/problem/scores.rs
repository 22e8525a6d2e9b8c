//! Score storage behind one small interface: what the prepared problem's callers read, so that a
//! sparse form (candidate lists per mentee) can replace the dense matrix without changing them.

use ndarray::{Array2, ArrayView1, ArrayView2, Axis, Ix1};
use rayon::prelude::*;

/// The scores of a prepared problem's *candidates*: the pairs that pass every hard constraint and
/// `min_score`.
///
/// The contract every form keeps:
/// - rows are mentees and columns mentors, in table order; [`Scores::dims`] is
///   `(mentees, mentors)`;
/// - [`Scores::get`] is `Some(score)` exactly for a candidate and `None` for any other pair (or
///   an index out of range). Why a pair is not a candidate is the mask's business
///   ([`super::Mask::reason`]), never encoded in a score;
/// - [`Scores::candidates`] yields one row's candidates as `(mentor column, score)` in ascending
///   column order, agreeing with [`Scores::get`];
/// - [`Scores::dense`] is a borrowed `rows × cols` view with NaN for every non-candidate when the
///   form stores one (the solver's convention), `None` otherwise; [`Scores::to_dense`] always
///   gives one (it may allocate).
///
/// Only the dense form exists today. A sparse form (CSR: candidate columns and scores per mentee
/// row) would add a variant: callers that go through `get`, `candidates` and `dims` keep working,
/// and those that need a matrix call `dense()` and fall back to `to_dense()` or a sparse solver.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Scores {
    /// Every pair's cell in one row-major matrix.
    Dense(DenseScores),
}

/// The dense form: a `mentees × mentors` matrix, NaN where a pair is not a candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct DenseScores {
    matrix: Array2<f64>,
    candidates: u64,
}

impl DenseScores {
    /// Wrap a matrix whose non-candidates are NaN (every other entry finite).
    pub fn new(matrix: Array2<f64>) -> Self {
        let candidates = matrix
            .axis_iter(Axis(0))
            .into_par_iter()
            .map(|row| row.iter().filter(|x| !x.is_nan()).count() as u64)
            .sum();
        DenseScores { matrix, candidates }
    }
}

/// One mentee row's candidates, `(mentor column, score)` in ascending column order.
#[derive(Debug, Clone)]
pub struct Candidates<'a> {
    inner: std::iter::Enumerate<ndarray::iter::Iter<'a, f64, Ix1>>,
}

impl Iterator for Candidates<'_> {
    type Item = (usize, f64);

    fn next(&mut self) -> Option<(usize, f64)> {
        self.inner
            .by_ref()
            .find(|(_, s)| !s.is_nan())
            .map(|(j, &s)| (j, s))
    }
}

impl Scores {
    /// `(mentees, mentors)`.
    pub fn dims(&self) -> (usize, usize) {
        match self {
            Scores::Dense(d) => d.matrix.dim(),
        }
    }

    /// The score of mentee row `i` with mentor column `j` when the pair is a candidate.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        match self {
            Scores::Dense(d) => d.matrix.get((i, j)).copied().filter(|s| !s.is_nan()),
        }
    }

    /// Whether the pair is a candidate.
    pub fn is_candidate(&self, i: usize, j: usize) -> bool {
        self.get(i, j).is_some()
    }

    /// Mentee row `i`'s candidates in ascending column order (none when `i` is out of range).
    pub fn candidates(&self, i: usize) -> Candidates<'_> {
        match self {
            Scores::Dense(d) => {
                let row = if i < d.matrix.nrows() {
                    d.matrix.row(i)
                } else {
                    ArrayView1::from(&[][..])
                };
                Candidates {
                    inner: row.into_iter().enumerate(),
                }
            }
        }
    }

    /// How many pairs are candidates.
    pub fn candidate_count(&self) -> u64 {
        match self {
            Scores::Dense(d) => d.candidates,
        }
    }

    /// The dense matrix (NaN = not a candidate), when this form stores one.
    pub fn dense(&self) -> Option<ArrayView2<'_, f64>> {
        match self {
            Scores::Dense(d) => Some(d.matrix.view()),
        }
    }

    /// A dense matrix (NaN = not a candidate), whatever the form; the dense form copies.
    pub fn to_dense(&self) -> Array2<f64> {
        match self {
            Scores::Dense(d) => d.matrix.clone(),
        }
    }

    /// The dense matrix, consuming the storage (no copy for the dense form).
    pub fn into_dense(self) -> Array2<f64> {
        match self {
            Scores::Dense(d) => d.matrix,
        }
    }
}
