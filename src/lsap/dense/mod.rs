//! Dense rectangular linear sum assignment: shortest augmenting paths with dual potentials
//! (Jonker–Volgenant / Crouse family), with a JV-style initialisation and a parallel column scan.
//!
//! Pipeline:
//! 1. Validate and profile the input in one parallel pass (NaN / wrong infinity, forbidden pairs,
//!    integrality, range). Tall inputs are solved as their transpose without copying it: the same
//!    pass yields the row reduction of the transpose, and its rows are gathered on first use.
//! 2. Warm start, picked by those measurable features:
//!    - square, float costs, nothing forbidden: epsilon-scaling auction to near-optimal prices,
//!      converted to feasible duals (`u_i = min_j c_ij - v_j`), keeping only exactly tight pairs
//!      (near-tie scores, where plain augmentation and augmenting row reduction both crawl);
//!    - otherwise Jonker–Volgenant: column reduction with reduction transfer (square) or row
//!      reduction (wide), then augmenting row reduction repeated while it pays, under a budget.
//! 3. Square integer costs, nothing forbidden: primal–dual phases ([`tight`]) — a maximum
//!    matching of the tight pairs (zero reduced cost) by depth-first augmenting paths over per-row
//!    lists of tight columns, then one multi-source shortest-path search raising the duals for all
//!    free rows at once, repeated. With small integer costs whole Dijkstra levels are ties, which
//!    the per-row search re-explores for every free row; here one search serves all of them.
//! 4. Exact finish: one shortest augmenting path per row still free, with all columns tied at
//!    the current distance taken together (JV), in parallel chunks for very wide rows.
//!
//! The warm start only affects speed: the optimum and the duals come from steps 3–4, whose dual
//! invariant (feasible, tight on assigned pairs, zero on free columns of wide problems) every
//! warm start establishes and step 3 keeps (it only matches tight pairs).

mod auction;
mod init;
mod matrix;
mod sap;
mod tight;

use super::{Assignment, LsapError};
use matrix::Work;
use ndarray::ArrayView2;

/// Square integer problems with at least this many rows, nothing forbidden, match their free rows
/// by primal–dual phases on the tight graph ([`tight`]) before the per-row finish.
const TIGHT_MIN_ROWS: usize = 32;

/// Marks a free row or column in the matching arrays.
const NONE: usize = usize::MAX;

/// Matching and dual potentials of the working (oriented, minimising) problem.
///
/// Invariant between augmentations: for every assigned row `i` and every column `j`,
/// `u[i] + v[j] <= c[i][j]`, with equality at `j = col4row[i]`; `v[j] <= 0` for every column and
/// `v[j] == 0` for every free column when the problem is wide (`n < m`).
struct State {
    u: Vec<f64>,
    v: Vec<f64>,
    col4row: Vec<usize>,
    row4col: Vec<usize>,
}

impl State {
    fn new(n: usize, m: usize) -> Self {
        State {
            u: vec![0.0; n],
            v: vec![0.0; m],
            col4row: vec![NONE; n],
            row4col: vec![NONE; m],
        }
    }

    fn assign(&mut self, i: usize, j: usize) {
        self.col4row[i] = j;
        self.row4col[j] = i;
    }

    fn free_rows(&self) -> Vec<usize> {
        (0..self.col4row.len())
            .filter(|&i| self.col4row[i] == NONE)
            .collect()
    }
}

/// Solve the dense linear sum assignment problem.
///
/// `cost` may have any shape; `min(rows, cols)` pairs are assigned. When `maximize` is false,
/// `+inf` marks a forbidden pair; when true, `-inf` does. NaN and the other infinity are errors
/// ([`LsapError::InvalidEntry`], naming the first bad entry in row-major order); when no
/// complete assignment of the smaller side avoids the forbidden pairs the result is
/// [`LsapError::Infeasible`].
///
/// The returned duals certify optimality. When minimising: `row_duals[i] + col_duals[j] <=
/// cost[i][j]` for every allowed pair (up to floating-point rounding), with equality on the
/// assigned pairs; when there are more columns than rows, every `col_duals[j] <= 0` and the
/// unassigned columns have `col_duals[j] == 0`; when there are more rows than columns, the same
/// holds for `row_duals` and the unassigned rows. Hence `objective == sum(row_duals) +
/// sum(col_duals)` (up to rounding), which is the LP dual bound. When maximising, every inequality
/// flips (`>=`, and `>= 0` on the larger side).
///
/// Deterministic: the result is bit-identical whatever the number of rayon threads.
///
/// ```
/// use ndarray::array;
/// let a = mentorpair::lsap::solve_dense(array![[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]].view(), false).unwrap();
/// assert_eq!(a.cols, vec![1, 0, 2]);
/// assert_eq!(a.objective, 5.0);
/// ```
pub fn solve_dense(cost: ArrayView2<f64>, maximize: bool) -> Result<Assignment, LsapError> {
    let (nr, nc) = cost.dim();
    if nr == 0 || nc == 0 {
        matrix::validate(&cost, maximize)?;
        return Ok(Assignment {
            rows: vec![],
            cols: vec![],
            objective: 0.0,
            row_duals: vec![0.0; nr],
            col_duals: vec![0.0; nc],
        });
    }
    if nr.max(nc) >= u32::MAX as usize {
        return Err(LsapError::Shape(format!(
            "a {nr} x {nc} matrix has a side longer than {} entries, the most the dense solver indexes; split the problem",
            u32::MAX - 1
        )));
    }
    let transpose = nr > nc;
    let (work, profile) = Work::new(cost, maximize, transpose)?;
    let (n, m) = (work.n, work.m);
    let side = if transpose { "column" } else { "row" };
    let infeasible = |i: usize| {
        LsapError::Infeasible {
        detail: format!(
            "no complete assignment avoids the forbidden pairs; {side} {i} cannot be matched together with the {side}s before it (allow more pairs or drop that {side})"
        ),
    }
    };

    let cancel = crate::cancel::current();
    let mut st = State::new(n, m);
    if !profile.forbidden && profile.lo == profile.hi {
        // Every pair costs the same: any complete matching is optimal; take the identity (what
        // scipy returns), certified by u = c, v = 0.
        let c = work.row(0)[0];
        for i in 0..n {
            st.u[i] = c;
            st.assign(i, i);
        }
    } else {
        init::initialise(&work, &mut st, &profile).map_err(infeasible)?;
    }
    cancel.check()?;
    let mut sap = sap::Sap::new(m);
    if n == m && n >= TIGHT_MIN_ROWS && profile.integral && !profile.forbidden {
        tight::solve(&work, &mut st, &mut sap);
        cancel.check()?;
    }
    for i in st.free_rows() {
        cancel.check()?;
        sap.augment(&work, &mut st, i).map_err(|_| infeasible(i))?;
    }

    let mut pairs: Vec<(usize, usize)> = (0..n)
        .map(|r| {
            let c = st.col4row[r];
            if transpose {
                (c, r)
            } else {
                (r, c)
            }
        })
        .collect();
    pairs.sort_unstable();
    let objective = pairs.iter().map(|&(r, c)| cost[[r, c]]).sum();
    let sign = if maximize { -1.0 } else { 1.0 };
    let State { u, v, .. } = st;
    let (row_duals, col_duals) = if transpose { (v, u) } else { (u, v) };
    Ok(Assignment {
        rows: pairs.iter().map(|p| p.0).collect(),
        cols: pairs.iter().map(|p| p.1).collect(),
        objective,
        row_duals: row_duals.into_iter().map(|x| sign * x).collect(),
        col_duals: col_duals.into_iter().map(|x| sign * x).collect(),
    })
}
