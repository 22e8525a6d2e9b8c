//! Score storage behind one small interface: what the prepared problem's callers read, so that a
//! sparse form (candidate lists per mentee) can replace the dense matrix without changing them.

use crate::lsap::CandidateGraph;
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
/// The sparse form ([`Scores::Sparse`], `solver = "sparse"`) stores only the pairs the
/// blocking indexes proposed ([`crate::candidates`]), a subset of the allowed pairs: there
/// `get`, `candidates` and `candidate_count` speak of the *stored* candidates, and any other
/// allowed pair is scored on demand from the features ([`super::Problem::score`]) and brought in
/// by the certificate when it could improve the matching. `dense()` is `None`, `to_dense()` holds
/// the stored candidates only.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Scores {
    /// Every pair's cell in one row-major matrix.
    Dense(DenseScores),
    /// Candidate pairs only, as a CSR graph.
    Sparse(SparseScores),
}

/// The sparse form: the stored candidates as a CSR graph (mentee rows, mentor columns).
#[derive(Debug, Clone, PartialEq)]
pub struct SparseScores {
    graph: CandidateGraph,
}

impl SparseScores {
    /// Wrap a candidate graph.
    pub fn new(graph: CandidateGraph) -> Self {
        SparseScores { graph }
    }

    /// The graph.
    pub fn graph(&self) -> &CandidateGraph {
        &self.graph
    }
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
    inner: Inner<'a>,
}

#[derive(Debug, Clone)]
enum Inner<'a> {
    Dense(std::iter::Enumerate<ndarray::iter::Iter<'a, f64, Ix1>>),
    Sparse(std::iter::Zip<std::slice::Iter<'a, u32>, std::slice::Iter<'a, f64>>),
}

impl Iterator for Candidates<'_> {
    type Item = (usize, f64);

    fn next(&mut self) -> Option<(usize, f64)> {
        match &mut self.inner {
            Inner::Dense(it) => it.by_ref().find(|(_, s)| !s.is_nan()).map(|(j, &s)| (j, s)),
            Inner::Sparse(it) => it.next().map(|(&j, &s)| (j as usize, s)),
        }
    }
}

impl Scores {
    /// `(mentees, mentors)`.
    pub fn dims(&self) -> (usize, usize) {
        match self {
            Scores::Dense(d) => d.matrix.dim(),
            Scores::Sparse(s) => (s.graph.rows(), s.graph.cols()),
        }
    }

    /// The score of mentee row `i` with mentor column `j` when the pair is a candidate.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        match self {
            Scores::Dense(d) => d.matrix.get((i, j)).copied().filter(|s| !s.is_nan()),
            Scores::Sparse(s) => s.graph.score(i, j),
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
                    inner: Inner::Dense(row.into_iter().enumerate()),
                }
            }
            Scores::Sparse(s) => {
                let (cols, scores) = s.graph.row(i);
                Candidates {
                    inner: Inner::Sparse(cols.iter().zip(scores.iter())),
                }
            }
        }
    }

    /// How many pairs are candidates.
    pub fn candidate_count(&self) -> u64 {
        match self {
            Scores::Dense(d) => d.candidates,
            Scores::Sparse(s) => s.graph.nnz() as u64,
        }
    }

    /// The dense matrix (NaN = not a candidate), when this form stores one.
    pub fn dense(&self) -> Option<ArrayView2<'_, f64>> {
        match self {
            Scores::Dense(d) => Some(d.matrix.view()),
            Scores::Sparse(_) => None,
        }
    }

    /// A dense matrix (NaN = not a candidate), whatever the form; the dense form copies.
    pub fn to_dense(&self) -> Array2<f64> {
        match self {
            Scores::Dense(d) => d.matrix.clone(),
            Scores::Sparse(s) => sparse_to_dense(&s.graph),
        }
    }

    /// The dense matrix, consuming the storage (no copy for the dense form).
    pub fn into_dense(self) -> Array2<f64> {
        match self {
            Scores::Dense(d) => d.matrix,
            Scores::Sparse(s) => sparse_to_dense(&s.graph),
        }
    }

    /// The candidate graph, when the form is sparse.
    pub fn sparse(&self) -> Option<&CandidateGraph> {
        match self {
            Scores::Dense(_) => None,
            Scores::Sparse(s) => Some(&s.graph),
        }
    }
}

fn sparse_to_dense(g: &CandidateGraph) -> Array2<f64> {
    let mut m = Array2::from_elem((g.rows(), g.cols()), f64::NAN);
    for i in 0..g.rows() {
        let (cols, scores) = g.row(i);
        for (&j, &s) in cols.iter().zip(scores) {
            m[[i, j as usize]] = s;
        }
    }
    m
}
