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
//! bound reaches the best exit found so far, and falls back to every column (rebuilding the list)
//! only when the whole list lies below it. Searches start from the side with fewer units: the more
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

use super::LsapError;
use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::ops::{Add, Sub};

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
        Start::Previous(prev) => {
            check_warm(&prev.row_duals, nr, "row")?;
            check_warm(&prev.col_duals, nc, "column")?;
            check_counts(&prev.row_count_duals, nr, "row")?;
            check_counts(&prev.col_count_duals, nc, "column")?;
            if let Some(&(r, c)) = prev.pairs.iter().find(|&&(r, c)| r >= nr || c >= nc) {
                return Err(LsapError::WarmStart(format!(
                    "previous pair ({r}, {c}) is outside the {nr} x {nc} matrix (restart only from a result on a matrix of the same shape)"
                )));
            }
        }
    }
    // Rust reads the matrix row by row; a non-standard layout (a transposed or strided view) is
    // copied once into row-major order.
    let owned: Option<Array2<f64>>;
    let data: &[f64] = match weights.as_slice() {
        Some(s) => s,
        None => {
            owned = Some(weights.as_standard_layout().into_owned());
            owned.as_ref().and_then(|a| a.as_slice()).unwrap_or(&[])
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
    let transposed: Option<Array2<f64>> = transpose.then(|| {
        ArrayView2::from_shape((nr, nc), data)
            .map(|v| v.t().as_standard_layout().into_owned())
            .unwrap_or_else(|_| Array2::zeros((nc, nr)))
    });
    let problem = match transposed.as_ref().and_then(|t| t.as_slice()) {
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
            // Both sides' earlier duals as lexicographic minimisation-sense LP duals.
            let ks = if opts.maximize { -1 } else { 1 };
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
            Warm::Previous(prices, row_prices, pairs)
        }
    };
    let result = match opts.objective {
        Objective::Score => run::<f64>(&problem, &warm),
        Objective::Coverage => run::<Lex>(&problem, &warm),
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

/// Allowed pairs per row and per column.
type Counts = (Vec<u32>, Vec<u32>);

/// Check every entry and count the allowed pairs of each row and of each column.
fn validate(
    data: &[f64],
    n: usize,
    m: usize,
    maximize: bool,
) -> Result<(Vec<u32>, Vec<u32>), LsapError> {
    let bad = if maximize {
        f64::INFINITY
    } else {
        f64::NEG_INFINITY
    };
    const ROWS_PER_BLOCK: usize = 64;
    let blocks: Vec<Result<Counts, LsapError>> = (0..n.div_ceil(ROWS_PER_BLOCK))
        .into_par_iter()
        .map(|b| {
            let mut per_row = Vec::with_capacity(ROWS_PER_BLOCK);
            let mut per_col = vec![0u32; m];
            for r in b * ROWS_PER_BLOCK..((b + 1) * ROWS_PER_BLOCK).min(n) {
                let row = data.get(r * m..(r + 1) * m).unwrap_or(&[]);
                let mut count = 0u32;
                for (c, (&x, pc)) in row.iter().zip(per_col.iter_mut()).enumerate() {
                    if x == bad {
                        return Err(LsapError::InvalidEntry {
                            row: r,
                            col: c,
                            value: x,
                        });
                    }
                    let ok = u32::from(x.is_finite());
                    count += ok;
                    *pc += ok;
                }
                per_row.push(count);
            }
            Ok((per_row, per_col))
        })
        .collect();
    let mut rows = Vec::with_capacity(n);
    let mut cols = vec![0u32; m];
    for block in blocks {
        let (r, c) = block?;
        rows.extend(r);
        cols.iter_mut().zip(c).for_each(|(a, b)| *a += b);
    }
    Ok((rows, cols))
}

/// The validated problem in minimisation form: cost `sign * w`, capacities capped at what the
/// allowed pairs can use (a row never needs more units than it has allowed columns).
struct Problem<'a> {
    w: &'a [f64],
    n: usize,
    m: usize,
    sign: f64,
    row_cap: Vec<u32>,
    col_cap: Vec<u32>,
}

impl Problem<'_> {
    fn row(&self, i: usize) -> &[f64] {
        self.w.get(i * self.m..(i + 1) * self.m).unwrap_or(&[])
    }
}

/// A distance or potential: `f64` for [`Objective::Score`], [`Lex`] for [`Objective::Coverage`].
trait Cost:
    Copy + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Send + Sync + std::fmt::Debug
{
    const ZERO: Self;
    const INF: Self;
    const NEG_INF: Self;
    /// Whether pairs carry the coverage component (lexicographic costs).
    const COVERAGE: bool;
    /// Cost of a pair from its signed weight; `None` when the pair is forbidden.
    fn pair(sw: f64) -> Option<Self>;
    /// `base + pair(sw) − pot` in the hot loop; `INF` (or NaN, never less than a label) when forbidden.
    fn reduced(base: Self, sw: f64, pot: Self) -> Self;
    fn total_cmp(&self, other: &Self) -> Ordering;
    fn lex(self) -> Lex;
    fn from_score(x: f64) -> Self;
    /// From a lexicographic potential (the coverage part is dropped for plain scores).
    fn from_lex(x: Lex) -> Self;
    /// `self ≤ other` up to rounding in the last bits of the score.
    fn within_rounding(self, other: Self) -> bool;
}

/// Relative slack for [`Cost::within_rounding`].
const ROUNDING: f64 = 1e-12;

fn le_rounded(a: f64, b: f64) -> bool {
    a <= b + ROUNDING * (1.0 + a.abs().max(b.abs()))
}

impl Cost for f64 {
    const ZERO: Self = 0.0;
    const INF: Self = f64::INFINITY;
    const NEG_INF: Self = f64::NEG_INFINITY;
    const COVERAGE: bool = false;
    #[inline]
    fn pair(sw: f64) -> Option<Self> {
        (sw < f64::INFINITY).then_some(sw)
    }
    #[inline(always)]
    fn reduced(base: Self, sw: f64, pot: Self) -> Self {
        base + sw - pot
    }
    fn total_cmp(&self, other: &Self) -> Ordering {
        f64::total_cmp(self, other)
    }
    fn lex(self) -> Lex {
        Lex { k: 0, f: self }
    }
    fn from_score(x: f64) -> Self {
        x
    }
    fn from_lex(x: Lex) -> Self {
        x.f
    }
    fn within_rounding(self, other: Self) -> bool {
        le_rounded(self, other)
    }
}

/// Lexicographic cost `(coverage, score)`: the derived order compares `k` first.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct Lex {
    k: i64,
    f: f64,
}

impl Add for Lex {
    type Output = Lex;
    #[inline(always)]
    fn add(self, o: Lex) -> Lex {
        Lex {
            k: self.k.saturating_add(o.k),
            f: self.f + o.f,
        }
    }
}

impl Sub for Lex {
    type Output = Lex;
    #[inline(always)]
    fn sub(self, o: Lex) -> Lex {
        Lex {
            k: self.k.saturating_sub(o.k),
            f: self.f - o.f,
        }
    }
}

impl Lex {
    const ZERO: Self = Lex { k: 0, f: 0.0 };
}

impl Cost for Lex {
    const ZERO: Self = Lex { k: 0, f: 0.0 };
    const COVERAGE: bool = true;
    const INF: Self = Lex {
        k: i64::MAX,
        f: f64::INFINITY,
    };
    const NEG_INF: Self = Lex {
        k: i64::MIN,
        f: f64::NEG_INFINITY,
    };
    #[inline]
    fn pair(sw: f64) -> Option<Self> {
        (sw < f64::INFINITY).then_some(Lex { k: -1, f: sw })
    }
    #[inline(always)]
    fn reduced(base: Self, sw: f64, pot: Self) -> Self {
        if sw < f64::INFINITY {
            Lex {
                k: base.k - 1 - pot.k,
                f: base.f + sw - pot.f,
            }
        } else {
            Self::INF
        }
    }
    fn total_cmp(&self, other: &Self) -> Ordering {
        self.k.cmp(&other.k).then(self.f.total_cmp(&other.f))
    }
    fn lex(self) -> Lex {
        self
    }
    fn from_score(x: f64) -> Self {
        Lex { k: 0, f: x }
    }
    fn from_lex(x: Lex) -> Self {
        x
    }
    fn within_rounding(self, other: Self) -> bool {
        self.k < other.k || (self.k == other.k && le_rounded(self.f, other.f))
    }
}

fn min_cost<C: Cost>(a: C, b: C) -> C {
    if b < a {
        b
    } else {
        a
    }
}

fn max_cost<C: Cost>(a: C, b: C) -> C {
    if b > a {
        b
    } else {
        a
    }
}

/// Column flags for the searches.
const SCANNED: u8 = 1;
const BLOCKED: u8 = 2;
const SPARE: u8 = 4;
const DEAD: u8 = 8;

/// Columns per parallel chunk, and the column count from which the scans go parallel. Fixed numbers
/// (not derived from the thread count), so every thread count computes the very same labels.
const CHUNK: usize = 1024;
const PAR_MIN_COLS: usize = 4096;

/// Candidate columns kept per row, in increasing order of a lower bound on their reduced cost.
const CANDIDATES: usize = 64;

/// Per-row candidate lists for the searches. Column potentials only decrease once the searches
/// start, so the key `c_kj − π_j` recorded when a list was built stays a lower bound on the current
/// reduced cost: a row scan walks its list in key order and stops as soon as the bound reaches the
/// best exit found so far. Only when the whole list is below it (`theta` bounds every column not in
/// the list) does the scan visit every column, and then it rebuilds that row's list.
struct Candidates<C> {
    cols: Vec<u32>,
    keys: Vec<C>,
    /// The signed weights of the listed pairs, so that walking a list never touches the matrix.
    sw: Vec<f64>,
    len: Vec<u32>,
    theta: Vec<C>,
}

/// Row `k`'s `CANDIDATES` columns of lowest key `c_kj − π_j`, sorted, and the bound on the rest.
fn candidate_list<C: Cost>(
    p: &Problem<'_>,
    k: usize,
    pot_c: &[C],
    flags: &[u8],
) -> (Vec<(C, u32)>, C) {
    let mut keyed: Vec<(C, u32)> = p
        .row(k)
        .iter()
        .zip(pot_c)
        .zip(flags)
        .enumerate()
        .filter(|(_, (_, &f))| f & DEAD == 0)
        .filter_map(|(j, ((&w, &pj), _))| C::pair(p.sign * w).map(|c| (c - pj, j as u32)))
        .collect();
    let order = |a: &(C, u32), b: &(C, u32)| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1));
    let theta = if keyed.len() > CANDIDATES {
        keyed.select_nth_unstable_by(CANDIDATES - 1, order);
        keyed.truncate(CANDIDATES);
        keyed.shrink_to_fit();
        keyed.sort_unstable_by(order);
        keyed.last().map_or(C::INF, |x| x.0)
    } else {
        keyed.sort_unstable_by(order);
        C::INF
    };
    (keyed, theta)
}

impl<C: Cost> Candidates<C> {
    fn build(p: &Problem<'_>, pot_c: &[C], flags: &[u8]) -> Self {
        let lists: Vec<(Vec<(C, u32)>, C)> = (0..p.n)
            .into_par_iter()
            .with_min_len(8)
            .map(|k| candidate_list(p, k, pot_c, flags))
            .collect();
        let mut c = Candidates {
            cols: vec![u32::MAX; p.n * CANDIDATES],
            keys: vec![C::INF; p.n * CANDIDATES],
            sw: vec![f64::NAN; p.n * CANDIDATES],
            len: vec![0; p.n],
            theta: vec![C::INF; p.n],
        };
        for (k, (list, theta)) in lists.into_iter().enumerate() {
            c.store(p, k, &list, theta);
        }
        c
    }

    fn store(&mut self, p: &Problem<'_>, k: usize, list: &[(C, u32)], theta: C) {
        let start = k * CANDIDATES;
        let row = p.row(k);
        for (t, &(key, j)) in list.iter().enumerate() {
            self.keys[start + t] = key;
            self.cols[start + t] = j;
            self.sw[start + t] = p.sign * row.get(j as usize).copied().unwrap_or(f64::NAN);
        }
        self.len[k] = list.len() as u32;
        self.theta[k] = theta;
    }
}

/// Bids per row unit (beyond one per row) before the searches take over on a cold start. Zero
/// measured best on mentor-like scores: further bids mostly feed price wars (near-ties move prices
/// by tiny margins) that the searches settle faster.
const BID_ROUNDS: usize = 0;

/// A row's best option (value `π_j − c_ij`, column, spare) and second-best value.
#[derive(Clone, Copy)]
struct Top2<C> {
    v1: C,
    j1: usize,
    spare1: bool,
    v2: C,
}

impl<C: Cost> Top2<C> {
    const NONE: Self = Top2 {
        v1: C::NEG_INF,
        j1: usize::MAX,
        spare1: false,
        v2: C::NEG_INF,
    };
    /// Offers arrive in increasing column order.
    #[inline(always)]
    fn offer(&mut self, v: C, spare: bool, j: usize) {
        if v > self.v1 || (self.j1 != usize::MAX && v == self.v1 && spare && !self.spare1) {
            self.v2 = max_cost(self.v2, self.v1);
            self.v1 = v;
            self.j1 = j;
            self.spare1 = spare;
        } else {
            self.v2 = max_cost(self.v2, v);
        }
    }
    fn merge(a: Self, b: Self) -> Self {
        if b.j1 == usize::MAX {
            return Top2 {
                v2: max_cost(a.v2, b.v2),
                ..a
            };
        }
        if a.j1 == usize::MAX {
            return Top2 {
                v2: max_cost(a.v2, b.v2),
                ..b
            };
        }
        let a_wins = match b.v1.total_cmp(&a.v1) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => (!a.spare1, a.j1) <= (!b.spare1, b.j1),
        };
        let (w, l) = if a_wins { (a, b) } else { (b, a) };
        Top2 {
            v2: max_cost(max_cost(a.v2, b.v2), l.v1),
            ..w
        }
    }
}

fn top2_chunk<C: Cost>(offset: usize, row: &[f64], sign: f64, pot: &[C], flags: &[u8]) -> Top2<C> {
    let mut top = Top2::<C>::NONE;
    for (t, ((&w, &pj), &f)) in row.iter().zip(pot).zip(flags).enumerate() {
        if f & (DEAD | BLOCKED) != 0 {
            continue;
        }
        if let Some(c) = C::pair(sign * w) {
            top.offer(pj - c, f & SPARE != 0, offset + t);
        }
    }
    top
}

/// A row waiting in the search heap (min-heap on label, then row index).
struct RowItem<C> {
    lab: C,
    row: u32,
}

impl<C: Cost> PartialEq for RowItem<C> {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl<C: Cost> Eq for RowItem<C> {}
impl<C: Cost> PartialOrd for RowItem<C> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<C: Cost> Ord for RowItem<C> {
    fn cmp(&self, o: &Self) -> Ordering {
        o.lab.total_cmp(&self.lab).then(o.row.cmp(&self.row))
    }
}

/// A column waiting in the search heap: lowest label first, then spare before full, then index.
struct ColItem<C> {
    lab: C,
    spare: bool,
    col: u32,
}

impl<C: Cost> PartialEq for ColItem<C> {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl<C: Cost> Eq for ColItem<C> {}
impl<C: Cost> PartialOrd for ColItem<C> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<C: Cost> Ord for ColItem<C> {
    fn cmp(&self, o: &Self) -> Ordering {
        o.lab
            .total_cmp(&self.lab)
            .then(self.spare.cmp(&o.spare))
            .then(o.col.cmp(&self.col))
    }
}

#[derive(Clone, Copy)]
enum Sink {
    Col(usize),
    Unmatched(usize),
}

struct RunResult {
    pairs: Vec<(usize, usize)>,
    duals: Duals,
}

/// LP duals in minimisation form (`u, v ≤ 0`, reduced cost `c' − u − v`), lexicographic.
struct Duals {
    u: Vec<Lex>,
    v: Vec<Lex>,
    coverage: bool,
}

impl Duals {
    /// From network potentials (`u = −π_row`, `v = π_col`) to LP duals of the caller's capacities:
    /// a row or column below its capacity gets dual 0 (valid: such a row has either no unused
    /// allowed pair left or dual 0 already); one with capacity 0 gets the largest feasible value.
    fn finish(
        &mut self,
        p: &Problem<'_>,
        row_capacity: &[u32],
        col_capacity: &[u32],
        pairs: &[(usize, usize)],
    ) {
        let mut deg_r = vec![0u32; p.n];
        let mut deg_c = vec![0u32; p.m];
        for &(r, c) in pairs {
            deg_r[r] += 1;
            deg_c[c] += 1;
        }
        let zero = Lex { k: 0, f: 0.0 };
        let pair = |sw: f64| -> Option<Lex> {
            if self.coverage {
                Lex::pair(sw)
            } else {
                f64::pair(sw).map(Cost::lex)
            }
        };
        for (j, v) in self.v.iter_mut().enumerate() {
            if deg_c[j] < col_capacity[j] {
                *v = zero;
            }
        }
        let zero_rows: Vec<usize> = (0..p.n)
            .filter(|&i| row_capacity[i] == 0 && deg_r[i] == 0)
            .collect();
        for (i, u) in self.u.iter_mut().enumerate() {
            if deg_r[i] < row_capacity[i] {
                *u = zero;
            }
        }
        for &i in &zero_rows {
            let row = p.row(i);
            let mut best = zero;
            for (j, &w) in row.iter().enumerate() {
                if let Some(c) = pair(p.sign * w) {
                    best = min_cost(best, c - self.v[j]);
                }
            }
            self.u[i] = best;
        }
        for (j, _) in col_capacity.iter().enumerate().filter(|(_, &c)| c == 0) {
            {
                let mut best = zero;
                for i in 0..p.n {
                    if let Some(c) = pair(p.sign * p.w[i * p.m + j]) {
                        best = min_cost(best, c - self.u[i]);
                    }
                }
                self.v[j] = best;
            }
        }
    }
}

/// The solver state: a flow (matched pairs), potentials, and the search scratch space.
struct Solver<'a, 'p, C: Cost> {
    p: &'a Problem<'p>,
    row_cols: Vec<Vec<u32>>,
    col_rows: Vec<Vec<u32>>,
    pot_r: Vec<C>,
    pot_c: Vec<C>,
    lab: Vec<C>,
    pred: Vec<u32>,
    flags: Vec<u8>,
    row_lab: Vec<C>,
    row_pred: Vec<u32>,
    row_seen: Vec<u32>,
    row_done: Vec<u32>,
    stamp: u32,
    scanned_cols: Vec<u32>,
    scanned_rows: Vec<u32>,
    touched: Vec<u32>,
    heap: BinaryHeap<RowItem<C>>,
    col_heap: BinaryHeap<ColItem<C>>,
    cand: Candidates<C>,
}

/// Warm-start material in the internal orientation: column potentials (minimisation sense, before
/// clamping) and, from a previous result, its pairs.
enum Warm {
    Cold,
    Prices(Vec<Lex>),
    Previous(Vec<Lex>, Vec<Lex>, Vec<(usize, usize)>),
}

fn run<C: Cost>(p: &Problem<'_>, warm: &Warm) -> RunResult {
    let mut s = Solver::<C>::new(p);
    s.initialise(warm);
    s.cand = Candidates::build(p, &s.pot_c, &s.flags);
    for i in 0..p.n {
        let pending = p.row_cap[i] as usize - s.row_cols[i].len().min(p.row_cap[i] as usize);
        for _ in 0..pending {
            s.search(i);
        }
    }
    let pairs = s
        .row_cols
        .iter()
        .enumerate()
        .flat_map(|(i, cols)| cols.iter().map(move |&j| (i, j as usize)))
        .collect();
    let duals = Duals {
        u: s.pot_r.iter().map(|&x| (C::ZERO - x).lex()).collect(),
        v: s.pot_c.iter().map(|&x| x.lex()).collect(),
        coverage: C::COVERAGE,
    };
    RunResult { pairs, duals }
}

impl<'a, 'p, C: Cost> Solver<'a, 'p, C> {
    fn new(p: &'a Problem<'p>) -> Self {
        let flags = p
            .col_cap
            .iter()
            .map(|&c| if c == 0 { DEAD } else { SPARE })
            .collect();
        Solver {
            p,
            row_cols: vec![Vec::new(); p.n],
            col_rows: vec![Vec::new(); p.m],
            pot_r: vec![C::ZERO; p.n],
            pot_c: vec![C::ZERO; p.m],
            lab: vec![C::INF; p.m],
            pred: vec![u32::MAX; p.m],
            flags,
            row_lab: vec![C::INF; p.n],
            row_pred: vec![u32::MAX; p.n],
            row_seen: vec![0; p.n],
            row_done: vec![0; p.n],
            stamp: 0,
            scanned_cols: Vec::new(),
            scanned_rows: Vec::new(),
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            col_heap: BinaryHeap::new(),
            cand: Candidates {
                sw: Vec::new(),
                keys: Vec::new(),
                cols: Vec::new(),
                len: Vec::new(),
                theta: Vec::new(),
            },
        }
    }

    fn link(&mut self, i: usize, j: usize) {
        self.row_cols[i].push(j as u32);
        self.col_rows[j].push(i as u32);
        self.refresh_spare(j);
    }

    fn unlink(&mut self, i: usize, j: usize) {
        if let Some(t) = self.row_cols[i].iter().position(|&x| x as usize == j) {
            self.row_cols[i].swap_remove(t);
        }
        if let Some(t) = self.col_rows[j].iter().position(|&x| x as usize == i) {
            self.col_rows[j].swap_remove(t);
        }
        self.refresh_spare(j);
    }

    fn refresh_spare(&mut self, j: usize) {
        if self.col_rows[j].len() < self.p.col_cap[j] as usize {
            self.flags[j] |= SPARE;
        } else {
            self.flags[j] &= !SPARE;
        }
    }

    /// Potentials and a partial flow that satisfy every reduced-cost condition (see the module
    /// docs): column `j` has `π_j ≤ 0`, and `π_j = 0` unless it is full; a row holding columns has
    /// `π_i ≥ 0` (its unmatched edge), `π_i ≥ π_j − c_ij` on every unheld allowed pair and
    /// `π_i ≤ π_j − c_ij` on every held one. Rows holding nothing are unconstrained.
    fn initialise(&mut self, warm: &Warm) {
        let p = self.p;
        let prices = match warm {
            Warm::Cold => None,
            Warm::Prices(v) | Warm::Previous(v, _, _) => Some(v),
        };
        if let Some(v) = prices {
            for (pc, &x) in self.pot_c.iter_mut().zip(v) {
                *pc = min_cost(C::from_lex(x), C::ZERO);
            }
        }
        if let Warm::Previous(_, row_prices, pairs) = warm {
            self.adopt(pairs, row_prices);
        } else {
            let units: usize = p.row_cap.iter().map(|&d| d as usize).sum();
            // Cold, one bid per row pays off; warm prices make every unit's bid count.
            let rounds = if prices.is_some() { 1 } else { BID_ROUNDS };
            self.bid(rounds * units + p.n);
        }
        self.repair();
    }

    /// Take over earlier pairs (those still allowed and within capacity), then keep each row's
    /// pairs only if they still are its best options: `π_i = max(0, best unheld value)` must not
    /// exceed its worst held value; other rows are released for the searches. Two sets of column
    /// potentials are tried, the earlier column duals (right when rows' weights changed) and
    /// potentials recomputed from the earlier row duals (right when columns' weights changed); the
    /// one that keeps more pairs wins.
    fn adopt(&mut self, pairs: &[(usize, usize)], row_prices: &[Lex]) {
        let p = self.p;
        for &(i, j) in pairs {
            let (Some(&dcap), Some(&f)) = (p.row_cap.get(i), self.flags.get(j)) else {
                continue;
            };
            if self.row_cols[i].len() < dcap as usize
                && f & SPARE != 0
                && !self.row_cols[i].contains(&(j as u32))
                && C::pair(p.sign * p.w[i * p.m + j]).is_some()
            {
                self.link(i, j);
            }
        }
        // Column potentials from the row side: the lowest that keeps every holder (π_j ≥ c_ij + π_i),
        // zero for columns with room.
        let from_rows: Vec<C> = (0..p.m)
            .map(|j| {
                if self.flags[j] & SPARE != 0 {
                    return C::ZERO;
                }
                let mut v = C::NEG_INF;
                for &i in &self.col_rows[j] {
                    let i = i as usize;
                    if let (Some(c), Some(&pi)) =
                        (C::pair(p.sign * p.w[i * p.m + j]), row_prices.get(i))
                    {
                        v = max_cost(v, c + C::from_lex(pi));
                    }
                }
                min_cost(v, C::ZERO)
            })
            .collect();
        let kept_cols = self.verdicts(&self.pot_c);
        let kept_rows = self.verdicts(&from_rows);
        let score = |v: &[Option<C>]| -> usize {
            v.iter()
                .zip(&self.row_cols)
                .filter(|(x, _)| x.is_some())
                .map(|(_, h)| h.len())
                .sum()
        };
        let verdicts = if score(&kept_rows) > score(&kept_cols) {
            self.pot_c = from_rows;
            kept_rows
        } else {
            kept_cols
        };
        for (i, verdict) in verdicts.into_iter().enumerate() {
            match verdict {
                Some(pi) => self.pot_r[i] = pi,
                None => {
                    for j in std::mem::take(&mut self.row_cols[i]) {
                        let j = j as usize;
                        self.col_rows[j].retain(|&r| r as usize != i);
                        self.refresh_spare(j);
                    }
                }
            }
        }
    }

    /// For every row holding columns under column potentials `pot_c`: `Some(π_i)` when its held
    /// columns are still its best options, `None` otherwise (and for rows holding nothing).
    fn verdicts(&self, pot_c: &[C]) -> Vec<Option<C>> {
        let p = self.p;
        let row_cols = &self.row_cols;
        (0..p.n)
            .into_par_iter()
            .with_min_len(16)
            .map(|i| {
                if row_cols[i].is_empty() {
                    return None;
                }
                let (mut best_unheld, mut worst_held) = (C::ZERO, C::INF);
                for (j, (&w, &pj)) in p.row(i).iter().zip(pot_c).enumerate() {
                    if let Some(c) = C::pair(p.sign * w) {
                        let value = pj - c;
                        if row_cols[i].contains(&(j as u32)) {
                            worst_held = min_cost(worst_held, value);
                        } else {
                            best_unheld = max_cost(best_unheld, value);
                        }
                    }
                }
                // Ties between a held and an unheld column come back from the caller's duals with
                // rounding in the last bits; accept them (the potential stays exact on held pairs).
                best_unheld
                    .within_rounding(worst_held)
                    .then(|| min_cost(best_unheld, worst_held))
            })
            .collect()
    }

    /// Bidding (the Jonker–Volgenant augmenting row reduction generalised to capacities; an auction
    /// with zero increment): a row unit takes its best column outright while the column has spare
    /// capacity, otherwise it outbids the holder least attached to the column, which lowers the
    /// column's potential by the bidder's margin over its second-best option. Every step keeps the
    /// reduced-cost conditions exact, so whatever the budget leaves pending is finished by
    /// [`Solver::search`].
    fn bid(&mut self, budget: usize) {
        let p = self.p;
        let mut queue: std::collections::VecDeque<usize> =
            (0..p.n).filter(|&i| p.row_cap[i] > 0).collect();
        let mut bids = 0usize;
        while let Some(i) = queue.pop_front() {
            if self.row_cols[i].len() >= p.row_cap[i] as usize {
                continue;
            }
            if bids >= budget {
                break;
            }
            bids += 1;
            let top = self.best_two(i);
            if top.j1 == usize::MAX || top.v1 <= C::ZERO {
                // Staying unmatched is at least as good: the search settles it.
                continue;
            }
            let j = top.j1;
            let Some(c) = C::pair(p.sign * p.w[i * p.m + j]) else {
                continue;
            };
            let second = max_cost(top.v2, C::ZERO);
            if self.flags[j] & SPARE != 0 {
                self.link(i, j);
                self.pot_r[i] = top.v1;
            } else {
                // The holder with the largest `c_kj + π_k` values the column least.
                let mut out: Option<(C, usize)> = None;
                for &k in &self.col_rows[j] {
                    let k = k as usize;
                    if let Some(ck) = C::pair(p.sign * p.w[k * p.m + j]) {
                        let h = ck + self.pot_r[k];
                        if out.map_or(true, |(hm, km)| h > hm || (h == hm && k < km)) {
                            out = Some((h, k));
                        }
                    }
                }
                let Some((h_out, k_out)) = out else {
                    continue;
                };
                let b = c + second;
                if b < h_out {
                    self.unlink(k_out, j);
                    self.link(i, j);
                    self.pot_c[j] = h_out;
                    self.pot_r[i] = second;
                    queue.push_back(k_out);
                } else {
                    // The bidder cannot win outright: raise the price to its margin (if that
                    // lowers the potential) and let it try its next option.
                    let progress = b < self.pot_c[j];
                    if progress {
                        self.pot_c[j] = b;
                    }
                    if self.row_cols[i].is_empty() || second <= self.pot_r[i] {
                        self.pot_r[i] = second;
                    }
                    if !progress {
                        continue;
                    }
                }
            }
            if self.row_cols[i].len() < p.row_cap[i] as usize {
                queue.push_back(i);
            }
        }
    }

    /// Best and second-best option of row `i` over the columns it does not hold.
    fn best_two(&mut self, i: usize) -> Top2<C> {
        let p = self.p;
        for &j in &self.row_cols[i] {
            self.flags[j as usize] |= BLOCKED;
        }
        let row = p.row(i);
        let sign = p.sign;
        let top = if p.m >= PAR_MIN_COLS {
            row.par_chunks(CHUNK)
                .zip(self.pot_c.par_chunks(CHUNK))
                .zip(self.flags.par_chunks(CHUNK))
                .enumerate()
                .map(|(t, ((w, pc), f))| top2_chunk(t * CHUNK, w, sign, pc, f))
                .reduce(|| Top2::NONE, Top2::merge)
        } else {
            top2_chunk(0, row, sign, &self.pot_c, &self.flags)
        };
        for &j in &self.row_cols[i] {
            self.flags[j as usize] &= !BLOCKED;
        }
        top
    }

    /// A column priced below zero must be full (only a warm start can break this). Raise its
    /// potential as far as the rows holding other columns allow; the row that binds takes the
    /// column if it has a unit to spare, or is released otherwise (its columns may then need the
    /// same repair). Ends with every non-full column at potential zero.
    fn repair(&mut self) {
        let p = self.p;
        let mut queue: Vec<usize> = (0..p.m)
            .filter(|&j| self.pot_c[j] < C::ZERO && self.flags[j] & SPARE != 0)
            .collect();
        while let Some(j) = queue.pop() {
            while self.pot_c[j] < C::ZERO && self.flags[j] & SPARE != 0 {
                let mut limit = C::ZERO;
                let mut binding = None;
                for i in 0..p.n {
                    if self.row_cols[i].is_empty() || self.row_cols[i].contains(&(j as u32)) {
                        continue;
                    }
                    if let Some(c) = C::pair(p.sign * p.w[i * p.m + j]) {
                        let lim = c + self.pot_r[i];
                        if lim < limit {
                            limit = lim;
                            binding = Some(i);
                        }
                    }
                }
                self.pot_c[j] = max_cost(self.pot_c[j], limit);
                let Some(i) = binding else {
                    break;
                };
                if self.row_cols[i].len() < p.row_cap[i] as usize {
                    self.link(i, j);
                } else {
                    for jj in std::mem::take(&mut self.row_cols[i]) {
                        let jj = jj as usize;
                        self.col_rows[jj].retain(|&r| r as usize != i);
                        self.refresh_spare(jj);
                        if self.pot_c[jj] < C::ZERO {
                            queue.push(jj);
                        }
                    }
                }
            }
        }
    }

    /// Relax column `j` from row `k` (label base `base = d_k + π_k`); a spare column tightens the
    /// exit bound.
    #[inline]
    fn relax(&mut self, k: usize, j: usize, sw: f64, base: C, bound: &mut C) {
        let f = self.flags[j];
        if f & (SCANNED | DEAD | BLOCKED) != 0 {
            return;
        }
        let r = C::reduced(base, sw, self.pot_c[j]);
        // A column whose label cannot beat the best exit is never popped: leave it alone.
        if r < *bound && r < self.lab[j] {
            if self.lab[j] == C::INF {
                self.touched.push(j as u32);
            }
            self.lab[j] = r;
            self.pred[j] = k as u32;
            let spare = f & SPARE != 0;
            self.col_heap.push(ColItem {
                lab: r,
                spare,
                col: j as u32,
            });
            if spare {
                *bound = r;
            }
        }
    }

    /// Scan row `k`: its candidate columns while they can still beat the exit bound, and every
    /// column only if the list ran out below it.
    fn scan_row(&mut self, k: usize, base: C, bound: &mut C) {
        let p = self.p;
        for &j in &self.row_cols[k] {
            self.flags[j as usize] |= BLOCKED;
        }
        let start = k * CANDIDATES;
        let len = self.cand.len[k] as usize;
        let mut exhausted = true;
        for t in start..start + len {
            if base + self.cand.keys[t] >= *bound {
                exhausted = false;
                break;
            }
            self.relax(k, self.cand.cols[t] as usize, self.cand.sw[t], base, bound);
        }
        if exhausted && base + self.cand.theta[k] < *bound {
            // Full scan: find the columns that can beat the bound (in parallel chunks on wide
            // problems), then relax them in column order, so every thread count agrees.
            let row = p.row(k);
            let sign = p.sign;
            let limit = *bound;
            let scan = |offset: usize, w: &[f64], pc: &[C], lab: &[C], fl: &[u8]| -> Vec<u32> {
                let mut hits = Vec::new();
                for (t, (((&w, &pj), &l), &f)) in w.iter().zip(pc).zip(lab).zip(fl).enumerate() {
                    if f & (SCANNED | DEAD | BLOCKED) == 0 {
                        let r = C::reduced(base, sign * w, pj);
                        if r < limit && r < l {
                            hits.push((offset + t) as u32);
                        }
                    }
                }
                hits
            };
            let hits: Vec<u32> = if p.m >= PAR_MIN_COLS {
                row.par_chunks(CHUNK)
                    .zip(self.pot_c.par_chunks(CHUNK))
                    .zip(self.lab.par_chunks(CHUNK))
                    .zip(self.flags.par_chunks(CHUNK))
                    .enumerate()
                    .map(|(t, (((w, pc), l), f))| scan(t * CHUNK, w, pc, l, f))
                    .flatten_iter()
                    .collect()
            } else {
                scan(0, row, &self.pot_c, &self.lab, &self.flags)
            };
            for j in hits {
                let j = j as usize;
                self.relax(k, j, sign * row[j], base, bound);
            }
            let (list, theta) = candidate_list(p, k, &self.pot_c, &self.flags);
            self.cand.store(p, k, &list, theta);
        }
        for &j in &self.row_cols[k] {
            self.flags[j as usize] &= !BLOCKED;
        }
    }

    /// Route one more unit of row `s` along a shortest path to the sink, then update potentials.
    fn search(&mut self, s: usize) {
        let p = self.p;
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.row_seen.iter_mut().for_each(|x| *x = 0);
            self.row_done.iter_mut().for_each(|x| *x = 0);
            self.stamp = 1;
        }
        let stamp = self.stamp;
        self.row_seen[s] = stamp;
        self.row_lab[s] = C::ZERO;
        let mut next_row = Some(s);
        let mut sink_best: Option<(C, usize)> = None;
        // The best exit label seen so far (an unmatched edge or a spare column): an upper bound
        // on the shortest path, so columns that cannot beat it need no relaxing.
        let mut bound = C::INF;
        let (d, sink) = loop {
            if let Some(k) = next_row.take() {
                self.row_done[k] = stamp;
                self.scanned_rows.push(k as u32);
                let base = self.row_lab[k] + self.pot_r[k];
                // The row's unmatched edge to the sink has reduced cost π_k.
                if sink_best.map_or(true, |(t, _)| base < t) {
                    sink_best = Some((base, k));
                }
                bound = min_cost(bound, base);
                self.scan_row(k, base, &mut bound);
            }
            while let Some(top) = self.col_heap.peek() {
                let j = top.col as usize;
                if self.flags[j] & SCANNED != 0 || top.lab > self.lab[j] {
                    self.col_heap.pop();
                } else {
                    break;
                }
            }
            while let Some(top) = self.heap.peek() {
                let r = top.row as usize;
                if self.row_done[r] == stamp || top.lab > self.row_lab[r] {
                    self.heap.pop();
                } else {
                    break;
                }
            }
            let (c_lab, c_spare, c_col) = self
                .col_heap
                .peek()
                .map_or((C::INF, false, usize::MAX), |c| {
                    (c.lab, c.spare, c.col as usize)
                });
            let row_lab = self.heap.peek().map_or(C::INF, |t| t.lab);
            let (t_lab, t_row) = sink_best.unwrap_or((C::INF, s));
            if c_col != usize::MAX && c_spare && t_lab >= c_lab && row_lab >= c_lab {
                break (c_lab, Sink::Col(c_col));
            }
            if c_lab >= t_lab && row_lab >= t_lab {
                break (t_lab, Sink::Unmatched(t_row));
            }
            if c_lab >= row_lab {
                if let Some(top) = self.heap.pop() {
                    next_row = Some(top.row as usize);
                    continue;
                }
            }
            if c_col == usize::MAX {
                // Unreachable in theory: the source's own unmatched edge is always finite.
                break (t_lab, Sink::Unmatched(t_row));
            }
            // Scan column j: reach the rows it holds through their matched edges (backwards).
            let j = c_col;
            self.col_heap.pop();
            self.flags[j] |= SCANNED;
            self.scanned_cols.push(j as u32);
            let dj = self.lab[j];
            let pj = self.pot_c[j];
            for &r in &self.col_rows[j] {
                let r = r as usize;
                if self.row_done[r] == stamp {
                    continue;
                }
                let Some(c) = C::pair(p.sign * p.w[r * p.m + j]) else {
                    continue;
                };
                let lr = dj + pj - c - self.pot_r[r];
                if self.row_seen[r] != stamp || lr < self.row_lab[r] {
                    self.row_seen[r] = stamp;
                    self.row_lab[r] = lr;
                    self.row_pred[r] = j as u32;
                    self.heap.push(RowItem {
                        lab: lr,
                        row: r as u32,
                    });
                }
            }
        };
        // Potentials: π_x += d_x − D on every scanned node (others have d_x ≥ D: unchanged).
        // Clamped at zero so that rounding never raises a column potential (the candidate lists
        // rely on column potentials only decreasing).
        for &j in &self.scanned_cols {
            let j = j as usize;
            self.pot_c[j] = self.pot_c[j] + min_cost(self.lab[j] - d, C::ZERO);
        }
        for &r in &self.scanned_rows {
            let r = r as usize;
            self.pot_r[r] = self.pot_r[r] + (self.row_lab[r] - d);
        }
        // Augment along the path back to s.
        let mut cur = match sink {
            Sink::Col(j) => {
                let r = self.pred[j] as usize;
                self.link(r, j);
                r
            }
            Sink::Unmatched(k) => k,
        };
        while cur != s {
            let j = self.row_pred[cur] as usize;
            self.unlink(cur, j);
            let r = self.pred[j] as usize;
            self.link(r, j);
            cur = r;
        }
        // Clean the scratch space for the next search.
        for &j in &self.touched {
            self.lab[j as usize] = C::INF;
        }
        for &j in &self.scanned_cols {
            self.flags[j as usize] &= !SCANNED;
        }
        self.touched.clear();
        self.scanned_cols.clear();
        self.scanned_rows.clear();
        self.heap.clear();
        self.col_heap.clear();
    }
}
