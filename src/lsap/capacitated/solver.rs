//! The solver state (flow, potentials, search scratch space) and the run that drives it.

use super::candidates::Candidates;
use super::cost::{Cost, Lex};
use super::duals::{Duals, RunResult};
use super::problem::Problem;
use super::search::{ColItem, RowItem};
use super::LsapError;
use std::collections::BinaryHeap;

/// Column flags for the searches.
pub(in crate::lsap) const SCANNED: u8 = 1;
pub(in crate::lsap) const BLOCKED: u8 = 2;
pub(in crate::lsap) const SPARE: u8 = 4;
pub(in crate::lsap) const DEAD: u8 = 8;

/// Columns per parallel chunk, and the column count from which the bids' best-two scans go
/// parallel. Fixed numbers (not derived from the thread count), so every thread count computes the
/// very same values. A search's full row scan stays sequential: it also rebuilds the row's
/// candidate list in the same pass, and per-chunk lists merged afterwards cost more than they save
/// (10,000 x 4,000 mentor-like, Coverage, one thread: 4.5–5.2 s CPU sequential, 8.1 s chunked).
pub(super) const CHUNK: usize = 1024;
pub(super) const PAR_MIN_COLS: usize = 4096;

/// The solver state: a flow (matched pairs), potentials, and the search scratch space.
pub(super) struct Solver<'a, 'p, C: Cost> {
    pub(super) p: &'a Problem<'p>,
    pub(super) row_cols: Vec<Vec<u32>>,
    pub(super) col_rows: Vec<Vec<u32>>,
    pub(super) pot_r: Vec<C>,
    pub(super) pot_c: Vec<C>,
    pub(super) lab: Vec<C>,
    pub(super) pred: Vec<u32>,
    pub(super) flags: Vec<u8>,
    pub(super) row_lab: Vec<C>,
    pub(super) row_pred: Vec<u32>,
    pub(super) row_seen: Vec<u32>,
    pub(super) row_done: Vec<u32>,
    pub(super) stamp: u32,
    pub(super) scanned_cols: Vec<u32>,
    pub(super) scanned_rows: Vec<u32>,
    pub(super) touched: Vec<u32>,
    pub(super) heap: BinaryHeap<RowItem<C>>,
    pub(super) col_heap: BinaryHeap<ColItem<C>>,
    pub(super) cand: Candidates<C>,
    /// Per-column load terms (minimum loads, spreading); `None` for the plain problem, whose
    /// column exits all cost zero.
    pub(super) loads: Option<Loads<C>>,
}

/// Convex per-column load costs in minimisation form: column `j`'s unit number `L + 1` costs
/// `bonus` (negative) while `L < min[j]`, plus `spread · L` in score units.
pub(super) struct Loads<C> {
    pub(super) min: Vec<u32>,
    pub(super) bonus: C,
    pub(super) spread: f64,
}

impl<C: Cost> Loads<C> {
    /// The cost of the unit that raises a column's load from `load` to `load + 1`.
    #[inline]
    pub(super) fn marginal(&self, j: usize, load: usize) -> C {
        let e = C::from_score(self.spread * load as f64);
        if load < self.min[j] as usize {
            e + self.bonus
        } else {
            e
        }
    }
}

/// Warm-start material in the internal orientation: column potentials (minimisation sense, before
/// clamping) and, from a previous result, its pairs.
pub(super) enum Warm {
    Cold,
    Prices(Vec<Lex>),
    Previous(Vec<Lex>, Vec<Lex>, Vec<(usize, usize)>),
}

pub(super) fn run<C: Cost>(p: &Problem<'_>, warm: &Warm) -> Result<RunResult, LsapError> {
    let mut s = Solver::<C>::new(p);
    s.initialise(warm);
    s.cand = Candidates::build(p, &s.pot_c, &s.flags)?;
    let cancel = crate::cancel::current();
    for i in 0..p.n {
        cancel.check()?;
        let pending = p.row_cap[i] as usize - s.row_cols[i].len().min(p.row_cap[i] as usize);
        for _ in 0..pending {
            s.search(i);
        }
    }
    let pairs = s
        .row_cols
        .iter()
        .enumerate()
        .flat_map(|(i, cols)| cols.iter().map(move |&j| (i, j as usize)))
        .collect();
    let duals = Duals {
        u: s.pot_r.iter().map(|&x| (C::ZERO - x).lex()).collect(),
        v: s.pot_c.iter().map(|&x| x.lex()).collect(),
        coverage: C::COVERAGE,
    };
    Ok(RunResult { pairs, duals })
}

impl<'a, 'p, C: Cost> Solver<'a, 'p, C> {
    pub(super) fn new(p: &'a Problem<'p>) -> Self {
        let flags = p
            .col_cap
            .iter()
            .map(|&c| if c == 0 { DEAD } else { SPARE })
            .collect();
        Solver {
            p,
            row_cols: vec![Vec::new(); p.n],
            col_rows: vec![Vec::new(); p.m],
            pot_r: vec![C::ZERO; p.n],
            pot_c: vec![C::ZERO; p.m],
            lab: vec![C::INF; p.m],
            pred: vec![u32::MAX; p.m],
            flags,
            row_lab: vec![C::INF; p.n],
            row_pred: vec![u32::MAX; p.n],
            row_seen: vec![0; p.n],
            row_done: vec![0; p.n],
            stamp: 0,
            scanned_cols: Vec::new(),
            scanned_rows: Vec::new(),
            touched: Vec::new(),
            heap: BinaryHeap::new(),
            col_heap: BinaryHeap::new(),
            cand: Candidates {
                sw: Vec::new(),
                keys: Vec::new(),
                cols: Vec::new(),
                len: Vec::new(),
                theta: Vec::new(),
            },
            loads: None,
        }
    }

    /// Reduced cost of column `j`'s exit to the sink at its current load (`e_j(L) + π_j`, never
    /// negative beyond rounding). Zero without load terms.
    #[inline]
    pub(super) fn exit_reduced(&self, j: usize) -> C {
        match &self.loads {
            None => C::ZERO,
            Some(l) => l.marginal(j, self.col_rows[j].len()) + self.pot_c[j],
        }
    }

    pub(super) fn link(&mut self, i: usize, j: usize) {
        self.row_cols[i].push(j as u32);
        self.col_rows[j].push(i as u32);
        self.refresh_spare(j);
    }

    pub(super) fn unlink(&mut self, i: usize, j: usize) {
        if let Some(t) = self.row_cols[i].iter().position(|&x| x as usize == j) {
            self.row_cols[i].swap_remove(t);
        }
        if let Some(t) = self.col_rows[j].iter().position(|&x| x as usize == i) {
            self.col_rows[j].swap_remove(t);
        }
        self.refresh_spare(j);
    }

    pub(super) fn refresh_spare(&mut self, j: usize) {
        if self.col_rows[j].len() < self.p.col_cap[j] as usize {
            self.flags[j] |= SPARE;
        } else {
            self.flags[j] &= !SPARE;
        }
    }
}
