//! The prepared problem's mask: for every pair, whether it may be matched and, when not, why
//! (a hard constraint from [`crate::constraints`], or a score below `min_score`).

use crate::constraints::{self, Exclusion};
use ndarray::{Array2, Axis};
use rayon::prelude::*;

/// Why any pair of a prepared problem is excluded: its own structure, never folded into a score.
///
/// The constraint part ([`constraints::Mask`]: same person, reporting line, department, forbid,
/// mentor capacity 0) is decided from the cohort alone; pairs that pass it but score below
/// `min_score` are kept in a bit matrix (one bit per pair), filled once while the scores are
/// masked. [`Mask::reason`] answers for any pair in O(log k) with `k` the row's constraint
/// exclusions.
#[derive(Debug, Clone)]
pub struct Mask {
    constraints: constraints::Mask,
    min_score: f64,
    /// One bit per pair below `min_score` (and not excluded by a constraint); rows padded to whole
    /// 64-bit words so rows fill in parallel.
    below_min: Vec<u64>,
    words_per_row: usize,
    dims: (usize, usize),
    excluded: u64,
    /// No bits were recorded (a sparse problem): pairs below `min_score` are found by scoring
    /// them ([`super::Problem::reason`]).
    lazy: bool,
}

impl Mask {
    /// Set every pair `constraints` excludes, or that scores below `min_score`, to NaN in `scores`
    /// (in parallel over rows), and keep the reasons.
    pub(super) fn apply(
        constraints: constraints::Mask,
        scores: &mut Array2<f64>,
        min_score: f64,
    ) -> Mask {
        let dims = scores.dim();
        let words_per_row = dims.1.div_ceil(64);
        let mut below_min = vec![0u64; dims.0 * words_per_row];
        let excluded: u64 = scores
            .axis_iter_mut(Axis(0))
            .into_par_iter()
            .zip(below_min.par_chunks_mut(words_per_row.max(1)))
            .enumerate()
            .map(|(i, (mut row, bits))| {
                let mut n = 0u64;
                for (j, cell) in row.iter_mut().enumerate() {
                    if constraints.excluded(i, j).is_some() {
                        *cell = f64::NAN;
                        n += 1;
                    } else if *cell < min_score {
                        *cell = f64::NAN;
                        bits[j / 64] |= 1 << (j % 64);
                        n += 1;
                    }
                }
                n
            })
            .sum();
        Mask {
            constraints,
            min_score,
            below_min,
            words_per_row,
            dims,
            excluded,
            lazy: false,
        }
    }

    /// A mask of a sparse problem: the constraints only, no bit per pair. [`Mask::reason`]
    /// then knows the constraint exclusions; [`super::Problem::reason`] adds `below_min_score`
    /// by scoring the pair, and [`super::Problem::excluded_count`] counts by scoring every pair.
    pub(super) fn lazy(
        constraints: constraints::Mask,
        min_score: f64,
        dims: (usize, usize),
    ) -> Mask {
        Mask {
            constraints,
            min_score,
            below_min: Vec::new(),
            words_per_row: 0,
            dims,
            excluded: 0,
            lazy: true,
        }
    }

    /// Whether pairs below `min_score` are not recorded (a sparse problem).
    pub fn is_lazy(&self) -> bool {
        self.lazy
    }

    /// Why mentee row `i` and mentor column `j` may not be paired, or `None` when they may (or
    /// the indices are out of range). A lazy mask (sparse problem) does not know `below_min_score`:
    /// use [`super::Problem::reason`].
    pub fn reason(&self, i: usize, j: usize) -> Option<Exclusion> {
        if i >= self.dims.0 || j >= self.dims.1 {
            return None;
        }
        self.constraint(i, j).or_else(|| {
            if self.lazy {
                return None;
            }
            let word = self.below_min[i * self.words_per_row + j / 64];
            (word >> (j % 64) & 1 == 1).then_some(Exclusion::BelowMinScore)
        })
    }

    /// The hard constraints, without the scores.
    pub fn constraints(&self) -> &constraints::Mask {
        &self.constraints
    }

    /// The hard constraint that excludes the pair, ignoring scores.
    pub fn constraint(&self, i: usize, j: usize) -> Option<Exclusion> {
        if i >= self.dims.0 || j >= self.dims.1 {
            return None;
        }
        self.constraints.excluded(i, j)
    }

    /// Whether the pair is excluded (for any reason).
    pub fn is_excluded(&self, i: usize, j: usize) -> bool {
        self.reason(i, j).is_some()
    }

    /// Pairs excluded by a hard constraint or the minimum score (0 for a lazy mask; ask
    /// [`super::Problem::excluded_count`]).
    pub fn excluded_count(&self) -> u64 {
        self.excluded
    }

    /// The minimum score the mask applied.
    pub fn min_score(&self) -> f64 {
        self.min_score
    }

    /// `(mentees, mentors)`.
    pub fn dims(&self) -> (usize, usize) {
        self.dims
    }
}
