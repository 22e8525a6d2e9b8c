//! Initialisation: warm prices, adoption of earlier pairs, exact bids and the repair that leaves
//! every reduced-cost condition satisfied before the searches start.

use super::cost::{max_cost, min_cost, Cost, Lex};
use super::solver::{Solver, Warm, BLOCKED, CHUNK, DEAD, PAR_MIN_COLS, SPARE};
use rayon::prelude::*;
use std::cmp::Ordering;

/// Bids per row unit (beyond one per row) before the searches take over on a cold start. Zero
/// measured best on mentor-like scores: further bids mostly feed price wars (near-ties move prices
/// by tiny margins) that the searches settle faster.
pub(super) const BID_ROUNDS: usize = 0;

/// A row's best option (value `π_j − c_ij`, column, spare) and second-best value.
#[derive(Clone, Copy)]
pub(in crate::lsap) struct Top2<C> {
    pub(in crate::lsap) v1: C,
    pub(in crate::lsap) j1: usize,
    pub(in crate::lsap) spare1: bool,
    pub(in crate::lsap) v2: C,
}

impl<C: Cost> Top2<C> {
    pub(in crate::lsap) const NONE: Self = Top2 {
        v1: C::NEG_INF,
        j1: usize::MAX,
        spare1: false,
        v2: C::NEG_INF,
    };
    /// Offers arrive in increasing column order.
    #[inline(always)]
    pub(in crate::lsap) fn offer(&mut self, v: C, spare: bool, j: usize) {
        if v > self.v1 || (self.j1 != usize::MAX && v == self.v1 && spare && !self.spare1) {
            self.v2 = max_cost(self.v2, self.v1);
            self.v1 = v;
            self.j1 = j;
            self.spare1 = spare;
        } else {
            self.v2 = max_cost(self.v2, v);
        }
    }
    pub(in crate::lsap) fn merge(a: Self, b: Self) -> Self {
        if b.j1 == usize::MAX {
            return Top2 {
                v2: max_cost(a.v2, b.v2),
                ..a
            };
        }
        if a.j1 == usize::MAX {
            return Top2 {
                v2: max_cost(a.v2, b.v2),
                ..b
            };
        }
        let a_wins = match b.v1.total_cmp(&a.v1) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => (!a.spare1, a.j1) <= (!b.spare1, b.j1),
        };
        let (w, l) = if a_wins { (a, b) } else { (b, a) };
        Top2 {
            v2: max_cost(max_cost(a.v2, b.v2), l.v1),
            ..w
        }
    }
}

pub(super) fn top2_chunk<C: Cost>(
    offset: usize,
    row: &[f64],
    sign: f64,
    pot: &[C],
    flags: &[u8],
) -> Top2<C> {
    let mut top = Top2::<C>::NONE;
    for (t, ((&w, &pj), &f)) in row.iter().zip(pot).zip(flags).enumerate() {
        if f & (DEAD | BLOCKED) != 0 {
            continue;
        }
        if let Some(c) = C::pair(sign * w) {
            top.offer(pj - c, f & SPARE != 0, offset + t);
        }
    }
    top
}

impl<'a, 'p, C: Cost> Solver<'a, 'p, C> {
    /// Potentials and a partial flow that satisfy every reduced-cost condition (see the module
    /// docs): column `j` has `π_j ≤ 0`, and `π_j = 0` unless it is full; a row holding columns has
    /// `π_i ≥ 0` (its unmatched edge), `π_i ≥ π_j − c_ij` on every unheld allowed pair and
    /// `π_i ≤ π_j − c_ij` on every held one. Rows holding nothing are unconstrained.
    pub(super) fn initialise(&mut self, warm: &Warm) {
        let p = self.p;
        let prices = match warm {
            Warm::Cold => None,
            Warm::Prices(v) | Warm::Previous(v, _, _) => Some(v),
        };
        if let Some(v) = prices {
            for (pc, &x) in self.pot_c.iter_mut().zip(v) {
                *pc = min_cost(C::from_lex(x), C::ZERO);
            }
        }
        if let Warm::Previous(_, row_prices, pairs) = warm {
            self.adopt(pairs, row_prices);
        } else {
            let units: usize = p.row_cap.iter().map(|&d| d as usize).sum();
            // Cold, one bid per row pays off; warm prices make every unit's bid count.
            let rounds = if prices.is_some() { 1 } else { BID_ROUNDS };
            self.bid(rounds * units + p.n);
        }
        self.repair();
    }

    /// Take over earlier pairs (those still allowed and within capacity), then keep each row's
    /// pairs only if they still are its best options: `π_i = max(0, best unheld value)` must not
    /// exceed its worst held value; other rows are released for the searches. Two sets of column
    /// potentials are tried, the earlier column duals (right when rows' weights changed) and
    /// potentials recomputed from the earlier row duals (right when columns' weights changed); the
    /// one that keeps more pairs wins.
    fn adopt(&mut self, pairs: &[(usize, usize)], row_prices: &[Lex]) {
        let p = self.p;
        for &(i, j) in pairs {
            let (Some(&dcap), Some(&f)) = (p.row_cap.get(i), self.flags.get(j)) else {
                continue;
            };
            if self.row_cols[i].len() < dcap as usize
                && f & SPARE != 0
                && !self.row_cols[i].contains(&(j as u32))
                && C::pair(p.sign * p.w[i * p.m + j]).is_some()
            {
                self.link(i, j);
            }
        }
        // Column potentials from the row side: the lowest that keeps every holder (π_j ≥ c_ij + π_i),
        // zero for columns with room.
        let from_rows: Vec<C> = (0..p.m)
            .map(|j| {
                if self.flags[j] & SPARE != 0 {
                    return C::ZERO;
                }
                let mut v = C::NEG_INF;
                for &i in &self.col_rows[j] {
                    let i = i as usize;
                    if let (Some(c), Some(&pi)) =
                        (C::pair(p.sign * p.w[i * p.m + j]), row_prices.get(i))
                    {
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
                    for j in std::mem::take(&mut self.row_cols[i]) {
                        let j = j as usize;
                        self.col_rows[j].retain(|&r| r as usize != i);
                        self.refresh_spare(j);
                    }
                }
            }
        }
    }

    /// For every row holding columns under column potentials `pot_c`: `Some(π_i)` when its held
    /// columns are still its best options, `None` otherwise (and for rows holding nothing).
    fn verdicts(&self, pot_c: &[C]) -> Vec<Option<C>> {
        let p = self.p;
        let row_cols = &self.row_cols;
        (0..p.n)
            .into_par_iter()
            .with_min_len(16)
            .map(|i| {
                if row_cols[i].is_empty() {
                    return None;
                }
                let (mut best_unheld, mut worst_held) = (C::ZERO, C::INF);
                for (j, (&w, &pj)) in p.row(i).iter().zip(pot_c).enumerate() {
                    if let Some(c) = C::pair(p.sign * w) {
                        let value = pj - c;
                        if row_cols[i].contains(&(j as u32)) {
                            worst_held = min_cost(worst_held, value);
                        } else {
                            best_unheld = max_cost(best_unheld, value);
                        }
                    }
                }
                // Ties between a held and an unheld column come back from the caller's duals with
                // rounding in the last bits; accept them (the potential stays exact on held pairs).
                best_unheld
                    .within_rounding(worst_held)
                    .then(|| min_cost(best_unheld, worst_held))
            })
            .collect()
    }

    /// Bidding (the Jonker–Volgenant augmenting row reduction generalised to capacities; an auction
    /// with zero increment): a row unit takes its best column outright while the column has spare
    /// capacity, otherwise it outbids the holder least attached to the column, which lowers the
    /// column's potential by the bidder's margin over its second-best option. Every step keeps the
    /// reduced-cost conditions exact, so whatever the budget leaves pending is finished by
    /// [`Solver::search`].
    fn bid(&mut self, budget: usize) {
        let p = self.p;
        let mut queue: std::collections::VecDeque<usize> =
            (0..p.n).filter(|&i| p.row_cap[i] > 0).collect();
        let mut bids = 0usize;
        while let Some(i) = queue.pop_front() {
            if self.row_cols[i].len() >= p.row_cap[i] as usize {
                continue;
            }
            if bids >= budget {
                break;
            }
            bids += 1;
            let top = self.best_two(i);
            if top.j1 == usize::MAX || top.v1 <= C::ZERO {
                // Staying unmatched is at least as good: the search settles it.
                continue;
            }
            let j = top.j1;
            let Some(c) = C::pair(p.sign * p.w[i * p.m + j]) else {
                continue;
            };
            let second = max_cost(top.v2, C::ZERO);
            if self.flags[j] & SPARE != 0 {
                self.link(i, j);
                self.pot_r[i] = top.v1;
            } else {
                // The holder with the largest `c_kj + π_k` values the column least.
                let mut out: Option<(C, usize)> = None;
                for &k in &self.col_rows[j] {
                    let k = k as usize;
                    if let Some(ck) = C::pair(p.sign * p.w[k * p.m + j]) {
                        let h = ck + self.pot_r[k];
                        if out.map_or(true, |(hm, km)| h > hm || (h == hm && k < km)) {
                            out = Some((h, k));
                        }
                    }
                }
                let Some((h_out, k_out)) = out else {
                    continue;
                };
                let b = c + second;
                if b < h_out {
                    self.unlink(k_out, j);
                    self.link(i, j);
                    self.pot_c[j] = h_out;
                    self.pot_r[i] = second;
                    queue.push_back(k_out);
                } else {
                    // The bidder cannot win outright: raise the price to its margin (if that
                    // lowers the potential) and let it try its next option.
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
            if self.row_cols[i].len() < p.row_cap[i] as usize {
                queue.push_back(i);
            }
        }
    }

    /// Best and second-best option of row `i` over the columns it does not hold.
    fn best_two(&mut self, i: usize) -> Top2<C> {
        let p = self.p;
        for &j in &self.row_cols[i] {
            self.flags[j as usize] |= BLOCKED;
        }
        let row = p.row(i);
        let sign = p.sign;
        let top = if p.m >= PAR_MIN_COLS {
            row.par_chunks(CHUNK)
                .zip(self.pot_c.par_chunks(CHUNK))
                .zip(self.flags.par_chunks(CHUNK))
                .enumerate()
                .map(|(t, ((w, pc), f))| top2_chunk(t * CHUNK, w, sign, pc, f))
                .reduce(|| Top2::NONE, Top2::merge)
        } else {
            top2_chunk(0, row, sign, &self.pot_c, &self.flags)
        };
        for &j in &self.row_cols[i] {
            self.flags[j as usize] &= !BLOCKED;
        }
        top
    }

    /// A column priced below zero must be full (only a warm start can break this). Raise its
    /// potential as far as the rows holding other columns allow; the row that binds takes the
    /// column if it has a unit to spare, or is released otherwise (its columns may then need the
    /// same repair). Ends with every non-full column at potential zero.
    fn repair(&mut self) {
        let p = self.p;
        let mut queue: Vec<usize> = (0..p.m)
            .filter(|&j| self.pot_c[j] < C::ZERO && self.flags[j] & SPARE != 0)
            .collect();
        while let Some(j) = queue.pop() {
            while self.pot_c[j] < C::ZERO && self.flags[j] & SPARE != 0 {
                let mut limit = C::ZERO;
                let mut binding = None;
                for i in 0..p.n {
                    if self.row_cols[i].is_empty() || self.row_cols[i].contains(&(j as u32)) {
                        continue;
                    }
                    if let Some(c) = C::pair(p.sign * p.w[i * p.m + j]) {
                        let lim = c + self.pot_r[i];
                        if lim < limit {
                            limit = lim;
                            binding = Some(i);
                        }
                    }
                }
                self.pot_c[j] = max_cost(self.pot_c[j], limit);
                let Some(i) = binding else {
                    break;
                };
                if self.row_cols[i].len() < p.row_cap[i] as usize {
                    self.link(i, j);
                } else {
                    for jj in std::mem::take(&mut self.row_cols[i]) {
                        let jj = jj as usize;
                        self.col_rows[jj].retain(|&r| r as usize != i);
                        self.refresh_spare(jj);
                        if self.pot_c[jj] < C::ZERO {
                            queue.push(jj);
                        }
                    }
                }
            }
        }
    }
}
