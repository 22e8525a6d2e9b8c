//! Candidates from a score oracle: each row's `k_row` best columns and each column's `k_col`
//! best rows, in one streamed pass over row blocks (both sides: popular columns would otherwise
//! get every row's vote and unpopular ones none).

use super::CandidateGraph;
use crate::lsap::LsapError;
use rayon::prelude::*;
use std::ops::Range;

/// Keeps the `k` best `(key, index)` offered (highest key, then lowest index), unsorted; the
/// worst kept item is cached, so a rejected offer costs one comparison.
#[derive(Clone)]
struct Best {
    k: usize,
    items: Vec<(f64, u32)>,
    worst: usize,
}

impl Best {
    fn new(k: usize) -> Self {
        Best {
            k,
            items: Vec::new(),
            worst: 0,
        }
    }

    /// Whether `(a, ia)` ranks above `(b, ib)`.
    #[inline]
    fn above(a: (f64, u32), b: (f64, u32)) -> bool {
        a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
    }

    #[inline]
    fn offer(&mut self, key: f64, idx: u32) {
        if self.items.len() < self.k {
            self.items.push((key, idx));
            if self.items.len() == self.k {
                self.find_worst();
            }
        } else if self.k > 0 && Self::above((key, idx), self.items[self.worst]) {
            self.items[self.worst] = (key, idx);
            self.find_worst();
        }
    }

    fn find_worst(&mut self) {
        let mut w = 0;
        for t in 1..self.items.len() {
            if Self::above(self.items[w], self.items[t]) {
                w = t;
            }
        }
        self.worst = w;
    }
}

/// The top-`k_row` columns of every row and the top-`k_col` rows of every column of a `rows ×
/// cols` problem whose scores come from `oracle` (as for [`super::certify`]; NaN and infinities
/// are never candidates). "Best" is the highest score when `maximize`, the lowest otherwise; ties
/// go to the lower index, so the result does not depend on the thread count.
///
/// # Errors
/// [`LsapError::Shape`] when the sizes do not fit a [`CandidateGraph`], [`LsapError::Interrupted`]
/// when the current token is cancelled.
pub fn top_candidates<F>(
    rows: usize,
    cols: usize,
    oracle: &F,
    k_row: usize,
    k_col: usize,
    maximize: bool,
) -> Result<CandidateGraph, LsapError>
where
    F: Fn(Range<usize>, &mut [f64]) + Sync,
{
    let s = if maximize { 1.0 } else { -1.0 };
    let br = super::certify::block_rows(cols);
    let cancel = crate::cancel::current();
    type Acc = (Vec<(usize, usize, f64)>, Vec<Best>);
    let (mut triplets, per_col) = (0..rows.div_ceil(br))
        .into_par_iter()
        .try_fold(
            || -> Acc { (Vec::new(), vec![Best::new(k_col); cols]) },
            |(mut trip, mut colbest), b| {
                cancel.check()?;
                let range = b * br..((b + 1) * br).min(rows);
                let mut buf = vec![f64::NAN; range.len() * cols];
                oracle(range.clone(), &mut buf);
                for (di, row) in buf.chunks_exact(cols.max(1)).enumerate() {
                    let i = range.start + di;
                    let mut best = Best::new(k_row);
                    for (j, &w) in row.iter().enumerate() {
                        if w.is_finite() {
                            best.offer(s * w, j as u32);
                            colbest[j].offer(s * w, i as u32);
                        }
                    }
                    trip.extend(
                        best.items
                            .iter()
                            .map(|&(_, j)| (i, j as usize, row[j as usize])),
                    );
                }
                Ok::<Acc, LsapError>((trip, colbest))
            },
        )
        .try_reduce(
            || (Vec::new(), vec![Best::new(k_col); cols]),
            |(mut ta, mut ca), (tb, cb)| {
                ta.extend(tb);
                for (a, b) in ca.iter_mut().zip(cb) {
                    for (key, i) in b.items {
                        a.offer(key, i);
                    }
                }
                Ok((ta, ca))
            },
        )?;
    for (j, best) in per_col.into_iter().enumerate() {
        triplets.extend(
            best.items
                .into_iter()
                .map(|(key, i)| (i as usize, j, s * key)),
        );
    }
    CandidateGraph::from_triplets(rows, cols, &triplets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_best_of_each_row_and_column() {
        let w = [
            [0.1, 0.9, 0.5], // row 0 best: col 1
            [0.2, 0.8, 0.7], // row 1 best: col 1
            [0.3, 0.6, 0.4], // row 2 best: col 1
        ];
        let oracle = |r: Range<usize>, out: &mut [f64]| {
            for (t, i) in r.enumerate() {
                out[t * 3..t * 3 + 3].copy_from_slice(&w[i]);
            }
        };
        let g = top_candidates(3, 3, &oracle, 1, 1, true).unwrap();
        // Rows: (0,1), (1,1), (2,1); columns: col 0 -> row 2, col 1 -> row 0, col 2 -> row 1.
        let mut pairs: Vec<(usize, usize)> = (0..3)
            .flat_map(|i| {
                g.row(i)
                    .0
                    .iter()
                    .map(move |&j| (i, j as usize))
                    .collect::<Vec<_>>()
            })
            .collect();
        pairs.sort_unstable();
        assert_eq!(pairs, vec![(0, 1), (1, 1), (1, 2), (2, 0), (2, 1)]);
        assert_eq!(g.score(2, 0), Some(0.3));
        let low = top_candidates(3, 3, &oracle, 1, 0, false).unwrap();
        assert_eq!(low.row(0).0, &[0]);
    }
}
