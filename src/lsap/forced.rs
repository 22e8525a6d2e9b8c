//! What forcing one more pair into an optimal capacitated matching costs, exactly: the pair's
//! reduced cost plus the shortest path back to its row in the residual graph of the optimum.
//!
//! # Method
//! The capacitated matching is a min-cost flow (see the `capacitated` module): row → column
//! edges of capacity 1, column → sink `T` up to the column's capacity, and an "unmatched" edge
//! row → `T` that carries every row unit left unmatched. An optimal flow `f` with one more unit
//! forced through an unused edge `i → j` costs at least `cost(f)` plus the cheapest residual cycle
//! through that edge, and exactly that: the difference of the forced optimum and `f` splits into
//! conformal residual cycles, one holds `i → j`, the others cost ≥ 0 and can be left out. The
//! cycle is `i → j` then a shortest path `j ⇝ i`. The optimum's LP duals are node potentials
//! that make every residual edge's reduced cost ≥ 0 (`u_i` on rows, `−v_j` on columns, 0 on
//! `T`), and a cycle's reduced cost is its true cost, so shortest paths on the reversed residual
//! graph from a row price every column of the row at once. Under the coverage
//! objective costs are the exact lexicographic pairs `(pairs lost, score lost)`.
//!
//! Rows are contracted away first: a reversed step column → row → column costs
//! `add(r, c) + drop(r, c')` for a row matched to `c'` that could take `c`, so one pass over the
//! allowed pairs gives a dense columns × columns graph (plus `T`). A row's reversed out-edges
//! lead only to `T` (when it has room) and to its matched columns, so one full dense Dijkstra
//! from each of those nodes (at most `columns + 1`, in parallel) serves every row: a row's
//! distances are the minimum over its few out-edges of edge + distances of the end. Every answer
//! is computed by the same arithmetic whether one row or all are asked for, whatever the thread
//! count. Memory: one `columns²` table of 16-byte costs, and one distance row per search.

use ndarray::ArrayView2;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::capacitated::cost::Lex;
use super::{memory, LsapError, Matching, Objective};

/// Costs closer than this are equal when ranking (they differ by rounding only).
pub const COST_QUANTUM: f64 = 1e-9;

/// How much an optimal matching's value drops when one more pair is forced into it, in the
/// maximising sense: `pairs_lost` matched pairs fewer (always 0 for [`Objective::Score`]), then
/// `score_lost` of total weight. Compare lexicographically.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ForcedCost {
    /// Pairs the optimum loses (coverage objective; 0 for the score objective).
    pub pairs_lost: i64,
    /// Total weight the optimum loses (≥ 0 up to rounding when `pairs_lost` is 0).
    pub score_lost: f64,
}

impl ForcedCost {
    /// No loss: the pair is already in the optimum.
    pub const ZERO: ForcedCost = ForcedCost {
        pairs_lost: 0,
        score_lost: 0.0,
    };

    fn from_lex(x: Lex) -> ForcedCost {
        // With no pair lost the score loss is ≥ 0 (a rounding residue below is cut); after a lost
        // pair it may be negative (fewer pairs, a higher total). `+ 0.0` turns −0.0 into 0.0.
        let score_lost = if x.k == 0 { x.f.max(0.0) } else { x.f };
        ForcedCost {
            pairs_lost: x.k,
            score_lost: score_lost + 0.0,
        }
    }

    /// The ranking key: pairs lost, then the score lost on a grid of [`COST_QUANTUM`].
    pub fn key(&self) -> (i64, i64) {
        (self.pairs_lost, quantise(self.score_lost))
    }
}

fn quantise(x: f64) -> i64 {
    (x / COST_QUANTUM).round() as i64
}

/// An optimal capacitated matching prepared for pricing forced pairs: the weights (maximised,
/// NaN = forbidden), capacities, the matching and its duals as residual-graph potentials.
pub struct Residual<'a> {
    w: ArrayView2<'a, f64>,
    /// Column-major copy of the weights with the matched pairs set to NaN: the "add a pair"
    /// edges into each column.
    wt: Vec<f64>,
    n: usize,
    m: usize,
    row_cap: Vec<u32>,
    col_cap: Vec<u32>,
    deg_r: Vec<u32>,
    deg_c: Vec<u32>,
    /// Matched columns per row, sorted.
    row_pairs: Vec<Vec<usize>>,
    /// The reversed residual graph with the rows contracted away: `g[c * m + c2]` is the
    /// cheapest reversed step column `c` → some row → column `c2` (a row matched to `c2` that
    /// could take `c` instead), `to_t[c]` column → `T` (directly or through a row with room),
    /// `from_t[c]` `T` → column (a column with room, or through a matched row).
    g: Vec<Lex>,
    to_t: Vec<Lex>,
    from_t: Vec<Lex>,
    /// Caller-sense LP duals as lexicographic values.
    u: Vec<Lex>,
    v: Vec<Lex>,
    coverage: bool,
}

fn clamp(x: Lex) -> Lex {
    if x.k < 0 || (x.k == 0 && x.f < 0.0) {
        Lex::ZERO
    } else {
        x
    }
}

/// `a < b` lexicographically.
fn lt(a: Lex, b: Lex) -> bool {
    a.k < b.k || (a.k == b.k && a.f < b.f)
}

const INF: Lex = Lex {
    k: i64::MAX,
    f: f64::INFINITY,
};

impl<'a> Residual<'a> {
    /// Prepare `matching`, an optimal matching of `weights` (maximised) under these capacities
    /// and `objective`, with the duals the capacitated solver returned for it.
    ///
    /// # Errors
    /// [`LsapError::Shape`] when the capacities, duals or pairs do not fit the matrix;
    /// [`LsapError::TooLarge`] when the column-major copy does not fit in memory.
    pub fn new(
        weights: ArrayView2<'a, f64>,
        row_capacity: &[u32],
        col_capacity: &[u32],
        objective: Objective,
        matching: &Matching,
    ) -> Result<Residual<'a>, LsapError> {
        let (n, m) = weights.dim();
        let lens = [
            row_capacity.len() == n,
            col_capacity.len() == m,
            matching.row_duals.len() == n,
            matching.row_count_duals.len() == n,
            matching.col_duals.len() == m,
            matching.col_count_duals.len() == m,
        ];
        if lens.iter().any(|ok| !ok) {
            return Err(LsapError::Shape(format!(
                "capacities and duals must have one entry per row ({n}) and per column ({m}); pass the matching solved on this matrix"
            )));
        }
        let mut row_pairs = vec![Vec::new(); n];
        let mut col_pairs = vec![Vec::new(); m];
        for &(r, c) in &matching.pairs {
            if r >= n || c >= m {
                return Err(LsapError::Shape(format!(
                    "matched pair ({r}, {c}) is outside the {n} x {m} matrix"
                )));
            }
            row_pairs[r].push(c);
            col_pairs[c].push(r);
        }
        row_pairs.iter_mut().for_each(|v| v.sort_unstable());
        col_pairs.iter_mut().for_each(|v| v.sort_unstable());
        let mut wt = memory::try_vec(f64::NAN, n.saturating_mul(m))?;
        if n > 0 {
            wt.par_chunks_mut(n).enumerate().for_each(|(c, col)| {
                for (r, x) in col.iter_mut().enumerate() {
                    *x = weights[[r, c]];
                }
                for &r in &col_pairs[c] {
                    col[r] = f64::NAN;
                }
            });
        }
        let coverage = objective == Objective::Coverage;
        let lex = |f: &[f64], k: &[i64]| -> Vec<Lex> {
            f.iter()
                .zip(k)
                .map(|(&f, &k)| Lex {
                    k: if coverage { k } else { 0 },
                    f,
                })
                .collect()
        };
        let mut res = Residual {
            w: weights,
            wt,
            n,
            m,
            row_cap: row_capacity.to_vec(),
            col_cap: col_capacity.to_vec(),
            deg_r: row_pairs.iter().map(|v| v.len() as u32).collect(),
            deg_c: col_pairs.iter().map(|v| v.len() as u32).collect(),
            row_pairs,
            g: Vec::new(),
            to_t: Vec::new(),
            from_t: Vec::new(),
            u: lex(&matching.row_duals, &matching.row_count_duals),
            v: lex(&matching.col_duals, &matching.col_count_duals),
            coverage,
        };
        res.contract()?;
        Ok(res)
    }

    /// A pair's value in the maximising sense: `(1, w)` under coverage, `(0, w)` otherwise.
    fn value(&self, w: f64) -> Lex {
        Lex {
            k: i64::from(self.coverage),
            f: w,
        }
    }

    /// Reduced cost of adding unmatched allowed pair `(r, c)` (edge row → column).
    fn add_cost(&self, r: usize, c: usize, w: f64) -> Lex {
        clamp(self.u[r] + self.v[c] - self.value(w))
    }

    /// Whether `(r, c)` is in the matching.
    pub fn is_matched(&self, r: usize, c: usize) -> bool {
        self.row_pairs
            .get(r)
            .is_some_and(|v| v.binary_search(&c).is_ok())
    }

    /// Whether `(r, c)` may be forced: an allowed pair (finite weight) of a row and column with
    /// capacity left, not already matched.
    pub fn can_force(&self, r: usize, c: usize) -> bool {
        r < self.n
            && c < self.m
            && self.row_cap[r] > 0
            && self.col_cap[c] > 0
            && self.w[[r, c]].is_finite()
    }

    /// The cost of forcing `(r, c)`: zero for a matched pair, `None` when it cannot be forced
    /// (see [`Residual::can_force`]).
    pub fn cost(&self, r: usize, c: usize) -> Option<ForcedCost> {
        if !self.can_force(r, c) {
            return None;
        }
        let from = self.sources_of(r);
        let dist = self.row_distances(r, &|x| from[x].as_deref());
        self.price(r, c, &dist)
    }

    /// The `k` columns row `r` can be forced to at the least cost, cheapest first (ties: higher
    /// weight first, then lower column), each with its exact cost.
    pub fn cheapest(&self, r: usize, k: usize) -> Vec<(usize, ForcedCost)> {
        if r >= self.n || k == 0 || self.row_cap[r] == 0 {
            return Vec::new();
        }
        let from = self.sources_of(r);
        let dist = self.row_distances(r, &|x| from[x].as_deref());
        self.top(
            r,
            k,
            (0..self.m).filter_map(|c| self.price(r, c, &dist).map(|p| (c, p))),
        )
    }

    /// Full searches from the nodes row `r`'s reversed out-edges reach (`T` when it has room,
    /// its matched columns), indexed by node.
    fn sources_of(&self, r: usize) -> Vec<Option<Vec<Lex>>> {
        let mut from: Vec<Option<Vec<Lex>>> = vec![None; self.m + 1];
        if self.deg_r[r] < self.row_cap[r] {
            from[self.m] = Some(self.distances_from(self.m));
        }
        for &c in &self.row_pairs[r] {
            from[c] = Some(self.distances_from(c));
        }
        from
    }

    /// Row `r`'s distances to every column node, from the full searches of its out-edges' ends.
    fn row_distances<'s>(&self, r: usize, from: &dyn Fn(usize) -> Option<&'s [Lex]>) -> Vec<Lex> {
        let m = self.m;
        let mut dist = vec![INF; m];
        let mut merge = |offset: Lex, d: &[Lex]| {
            for (x, &dx) in dist.iter_mut().zip(d) {
                if dx.k != i64::MAX && lt(offset + dx, *x) {
                    *x = offset + dx;
                }
            }
        };
        if self.deg_r[r] < self.row_cap[r] {
            if let Some(d) = from(m) {
                merge(clamp(Lex::ZERO - self.u[r]), &d[..m]);
            }
        }
        for &c in &self.row_pairs[r] {
            if let Some(d) = from(c) {
                merge(self.drop_cost(r, c), &d[..m]);
            }
        }
        dist
    }

    /// The cost of forcing `(r, c)` given row `r`'s distances.
    fn price(&self, r: usize, c: usize, dist: &[Lex]) -> Option<ForcedCost> {
        if !self.can_force(r, c) {
            return None;
        }
        if self.is_matched(r, c) {
            return Some(ForcedCost::ZERO);
        }
        (dist[c].k != i64::MAX)
            .then(|| ForcedCost::from_lex(dist[c] + self.add_cost(r, c, self.w[[r, c]])))
    }

    /// [`Residual::cheapest`] for every row, in parallel. A row's distances are those of its
    /// reversed out-edges' ends (`T` when it has room, its matched columns), so one full search
    /// per such node (at most `columns + 1`, in parallel) prices every row: each row then takes
    /// O(columns · its degree). Same answers as [`Residual::cheapest`], whatever the thread count.
    pub fn cheapest_all(&self, k: usize) -> Vec<Vec<(usize, ForcedCost)>> {
        let m = self.m;
        let t = m;
        let mut needed = vec![false; m + 1];
        for r in 0..self.n {
            if self.row_cap[r] == 0 {
                continue;
            }
            if self.deg_r[r] < self.row_cap[r] {
                needed[t] = true;
            }
            for &c in &self.row_pairs[r] {
                needed[c] = true;
            }
        }
        let from: Vec<Option<Vec<Lex>>> = (0..=m)
            .into_par_iter()
            .map(|x| needed[x].then(|| self.distances_from(x)))
            .collect();
        (0..self.n)
            .into_par_iter()
            .map(|r| {
                if k == 0 || self.row_cap[r] == 0 {
                    return Vec::new();
                }
                let dist = self.row_distances(r, &|x| from[x].as_deref());
                self.top(
                    r,
                    k,
                    (0..m).filter_map(|c| self.price(r, c, &dist).map(|p| (c, p))),
                )
            })
            .collect()
    }

    /// The `k` best of `priced` for row `r`: by cost key, then higher weight, then column.
    fn top(
        &self,
        r: usize,
        k: usize,
        priced: impl Iterator<Item = (usize, ForcedCost)>,
    ) -> Vec<(usize, ForcedCost)> {
        let mut all: Vec<((i64, i64), f64, usize, ForcedCost)> = priced
            .map(|(c, cost)| (cost.key(), self.w[[r, c]], c, cost))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
        all.truncate(k);
        all.into_iter().map(|(_, _, c, cost)| (c, cost)).collect()
    }

    /// Full Dijkstra on the contracted reversed graph from node `x` (a column, or `T` = columns):
    /// every node's distance, `INF` where unreachable.
    fn distances_from(&self, x: usize) -> Vec<Lex> {
        let m = self.m;
        let mut dist = vec![INF; m + 1];
        let mut done = vec![false; m + 1];
        dist[x] = Lex::ZERO;
        loop {
            let mut best: Option<usize> = None;
            for y in 0..=m {
                if !done[y] && dist[y].k != i64::MAX && best.map_or(true, |b| lt(dist[y], dist[b]))
                {
                    best = Some(y);
                }
            }
            let Some(y) = best else { break };
            done[y] = true;
            self.relax_from(y, dist[y], &mut dist, &done);
        }
        dist
    }

    /// Relax every contracted edge out of settled node `y` at distance `d`.
    fn relax_from(&self, y: usize, d: Lex, dist: &mut [Lex], done: &[bool]) {
        let m = self.m;
        let t = m;
        let edges: &[Lex] = if y < m {
            &self.g[y * m..(y + 1) * m]
        } else {
            &self.from_t
        };
        for (c2, &e) in edges.iter().enumerate() {
            if e.k != i64::MAX && !done[c2] {
                let nd = d + e;
                if lt(nd, dist[c2]) {
                    dist[c2] = nd;
                }
            }
        }
        if y < m {
            let e = self.to_t[y];
            if e.k != i64::MAX && !done[t] && lt(d + e, dist[t]) {
                dist[t] = d + e;
            }
        }
    }

    /// Reduced cost of dropping matched pair `(r, c)` (edge column → row).
    fn drop_cost(&self, r: usize, c: usize) -> Lex {
        clamp(self.value(self.w[[r, c]]) - self.u[r] - self.v[c])
    }

    /// Build the contracted graph (see the fields): one pass over the allowed pairs.
    fn contract(&mut self) -> Result<(), LsapError> {
        let (n, m) = (self.n, self.m);
        let drops: Vec<Vec<(usize, Lex)>> = (0..n)
            .map(|r| {
                self.row_pairs[r]
                    .iter()
                    .map(|&c| (c, self.drop_cost(r, c)))
                    .collect()
            })
            .collect();
        let mut g = memory::try_vec(INF, m.saturating_mul(m))?;
        let mut free = vec![INF; m];
        if m > 0 {
            g.par_chunks_mut(m)
                .zip(free.par_iter_mut())
                .enumerate()
                .for_each(|(c, (row, free))| {
                    let col = &self.wt[c * n..(c + 1) * n];
                    for (r, &w) in col.iter().enumerate() {
                        if w.is_nan() || self.row_cap[r] == 0 {
                            continue;
                        }
                        let add = self.add_cost(r, c, w);
                        for &(c2, drop) in &drops[r] {
                            let x = add + drop;
                            if lt(x, row[c2]) {
                                row[c2] = x;
                            }
                        }
                        if self.deg_r[r] < self.row_cap[r] {
                            let x = add + clamp(Lex::ZERO - self.u[r]);
                            if lt(x, *free) {
                                *free = x;
                            }
                        }
                    }
                });
        }
        let mut to_t = free;
        let mut from_t = vec![INF; m];
        for c in 0..m {
            if self.deg_c[c] > 0 && lt(clamp(self.v[c]), to_t[c]) {
                to_t[c] = clamp(self.v[c]);
            }
            if self.deg_c[c] < self.col_cap[c] {
                from_t[c] = clamp(Lex::ZERO - self.v[c]);
            }
        }
        for (r, d) in drops.iter().enumerate() {
            for &(c, drop) in d {
                let x = clamp(self.u[r]) + drop;
                if lt(x, from_t[c]) {
                    from_t[c] = x;
                }
            }
        }
        self.g = g;
        self.to_t = to_t;
        self.from_t = from_t;
        // The searches read the contracted graph only.
        self.wt = Vec::new();
        Ok(())
    }
}
