//! One shortest augmenting path (Dijkstra on reduced costs) from a free row, with the dual update
//! that keeps reduced costs non-negative. The scan over the columns not yet reached (distance
//! update plus arg-min) runs in parallel fixed-size chunks when enough columns remain.

use super::matrix::Work;
use super::{State, NONE};
use rayon::prelude::*;

/// Columns per parallel task in the scan.
const SCAN_CHUNK: usize = 2048;

/// Fewest remaining columns for which the scan runs in parallel (below it, sequential). Measured
/// on the 2-core development machine: rayon's fork/join costs a few microseconds, about the time
/// of a sequential scan over this many columns.
const PAR_SCAN_MIN: usize = 8192;

/// Best candidate of a scan: `(distance, column is assigned, column, position in the to-do list)`.
/// Ordered by distance, then free columns first, then column index, so the winner does not depend
/// on how the scan was chunked.
type Best = (f64, bool, usize, usize);

const NO_BEST: Best = (f64::INFINITY, true, NONE, NONE);

#[inline(always)]
fn better(a: &Best, b: &Best) -> bool {
    a.0 < b.0 || (a.0 == b.0 && (a.1, a.2) < (b.1, b.2))
}

/// Relax the row-`i` edges into the to-do columns `cols` (with distances `dist` and predecessors
/// `pred`, same positions) and return the best candidate; positions are offset by `offset`.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn scan(
    row: &[f64],
    h: f64,
    i: usize,
    v: &[f64],
    row4col: &[usize],
    cols: &[usize],
    dist: &mut [f64],
    pred: &mut [usize],
    offset: usize,
) -> Best {
    let mut best = NO_BEST;
    for (k, ((&j, d), p)) in cols.iter().zip(dist.iter_mut()).zip(pred.iter_mut()).enumerate() {
        let r = h + row[j] - v[j];
        if r < *d {
            *d = r;
            *p = i;
        }
        let dk = *d;
        if dk <= best.0 {
            let cand = (dk, row4col[j] != NONE, j, offset + k);
            if better(&cand, &best) {
                best = cand;
            }
        }
    }
    best
}

/// Scratch space for augmentations, reused across rows.
pub(super) struct Sap {
    /// Columns not reached yet, with their tentative distance and predecessor row.
    todo_cols: Vec<usize>,
    todo_dist: Vec<f64>,
    todo_pred: Vec<usize>,
    /// Columns reached (in order), with their final distance.
    done_cols: Vec<usize>,
    done_dist: Vec<f64>,
    /// Predecessor row of each reached column.
    pred_of: Vec<usize>,
}

impl Sap {
    pub fn new(m: usize) -> Self {
        Sap {
            todo_cols: Vec::with_capacity(m),
            todo_dist: Vec::with_capacity(m),
            todo_pred: Vec::with_capacity(m),
            done_cols: Vec::with_capacity(m),
            done_dist: Vec::with_capacity(m),
            pred_of: vec![NONE; m],
        }
    }

    fn scan_all(&mut self, work: &Work, st: &State, i: usize, h: f64) -> Best {
        let row = work.row(i);
        let (v, row4col) = (&st.v[..], &st.row4col[..]);
        if self.todo_cols.len() < PAR_SCAN_MIN {
            return scan(
                row,
                h,
                i,
                v,
                row4col,
                &self.todo_cols,
                &mut self.todo_dist,
                &mut self.todo_pred,
                0,
            );
        }
        self.todo_dist
            .par_chunks_mut(SCAN_CHUNK)
            .zip(self.todo_pred.par_chunks_mut(SCAN_CHUNK))
            .zip(self.todo_cols.par_chunks(SCAN_CHUNK))
            .enumerate()
            .map(|(c, ((dist, pred), cols))| {
                scan(row, h, i, v, row4col, cols, dist, pred, c * SCAN_CHUNK)
            })
            .reduce(|| NO_BEST, |a, b| if better(&b, &a) { b } else { a })
    }

    /// Augment the matching along a shortest path from the free row `cur` and update the duals.
    /// `Err(())` when no free column is reachable through allowed pairs (infeasible problem).
    pub fn augment(&mut self, work: &Work, st: &mut State, cur: usize) -> Result<(), ()> {
        let m = work.m;
        self.todo_cols.clear();
        self.todo_cols.extend(0..m);
        self.todo_dist.clear();
        self.todo_dist.resize(m, f64::INFINITY);
        self.todo_pred.clear();
        self.todo_pred.resize(m, NONE);
        self.done_cols.clear();
        self.done_dist.clear();

        st.u[cur] = 0.0;
        let mut min_val = 0.0f64;
        let mut i = cur;
        let sink = loop {
            let h = min_val - st.u[i];
            let (lowest, _, j, pos) = self.scan_all(work, st, i, h);
            if pos == NONE || lowest == f64::INFINITY {
                return Err(());
            }
            min_val = lowest;
            self.todo_cols.swap_remove(pos);
            let d = self.todo_dist.swap_remove(pos);
            self.pred_of[j] = self.todo_pred.swap_remove(pos);
            self.done_cols.push(j);
            self.done_dist.push(d);
            let next = st.row4col[j];
            if next == NONE {
                break j;
            }
            i = next;
        };

        // Dual update: reached rows and columns move by how much shorter than the sink they were.
        st.u[cur] += min_val;
        for (&c, &d) in self.done_cols.iter().zip(&self.done_dist) {
            if c == sink {
                continue;
            }
            let delta = min_val - d;
            st.u[st.row4col[c]] += delta;
            st.v[c] -= delta;
        }

        // Flip the path back to `cur`. Every reached column has a predecessor; the path has at
        // most one column per reached row, so the walk is bounded.
        let mut j = sink;
        for _ in 0..=self.done_cols.len() {
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
