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
//! Nothing is copied: there is one potential per row and per column, labels are O(rows + cols) and
//! the weights are read in place, so memory is the caller's matrix plus O(rows + cols + pairs).
//! Edge capacity 1 is why matched edges may have a strictly negative reduced cost (a row holding
//! two columns of different value has only one potential); rows therefore carry their own labels and
//! are reached through their matched columns (a small heap), while the scan of a row over all
//! columns is the dense O(cols) step that runs in parallel chunks on large problems.
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
//! row potentials by row reduction, then a greedy pass that gives each row its tight columns while
//! capacity lasts; columns priced below zero that the greedy pass cannot fill are repriced and the
//! rows they invalidate released, so the state satisfies every reduced-cost condition before the
//! searches start. Only the remaining row units are searched.

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
    if let Some((wr, wc)) = warm {
        check_warm(wr, nr, "row")?;
        check_warm(wc, nc, "column")?;
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
    let warm_cols: Option<Vec<f64>> = warm.map(|(wr, wc)| {
        let v = if transpose { wr } else { wc };
        v.iter().map(|&x| sign * x).collect()
    });
    let result = match opts.objective {
        Objective::Score => run::<f64>(&problem, warm_cols.as_deref()),
        Objective::Coverage => run::<Lex>(&problem, warm_cols.as_deref()),
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

/// A column offered to the search: label, spare capacity, index.
#[derive(Clone, Copy)]
struct Cand<C> {
    lab: C,
    spare: bool,
    j: usize,
}

impl<C: Cost> Cand<C> {
    /// The search order: lowest label, then spare before full, then lowest index.
    fn before(&self, o: &Self) -> bool {
        self.lab
            .total_cmp(&o.lab)
            .then((!self.spare).cmp(&!o.spare))
            .then(self.j.cmp(&o.j))
            == Ordering::Less
    }
}

/// Columns kept per scan. Between two row scans the labels of unscanned columns do not change, so
/// the few best of one scan serve the column pops that follow it without another pass.
const SHORT: usize = 8;

/// The `SHORT` best unscanned columns of a scan with a finite label, in search order.
#[derive(Clone, Copy)]
struct Shortlist<C> {
    items: [Cand<C>; SHORT],
    len: usize,
    head: usize,
}

impl<C: Cost> Shortlist<C> {
    const EMPTY: Self = Shortlist {
        items: [Cand {
            lab: C::INF,
            spare: false,
            j: usize::MAX,
        }; SHORT],
        len: 0,
        head: 0,
    };

    /// Offers arrive in increasing column order within one chunk.
    #[inline(always)]
    fn offer(&mut self, lab: C, spare: bool, j: usize) {
        if self.len == SHORT {
            let last = &self.items[SHORT - 1];
            if !(lab < last.lab || (lab == last.lab && spare && !last.spare)) {
                return;
            }
        } else if lab >= C::INF {
            return;
        }
        self.insert(Cand { lab, spare, j });
    }

    fn insert(&mut self, c: Cand<C>) {
        let mut t = self.len.min(SHORT - 1);
        if self.len == SHORT && !c.before(&self.items[SHORT - 1]) {
            return;
        }
        while t > 0 && c.before(&self.items[t - 1]) {
            self.items[t] = self.items[t - 1];
            t -= 1;
        }
        self.items[t] = c;
        self.len = (self.len + 1).min(SHORT);
    }

    fn merge(mut a: Self, b: Self) -> Self {
        for c in &b.items[..b.len] {
            a.insert(*c);
        }
        a
    }

    /// The best column not yet popped; `Err(())` when the list ran out but a full pass may find
    /// more (the scan had more candidates than it kept).
    fn first(&self) -> Result<Option<Cand<C>>, ()> {
        if self.head < self.len {
            Ok(Some(self.items[self.head]))
        } else if self.len == SHORT {
            Err(())
        } else {
            Ok(None)
        }
    }
}

/// The row being scanned: its weights, the sign that turns them into costs, its label base
/// `d_k + π_k` and its index (the predecessor recorded on improved columns).
#[derive(Clone, Copy)]
struct Source<'r, C> {
    row: &'r [f64],
    sign: f64,
    base: C,
    k: u32,
}

/// Relax the scanned row into the columns `offset..offset+lab.len()` (`src.row`, `pot` and `flags`
/// are the same column range) and return the best unscanned columns there.
#[inline]
fn relax_chunk<C: Cost>(
    offset: usize,
    src: Source<'_, C>,
    pot: &[C],
    lab: &mut [C],
    pred: &mut [u32],
    flags: &[u8],
) -> Shortlist<C> {
    let mut best = Shortlist::<C>::EMPTY;
    let Source { row, sign, base, k } = src;
    for (t, (((l, p), &f), (&w, &pj))) in lab
        .iter_mut()
        .zip(pred.iter_mut())
        .zip(flags)
        .zip(row.iter().zip(pot))
        .enumerate()
    {
        if f & (SCANNED | DEAD) != 0 {
            continue;
        }
        if f & BLOCKED == 0 {
            let r = C::reduced(base, sign * w, pj);
            if r < *l {
                *l = r;
                *p = k;
            }
        }
        best.offer(*l, f & SPARE != 0, offset + t);
    }
    best
}

fn min_chunk<C: Cost>(offset: usize, lab: &[C], flags: &[u8]) -> Shortlist<C> {
    let mut best = Shortlist::<C>::EMPTY;
    for (t, (&l, &f)) in lab.iter().zip(flags).enumerate() {
        if f & (SCANNED | DEAD) == 0 {
            best.offer(l, f & SPARE != 0, offset + t);
        }
    }
    best
}

/// Bids per row unit (beyond one per row) before the searches take over.
const BID_ROUNDS: usize = 8;

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
    heap: BinaryHeap<RowItem<C>>,
}

fn run<C: Cost>(p: &Problem<'_>, warm_cols: Option<&[f64]>) -> RunResult {
    let mut s = Solver::<C>::new(p);
    s.initialise(warm_cols);
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
            heap: BinaryHeap::new(),
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
    fn initialise(&mut self, warm_cols: Option<&[f64]>) {
        let p = self.p;
        if let Some(wc) = warm_cols {
            for (pc, &v) in self.pot_c.iter_mut().zip(wc) {
                *pc = min_cost(C::from_score(v), C::ZERO);
            }
        }
        let units: usize = p.row_cap.iter().map(|&d| d as usize).sum();
        self.bid(BID_ROUNDS * units + p.n);
        self.repair();
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

    /// A column priced below zero must be full (only a warm start can break this): reprice it to
    /// zero and release every holding row that then has a negative reduced cost towards it.
    fn repair(&mut self) {
        let p = self.p;
        let mut queue: Vec<usize> = (0..p.m)
            .filter(|&j| self.pot_c[j] < C::ZERO && self.flags[j] & SPARE != 0)
            .collect();
        while let Some(j) = queue.pop() {
            if self.pot_c[j] >= C::ZERO {
                continue;
            }
            self.pot_c[j] = C::ZERO;
            for i in 0..p.n {
                if self.row_cols[i].is_empty() || self.row_cols[i].contains(&(j as u32)) {
                    continue;
                }
                let Some(c) = C::pair(p.sign * p.w[i * p.m + j]) else {
                    continue;
                };
                if c + self.pot_r[i] - self.pot_c[j] < C::ZERO {
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

    fn scan_row(&mut self, k: usize, base: C) -> Shortlist<C> {
        let p = self.p;
        for &j in &self.row_cols[k] {
            self.flags[j as usize] |= BLOCKED;
        }
        let row = p.row(k);
        let (sign, kk) = (p.sign, k as u32);
        let best = if p.m >= PAR_MIN_COLS {
            self.lab
                .par_chunks_mut(CHUNK)
                .zip(self.pred.par_chunks_mut(CHUNK))
                .zip(self.flags.par_chunks(CHUNK))
                .zip(row.par_chunks(CHUNK).zip(self.pot_c.par_chunks(CHUNK)))
                .enumerate()
                .map(|(t, (((l, pr), f), (w, pc)))| {
                    let src = Source {
                        row: w,
                        sign,
                        base,
                        k: kk,
                    };
                    relax_chunk(t * CHUNK, src, pc, l, pr, f)
                })
                .reduce(|| Shortlist::EMPTY, Shortlist::merge)
        } else {
            let src = Source {
                row,
                sign,
                base,
                k: kk,
            };
            relax_chunk(
                0,
                src,
                &self.pot_c,
                &mut self.lab,
                &mut self.pred,
                &self.flags,
            )
        };
        for &j in &self.row_cols[k] {
            self.flags[j as usize] &= !BLOCKED;
        }
        best
    }

    fn min_col(&self) -> Shortlist<C> {
        if self.p.m >= PAR_MIN_COLS {
            self.lab
                .par_chunks(CHUNK)
                .zip(self.flags.par_chunks(CHUNK))
                .enumerate()
                .map(|(t, (l, f))| min_chunk(t * CHUNK, l, f))
                .reduce(|| Shortlist::EMPTY, Shortlist::merge)
        } else {
            min_chunk(0, &self.lab, &self.flags)
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
        self.lab.iter_mut().for_each(|x| *x = C::INF);
        self.flags.iter_mut().for_each(|f| *f &= !SCANNED);
        self.scanned_cols.clear();
        self.scanned_rows.clear();
        self.heap.clear();
        self.row_seen[s] = stamp;
        self.row_lab[s] = C::ZERO;
        let mut next_row = Some(s);
        let mut short: Option<Shortlist<C>> = None;
        let mut sink_best: Option<(C, usize)> = None;
        let (d, sink) = loop {
            if let Some(k) = next_row.take() {
                self.row_done[k] = stamp;
                self.scanned_rows.push(k as u32);
                let dk = self.row_lab[k];
                let base = dk + self.pot_r[k];
                // The row's unmatched edge to the sink has reduced cost π_k.
                if sink_best.map_or(true, |(t, _)| base < t) {
                    sink_best = Some((base, k));
                }
                short = Some(self.scan_row(k, base));
            }
            let cand = match short.as_ref().map(Shortlist::first) {
                Some(Ok(c)) => c,
                _ => {
                    let fresh = self.min_col();
                    let c = fresh.first().ok().flatten();
                    short = Some(fresh);
                    c
                }
            };
            let (c_lab, c_spare) = cand.map_or((C::INF, false), |c| (c.lab, c.spare));
            while let Some(top) = self.heap.peek() {
                let r = top.row as usize;
                if self.row_done[r] == stamp || top.lab > self.row_lab[r] {
                    self.heap.pop();
                } else {
                    break;
                }
            }
            let row_lab = self.heap.peek().map_or(C::INF, |t| t.lab);
            let (t_lab, t_row) = sink_best.unwrap_or((C::INF, s));
            if let Some(c) = cand {
                if c_spare && t_lab >= c_lab && row_lab >= c_lab {
                    break (c_lab, Sink::Col(c.j));
                }
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
            // Scan column j: reach the rows it holds through their matched edges (backwards).
            let Some(Cand { j, .. }) = cand else {
                // Unreachable in theory: the source's own unmatched edge is always finite.
                break (t_lab, Sink::Unmatched(t_row));
            };
            self.flags[j] |= SCANNED;
            self.scanned_cols.push(j as u32);
            if let Some(sh) = short.as_mut() {
                sh.head += 1;
            }
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
        for &j in &self.scanned_cols {
            let j = j as usize;
            self.pot_c[j] = self.pot_c[j] + (self.lab[j] - d);
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
    }
}

/// Seeded low-rank-plus-noise scores in `[0, 1]`, the shape of mentor–mentee compatibility (many
/// near-ties): `(a_i · b_j) / rank` with uniform factors, plus `noise × uniform`, rescaled to
/// `[0, 1]`. Shared by the tests, benches and examples; platform-stable (ChaCha8).
pub fn low_rank_scores(
    rows: usize,
    cols: usize,
    rank: usize,
    noise: f64,
    seed: u64,
) -> Array2<f64> {
    use rand::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let rank = rank.max(1);
    let a: Vec<f64> = (0..rows * rank).map(|_| rng.random::<f64>()).collect();
    let b: Vec<f64> = (0..cols * rank).map(|_| rng.random::<f64>()).collect();
    let scale = 1.0 / (1.0 + noise.abs());
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let dot: f64 = a[i * rank..(i + 1) * rank]
            .iter()
            .zip(&b[j * rank..(j + 1) * rank])
            .map(|(x, y)| x * y)
            .sum();
        (dot / rank as f64 + noise.abs() * rng.random::<f64>()) * scale
    })
}
