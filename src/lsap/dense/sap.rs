//! One shortest augmenting path (Dijkstra on reduced costs, Jonker–Volgenant style) from a free
//! row, with the dual update that keeps reduced costs non-negative.
//!
//! Columns live in one position array split into `[0, lo)` reached and scanned, `[lo, hi)` at
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
/// the 2-core development machine (integers 0..1000, 4000 x 4000, min wall time of 3): threshold
/// 1024 -> 1647 ms, 2048 -> 1098 ms, 4096 -> 901 ms, never -> 1022 ms (with the CPU time doubling
/// below 4096). A rayon fork/join costs microseconds, as much as a sequential scan of a few
/// thousand columns, so only very wide rows gain.
const PAR_SCAN_MIN: usize = 16384;

/// Result of scanning one row over (part of) the to-do columns.
#[derive(Clone, Copy)]
struct ScanOut {
    /// Smallest distance among the to-do columns after relaxation.
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

/// Relax row `i` (with offset `h = min_val - u[i]`) into the to-do columns `cols` whose
/// distances and predecessors sit at the same positions; positions are offset by `offset`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn scan(
    row: &[f64],
    h: f64,
    i: usize,
    min_val: f64,
    v: &[f64],
    row4col: &[usize],
    cols: &[usize],
    dist: &mut [f64],
    pred: &mut [usize],
    offset: usize,
) -> ScanOut {
    let mut out = EMPTY;
    for (k, ((&j, d), p)) in cols
        .iter()
        .zip(dist.iter_mut())
        .zip(pred.iter_mut())
        .enumerate()
    {
        let r = h + row[j] - v[j];
        if r < *d {
            *d = r;
            *p = i;
            out.hit |= r == min_val && row4col[j] == NONE;
        }
        // Branch-free running minimum with tie count: with integer costs the to-do distances are
        // full of ties, and a branch here would be mispredicted at random.
        let dk = *d;
        let lt = dk < out.next;
        let eq = (dk == out.next) as usize;
        out.ties = if lt { 1 } else { out.ties + eq };
        out.next_pos = if lt { offset + k } else { out.next_pos };
        out.next = if lt { dk } else { out.next };
    }
    out
}

/// Scratch space for augmentations, reused across rows.
pub(super) struct Sap {
    cols: Vec<usize>,
    dist: Vec<f64>,
    pred: Vec<usize>,
    /// Predecessor row of each column on the final path.
    pred_of: Vec<usize>,
    /// Scratch for the stable partition in `collect`.
    spare: Vec<(usize, f64, usize)>,
}

impl Sap {
    pub fn new(m: usize) -> Self {
        Sap {
            cols: Vec::with_capacity(m),
            dist: Vec::with_capacity(m),
            pred: Vec::with_capacity(m),
            pred_of: vec![NONE; m],
            spare: Vec::with_capacity(m),
        }
    }

    fn scan_todo(
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
        let cols = &self.cols[hi..];
        let dist = &mut self.dist[hi..];
        let pred = &mut self.pred[hi..];
        if cols.len() < PAR_SCAN_MIN {
            return scan(row, h, i, min_val, v, row4col, cols, dist, pred, hi);
        }
        dist.par_chunks_mut(SCAN_CHUNK)
            .zip(pred.par_chunks_mut(SCAN_CHUNK))
            .zip(cols.par_chunks(SCAN_CHUNK))
            .enumerate()
            .map(|(c, ((dist, pred), cols))| {
                scan(
                    row,
                    h,
                    i,
                    min_val,
                    v,
                    row4col,
                    cols,
                    dist,
                    pred,
                    hi + c * SCAN_CHUNK,
                )
            })
            .reduce(|| EMPTY, join)
    }

    /// Move every to-do column at distance `next` into the waiting block; return the new `hi`
    /// and the smallest free column among them (with its position), if any.
    fn collect(&mut self, st: &State, hi: usize, out: &ScanOut) -> (usize, usize, usize) {
        // Stable moves keep the to-do columns in ascending order, so the scans read each cost
        // row front to back (prefetchable) instead of in a scrambled order.
        let mut new_hi = hi;
        if out.ties == 1 {
            let pos = out.next_pos;
            self.cols[hi..=pos].rotate_right(1);
            self.dist[hi..=pos].rotate_right(1);
            self.pred[hi..=pos].rotate_right(1);
            new_hi += 1;
        } else {
            self.spare.clear();
            for k in hi..self.cols.len() {
                let (c, d, p) = (self.cols[k], self.dist[k], self.pred[k]);
                if d == out.next {
                    self.cols[new_hi] = c;
                    self.dist[new_hi] = d;
                    self.pred[new_hi] = p;
                    new_hi += 1;
                } else {
                    self.spare.push((c, d, p));
                }
            }
            for (k, &(c, d, p)) in self.spare.iter().enumerate() {
                self.cols[new_hi + k] = c;
                self.dist[new_hi + k] = d;
                self.pred[new_hi + k] = p;
            }
        }
        let mut free = (NONE, NONE);
        for k in hi..new_hi {
            let j = self.cols[k];
            if st.row4col[j] == NONE && j < free.0 {
                free = (j, k);
            }
        }
        (new_hi, free.0, free.1)
    }

    /// Augment the matching along a shortest path from the free row `cur` and update the duals.
    /// `Err(())` when no free column is reachable through allowed pairs (infeasible problem).
    pub fn augment(&mut self, work: &Work, st: &mut State, cur: usize) -> Result<(), ()> {
        let m = work.m;
        self.cols.clear();
        self.cols.extend(0..m);
        self.dist.clear();
        self.dist.resize(m, f64::INFINITY);
        self.pred.clear();
        self.pred.resize(m, NONE);

        st.u[cur] = 0.0;
        let (mut lo, mut hi) = (0usize, 0usize);
        let mut min_val = f64::NEG_INFINITY;
        let mut out = self.scan_todo(work, st, cur, 0.0, min_val, 0);
        let sink_pos = loop {
            if lo == hi {
                if out.next == f64::INFINITY || out.ties == 0 {
                    return Err(());
                }
                min_val = out.next;
                let (new_hi, free, free_pos) = self.collect(st, hi, &out);
                hi = new_hi;
                if free != NONE {
                    break free_pos;
                }
            }
            let j = self.cols[lo];
            lo += 1;
            let i = st.row4col[j];
            let h = min_val - st.u[i];
            out = self.scan_todo(work, st, i, h, min_val, hi);
            if out.hit {
                // The to-do columns are in ascending order: the first free one at the minimum
                // is the smallest.
                let found =
                    (hi..m).find(|&k| self.dist[k] == min_val && st.row4col[self.cols[k]] == NONE);
                if let Some(k) = found {
                    break k;
                }
            }
        };

        // Dual update over the scanned columns and their rows: they move by how much shorter
        // than the sink they were.
        let sink = self.cols[sink_pos];
        st.u[cur] += min_val;
        for k in 0..lo {
            let (c, d) = (self.cols[k], self.dist[k]);
            let delta = min_val - d;
            st.u[st.row4col[c]] += delta;
            st.v[c] -= delta;
            self.pred_of[c] = self.pred[k];
        }
        self.pred_of[sink] = self.pred[sink_pos];

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
