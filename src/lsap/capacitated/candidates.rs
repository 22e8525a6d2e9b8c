//! Per-row candidate lists that let a search skip columns that cannot beat its best exit.

use super::super::memory;
use super::cost::Cost;
use super::problem::Problem;
use super::solver::DEAD;
use super::LsapError;
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Candidate columns kept per row, in increasing order of a lower bound on their reduced cost.
pub(super) const CANDIDATES: usize = 64;

/// Per-row candidate lists for the searches. Column potentials only decrease once the searches
/// start, so the key `c_kj − π_j` recorded when a list was built stays a lower bound on the current
/// reduced cost: a row scan walks its list in key order and stops as soon as the bound reaches the
/// best exit found so far. Only when the whole list is below it (`theta` bounds every column not in
/// the list) does the scan visit every column, and then it rebuilds that row's list.
pub(super) struct Candidates<C> {
    pub(super) cols: Vec<u32>,
    pub(super) keys: Vec<C>,
    /// The signed weights of the listed pairs, so that walking a list never touches the matrix.
    pub(super) sw: Vec<f64>,
    pub(super) len: Vec<u32>,
    pub(super) theta: Vec<C>,
}

/// Row `k`'s `CANDIDATES` columns of lowest key `c_kj − π_j` (ties by column), sorted, and the
/// bound on the rest (the largest listed key; `INF` when every allowed column is listed).
pub(super) fn candidate_list<C: Cost>(
    p: &Problem<'_>,
    k: usize,
    pot_c: &[C],
    flags: &[u8],
) -> (Vec<(C, u32)>, C) {
    let mut top = TopK::new();
    for (j, ((&w, &pj), &f)) in p.row(k).iter().zip(pot_c).zip(flags).enumerate() {
        if f & DEAD == 0 {
            if let Some(c) = C::pair(p.sign * w) {
                top.offer(c - pj, j as u32);
            }
        }
    }
    top.finish()
}

/// The `CANDIDATES` smallest `(key, column)` offered (a total order, so the kept set is unique), in
/// one pass with a bounded max-heap: once it is full almost every offer is rejected by a single
/// comparison with the top, where sorting or selecting over the whole row moved every entry.
pub(super) struct TopK<C> {
    pub(super) heap: BinaryHeap<Keyed<C>>,
    pub(super) seen: usize,
}

impl<C: Cost> TopK<C> {
    pub(super) fn new() -> Self {
        TopK {
            heap: BinaryHeap::with_capacity(CANDIDATES),
            seen: 0,
        }
    }

    #[inline]
    pub(super) fn offer(&mut self, key: C, col: u32) {
        self.seen += 1;
        let item = Keyed { key, col };
        if self.heap.len() < CANDIDATES {
            self.heap.push(item);
        } else if let Some(mut top) = self.heap.peek_mut() {
            if item < *top {
                *top = item;
            }
        }
    }

    /// The sorted list and the bound on every column left out.
    pub(super) fn finish(self) -> (Vec<(C, u32)>, C) {
        let seen = self.seen;
        let list: Vec<(C, u32)> = self
            .heap
            .into_sorted_vec()
            .into_iter()
            .map(|x| (x.key, x.col))
            .collect();
        let theta = if seen > CANDIDATES {
            list.last().map_or(C::INF, |x| x.0)
        } else {
            C::INF
        };
        (list, theta)
    }
}

/// A candidate column ordered by key, then index (a max-heap keeps the worst on top).
pub(super) struct Keyed<C> {
    pub(super) key: C,
    pub(super) col: u32,
}

impl<C: Cost> PartialEq for Keyed<C> {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl<C: Cost> Eq for Keyed<C> {}
impl<C: Cost> PartialOrd for Keyed<C> {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl<C: Cost> Ord for Keyed<C> {
    fn cmp(&self, o: &Self) -> Ordering {
        self.key.total_cmp(&o.key).then(self.col.cmp(&o.col))
    }
}

impl<C: Cost> Candidates<C> {
    pub(super) fn build(p: &Problem<'_>, pot_c: &[C], flags: &[u8]) -> Result<Self, LsapError> {
        let slots = p.n.saturating_mul(CANDIDATES);
        let mut c = Candidates {
            cols: memory::try_vec(u32::MAX, slots)?,
            keys: memory::try_vec(C::INF, slots)?,
            sw: memory::try_vec(f64::NAN, slots)?,
            len: vec![0; p.n],
            theta: vec![C::INF; p.n],
        };
        let lists: Vec<(Vec<(C, u32)>, C)> = (0..p.n)
            .into_par_iter()
            .with_min_len(8)
            .map(|k| candidate_list(p, k, pot_c, flags))
            .collect();
        for (k, (list, theta)) in lists.into_iter().enumerate() {
            c.store(p, k, &list, theta);
        }
        Ok(c)
    }

    pub(super) fn store(&mut self, p: &Problem<'_>, k: usize, list: &[(C, u32)], theta: C) {
        let start = k * CANDIDATES;
        let row = p.row(k);
        for (t, &(key, j)) in list.iter().enumerate() {
            self.keys[start + t] = key;
            self.cols[start + t] = j;
            self.sw[start + t] = p.sign * row.get(j as usize).copied().unwrap_or(f64::NAN);
        }
        self.len[k] = list.len() as u32;
        self.theta[k] = theta;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lsap::capacitated::cost::Lex;
    use proptest::prelude::*;

    proptest! {
        /// The bounded heap keeps exactly the `CANDIDATES` smallest `(key, column)` of a full sort,
        /// ties included, and bounds the rest.
        #[test]
        fn top_k_equals_sort_and_truncate(
            keys in prop::collection::vec((-3i64..3, -4i32..4), 0..3 * CANDIDATES),
        ) {
            let keyed: Vec<(Lex, u32)> = keys
                .iter()
                .enumerate()
                .map(|(j, &(k, f))| (Lex { k, f: f64::from(f) / 4.0 }, j as u32))
                .collect();
            let mut top = TopK::new();
            // Offer in a scrambled order: the kept set must not depend on it.
            let odd = keyed.iter().skip(1).step_by(2);
            for &(key, col) in odd.chain(keyed.iter().step_by(2).rev()) {
                top.offer(key, col);
            }
            let (list, theta) = top.finish();
            let mut sorted = keyed.clone();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            sorted.truncate(CANDIDATES);
            prop_assert_eq!(&list, &sorted);
            if keyed.len() > CANDIDATES {
                prop_assert_eq!(Some(theta), sorted.last().map(|x| x.0));
                let kept: std::collections::HashSet<u32> = list.iter().map(|x| x.1).collect();
                for &(key, col) in &keyed {
                    prop_assert!(kept.contains(&col) || key >= theta);
                }
            } else {
                prop_assert_eq!(theta, Lex::INF);
            }
        }
    }
}
