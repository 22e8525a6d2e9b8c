//! Primal–dual phases for integer costs: augment on the graph of tight pairs (zero reduced cost)
//! as far as it goes, then raise the duals once along the shortest paths from all the free rows
//! together (one multi-source search), and repeat.
//!
//! With integer costs a whole level of the Dijkstra search is made of tied columns, and the
//! per-row shortest augmenting paths of [`super::sap`] re-explore that level for every free row.
//! Here one search serves every free row, and the augmentations it enables are found on the sparse
//! tight graph (per-row lists of tight columns) by depth-first augmenting paths, so a dense scan
//! of a row happens about once per phase instead of once per free row. The number of phases is
//! at most the number of distinct shortest-path lengths, small when the costs are small integers.
//!
//! Tightness is tested with `==`, which is exact because integer costs keep every dual an integer
//! (the profile only sends integer costs of magnitude below 2^50 here). Only tight pairs are ever
//! matched and the dual update keeps reduced costs non-negative, so the [`State`] invariant holds
//! throughout and the usual shortest-path finish certifies the result.

use super::matrix::Work;
use super::sap::Sap;
use super::{State, NONE};

/// A phase whose dual raise lets fewer rows than this be matched ends the phases: ties are rare,
/// and the per-row shortest paths of the finish cost less than a multi-source search plus the
/// tight-list refresh. (Integers 0..10^6, 1000 x 1000: one row per phase, 15-20% slower than the
/// per-row finish; integers 0..1000: 20-60 rows per phase until the last two.)
const MIN_MATCHED_PER_PHASE: usize = 2;

/// Per-row lists of tight columns, brought up to date lazily after each dual change (rebuilt
/// when the row's dual moved, else filtered), and the depth-first search scratch. The lists take
/// 4 bytes per tight pair: on few-valued costs (0/1 matrices) up to about half the size of the
/// cost matrix itself.
struct Tight {
    /// Tight columns of each row, valid when `stamp[i] == phase`.
    cols: Vec<Vec<u32>>,
    stamp: Vec<u32>,
    phase: u32,
    /// Column visited in the current round when `seen[j] == round`.
    seen: Vec<u32>,
    round: u32,
    /// Depth-first stack: (row, next position in its tight list).
    frames: Vec<(usize, usize)>,
    /// `via[t]` is the column through which `frames[t + 1]` was entered.
    via: Vec<usize>,
    /// Row dual when the row's list was built.
    u_built: Vec<f64>,
    /// Last phase at whose start `v[j]` was found changed.
    v_changed: Vec<u32>,
    /// Column duals at the start of the current phase.
    v_seen: Vec<f64>,
}

impl Tight {
    fn new(n: usize, st: &State) -> Self {
        let m = st.v.len();
        Tight {
            cols: vec![Vec::new(); n],
            stamp: vec![0; n],
            phase: 1,
            seen: vec![0; m],
            round: 0,
            frames: Vec::new(),
            via: Vec::new(),
            u_built: vec![0.0; n],
            v_changed: vec![0; m],
            v_seen: st.v.clone(),
        }
    }

    /// Start a new phase after a dual change: note which column duals moved.
    fn next_phase(&mut self, st: &State) {
        self.phase += 1;
        for ((seen, &vj), changed) in self.v_seen.iter_mut().zip(&st.v).zip(&mut self.v_changed) {
            if *seen != vj {
                *seen = vj;
                *changed = self.phase;
            }
        }
    }

    /// Make sure row `i`'s tight list matches the current duals.
    fn refresh(&mut self, work: &Work, st: &State, i: usize) {
        let built = self.stamp[i];
        if built == self.phase {
            return;
        }
        self.stamp[i] = self.phase;
        let ui = st.u[i];
        let list = &mut self.cols[i];
        if built != 0 && self.u_built[i] == ui {
            // Only column duals moved since the list was built, and they only go down: reduced
            // costs only grew, so the list loses the moved columns and gains nothing.
            let changed = &self.v_changed;
            list.retain(|&j| changed[j as usize] <= built);
            return;
        }
        self.u_built[i] = ui;
        list.clear();
        // Branch-free tests eight columns at a time (tight columns are few), then the set bits.
        let row = work.row(i);
        let v = &st.v[..row.len()];
        let mut base = 0usize;
        for (cq, vq) in row.chunks(8).zip(v.chunks(8)) {
            let mut mask = 0u32;
            for (l, (&c, &vj)) in cq.iter().zip(vq).enumerate() {
                mask |= ((c - vj == ui) as u32) << l;
            }
            while mask != 0 {
                list.push((base + mask.trailing_zeros() as usize) as u32);
                mask &= mask - 1;
            }
            base += 8;
        }
    }

    /// Depth-first search for an augmenting path of tight pairs from the free row `root`, over
    /// columns not yet seen in this round; flips it when found.
    fn augment_from(&mut self, work: &Work, st: &mut State, root: usize) -> bool {
        self.frames.clear();
        self.via.clear();
        self.refresh(work, st, root);
        self.frames.push((root, 0));
        while let Some(&(i, k)) = self.frames.last() {
            let Some(&j) = self.cols[i].get(k) else {
                self.frames.pop();
                self.via.pop();
                continue;
            };
            let top = self.frames.len() - 1;
            self.frames[top].1 += 1;
            let j = j as usize;
            if self.seen[j] == self.round {
                continue;
            }
            self.seen[j] = self.round;
            let r = st.row4col[j];
            if r == NONE {
                // Flip: each row on the stack takes the column it was looking at.
                let mut col = j;
                for t in (0..self.frames.len()).rev() {
                    let row = self.frames[t].0;
                    st.assign(row, col);
                    if t > 0 {
                        col = self.via[t - 1];
                    }
                }
                return true;
            }
            self.refresh(work, st, r);
            self.via.push(j);
            self.frames.push((r, 0));
        }
        false
    }

    /// Augment on the tight graph until no augmenting path is left (a maximum matching of the
    /// tight graph extending the current one): rounds of depth-first searches from every free
    /// row, each round visiting a column at most once.
    fn saturate(&mut self, work: &Work, st: &mut State, free: &mut Vec<usize>) {
        loop {
            self.round += 1;
            let before = free.len();
            free.retain(|&i| !self.augment_from(work, st, i));
            if free.is_empty() || free.len() == before {
                return;
            }
        }
    }
}

/// Match the free rows by primal–dual phases. Requires integer costs and feasible duals for all
/// rows, free ones included. Stops early, leaving rows free for the per-row finish (which then
/// names the culprit), when no free column is reachable from them.
pub(super) fn solve(work: &Work, st: &mut State, sap: &mut Sap) {
    let mut tight = Tight::new(work.n, st);
    let mut free = st.free_rows();
    // Free rows start tight on their cheapest column.
    for &i in &free {
        let row = work.row(i);
        let mn = row
            .iter()
            .zip(&st.v)
            .fold(f64::INFINITY, |a, (&c, &vj)| a.min(c - vj));
        if mn.is_finite() {
            st.u[i] = mn;
        }
    }
    let mut before = free.len();
    loop {
        tight.saturate(work, st, &mut free);
        if free.is_empty() || (tight.phase > 1 && before - free.len() < MIN_MATCHED_PER_PHASE) {
            return;
        }
        before = free.len();
        match sap.raise(work, st, &free) {
            // A zero raise means the tight graph still had an augmenting path (impossible with
            // exact arithmetic): leave the rest to the per-row finish rather than loop.
            Ok(d) if d > 0.0 => {}
            _ => return,
        }
        tight.next_phase(st);
    }
}
