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
//! `T`), and a cycle's reduced cost is its true cost, so one Dijkstra per row, on the reversed
//! residual graph from that row, prices every column of the row at once. Under the coverage
//! objective costs are the exact lexicographic pairs `(pairs lost, score lost)`.
//!
//! A row's Dijkstra stops as soon as its frontier is beyond the `k`-th cheapest column found,
//! so a shortlist touches a small part of the graph; rows run in parallel and each answer
//! depends on its row alone (deterministic whatever the thread count).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

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
    /// Caller-sense LP duals as lexicographic values.
    u: Vec<Lex>,
    v: Vec<Lex>,
    coverage: bool,
}

/// A heap entry ordered by distance, then node (deterministic ties).
#[derive(Clone, Copy, PartialEq)]
struct Entry(Lex, usize);

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .k
            .cmp(&other.0.k)
            .then(self.0.f.total_cmp(&other.0.f))
            .then(self.1.cmp(&other.1))
    }
}

fn clamp(x: Lex) -> Lex {
    if x.k < 0 || (x.k == 0 && x.f < 0.0) {
        Lex::ZERO
    } else {
        x
    }
}

/// Per-thread search state, reused across rows.
struct Scratch {
    dist: Vec<Lex>,
    done: Vec<bool>,
    touched: Vec<usize>,
    heap: BinaryHeap<Reverse<Entry>>,
}

impl Scratch {
    fn new(nodes: usize) -> Scratch {
        Scratch {
            dist: vec![INF; nodes],
            done: vec![false; nodes],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &x in &self.touched {
            self.dist[x] = INF;
            self.done[x] = false;
        }
        self.touched.clear();
        self.heap.clear();
    }

    fn relax(&mut self, node: usize, d: Lex) {
        let cur = self.dist[node];
        if !self.done[node] && Entry(d, node) < Entry(cur, node) {
            if cur.k == i64::MAX {
                self.touched.push(node);
            }
            self.dist[node] = d;
            self.heap.push(Reverse(Entry(d, node)));
        }
    }
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
        Ok(Residual {
            w: weights,
            wt,
            n,
            m,
            row_cap: row_capacity.to_vec(),
            col_cap: col_capacity.to_vec(),
            deg_r: row_pairs.iter().map(|v| v.len() as u32).collect(),
            deg_c: col_pairs.iter().map(|v| v.len() as u32).collect(),
            row_pairs,
            u: lex(&matching.row_duals, &matching.row_count_duals),
            v: lex(&matching.col_duals, &matching.col_count_duals),
            coverage,
        })
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
        if self.is_matched(r, c) {
            return Some(ForcedCost::ZERO);
        }
        let mut s = Scratch::new(self.n + self.m + 1);
        let mut found = None;
        self.search(r, &mut s, |col, d| {
            if col == c {
                found = Some(d);
                return Some((i64::MIN, i64::MIN));
            }
            None
        });
        found.map(|d| ForcedCost::from_lex(d + self.add_cost(r, c, self.w[[r, c]])))
    }

    /// The `k` columns row `r` can be forced to at the least cost, cheapest first (ties: higher
    /// weight first, then lower column), each with its exact cost.
    pub fn cheapest(&self, r: usize, k: usize) -> Vec<(usize, ForcedCost)> {
        let mut s = Scratch::new(self.n + self.m + 1);
        self.cheapest_with(r, k, &mut s)
    }

    /// [`Residual::cheapest`] for every row, in parallel (one search per row).
    pub fn cheapest_all(&self, k: usize) -> Vec<Vec<(usize, ForcedCost)>> {
        let nodes = self.n + self.m + 1;
        (0..self.n)
            .into_par_iter()
            .map_init(|| Scratch::new(nodes), |s, r| self.cheapest_with(r, k, s))
            .collect()
    }

    fn cheapest_with(&self, r: usize, k: usize, s: &mut Scratch) -> Vec<(usize, ForcedCost)> {
        if r >= self.n || k == 0 || self.row_cap[r] == 0 {
            return Vec::new();
        }
        // (key, -weight, column) of the best k so far.
        type Ranked = ((i64, i64), f64, usize, ForcedCost);
        let rank =
            |a: &Ranked, b: &Ranked| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2));
        let mut best: Vec<Ranked> = Vec::with_capacity(k + 1);
        let offer = |best: &mut Vec<Ranked>, c: usize, cost: ForcedCost| {
            let item = (cost.key(), self.w[[r, c]], c, cost);
            let pos = best
                .binary_search_by(|x| rank(x, &item))
                .unwrap_or_else(|p| p);
            if pos < k {
                best.insert(pos, item);
                best.truncate(k);
            }
        };
        for &c in &self.row_pairs[r] {
            if self.col_cap[c] > 0 {
                offer(&mut best, c, ForcedCost::ZERO);
            }
        }
        self.search(r, s, |c, d| {
            if self.can_force(r, c) && !self.is_matched(r, c) {
                let cost = ForcedCost::from_lex(d + self.add_cost(r, c, self.w[[r, c]]));
                offer(&mut best, c, cost);
            }
            // Every later column is at least this far: stop once the k-th is cheaper.
            (best.len() == k).then(|| best[k - 1].0)
        });
        best.into_iter().map(|(_, _, c, cost)| (c, cost)).collect()
    }

    /// Dijkstra on the reversed residual graph from row `r` (distances are to `r`). `on_col` sees
    /// each column when its distance is final and may return a bound: the search stops once the
    /// frontier's key is strictly beyond it (on the ranking grid, see [`ForcedCost::key`]).
    fn search(
        &self,
        r: usize,
        s: &mut Scratch,
        mut on_col: impl FnMut(usize, Lex) -> Option<(i64, i64)>,
    ) {
        s.reset();
        let (n, m) = (self.n, self.m);
        let t = n + m;
        s.relax(r, Lex::ZERO);
        let mut bound: Option<(i64, i64)> = None;
        while let Some(Reverse(Entry(d, x))) = s.heap.pop() {
            if s.done[x] {
                continue;
            }
            if let Some(b) = bound {
                if (d.k, quantise(d.f)) > b {
                    break;
                }
            }
            s.done[x] = true;
            if x < n {
                // Into row x: drop a matched pair (column → row), or T → x when x has room.
                for &c in &self.row_pairs[x] {
                    let red = clamp(self.value(self.w[[x, c]]) - self.u[x] - self.v[c]);
                    s.relax(n + c, d + red);
                }
                if self.deg_r[x] < self.row_cap[x] {
                    s.relax(t, d + clamp(Lex::ZERO - self.u[x]));
                }
            } else if x < t {
                let c = x - n;
                if let Some(b) = on_col(c, d) {
                    bound = Some(b);
                }
                // Into column c: add an unmatched allowed pair (row → column), or T → c.
                let col = &self.wt[c * n..(c + 1) * n];
                let vc = self.v[c];
                for (row, &w) in col.iter().enumerate() {
                    if w.is_nan() || self.row_cap[row] == 0 {
                        continue;
                    }
                    let red = clamp(self.u[row] + vc - self.value(w));
                    s.relax(row, d + red);
                }
                if self.deg_c[c] > 0 {
                    s.relax(t, d + clamp(vc));
                }
            } else {
                // Into T: a column with room (column → T) or a matched row (row → T).
                for c in 0..m {
                    if self.deg_c[c] < self.col_cap[c] {
                        s.relax(n + c, d + clamp(Lex::ZERO - self.v[c]));
                    }
                }
                for row in 0..n {
                    if self.deg_r[row] > 0 {
                        s.relax(row, d + clamp(self.u[row]));
                    }
                }
            }
        }
    }
}
