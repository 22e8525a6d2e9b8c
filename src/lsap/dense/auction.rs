//! Epsilon-scaling forward auction (Gauss–Seidel bidding) to reach near-optimal prices fast on
//! near-tie problems, then a conversion to an exact-phase starting point: feasible duals
//! `u[i] = min_j c[i][j] - v[j]` and only the pairs that are exactly tight kept.
//!
//! The auction only supplies a warm start; the exact augmentation phase that follows decides the
//! optimum, so precision loss in the prices can cost time but never correctness.

use super::init::two_smallest;
use super::matrix::Work;
use super::{State, NONE};
use rayon::prelude::*;

/// Parameters of the epsilon-scaling schedule.
#[derive(Debug, Clone, Copy)]
pub(super) struct Schedule {
    /// First epsilon.
    pub eps_start: f64,
    /// Last epsilon (the phase run with it is the final one).
    pub eps_end: f64,
    /// Divisor of epsilon between phases (> 1).
    pub factor: f64,
    /// Cap on the total number of bids; past it the auction stops where it is.
    pub max_bids: usize,
}

/// Run the auction on prices `p = -st.v` (only the prices are kept; the matching is rebuilt by
/// [`to_exact_start`]). Requires no forbidden pair and at least two columns.
pub(super) fn run(work: &Work, st: &mut State, s: &Schedule) {
    let n = work.n;
    let mut eps = s.eps_start;
    let mut bids = 0usize;
    let mut stack: Vec<usize> = Vec::with_capacity(n);
    'phases: loop {
        st.col4row.iter_mut().for_each(|x| *x = NONE);
        st.row4col.iter_mut().for_each(|x| *x = NONE);
        stack.clear();
        stack.extend((0..n).rev());
        while let Some(start) = stack.pop() {
            let mut i = start;
            loop {
                if bids >= s.max_bids {
                    break 'phases;
                }
                bids += 1;
                let (h1, j1, h2, _) = two_smallest(work.row(i), &st.v);
                if j1 == NONE || !h2.is_finite() {
                    break;
                }
                st.v[j1] -= (h2 - h1) + eps;
                let i0 = st.row4col[j1];
                st.assign(i, j1);
                if i0 == NONE {
                    break;
                }
                st.col4row[i0] = NONE;
                i = i0;
            }
        }
        if eps <= s.eps_end {
            break;
        }
        eps = (eps / s.factor).max(s.eps_end);
    }
}

/// Turn auction prices and matching into a valid exact-phase start: free columns get `v = 0` on
/// wide problems (so `v <= 0` with zeros on free columns), `u[i]` becomes the row minimum of the
/// reduced costs, and a row keeps its column only when that column attains the minimum exactly;
/// otherwise it takes its minimum column if that is free, or stays free.
pub(super) fn to_exact_start(work: &Work, st: &mut State) {
    let (n, m) = (work.n, work.m);
    if n < m {
        for (vj, &i) in st.v.iter_mut().zip(&st.row4col) {
            if i == NONE {
                *vj = 0.0;
            }
        }
    }
    let v = &st.v;
    let col4row = &st.col4row;
    let best: Vec<(f64, usize, bool)> = (0..n)
        .into_par_iter()
        .with_min_len(16)
        .map(|i| {
            let row = work.row(i);
            let (h1, j1, _, _) = two_smallest(row, v);
            let x = col4row[i];
            let tight = x != NONE && row[x] - v[x] == h1;
            (h1, j1, tight)
        })
        .collect();
    st.col4row.iter_mut().for_each(|x| *x = NONE);
    let old_row4col = std::mem::replace(&mut st.row4col, vec![NONE; m]);
    for (j, &i) in old_row4col.iter().enumerate() {
        if i != NONE && best[i].2 {
            st.assign(i, j);
        }
    }
    for (i, &(h1, j1, _)) in best.iter().enumerate() {
        st.u[i] = h1;
        if st.col4row[i] == NONE && j1 != NONE && st.row4col[j1] == NONE {
            st.assign(i, j1);
        }
    }
}
