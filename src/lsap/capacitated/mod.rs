//! Capacitated assignment (bipartite b-matching): row `i` takes up to `d_i` columns, column `j` up
//! to `c_j` rows, each pair at most once; optimal by successive shortest paths with dual potentials.
//!
//! # Method
//! The problem is a min-cost flow on the bipartite graph itself: source → row `i` (capacity `d_i`),
//! row → column (capacity 1, cost `c_ij`), column → sink `T` (capacity `c_j`), plus an implicit
//! "unmatched" edge row → `T` (capacity `d_i`, cost 0). Every row unit is routed to `T`, either
//! through a column or through its row's unmatched edge, so the row units form a complete assignment
//! and the Hungarian method generalises directly: one Dijkstra search per row unit on reduced costs
//! `c_ij + π_i − π_j`, stopping at the first column with spare capacity or at an unmatched edge.
//! No row or column is copied by capacity: there is one potential per row and per column, labels
//! are O(rows + cols), and the weights are read in place (or from one transposed copy, below), so
//! memory is the matrix plus O(rows · 64 + cols + pairs).
//! Edge capacity 1 is why matched edges may have a strictly negative reduced cost (a row holding
//! two columns of different value has only one potential); rows therefore carry their own labels and
//! are reached through their matched columns.
//!
//! Each search is a Dijkstra with two small heaps (rows, columns). A row is scanned through a short
//! candidate list of its columns in increasing order of a lower bound on the reduced cost (column
//! potentials only decrease, so a key recorded earlier stays a lower bound); the scan stops once the
//! bound reaches the best exit found so far, and falls back to every column (rebuilding the list in
//! the same pass) only when the whole list lies below it. Searches start from the side with fewer units: the more
//! spare capacity they can end at, the shorter they are (a transposed copy of the matrix when that
//! side is the columns).
//!
//! Without the unmatched edges, per-row augmentation is wrong for partial matchings: a row processed
//! early could keep a column that a later row needs more. With them, every search is a
//! shortest path in the residual graph of a flow that is optimal for the units routed so far, which
//! is the successive-shortest-path invariant; the order of the row units does not matter.
//!
//! [`Objective::Coverage`] ("as many pairs as possible, then the best total") is the same problem with
//! the lexicographic pair cost `(−1, c_ij)`: every pair earns one unit of coverage that dominates any
//! score. Distances and potentials are then exact `(i64, f64)` pairs, compared lexicographically,
//! so no big-M constant can swamp the scores. [`Objective::Score`] uses plain `f64` costs with the same
//! code (monomorphised).
//!
//! Initialisation (cold and warm alike): column potentials (zero, or the caller's warm duals),
//! then one exact bid per row (the Jonker–Volgenant augmenting row reduction generalised to
//! capacities) that takes a row's best column or outbids its least attached holder; columns priced
//! below zero that end up not full are repriced and the rows they invalidate released, so the state
//! satisfies every reduced-cost condition before the searches start.

mod candidates;
pub(super) mod cost;
pub(super) mod duals;
pub(super) mod init;
mod loads;
mod problem;
pub(super) mod search;
pub(super) mod solver;

use super::memory;
use super::LsapError;
use cost::{Cost, Lex};
use ndarray::ArrayView2;
use problem::{validate, Problem};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use solver::{run, Warm};

pub use loads::{solve_capacitated_loads, ColumnLoads, LoadMatching};

/// What the capacitated solver optimises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// Match as many pairs as the capacities and forbidden pairs allow; among those matchings take
    /// the one with the optimal total (highest when maximising, lowest when minimising).
    #[default]
    Coverage,
    /// The optimal total over matchings of any size: when maximising, a pair is used only if it
    /// raises the total (when minimising, only if it lowers it).
    Score,
}

/// Options for [`solve_capacitated`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CapacitatedOptions {
    /// Maximise the total weight (default `true`); `false` minimises it.
    pub maximize: bool,
    /// Coverage first (default) or score alone.
    pub objective: Objective,
}

impl Default for CapacitatedOptions {
    fn default() -> Self {
        Self {
            maximize: true,
            objective: Objective::Coverage,
        }
    }
}

/// An optimal capacitated matching with the dual potentials that certify it.
///
/// In the caller's sense (maximising), with `r_ij = w_ij − row_duals[i] − col_duals[j]`:
/// duals are `≥ 0`, a positive row (column) dual only on a row (column) used to capacity,
/// `r_ij ≤ 0` on unused allowed pairs and `r_ij ≥ 0` on used pairs; then the primal total equals
/// `Σ d_i u_i + Σ c_j v_j + Σ_used r_ij` (LP duality, so no better matching exists). Minimising,
/// every inequality flips. For [`Objective::Coverage`] the same holds lexicographically for the pair
/// value `(1, w_ij)` (maximising) or `(−1, w_ij)` (minimising) with the duals
/// `(row_count_duals[i], row_duals[i])` and `(col_count_duals[j], col_duals[j])`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Matching {
    /// Matched `(row, col)` pairs, sorted by row then column.
    pub pairs: Vec<(usize, usize)>,
    /// Sum of the weights over the matched pairs (in the caller's sense).
    pub objective: f64,
    /// Row duals `u` (length = rows), score part.
    pub row_duals: Vec<f64>,
    /// Column duals `v` (length = columns), score part; pass them back as a warm start.
    pub col_duals: Vec<f64>,
    /// Coverage part of the row duals (all zero for [`Objective::Score`]).
    pub row_count_duals: Vec<i64>,
    /// Coverage part of the column duals (all zero for [`Objective::Score`]).
    pub col_count_duals: Vec<i64>,
}

/// Solve the capacitated assignment (b-matching) problem on a dense weight matrix.
///
/// Row `i` is matched to at most `row_capacity[i]` distinct columns, column `j` to at most
/// `col_capacity[j]` distinct rows; a capacity of 0 leaves that row or column unused. A NaN entry
/// forbids its pair, as does `-inf` when maximising or `+inf` when minimising; the other infinity is
/// an [`LsapError::InvalidEntry`]. Capacity slices of the wrong length are an [`LsapError::Shape`].
/// Never fails for lack of a feasible matching: the empty matching is always feasible.
///
/// ```
/// use ndarray::array;
/// use mentorpair::lsap::{solve_capacitated, CapacitatedOptions, Objective};
/// let w = array![[0.9, 0.8, 0.1], [0.7, 0.1, f64::NAN], [0.6, 0.5, 0.2]];
/// let opts = CapacitatedOptions { maximize: true, objective: Objective::Coverage };
/// // Column 0 takes two rows, columns 1 and 2 one each; row 0 wants two columns.
/// let m = solve_capacitated(w.view(), &[2, 1, 1], &[2, 1, 1], &opts).unwrap();
/// assert_eq!(m.pairs, vec![(0, 0), (0, 1), (1, 0), (2, 2)]);
/// assert!((m.objective - 2.6).abs() < 1e-12);
/// ```
pub fn solve_capacitated(
    weights: ArrayView2<f64>,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
) -> Result<Matching, LsapError> {
    solve_capacitated_warm(weights, row_capacity, col_capacity, opts, None)
}

/// [`solve_capacitated`] warm-started from the duals of an earlier solve, `(row_duals, col_duals)`.
///
/// Typical use: a Lagrangian loop that shifts whole rows of the weights and re-solves. The column
/// duals are kept (clamped to what is feasible), the row duals are recomputed from the new weights,
/// and a greedy pass reuses every pair that is still tight; only the rest is searched. The result has
/// the same optimal objective as a cold solve (the pairs may differ only between equally good
/// matchings). The row duals are accepted for symmetry and checked for length, but not needed.
/// Warm duals must be finite and match the matrix shape, else [`LsapError::WarmStart`].
pub fn solve_capacitated_warm(
    weights: ArrayView2<f64>,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
    warm: Option<(&[f64], &[f64])>,
) -> Result<Matching, LsapError> {
    let start = match warm {
        Some((r, c)) => Start::Duals(r, c),
        None => Start::Cold,
    };
    solve_impl(weights, row_capacity, col_capacity, opts, start)
}

/// [`solve_capacitated`] restarted from an earlier result on a matrix of the same shape: its pairs
/// and duals (coverage part included) are reused wherever they are still consistent with the new
/// weights and capacities, and only the rest is searched.
///
/// This is the fast path for loops that re-solve after small changes: a row keeps its earlier pairs
/// when they are still its best options under the earlier column duals, or under column duals
/// recomputed from the earlier row duals (whichever keeps more), so a step that shifts whole rows
/// or whole columns keeps most pairs. Rows that now prefer other columns are released and searched
/// again, as are the rows a repriced column invalidates; when many rows change their minds the
/// restart costs about as much as a cold solve. The result is optimal for the new weights whatever
/// `previous` holds, as long as it fits the shape; a `previous` of another shape (duals or pair
/// indices out of range) is an [`LsapError::WarmStart`].
///
/// ```
/// use ndarray::array;
/// use mentorpair::lsap::{solve_capacitated, solve_capacitated_from, CapacitatedOptions};
/// let w = array![[0.9, 0.8, 0.1], [0.7, 0.1, 0.3], [0.6, 0.5, 0.2]];
/// let opts = CapacitatedOptions::default();
/// let first = solve_capacitated(w.view(), &[1; 3], &[1; 3], &opts).unwrap();
/// let shifted = &w + &array![[0.0], [0.2], [-0.1]];
/// let again = solve_capacitated_from(shifted.view(), &[1; 3], &[1; 3], &opts, &first).unwrap();
/// let cold = solve_capacitated(shifted.view(), &[1; 3], &[1; 3], &opts).unwrap();
/// assert!((again.objective - cold.objective).abs() < 1e-12);
/// ```
pub fn solve_capacitated_from(
    weights: ArrayView2<f64>,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
    previous: &Matching,
) -> Result<Matching, LsapError> {
    solve_impl(
        weights,
        row_capacity,
        col_capacity,
        opts,
        Start::Previous(previous),
    )
}

/// How a solve starts.
#[derive(Clone, Copy)]
enum Start<'a> {
    Cold,
    Duals(&'a [f64], &'a [f64]),
    Previous(&'a Matching),
}

fn solve_impl(
    weights: ArrayView2<f64>,
    row_capacity: &[u32],
    col_capacity: &[u32],
    opts: &CapacitatedOptions,
    start: Start<'_>,
) -> Result<Matching, LsapError> {
    let (nr, nc) = weights.dim();
    if row_capacity.len() != nr {
        return Err(LsapError::Shape(format!(
            "row_capacity has {} entries but the matrix has {nr} rows (give one capacity per row)",
            row_capacity.len()
        )));
    }
    if col_capacity.len() != nc {
        return Err(LsapError::Shape(format!(
            "col_capacity has {} entries but the matrix has {nc} columns (give one capacity per column)",
            col_capacity.len()
        )));
    }
    let sign = if opts.maximize { -1.0 } else { 1.0 };
    match start {
        Start::Cold => {}
        Start::Duals(wr, wc) => {
            check_warm(wr, nr, "row")?;
            check_warm(wc, nc, "column")?;
        }
        Start::Previous(prev) => check_previous(prev, nr, nc)?,
    }
    // Rust reads the matrix row by row; a non-standard layout (a transposed or strided view) is
    // copied once into row-major order.
    let owned: Vec<f64>;
    let data: &[f64] = match weights.as_slice() {
        Some(s) => s,
        None => {
            let mut copy = memory::try_with_capacity(nr.saturating_mul(nc))?;
            copy.extend(weights.iter());
            owned = copy;
            &owned
        }
    };
    let (row_allowed, col_allowed) = validate(data, nr, nc, opts.maximize)?;
    let cap = |c: &[u32], allowed: &[u32]| -> Vec<u32> {
        c.iter().zip(allowed).map(|(&c, &a)| c.min(a)).collect()
    };
    let (row_cap, col_cap) = (
        cap(row_capacity, &row_allowed),
        cap(col_capacity, &col_allowed),
    );
    let units = |c: &[u32]| c.iter().map(|&x| u64::from(x)).sum::<u64>();
    // Searches start from the side with fewer units and end on the side with more: the more
    // spare capacity a search can end at, the shorter it is. Starting from the columns needs the
    // matrix transposed (one extra rows × cols buffer).
    let transpose = units(&col_cap) < units(&row_cap);
    memory::check_big(memory::capacitated_bytes(
        nr,
        nc,
        weights.is_standard_layout(),
        transpose,
    ))?;
    let transposed = if transpose {
        Some(transposed_copy(data, nr, nc)?)
    } else {
        None
    };
    let problem = match transposed.as_deref() {
        Some(t) => Problem {
            w: t,
            n: nc,
            m: nr,
            sign,
            row_cap: col_cap,
            col_cap: row_cap,
        },
        None => Problem {
            w: data,
            n: nr,
            m: nc,
            sign,
            row_cap,
            col_cap,
        },
    };
    // Warm column potentials in the internal orientation and minimisation sense (the LP dual of
    // either side is `sign ×` the caller's dual), and the earlier pairs when there are any.
    let side = |r: &'_ [f64], c: &'_ [f64]| -> Vec<f64> {
        let v = if transpose { r } else { c };
        v.iter().map(|&x| sign * x).collect()
    };
    let warm = match start {
        Start::Cold => Warm::Cold,
        Start::Duals(r, c) => Warm::Prices(side(r, c).into_iter().map(Lex::from_score).collect()),
        Start::Previous(prev) => {
            let (prices, row_prices, pairs) = previous_start(prev, transpose, opts.maximize);
            Warm::Previous(prices, row_prices, pairs)
        }
    };
    let result = match opts.objective {
        Objective::Score => run::<f64>(&problem, &warm)?,
        Objective::Coverage => run::<Lex>(&problem, &warm)?,
    };
    let (int_rc, int_cc) = if transpose {
        (col_capacity, row_capacity)
    } else {
        (row_capacity, col_capacity)
    };
    // Final duals in LP form (see `Duals`), then in the caller's orientation and sense.
    let mut duals = result.duals;
    duals.finish(&problem, int_rc, int_cc, &result.pairs);
    let mut pairs = result.pairs;
    if transpose {
        pairs.iter_mut().for_each(|p| *p = (p.1, p.0));
        std::mem::swap(&mut duals.u, &mut duals.v);
    }
    drop(transposed);
    pairs.sort_unstable();
    let objective = pairs.iter().map(|&(r, c)| data[r * nc + c]).sum();
    let split = |v: &[Lex]| -> (Vec<f64>, Vec<i64>) {
        v.iter()
            .map(|x| (sign * x.f + 0.0, if opts.maximize { -x.k } else { x.k }))
            .unzip()
    };
    let (row_duals, row_count_duals) = split(&duals.u);
    let (col_duals, col_count_duals) = split(&duals.v);
    Ok(Matching {
        pairs,
        objective,
        row_duals,
        col_duals,
        row_count_duals,
        col_count_duals,
    })
}

/// The `cols × rows` row-major transpose of the `rows × cols` row-major `data`, allocated
/// fallibly and filled in parallel bands of output rows.
fn transposed_copy(data: &[f64], rows: usize, cols: usize) -> Result<Vec<f64>, LsapError> {
    let mut out = memory::try_vec(0.0, rows.saturating_mul(cols))?;
    if rows > 0 {
        out.par_chunks_mut(rows)
            .enumerate()
            .for_each(|(j, out_row)| {
                for (i, o) in out_row.iter_mut().enumerate() {
                    *o = data[i * cols + j];
                }
            });
    }
    Ok(out)
}

/// Column potentials, network row potentials and pairs of an earlier result, in the internal
/// orientation (`transpose`: the searches start from the columns) and minimisation sense.
pub(super) fn previous_start(prev: &Matching, transpose: bool, maximize: bool) -> PreviousStart {
    let sign = if maximize { -1.0 } else { 1.0 };
    // Both sides' earlier duals as lexicographic minimisation-sense LP duals.
    let ks = if maximize { -1 } else { 1 };
    let lp = |f: &[f64], k: &[i64]| -> Vec<Lex> {
        f.iter()
            .zip(k)
            .map(|(&f, &k)| Lex {
                k: ks * k,
                f: sign * f,
            })
            .collect()
    };
    let rows_lp = lp(&prev.row_duals, &prev.row_count_duals);
    let cols_lp = lp(&prev.col_duals, &prev.col_count_duals);
    let (int_rows, prices) = if transpose {
        (cols_lp, rows_lp)
    } else {
        (rows_lp, cols_lp)
    };
    // Network row potentials are the negated LP row duals.
    let row_prices = int_rows.into_iter().map(|u| Lex::ZERO - u).collect();
    let pairs = prev
        .pairs
        .iter()
        .map(|&(r, c)| if transpose { (c, r) } else { (r, c) })
        .collect();
    (prices, row_prices, pairs)
}

/// See [`previous_start`].
pub(super) type PreviousStart = (Vec<Lex>, Vec<Lex>, Vec<(usize, usize)>);

/// A previous result fits an `nr × nc` problem: duals of the right lengths, finite, pairs inside.
pub(super) fn check_previous(prev: &Matching, nr: usize, nc: usize) -> Result<(), LsapError> {
    check_warm(&prev.row_duals, nr, "row")?;
    check_warm(&prev.col_duals, nc, "column")?;
    check_counts(&prev.row_count_duals, nr, "row")?;
    check_counts(&prev.col_count_duals, nc, "column")?;
    if let Some(&(r, c)) = prev.pairs.iter().find(|&&(r, c)| r >= nr || c >= nc) {
        return Err(LsapError::WarmStart(format!(
            "previous pair ({r}, {c}) is outside the {nr} x {nc} problem (restart only from a result on a problem of the same shape)"
        )));
    }
    Ok(())
}

fn check_counts(v: &[i64], len: usize, side: &str) -> Result<(), LsapError> {
    if v.len() != len {
        return Err(LsapError::WarmStart(format!(
            "{side} count duals have {} entries but the matrix has {len} {side}s (pass a result on a matrix of the same shape)",
            v.len()
        )));
    }
    Ok(())
}

fn check_warm(v: &[f64], len: usize, side: &str) -> Result<(), LsapError> {
    if v.len() != len {
        return Err(LsapError::WarmStart(format!(
            "{side} duals have {} entries but the matrix has {len} {side}s (pass the duals of a solve on a matrix of the same shape)",
            v.len()
        )));
    }
    if let Some(i) = v.iter().position(|x| !x.is_finite()) {
        return Err(LsapError::WarmStart(format!(
            "{side} dual {i} is {} (warm-start duals must be finite)",
            v[i]
        )));
    }
    Ok(())
}
