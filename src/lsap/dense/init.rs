//! Cheap initialisation of the matching and the duals before the exact augmentation phase:
//! column reduction with reduction transfer (square problems) or row reduction (wide problems),
//! then either the epsilon-scaling auction (square, float, nothing forbidden) or augmenting row
//! reduction under a work budget. Every path ends in the [`State`] invariant.

use super::auction::{self, Schedule};
use super::matrix::{Profile, Work};
use super::{State, NONE};
use rayon::prelude::*;

/// Columns per parallel task in the column reduction, rows per task in the row passes.
const COL_CHUNK: usize = 256;
const ROW_CHUNK: usize = 16;

/// Below this many matrix entries the reductions run sequentially.
const PAR_MIN_ENTRIES: usize = 1 << 16;

/// Work budget of augmenting row reduction, in row scans per initially free row. Each scan costs
/// as much as one Dijkstra step; past this the remaining free rows go to the exact phase.
const ARR_SCANS_PER_FREE_ROW: usize = 20;

/// Augmenting row reduction repeats its pass over the rows still free while a pass frees at least
/// this fraction fewer rows than the previous one (at most [`ARR_MAX_PASSES`]). On tied integer
/// costs passes 3..16 still shrink the free list (2000 x 2000, 0..1000: 312 free rows after 2
/// passes, 145 after 16, 20% less total time); on float costs it empties in 2.
const ARR_MIN_GAIN: f64 = 1.0 / 32.0;
const ARR_MAX_PASSES: usize = 32;

/// Square problems with at least this many rows, no forbidden pair and non-integer costs start
/// with the epsilon-scaling auction (near-tie float costs are where plain augmentation and
/// augmenting row reduction both crawl); the others with the JV reductions.
const AUCTION_MIN_ROWS: usize = 64;
/// Auction schedule: the first epsilon is the mean row slack after column reduction (see
/// [`mean_row_slack`]), the last one this fraction of the cost range, with this divisor between
/// phases. Measured on the seeded families at n = 1000..4000 (2000 x 2000, one thread, CPU ms):
/// fixed first epsilon 0.1 x range: uniform 150, mentor-like 143; 0.001 x range: 83 and 300+;
/// mean row slack: 83 and 130. Divisor 4 / 8 / 16: 100 / 83 / 93 (uniform), 157 / 137 / 157.
const AUCTION_EPS_END: f64 = 1e-6;
const AUCTION_EPS_FACTOR: f64 = 8.0;
/// Last epsilon relative to the largest cost magnitude, so price steps stay representable.
const AUCTION_EPS_FLOOR: f64 = 1e-10;
/// Cap on auction bids per row (it typically needs 20–30); past it the exact phase takes over.
const AUCTION_BIDS_PER_ROW: usize = 100;

/// Smallest and second-smallest reduced cost `c[i][j] - v[j]` of a row, with their columns
/// (lowest column index on ties). `NONE` when there is no finite entry.
#[inline]
pub(super) fn two_smallest(row: &[f64], v: &[f64]) -> (f64, usize, f64, usize) {
    let (mut u1, mut j1, mut u2, mut j2) = (f64::INFINITY, NONE, f64::INFINITY, NONE);
    for (j, (&c, &vj)) in row.iter().zip(v).enumerate() {
        let h = c - vj;
        if h < u2 {
            if h < u1 {
                (u2, j2) = (u1, j1);
                (u1, j1) = (h, j);
            } else {
                (u2, j2) = (h, j);
            }
        }
    }
    (u1, j1, u2, j2)
}

/// Smallest entry of a row and its column (lowest index on ties; `NONE` if all forbidden).
#[inline]
fn row_min(row: &[f64]) -> (f64, usize) {
    let (mut best, mut arg) = (f64::INFINITY, NONE);
    for (j, &c) in row.iter().enumerate() {
        if c < best {
            best = c;
            arg = j;
        }
    }
    (best, arg)
}

/// Column minima and their rows (lowest row on ties), scanning the matrix row by row.
fn column_minima(work: &Work, first_col: usize, mins: &mut [f64], args: &mut [usize]) {
    let width = mins.len();
    for i in 0..work.n {
        let row = &work.row(i)[first_col..first_col + width];
        // Selects, not branches: vectorisable.
        for ((&c, mn), arg) in row.iter().zip(mins.iter_mut()).zip(args.iter_mut()) {
            let lt = c < *mn;
            *arg = if lt { i } else { *arg };
            *mn = if lt { c } else { *mn };
        }
    }
}

fn parallel(work: &Work) -> bool {
    work.n.saturating_mul(work.m) >= PAR_MIN_ENTRIES
}

/// Square problems: `v[j] = min_i c[i][j]`, each column's minimum row takes it when still free,
/// then rows that got exactly one column transfer their slack to `u` (JV reduction transfer).
fn column_reduction(work: &Work, st: &mut State) {
    let m = work.m;
    let mut mins = vec![f64::INFINITY; m];
    let mut args = vec![NONE; m];
    if let Some(known) = &work.col_minima {
        for ((mn, arg), &(x, i)) in mins.iter_mut().zip(args.iter_mut()).zip(known) {
            (*mn, *arg) = (x, i);
        }
    } else if parallel(work) {
        mins.par_chunks_mut(COL_CHUNK)
            .zip(args.par_chunks_mut(COL_CHUNK))
            .enumerate()
            .for_each(|(k, (mn, ar))| column_minima(work, k * COL_CHUNK, mn, ar));
    } else {
        column_minima(work, 0, &mut mins, &mut args);
    }
    let mut matches = vec![0u32; work.n];
    for j in 0..m {
        if mins[j] == f64::INFINITY {
            continue; // all forbidden: v stays 0, the exact phase reports infeasibility
        }
        st.v[j] = mins[j];
        let i = args[j];
        matches[i] += 1;
        if st.col4row[i] == NONE {
            st.assign(i, j);
        }
    }
    // Reduction transfer against a snapshot of v: each row only lowers its own column, and using
    // the older (higher) v elsewhere can only make its slack smaller, so feasibility holds and
    // the rows are independent (parallel, deterministic).
    let single: Vec<usize> = (0..work.n).filter(|&i| matches[i] == 1).collect();
    let slack = |&i: &usize| -> (usize, f64) {
        let j1 = work_col(st, i);
        let row = work.row(i);
        (i, min_reduced_except(row, &st.v, j1))
    };
    let transfers: Vec<(usize, f64)> = if parallel(work) {
        single
            .par_iter()
            .with_min_len(ROW_CHUNK)
            .map(slack)
            .collect()
    } else {
        single.iter().map(slack).collect()
    };
    for (i, mu) in transfers {
        if mu.is_finite() && mu > 0.0 {
            let j1 = st.col4row[i];
            st.v[j1] -= mu;
            let tight = work.row(i)[j1] - st.v[j1];
            st.u[i] = mu.min(tight);
        }
    }
}

/// Smallest `row[j] - v[j]` over `j != skip`, in blocks (vectorisable), stopping early at a
/// non-positive value: after column reduction every reduced cost is `>= 0`, and a row with a
/// second zero transfers nothing (with tied costs most rows stop in their first blocks).
fn min_reduced_except(row: &[f64], v: &[f64], skip: usize) -> f64 {
    const BLOCK: usize = 64;
    let mut mu = f64::INFINITY;
    for (b, (rq, vq)) in row.chunks(BLOCK).zip(v.chunks(BLOCK)).enumerate() {
        let base = b * BLOCK;
        let mut m4 = [f64::INFINITY; 4];
        for (k, (&c, &vj)) in rq.iter().zip(vq).enumerate() {
            let h = if base + k == skip {
                f64::INFINITY
            } else {
                c - vj
            };
            m4[k % 4] = if h < m4[k % 4] { h } else { m4[k % 4] };
        }
        let bm = m4[0].min(m4[1]).min(m4[2].min(m4[3]));
        mu = if bm < mu { bm } else { mu };
        if mu <= 0.0 {
            break;
        }
    }
    mu
}

#[inline]
fn work_col(st: &State, i: usize) -> usize {
    st.col4row[i]
}

/// Wide problems: `u[i] = min_j c[i][j]`, `v = 0`; each row takes its minimum column when free.
fn row_reduction(work: &Work, st: &mut State) -> Result<(), usize> {
    let computed;
    let mins: &[(f64, usize)] = match &work.row_minima {
        Some(known) => known,
        None => {
            computed = if parallel(work) {
                (0..work.n)
                    .into_par_iter()
                    .with_min_len(ROW_CHUNK)
                    .map(|i| row_min(work.row(i)))
                    .collect::<Vec<_>>()
            } else {
                (0..work.n).map(|i| row_min(work.row(i))).collect()
            };
            &computed
        }
    };
    for (i, &(mn, j)) in mins.iter().enumerate() {
        if j == NONE {
            return Err(i);
        }
        st.u[i] = mn;
        if st.row4col[j] == NONE {
            st.assign(i, j);
        }
    }
    Ok(())
}

/// Augmenting row reduction (Jonker–Volgenant), repeated passes over the free rows while they pay
/// (see [`ARR_MIN_GAIN`]), stopped early when the scan budget is spent. `Err(i)` when row `i` has no allowed column at all.
fn augmenting_row_reduction(work: &Work, st: &mut State) -> Result<(), usize> {
    let mut free = st.free_rows();
    let mut budget = free.len().saturating_mul(ARR_SCANS_PER_FREE_ROW);
    for pass in 0..ARR_MAX_PASSES {
        let mut next = Vec::new();
        for &start in &free {
            let mut i = start;
            loop {
                if budget == 0 {
                    return Ok(());
                }
                budget -= 1;
                let row = work.row(i);
                let (u1, mut j1, u2, j2) = two_smallest(row, &st.v);
                if j1 == NONE {
                    return Err(i);
                }
                let mut i0 = st.row4col[j1];
                let strict = u1 < u2 && u2.is_finite();
                if strict {
                    st.v[j1] -= u2 - u1;
                    st.u[i] = u2.min(row[j1] - st.v[j1]);
                } else {
                    if i0 != NONE && j2 != NONE {
                        j1 = j2;
                        i0 = st.row4col[j1];
                    }
                    st.u[i] = u1;
                }
                if i0 != NONE {
                    st.col4row[i0] = NONE;
                }
                st.assign(i, j1);
                if i0 == NONE {
                    break;
                }
                if strict {
                    i = i0;
                } else {
                    next.push(i0);
                    break;
                }
            }
        }
        let gain = 1.0 - next.len() as f64 / free.len().max(1) as f64;
        free = next;
        if free.is_empty() || (pass >= 1 && gain < ARR_MIN_GAIN) {
            break;
        }
    }
    Ok(())
}

/// Build the starting matching and duals. `Err(i)` names a row proven unmatchable.
pub(super) fn initialise(work: &Work, st: &mut State, profile: &Profile) -> Result<(), usize> {
    if work.n != work.m {
        row_reduction(work, st)?;
        return augmenting_row_reduction(work, st);
    }
    column_reduction(work, st);
    if work.n >= AUCTION_MIN_ROWS && !profile.forbidden && !profile.integral {
        let range = profile.hi - profile.lo;
        let scale = profile.hi.abs().max(profile.lo.abs());
        let schedule = Schedule {
            eps_start: mean_row_slack(work, st),
            eps_end: (range * AUCTION_EPS_END).max(scale * AUCTION_EPS_FLOOR),
            factor: AUCTION_EPS_FACTOR,
            max_bids: work.n.saturating_mul(AUCTION_BIDS_PER_ROW),
        };
        if schedule.eps_start > schedule.eps_end {
            auction::run(work, st, &schedule);
            auction::to_exact_start(work, st);
            return Ok(());
        }
    }
    augmenting_row_reduction(work, st)
}

/// Mean over rows of `min_j c[i][j] - v[j]` after column reduction: how far, on average, rows
/// still are from their cheapest column. It sets the auction's first epsilon to the scale of the
/// disagreement left (about 1/n of the range on uniform costs, a good part of the range on
/// low-rank scores). Summed in row order, so it does not depend on the thread count.
fn mean_row_slack(work: &Work, st: &State) -> f64 {
    let v = &st.v;
    let slack = |i: usize| two_smallest(work.row(i), v).0;
    let slacks: Vec<f64> = if parallel(work) {
        (0..work.n)
            .into_par_iter()
            .with_min_len(ROW_CHUNK)
            .map(slack)
            .collect()
    } else {
        (0..work.n).map(slack).collect()
    };
    slacks.iter().sum::<f64>() / work.n.max(1) as f64
}
