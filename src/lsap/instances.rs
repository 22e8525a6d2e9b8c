//! Seeded instance families for the assignment solvers, shared by tests, benches and examples.
//! ChaCha-seeded, so the same `(shape, seed)` gives the same matrix on every platform.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::ops::Range;

/// Rank of the latent factors in [`mentor_like`].
pub const MENTOR_RANK: usize = 8;

/// Half-width of the uniform noise added to the low-rank part of [`mentor_like`].
pub const MENTOR_NOISE: f64 = 0.01;

fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

/// `rows × cols` costs drawn uniformly from `[0, 1)`.
///
/// ```
/// let a = mentorpair::lsap::instances::uniform(3, 4, 7);
/// assert_eq!(a.dim(), (3, 4));
/// assert_eq!(a, mentorpair::lsap::instances::uniform(3, 4, 7));
/// ```
pub fn uniform(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut r = rng(seed);
    Array2::from_shape_simple_fn((rows, cols), || r.random::<f64>())
}

/// `rows × cols` integer costs drawn uniformly from `range` (stored as `f64`).
/// An empty range gives a matrix of `range.start`.
///
/// ```
/// let a = mentorpair::lsap::instances::integers(5, 5, 0..1000, 1);
/// assert!(a.iter().all(|&x| x.fract() == 0.0 && (0.0..1000.0).contains(&x)));
/// ```
pub fn integers(rows: usize, cols: usize, range: Range<i64>, seed: u64) -> Array2<f64> {
    let mut r = rng(seed);
    if range.is_empty() {
        return Array2::from_elem((rows, cols), range.start as f64);
    }
    Array2::from_shape_simple_fn((rows, cols), || r.random_range(range.clone()) as f64)
}

/// `rows × cols` mentor–mentee *scores* (higher is better; solve with `maximize = true`):
/// a rank-[`MENTOR_RANK`] product of uniform latent factors, scaled to `[0, 1]`, plus uniform
/// noise of half-width [`MENTOR_NOISE`]. Scores crowd together, so the problem has many near-ties,
/// like real compatibility scores.
///
/// ```
/// let s = mentorpair::lsap::instances::mentor_like(4, 6, 3);
/// assert_eq!(s.dim(), (4, 6));
/// assert!(s.iter().all(|&x| (-0.02..1.02).contains(&x)));
/// ```
pub fn mentor_like(rows: usize, cols: usize, seed: u64) -> Array2<f64> {
    let mut r = rng(seed);
    let a = Array2::from_shape_simple_fn((rows, MENTOR_RANK), || r.random::<f64>());
    let b = Array2::from_shape_simple_fn((cols, MENTOR_RANK), || r.random::<f64>());
    let mut s = a.dot(&b.t()) / MENTOR_RANK as f64;
    s.mapv_inplace(|x| x + MENTOR_NOISE * (2.0 * r.random::<f64>() - 1.0));
    s
}
