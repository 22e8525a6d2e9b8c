//! One shortest augmenting path (Dijkstra on reduced costs, Jonker–Volgenant style) from a free
//! row, with the dual update that keeps reduced costs non-negative.
//!
//! Columns live in one position array of [`Entry`] (column, tentative distance, predecessor) split
//! into `[0, lo)` reached and scanned, `[lo, hi)` at
//! the current minimum distance waiting to be scanned, and `[hi, m)` still to do. All columns tied
//! at the minimum are taken together, so with integer costs a whole zero level is explored without
//! re-reading the columns already found. The scan of a row over the to-do columns (relaxation,
//! the next minimum and free columns reached at the current minimum) runs in parallel fixed-size
//! chunks when enough columns remain; every tie is broken by column index, so the result does not
//! depend on the chunking.

use super::matrix::Work;
use super::{State, NONE};
use rayon::prelude::*;

/// Columns per parallel task in the scan.
const SCAN_CHUNK: usize = 2048;

/// Fewest to-do columns for which the scan runs in parallel (below it, sequential). Measured on
/// the 2-core development machine, integers 0..1000, min wall time: 4000 x 4000 with threshold
/// 1024 / 2048 / 4096 / never: 1647 / 1098 / 901 / 1022 ms; again later, 1500 / 3000 / never:
/// 1032 / 793 / 408 ms (2000 x 2000: 75 / 72 / 78 ms). A rayon fork/join per scanned row costs
/// about as much as a sequential scan of a few thousand columns, so only very wide rows gain.
const PAR_SCAN_MIN: usize = 16384;

/// One column in the search: tentative distance and predecessor row, kept together so a scan
/// walks a single array. Indices fit in `u32` (checked by the caller).
#[derive(Clone, Copy)]
struct Entry {
    dist: f64,
    col: u32,
    pred: u32,
}

/// Result of scanning one row over (part of) the to-do columns.
#[derive(Clone, Copy)]
struct ScanOut {
    /// Smallest distance among the to-do columns after relaxation (when tracked).
    next: f64,
    /// Position attaining `next` (meaningful when `ties == 1`).
    next_pos: usize,
    /// How many to-do columns attain `next`.
    ties: usize,
    /// Some free column's distance dropped to the current minimum (a path is found; which
    /// column is settled afterwards, by index, so the chunking does not matter).
    hit: bool,
}

const EMPTY: ScanOut = ScanOut {
    next: f64::INFINITY,
    next_pos: NONE,
    ties: 0,
    hit: false,
};

fn join(a: ScanOut, b: ScanOut) -> ScanOut {
    let (next, next_pos, ties) = if a.next < b.next {
        (a.next, a.next_pos, a.ties)
    } else if b.next < a.next {
        (b.next, b.next_pos, b.ties)
    } else {
        (a.next, a.next_pos.min(b.next_pos), a.ties + b.ties)
    };
    ScanOut {
        next,
        next_pos,
        ties,
        hit: a.hit || b.hit,
    }
}

/// Relax row `i` (with offset `h = min_val - u[i]`) into the to-do entries; positions are
/// offset by `offset`. With `TRACK`, also find the smallest distance left and its ties (needed
/// only when this row is the last one waiting at the current distance).
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn scan<const TRACK: bool>(
    row: &[f64],
    h: f64,
    i: u32,
    min_val: f64,
    v: &[f64],
    row4col: &[usize],
    todo: &mut [Entry],
    offset: usize,
) -> ScanOut {
    let mut out = EMPTY;
    for (k, e) in todo.iter_mut().enumerate() {
        let j = e.col as usize;
        let r = h + row[j] - v[j];
        if r < e.dist {
            e.dist = r;
            e.pred = i;
            out.hit |= r == min_val && row4col[j] == NONE;
        }
        if TRACK {
            // Branch-free running minimum with tie count: with integer costs the distances are
            // full of ties, and a branch here would be mispredicted at random.
            let dk = e.dist;
            let lt = dk < out.next;
            let eq = (dk == out.next) as usize;
            out.ties = if lt { 1 } else { out.ties + eq };
            out.next_pos = if lt { offset + k } else { out.next_pos };
            out.next = if lt { dk } else { out.next };
        }
    }
    out
}

/// Scratch space for augmentations, reused across rows.
pub(super) struct Sap {
    entries: Vec<Entry>,
    /// Predecessor row of each column on the final path.
    pred_of: Vec<usize>,
    /// Scratch for the stable partition in `collect`.
    spare: Vec<Entry>,
}

impl Sap {
    pub fn new(m: usize) -> Self {
        Sap {
            entries: Vec::with_capacity(m),
            pred_of: vec![NONE; m],
            spare: Vec::with_capacity(m),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_todo<const TRACK: bool>(
        &mut self,
        work: &Work,
        st: &State,
        i: usize,
        h: f64,
        min_val: f64,
        hi: usize,
    ) -> ScanOut {
        let row = work.row(i);
        let (v, row4col) = (&st.v[..], &st.row4col[..]);
        let todo = &mut self.entries[hi..];
        let i = i as u32;
        if todo.len() < PAR_SCAN_MIN {
            return scan::<TRACK>(row, h, i, min_val, v, row4col, todo, hi);
        }
        todo.par_chunks_mut(SCAN_CHUNK)
            .enumerate()
            .map(|(c, chunk)| {
                scan::<TRACK>(row, h, i, min_val, v, row4col, chunk, hi + c * SCAN_CHUNK)
            })
            .reduce(|| EMPTY, join)
    }

    /// Move every to-do column at distance `next` into the waiting block; return the new `hi`
    /// and the position of the smallest free column among them, if any.
    fn collect(&mut self, st: &State, hi: usize, out: &ScanOut) -> (usize, Option<usize>) {
        // Stable moves keep the to-do columns in ascending order, so the scans read each cost
        // row front to back (prefetchable) instead of in a scrambled order.
        let mut new_hi = hi;
        if out.ties == 1 {
            self.entries[hi..=out.next_pos].rotate_right(1);
            new_hi += 1;
        } else {
            self.spare.clear();
            for k in hi..self.entries.len() {
                let e = self.entries[k];
                if e.dist == out.next {
                    self.entries[new_hi] = e;
                    new_hi += 1;
                } else {
                    self.spare.push(e);
                }
            }
            self.entries[new_hi..].copy_from_slice(&self.spare);
        }
        // Ascending order within the block too: the first free column is the smallest.
        let free = (hi..new_hi).find(|&k| st.row4col[self.entries[k].col as usize] == NONE);
        (new_hi, free)
    }

    /// Shortest-path search (Dijkstra on reduced costs) from every row in `sources` at once, each
    /// starting at distance 0, until a free column is reached. Returns the position of that column
    /// in `entries`, the number of scanned columns `lo` and the sink distance. `Err(())` when no
    /// free column is reachable through allowed pairs.
    fn search(
        &mut self,
        work: &Work,
        st: &State,
        sources: &[usize],
    ) -> Result<(usize, usize, f64), ()> {
        let m = work.m;
        self.entries.clear();
        self.entries.extend((0..m).map(|j| Entry {
            dist: f64::INFINITY,
            col: j as u32,
            pred: u32::MAX,
        }));
        let (mut lo, mut hi) = (0usize, 0usize);
        let mut min_val = f64::NEG_INFINITY;
        let mut out = EMPTY;
        for (k, &r) in sources.iter().enumerate() {
            let h = -st.u[r];
            out = if k + 1 == sources.len() {
                self.scan_todo::<true>(work, st, r, h, min_val, 0)
            } else {
                self.scan_todo::<false>(work, st, r, h, min_val, 0)
            };
        }
        loop {
            if lo == hi {
                if out.next == f64::INFINITY || out.ties == 0 {
                    return Err(());
                }
                min_val = out.next;
                let (new_hi, free) = self.collect(st, hi, &out);
                hi = new_hi;
                if let Some(pos) = free {
                    return Ok((pos, lo, min_val));
                }
            }
            let j = self.entries[lo].col as usize;
            lo += 1;
            let i = st.row4col[j];
            let h = min_val - st.u[i];
            // The next minimum is only needed once no row waits at the current distance.
            out = if lo == hi {
                self.scan_todo::<true>(work, st, i, h, min_val, hi)
            } else {
                self.scan_todo::<false>(work, st, i, h, min_val, hi)
            };
            if out.hit {
                // The to-do columns are in ascending order: the first free one at the minimum
                // is the smallest.
                let found = (hi..m).find(|&k| {
                    let e = self.entries[k];
                    e.dist == min_val && st.row4col[e.col as usize] == NONE
                });
                if let Some(k) = found {
                    return Ok((k, lo, min_val));
                }
            }
        }
    }

    /// Dual update after a search: the scanned columns (`entries[..lo]`) and their rows move by
    /// how much shorter than the sink distance `d` they were, the sources by `d`. Reduced costs
    /// stay non-negative and every shortest path to the sink becomes tight.
    fn update_duals(&mut self, st: &mut State, sources: &[usize], lo: usize, d: f64) {
        for &r in sources {
            st.u[r] += d;
        }
        for e in &self.entries[..lo] {
            let c = e.col as usize;
            let delta = d - e.dist;
            st.u[st.row4col[c]] += delta;
            st.v[c] -= delta;
            self.pred_of[c] = e.pred as usize;
        }
    }

    /// Raise the duals along the shortest paths from all the free rows `sources` at once (one
    /// multi-source search and its dual update, no augmentation): afterwards at least one
    /// augmenting path of tight pairs starts at some source. The duals of the sources must be
    /// feasible. Returns the distance the sources were raised by; `Err(())` when no free column
    /// is reachable (infeasible problem).
    pub fn raise(&mut self, work: &Work, st: &mut State, sources: &[usize]) -> Result<f64, ()> {
        let (_, lo, d) = self.search(work, st, sources)?;
        self.update_duals(st, sources, lo, d);
        Ok(d)
    }

    /// Augment the matching along a shortest path from the free row `cur` and update the duals.
    /// `Err(())` when no free column is reachable through allowed pairs (infeasible problem).
    pub fn augment(&mut self, work: &Work, st: &mut State, cur: usize) -> Result<(), ()> {
        st.u[cur] = 0.0;
        let (sink_pos, lo, min_val) = self.search(work, st, &[cur])?;
        let sink = self.entries[sink_pos].col as usize;
        self.update_duals(st, &[cur], lo, min_val);
        self.pred_of[sink] = self.entries[sink_pos].pred as usize;

        // Flip the path back to `cur`; it has at most one column per scanned row.
        let mut j = sink;
        for _ in 0..=lo {
            let r = self.pred_of[j];
            st.row4col[j] = r;
            let prev = st.col4row[r];
            st.col4row[r] = j;
            if r == cur {
                return Ok(());
            }
            j = prev;
        }
        Err(())
    }
}
