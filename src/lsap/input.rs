//! The one input type of every capacitated solve: a score matrix with capacities on both sides.
//! Borrowed or owned, so the prepared problem, fairness, rematch and quality all hand it over.

use std::borrow::Cow;

use ndarray::{Array2, ArrayView2, CowArray, Ix2};

use super::{solve_capacitated_warm, CapacitatedOptions, LsapError, Matching, Objective};

/// Scores plus capacities on both sides: rows are mentees, columns mentors.
///
/// `scores[[i, j]]` is the value of pairing row `i` with column `j`; NaN (or `-inf`, maximising)
/// forbids the pair. Row `i` takes at most `row_capacity[i]` columns (a mentee's
/// `mentors_wanted`), column `j` at most `col_capacity[j]` rows (a mentor's `capacity`).
/// [`Instance::new`] borrows all three (no copy); [`Instance::owned`] owns them, for a solver input
/// built on the fly (rematch adds its keep bonus to a copy). Fields are public so solver
/// plug-ins can read them; [`Instance::new`] and [`Instance::owned`] check that the shapes fit.
///
/// ```
/// use ndarray::array;
/// use mentorpair::lsap::{Instance, Objective};
///
/// let scores = array![[0.9, 0.5], [0.8, f64::NAN]];
/// let instance = Instance::new(scores.view(), &[1, 1], &[1, 1]).unwrap();
/// assert_eq!(instance.dims(), (2, 2));
/// let m = instance.solve(Objective::Coverage).unwrap();
/// assert_eq!(m.pairs, [(0, 1), (1, 0)]); // both mentees matched beats 0.9 alone
/// ```
#[derive(Debug, Clone)]
pub struct Instance<'a> {
    /// Pair scores; NaN (or `-inf`) marks a forbidden pair.
    pub scores: CowArray<'a, f64, Ix2>,
    /// How many columns each row takes at most (one per row).
    pub row_capacity: Cow<'a, [u32]>,
    /// How many rows each column takes at most (one per column).
    pub col_capacity: Cow<'a, [u32]>,
}

fn check_shape(dims: (usize, usize), rows: usize, cols: usize) -> Result<(), LsapError> {
    let (n, m) = dims;
    let side = |what: &str, got: usize, want: usize, per: &str| {
        LsapError::Shape(format!(
            "{what} has {got} entries but the score matrix has {want} {per} (give one per {per})"
        ))
    };
    if rows != n {
        return Err(side("row_capacity", rows, n, "rows"));
    }
    if cols != m {
        return Err(side("col_capacity", cols, m, "columns"));
    }
    Ok(())
}

impl<'a> Instance<'a> {
    /// Borrow a score matrix and its capacities. Errors with [`LsapError::Shape`] when a capacity
    /// slice does not have one entry per row (column).
    pub fn new(
        scores: ArrayView2<'a, f64>,
        row_capacity: &'a [u32],
        col_capacity: &'a [u32],
    ) -> Result<Self, LsapError> {
        check_shape(scores.dim(), row_capacity.len(), col_capacity.len())?;
        Ok(Instance {
            scores: CowArray::from(scores),
            row_capacity: Cow::Borrowed(row_capacity),
            col_capacity: Cow::Borrowed(col_capacity),
        })
    }

    /// Own a score matrix and its capacities; errors as [`Instance::new`].
    pub fn owned(
        scores: Array2<f64>,
        row_capacity: Vec<u32>,
        col_capacity: Vec<u32>,
    ) -> Result<Instance<'static>, LsapError> {
        check_shape(scores.dim(), row_capacity.len(), col_capacity.len())?;
        Ok(Instance {
            scores: CowArray::from(scores),
            row_capacity: Cow::Owned(row_capacity),
            col_capacity: Cow::Owned(col_capacity),
        })
    }

    /// `(rows, columns)`.
    pub fn dims(&self) -> (usize, usize) {
        self.scores.dim()
    }

    /// The score matrix as a view.
    pub fn scores(&self) -> ArrayView2<'_, f64> {
        self.scores.view()
    }

    /// The same instance borrowing from this one (no copy).
    pub fn view(&self) -> Instance<'_> {
        Instance {
            scores: CowArray::from(self.scores.view()),
            row_capacity: Cow::Borrowed(&self.row_capacity),
            col_capacity: Cow::Borrowed(&self.col_capacity),
        }
    }

    /// The maximising capacitated solve ([`super::solve_capacitated`]) with `objective`.
    pub fn solve(&self, objective: Objective) -> Result<Matching, LsapError> {
        self.solve_with(
            &CapacitatedOptions {
                maximize: true,
                objective,
            },
            None,
        )
    }

    /// [`solve_capacitated_warm`] with any options, optionally warm-started from
    /// `(row_duals, col_duals)` of an earlier solve.
    pub fn solve_with(
        &self,
        opts: &CapacitatedOptions,
        warm: Option<(&[f64], &[f64])>,
    ) -> Result<Matching, LsapError> {
        solve_capacitated_warm(
            self.scores.view(),
            &self.row_capacity,
            &self.col_capacity,
            opts,
            warm,
        )
    }
}
