//! One Dijkstra search per row unit on reduced costs, with two heaps (rows, columns).

use super::candidates::{TopK, CANDIDATES};
use super::cost::{min_cost, Cost};
use super::solver::{Solver, BLOCKED, DEAD, SCANNED, SPARE};
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A row waiting in the search heap (min-heap on label, then row index).
pub(in crate::lsap) struct RowItem<C> {
    pub(in crate::lsap) lab: C,
    pub(in crate::lsap) row: u32,
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
pub(in crate::lsap) struct ColItem<C> {
    pub(in crate::lsap) lab: C,
    pub(in crate::lsap) spare: bool,
    pub(in crate::lsap) col: u32,
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

/// Pop the heap tops that are scanned already (a column flagged [`SCANNED`], a row whose
/// `row_done` is this search's `stamp`) or carry an outdated label: the step both the dense and
/// the sparse capacitated searches take before reading the heaps.
pub(in crate::lsap) fn drop_stale<C: Cost>(
    col_heap: &mut BinaryHeap<ColItem<C>>,
    flags: &[u8],
    lab: &[C],
    heap: &mut BinaryHeap<RowItem<C>>,
    row_done: &[u32],
    row_lab: &[C],
    stamp: u32,
) {
    while let Some(top) = col_heap.peek() {
        let j = top.col as usize;
        if flags[j] & SCANNED != 0 || top.lab > lab[j] {
            col_heap.pop();
        } else {
            break;
        }
    }
    while let Some(top) = heap.peek() {
        let r = top.row as usize;
        if row_done[r] == stamp || top.lab > row_lab[r] {
            heap.pop();
        } else {
            break;
        }
    }
}

#[derive(Clone, Copy)]
pub(in crate::lsap) enum Sink {
    Col(usize),
    Unmatched(usize),
}

impl<'a, 'p, C: Cost> Solver<'a, 'p, C> {
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
                // Leaving through the column costs its next slot's reduced cost (zero without
                // load terms).
                let exit = if self.loads.is_some() {
                    r + self.exit_reduced(j)
                } else {
                    r
                };
                *bound = min_cost(*bound, exit);
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
            // Full scan: find the columns that can beat the bound and rebuild the list in the
            // same pass (in parallel chunks on wide problems), then relax the hits in column
            // order, so every thread count agrees.
            let row = p.row(k);
            let sign = p.sign;
            let limit = *bound;
            let scan = |offset: usize, w: &[f64], pc: &[C], lab: &[C], fl: &[u8]| {
                let mut hits = Vec::new();
                let mut top = TopK::new();
                for (t, (((&w, &pj), &l), &f)) in w.iter().zip(pc).zip(lab).zip(fl).enumerate() {
                    if f & DEAD != 0 {
                        continue;
                    }
                    let Some(c) = C::pair(sign * w) else {
                        continue;
                    };
                    top.offer(c - pj, (offset + t) as u32);
                    if f & (SCANNED | BLOCKED) == 0 {
                        let r = C::reduced(base, sign * w, pj);
                        if r < limit && r < l {
                            hits.push((offset + t) as u32);
                        }
                    }
                }
                (hits, top)
            };
            let (hits, top) = scan(0, row, &self.pot_c, &self.lab, &self.flags);
            for j in hits {
                let j = j as usize;
                self.relax(k, j, sign * row[j], base, bound);
            }
            let (list, theta) = top.finish();
            self.cand.store(p, k, &list, theta);
        }
        for &j in &self.row_cols[k] {
            self.flags[j as usize] &= !BLOCKED;
        }
    }

    /// Route one more unit of row `s` along a shortest path to the sink, then update potentials.
    pub(super) fn search(&mut self, s: usize) {
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
        let mut sink_best: Option<(C, Sink)> = None;
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
                    sink_best = Some((base, Sink::Unmatched(k)));
                }
                bound = min_cost(bound, base);
                self.scan_row(k, base, &mut bound);
            }
            drop_stale(
                &mut self.col_heap,
                &self.flags,
                &self.lab,
                &mut self.heap,
                &self.row_done,
                &self.row_lab,
                stamp,
            );
            let (c_lab, c_spare, c_col) = self
                .col_heap
                .peek()
                .map_or((C::INF, false, usize::MAX), |c| {
                    (c.lab, c.spare, c.col as usize)
                });
            let row_lab = self.heap.peek().map_or(C::INF, |t| t.lab);
            let (t_lab, t_sink) = sink_best.unwrap_or((C::INF, Sink::Unmatched(s)));
            // A spare column whose next slot has a positive reduced cost is not an exit by
            // itself: it is scanned like a full one and offers its exit below.
            let free_exit =
                c_spare && (self.loads.is_none() || self.exit_reduced(c_col) <= C::ZERO);
            if c_col != usize::MAX && free_exit && t_lab >= c_lab && row_lab >= c_lab {
                break (c_lab, Sink::Col(c_col));
            }
            if c_lab >= t_lab && row_lab >= t_lab {
                break (t_lab, t_sink);
            }
            if c_lab >= row_lab {
                if let Some(top) = self.heap.pop() {
                    next_row = Some(top.row as usize);
                    continue;
                }
            }
            if c_col == usize::MAX {
                // Unreachable in theory: the source's own unmatched edge is always finite.
                break (t_lab, t_sink);
            }
            // Scan column j: reach the rows it holds through their matched edges (backwards).
            let j = c_col;
            self.col_heap.pop();
            self.flags[j] |= SCANNED;
            self.scanned_cols.push(j as u32);
            let dj = self.lab[j];
            if c_spare && self.loads.is_some() {
                let exit = dj + self.exit_reduced(j);
                if exit < t_lab {
                    sink_best = Some((exit, Sink::Col(j)));
                }
                bound = min_cost(bound, exit);
            }
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
