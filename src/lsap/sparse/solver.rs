//! The sparse solver's state and steps, mirroring the dense capacitated solver's (bids, adoption
//! of earlier pairs, repair, one Dijkstra search per row unit) over adjacency lists.

use super::super::capacitated::cost::{max_cost, min_cost, Cost, Lex};
use super::super::capacitated::init::Top2;
use super::super::capacitated::search::{drop_stale, ColItem, RowItem, Sink};
use super::super::capacitated::solver::{BLOCKED, DEAD, SCANNED, SPARE};
use super::super::memory;
use super::{pair_lex, CandidateGraph};
use crate::lsap::LsapError;
use std::collections::BinaryHeap;

/// The internal problem in minimisation form: row and column adjacency with signed weights
/// `sign × w` (increasing indices), capacities capped at the degrees.
pub(super) struct Graph {
    n: usize,
    m: usize,
    row_ptr: Vec<usize>,
    row_adj: Vec<u32>,
    row_sw: Vec<f64>,
    col_ptr: Vec<usize>,
    col_adj: Vec<u32>,
    col_sw: Vec<f64>,
    row_cap: Vec<u32>,
    col_cap: Vec<u32>,
}

impl Graph {
    pub(super) fn build(
        n: usize,
        m: usize,
        g: &CandidateGraph,
        sign: f64,
        row_cap: Vec<u32>,
        col_cap: Vec<u32>,
    ) -> Result<Self, LsapError> {
        let mut row_sw = memory::try_with_capacity(g.nnz())?;
        row_sw.extend(g.scores.iter().map(|&x| sign * x));
        let t = g.transposed();
        let col_sw = t.scores.iter().map(|&x| sign * x).collect();
        Ok(Graph {
            n,
            m,
            row_ptr: g.row_ptr.clone(),
            row_adj: g.col_idx.clone(),
            row_sw,
            col_ptr: t.row_ptr,
            col_adj: t.col_idx,
            col_sw,
            row_cap,
            col_cap,
        })
    }

    fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.row_ptr[i], self.row_ptr[i + 1]);
        (&self.row_adj[a..b], &self.row_sw[a..b])
    }

    fn col(&self, j: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.col_ptr[j], self.col_ptr[j + 1]);
        (&self.col_adj[a..b], &self.col_sw[a..b])
    }

    fn sw(&self, i: usize, j: usize) -> Option<f64> {
        let (cols, sw) = self.row(i);
        cols.binary_search(&(j as u32)).ok().map(|t| sw[t])
    }
}

/// Warm-start material in the internal orientation (see the dense solver's `Warm`).
pub(super) enum Warm {
    Cold,
    Previous(Vec<Lex>, Vec<Lex>, Vec<(usize, usize)>),
}

/// Held pairs carry their signed weight, so walking them never searches the adjacency.
type Held = Vec<(u32, f64)>;

struct Solver<'g, C: Cost> {
    g: &'g Graph,
    row_cols: Vec<Held>,
    col_rows: Vec<Held>,
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
}

/// Pairs and LP duals `(u, v)` of a run.
pub(super) type Solved = (Vec<(usize, usize)>, Vec<Lex>, Vec<Lex>);

/// Solve and return the pairs and the LP duals `(u, v)` in minimisation form (internal
/// orientation), for the caller's capacities `row_capacity`, `col_capacity`.
pub(super) fn run<C: Cost>(
    g: &Graph,
    warm: &Warm,
    row_capacity: &[u32],
    col_capacity: &[u32],
) -> Result<Solved, LsapError> {
    let mut s = Solver::<C>::new(g);
    s.initialise(warm);
    let cancel = crate::cancel::current();
    for i in 0..g.n {
        cancel.check()?;
        let pending = g.row_cap[i] as usize - s.row_cols[i].len().min(g.row_cap[i] as usize);
        for _ in 0..pending {
            s.search(i);
        }
    }
    let pairs: Vec<(usize, usize)> = s
        .row_cols
        .iter()
        .enumerate()
        .flat_map(|(i, cols)| cols.iter().map(move |&(j, _)| (i, j as usize)))
        .collect();
    let mut u: Vec<Lex> = s.pot_r.iter().map(|&x| (C::ZERO - x).lex()).collect();
    let mut v: Vec<Lex> = s.pot_c.iter().map(|&x| x.lex()).collect();
    finish_duals(
        g,
        C::COVERAGE,
        &mut u,
        &mut v,
        row_capacity,
        col_capacity,
        &pairs,
    );
    Ok((pairs, u, v))
}

/// LP duals of the caller's capacities from network potentials, as the dense solver's
/// `Duals::finish`: zero below capacity, the largest feasible value at capacity 0.
fn finish_duals(
    g: &Graph,
    coverage: bool,
    u: &mut [Lex],
    v: &mut [Lex],
    row_capacity: &[u32],
    col_capacity: &[u32],
    pairs: &[(usize, usize)],
) {
    let mut deg_r = vec![0u32; g.n];
    let mut deg_c = vec![0u32; g.m];
    for &(r, c) in pairs {
        deg_r[r] += 1;
        deg_c[c] += 1;
    }
    for (j, x) in v.iter_mut().enumerate() {
        if deg_c[j] < col_capacity[j] {
            *x = Lex::ZERO;
        }
    }
    let zero_rows: Vec<usize> = (0..g.n)
        .filter(|&i| row_capacity[i] == 0 && deg_r[i] == 0)
        .collect();
    for (i, x) in u.iter_mut().enumerate() {
        if deg_r[i] < row_capacity[i] {
            *x = Lex::ZERO;
        }
    }
    for &i in &zero_rows {
        let (cols, sw) = g.row(i);
        let mut best = Lex::ZERO;
        for (&j, &w) in cols.iter().zip(sw) {
            if let Some(c) = pair_lex(coverage, w) {
                best = min_cost(best, c - v[j as usize]);
            }
        }
        u[i] = best;
    }
    for j in (0..g.m).filter(|&j| col_capacity[j] == 0) {
        let (rows, sw) = g.col(j);
        let mut best = Lex::ZERO;
        for (&i, &w) in rows.iter().zip(sw) {
            if let Some(c) = pair_lex(coverage, w) {
                best = min_cost(best, c - u[i as usize]);
            }
        }
        v[j] = best;
    }
}

impl<'g, C: Cost> Solver<'g, C> {
    fn new(g: &'g Graph) -> Self {
        Solver {
            g,
            row_cols: vec![Vec::new(); g.n],
            col_rows: vec![Vec::new(); g.m],
            pot_r: vec![C::ZERO; g.n],
            pot_c: vec![C::ZERO; g.m],
            lab: vec![C::INF; g.m],
            pred: vec![u32::MAX; g.m],
            flags: g
                .col_cap
                .iter()
                .map(|&c| if c == 0 { DEAD } else { SPARE })
                .collect(),
            row_lab: vec![C::INF; g.n],
            row_pred: vec![u32::MAX; g.n],
            row_seen: vec![0; g.n],
            row_done: vec![0; g.n],
            stamp: 0,
            scanned_cols: Vec::new(),
            scanned_rows: Vec::new(),
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            col_heap: BinaryHeap::new(),
        }
    }

    fn link(&mut self, i: usize, j: usize, sw: f64) {
        self.row_cols[i].push((j as u32, sw));
        self.col_rows[j].push((i as u32, sw));
        self.refresh_spare(j);
    }

    fn unlink(&mut self, i: usize, j: usize) {
        if let Some(t) = self.row_cols[i].iter().position(|x| x.0 as usize == j) {
            self.row_cols[i].swap_remove(t);
        }
        if let Some(t) = self.col_rows[j].iter().position(|x| x.0 as usize == i) {
            self.col_rows[j].swap_remove(t);
        }
        self.refresh_spare(j);
    }

    fn release_row(&mut self, i: usize) -> Held {
        let held = std::mem::take(&mut self.row_cols[i]);
        for &(j, _) in &held {
            let j = j as usize;
            self.col_rows[j].retain(|r| r.0 as usize != i);
            self.refresh_spare(j);
        }
        held
    }

    fn refresh_spare(&mut self, j: usize) {
        if self.col_rows[j].len() < self.g.col_cap[j] as usize {
            self.flags[j] |= SPARE;
        } else {
            self.flags[j] &= !SPARE;
        }
    }

    fn holds(&self, i: usize, j: usize) -> bool {
        self.row_cols[i].iter().any(|x| x.0 as usize == j)
    }

    /// Potentials and a partial flow satisfying every reduced-cost condition (as in the dense
    /// solver): warm prices and adopted pairs, or one exact bid per row, then the repair.
    fn initialise(&mut self, warm: &Warm) {
        match warm {
            Warm::Cold => {
                let budget = self.g.n;
                self.bid(budget);
            }
            Warm::Previous(prices, row_prices, pairs) => {
                for (pc, &x) in self.pot_c.iter_mut().zip(prices) {
                    *pc = min_cost(C::from_lex(x), C::ZERO);
                }
                self.adopt(pairs, row_prices);
            }
        }
        self.repair();
    }

    /// The dense solver's `adopt` over adjacency lists: take over earlier pairs still allowed and
    /// within capacity, keep a row's pairs only while they are its best options under the earlier
    /// column duals or under column potentials recomputed from the earlier row duals (whichever
    /// keeps more), release the other rows.
    fn adopt(&mut self, pairs: &[(usize, usize)], row_prices: &[Lex]) {
        let g = self.g;
        for &(i, j) in pairs {
            if i >= g.n || j >= g.m {
                continue;
            }
            let Some(sw) = g.sw(i, j) else { continue };
            if self.row_cols[i].len() < g.row_cap[i] as usize
                && self.flags[j] & SPARE != 0
                && !self.holds(i, j)
            {
                self.link(i, j, sw);
            }
        }
        let from_rows: Vec<C> = (0..g.m)
            .map(|j| {
                if self.flags[j] & SPARE != 0 {
                    return C::ZERO;
                }
                let mut v = C::NEG_INF;
                for &(i, sw) in &self.col_rows[j] {
                    if let (Some(c), Some(&pi)) = (C::pair(sw), row_prices.get(i as usize)) {
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
                    self.release_row(i);
                }
            }
        }
    }

    fn verdicts(&self, pot_c: &[C]) -> Vec<Option<C>> {
        (0..self.g.n)
            .map(|i| {
                if self.row_cols[i].is_empty() {
                    return None;
                }
                let (mut best_unheld, mut worst_held) = (C::ZERO, C::INF);
                let (cols, sw) = self.g.row(i);
                for (&j, &w) in cols.iter().zip(sw) {
                    if let Some(c) = C::pair(w) {
                        let value = pot_c[j as usize] - c;
                        if self.holds(i, j as usize) {
                            worst_held = min_cost(worst_held, value);
                        } else {
                            best_unheld = max_cost(best_unheld, value);
                        }
                    }
                }
                best_unheld
                    .within_rounding(worst_held)
                    .then(|| min_cost(best_unheld, worst_held))
            })
            .collect()
    }

    /// Best and second-best option of row `i` over the candidates it does not hold.
    fn best_two(&self, i: usize) -> Top2<C> {
        let mut top = Top2::<C>::NONE;
        let (cols, sw) = self.g.row(i);
        for (&j, &w) in cols.iter().zip(sw) {
            let j = j as usize;
            let f = self.flags[j];
            if f & DEAD != 0 || self.holds(i, j) {
                continue;
            }
            if let Some(c) = C::pair(w) {
                top.offer(self.pot_c[j] - c, f & SPARE != 0, j);
            }
        }
        top
    }

    /// The dense solver's bidding (augmenting row reduction with capacities), `budget` bids.
    fn bid(&mut self, budget: usize) {
        let g = self.g;
        let mut queue: std::collections::VecDeque<usize> =
            (0..g.n).filter(|&i| g.row_cap[i] > 0).collect();
        let mut bids = 0usize;
        while let Some(i) = queue.pop_front() {
            if self.row_cols[i].len() >= g.row_cap[i] as usize {
                continue;
            }
            if bids >= budget {
                break;
            }
            bids += 1;
            let top = self.best_two(i);
            if top.j1 == usize::MAX || top.v1 <= C::ZERO {
                continue;
            }
            let j = top.j1;
            let Some(sw) = g.sw(i, j) else { continue };
            let Some(c) = C::pair(sw) else { continue };
            let second = max_cost(top.v2, C::ZERO);
            if self.flags[j] & SPARE != 0 {
                self.link(i, j, sw);
                self.pot_r[i] = top.v1;
            } else {
                let mut out: Option<(C, usize)> = None;
                for &(k, ksw) in &self.col_rows[j] {
                    let k = k as usize;
                    if let Some(ck) = C::pair(ksw) {
                        let h = ck + self.pot_r[k];
                        if out.map_or(true, |(hm, km)| h > hm || (h == hm && k < km)) {
                            out = Some((h, k));
                        }
                    }
                }
                let Some((h_out, k_out)) = out else { continue };
                let b = c + second;
                if b < h_out {
                    self.unlink(k_out, j);
                    self.link(i, j, sw);
                    self.pot_c[j] = h_out;
                    self.pot_r[i] = second;
                    queue.push_back(k_out);
                } else {
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
            if self.row_cols[i].len() < g.row_cap[i] as usize {
                queue.push_back(i);
            }
        }
    }

    /// Every column priced below zero ends full or at potential zero. Each such column with a
    /// spare unit gets one [`Solver::repair_search`] per unit, so no earlier pair is released
    /// wholesale: a search moves pairs only along the one path it finds.
    fn repair(&mut self) {
        let g = self.g;
        let mut queue: Vec<usize> = (0..g.m)
            .filter(|&j| self.pot_c[j] < C::ZERO && self.flags[j] & SPARE != 0)
            .collect();
        while let Some(j) = queue.pop() {
            while self.pot_c[j] < C::ZERO && self.flags[j] & SPARE != 0 {
                self.repair_search(j);
            }
        }
    }

    /// One unit for column `j0`, priced below zero with a spare unit, by a Dijkstra search over
    /// the alternating tree rooted at it (the Hungarian method seen from the column): a row that
    /// could take a tree column enters at the slack of that pair, and its held columns enter at
    /// the slack of holding them. The search ends at the cheapest of: a row with a spare unit
    /// (it takes the column it reached), a tree column whose potential reaches zero (its holder
    /// gives it up, or for `j0` itself the column just rises to zero). Tree columns' potentials
    /// rise and tree rows' fall by the distance left, so every reduced-cost condition still
    /// holds, and the pairs on the path are exchanged. Rows holding nothing are left to their own
    /// searches, as before.
    fn repair_search(&mut self, j0: usize) {
        let g = self.g;
        let stamp = self.next_stamp();
        #[derive(Clone, Copy)]
        enum End {
            Row(usize),
            Col(usize),
        }
        self.lab[j0] = C::ZERO;
        self.pred[j0] = u32::MAX;
        self.touched.push(j0 as u32);
        self.col_heap.push(ColItem {
            lab: C::ZERO,
            spare: false,
            col: j0 as u32,
        });
        let mut best = (C::INF, End::Col(j0));
        loop {
            self.drop_stale(stamp);
            let c_lab = self.col_heap.peek().map_or(C::INF, |c| c.lab);
            let r_lab = self.heap.peek().map_or(C::INF, |r| r.lab);
            if best.0 <= c_lab && best.0 <= r_lab {
                break;
            }
            if c_lab <= r_lab {
                let Some(top) = self.col_heap.pop() else {
                    break;
                };
                let j = top.col as usize;
                self.flags[j] |= SCANNED;
                self.scanned_cols.push(j as u32);
                let dj = self.lab[j];
                let pj = self.pot_c[j];
                let end = dj - pj;
                if end < best.0 {
                    best = (end, End::Col(j));
                }
                let (rows, sw) = g.col(j);
                for (&i, &w) in rows.iter().zip(sw) {
                    let i = i as usize;
                    if self.row_done[i] == stamp || self.row_cols[i].is_empty() || self.holds(i, j)
                    {
                        continue;
                    }
                    let Some(c) = C::pair(w) else { continue };
                    let li = dj + max_cost(c + self.pot_r[i] - pj, C::ZERO);
                    if li < best.0 && (self.row_seen[i] != stamp || li < self.row_lab[i]) {
                        self.row_seen[i] = stamp;
                        self.row_lab[i] = li;
                        self.row_pred[i] = j as u32;
                        self.heap.push(RowItem {
                            lab: li,
                            row: i as u32,
                        });
                    }
                }
            } else {
                let Some(top) = self.heap.pop() else { break };
                let i = top.row as usize;
                self.row_done[i] = stamp;
                self.scanned_rows.push(i as u32);
                let di = self.row_lab[i];
                if self.row_cols[i].len() < g.row_cap[i] as usize {
                    if di < best.0 {
                        best = (di, End::Row(i));
                    }
                    continue;
                }
                let pi = self.pot_r[i];
                for t in 0..self.row_cols[i].len() {
                    let (j, sw) = self.row_cols[i][t];
                    let j = j as usize;
                    if self.flags[j] & SCANNED != 0 {
                        continue;
                    }
                    let Some(c) = C::pair(sw) else { continue };
                    let lj = di + max_cost(self.pot_c[j] - c - pi, C::ZERO);
                    if lj < best.0 && lj < self.lab[j] {
                        if self.lab[j] == C::INF {
                            self.touched.push(j as u32);
                        }
                        self.lab[j] = lj;
                        self.pred[j] = i as u32;
                        self.col_heap.push(ColItem {
                            lab: lj,
                            spare: false,
                            col: j as u32,
                        });
                    }
                }
            }
        }
        let (d, end) = best;
        for &j in &self.scanned_cols {
            let j = j as usize;
            self.pot_c[j] = min_cost(self.pot_c[j] + (d - self.lab[j]), C::ZERO);
        }
        for &r in &self.scanned_rows {
            let r = r as usize;
            self.pot_r[r] = self.pot_r[r] + (d - self.row_lab[r]);
        }
        // Exchange the pairs along the path back to `j0`: each row on it takes the column it was
        // reached from and gives up the one it was reached through.
        let mut row = match end {
            End::Col(j) => {
                self.pot_c[j] = C::ZERO;
                if j == j0 {
                    None
                } else {
                    let r = self.pred[j] as usize;
                    self.unlink(r, j);
                    Some(r)
                }
            }
            End::Row(r) => Some(r),
        };
        while let Some(r) = row {
            let j = self.row_pred[r] as usize;
            self.link(r, j, g.sw(r, j).unwrap_or(f64::NAN));
            row = if j == j0 {
                None
            } else {
                let k = self.pred[j] as usize;
                self.unlink(k, j);
                Some(k)
            };
        }
        self.end_search();
    }

    /// A fresh stamp for the row labels of one search (all reset when the counter wraps).
    fn next_stamp(&mut self) -> u32 {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.row_seen.iter_mut().for_each(|x| *x = 0);
            self.row_done.iter_mut().for_each(|x| *x = 0);
            self.stamp = 1;
        }
        self.stamp
    }

    /// Pop the heap tops that are scanned already or carry an outdated label.
    fn drop_stale(&mut self, stamp: u32) {
        drop_stale(
            &mut self.col_heap,
            &self.flags,
            &self.lab,
            &mut self.heap,
            &self.row_done,
            &self.row_lab,
            stamp,
        );
    }

    /// Reset the labels, flags and heaps a search used.
    fn end_search(&mut self) {
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

    fn relax(&mut self, k: usize, j: usize, sw: f64, base: C, bound: &mut C) {
        let f = self.flags[j];
        if f & (SCANNED | DEAD | BLOCKED) != 0 {
            return;
        }
        let r = C::reduced(base, sw, self.pot_c[j]);
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

    fn scan_row(&mut self, k: usize, base: C, bound: &mut C) {
        let g = self.g;
        for &(j, _) in &self.row_cols[k] {
            self.flags[j as usize] |= BLOCKED;
        }
        let (cols, sw) = g.row(k);
        for (&j, &w) in cols.iter().zip(sw) {
            self.relax(k, j as usize, w, base, bound);
        }
        for &(j, _) in &self.row_cols[k] {
            self.flags[j as usize] &= !BLOCKED;
        }
    }

    /// Route one more unit of row `s` along a shortest path to the sink (the dense solver's
    /// search, with rows scanned through their adjacency).
    fn search(&mut self, s: usize) {
        let stamp = self.next_stamp();
        self.row_seen[s] = stamp;
        self.row_lab[s] = C::ZERO;
        let mut next_row = Some(s);
        let mut sink_best: Option<(C, usize)> = None;
        let mut bound = C::INF;
        let (d, sink) = loop {
            if let Some(k) = next_row.take() {
                self.row_done[k] = stamp;
                self.scanned_rows.push(k as u32);
                let base = self.row_lab[k] + self.pot_r[k];
                if sink_best.map_or(true, |(t, _)| base < t) {
                    sink_best = Some((base, k));
                }
                bound = min_cost(bound, base);
                self.scan_row(k, base, &mut bound);
            }
            self.drop_stale(stamp);
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
                break (t_lab, Sink::Unmatched(t_row));
            }
            let j = c_col;
            self.col_heap.pop();
            self.flags[j] |= SCANNED;
            self.scanned_cols.push(j as u32);
            let dj = self.lab[j];
            let pj = self.pot_c[j];
            for t in 0..self.col_rows[j].len() {
                let (r, sw) = self.col_rows[j][t];
                let r = r as usize;
                if self.row_done[r] == stamp {
                    continue;
                }
                let Some(c) = C::pair(sw) else { continue };
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
        for &j in &self.scanned_cols {
            let j = j as usize;
            self.pot_c[j] = self.pot_c[j] + min_cost(self.lab[j] - d, C::ZERO);
        }
        for &r in &self.scanned_rows {
            let r = r as usize;
            self.pot_r[r] = self.pot_r[r] + (self.row_lab[r] - d);
        }
        let g = self.g;
        let mut cur = match sink {
            Sink::Col(j) => {
                let r = self.pred[j] as usize;
                self.link(r, j, g.sw(r, j).unwrap_or(f64::NAN));
                r
            }
            Sink::Unmatched(k) => k,
        };
        while cur != s {
            let j = self.row_pred[cur] as usize;
            self.unlink(cur, j);
            let r = self.pred[j] as usize;
            self.link(r, j, g.sw(r, j).unwrap_or(f64::NAN));
            cur = r;
        }
        self.end_search();
    }
}
