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

/// A mentor-like instance as a score oracle, for problems too large for a dense matrix: the same
/// family as [`mentor_like`] (rank-[`MENTOR_RANK`] uniform factors plus uniform noise of
/// half-width [`MENTOR_NOISE`]), with the noise of each pair hashed from `(seed, row, column)` so
/// any block of rows can be produced on its own, in any order, on any thread.
///
/// ```
/// let o = mentorpair::lsap::instances::MentorLike::new(5, 4, 9);
/// let mut block = vec![0.0; 2 * 4];
/// o.block(3..5, &mut block);
/// assert_eq!(&block[..], &o.dense().as_slice().unwrap()[12..20]);
/// ```
#[derive(Debug, Clone)]
pub struct MentorLike {
    rows: usize,
    cols: usize,
    seed: u64,
    a: Vec<f64>,
    b: Vec<f64>,
}

impl MentorLike {
    /// Factors drawn from `seed` (ChaCha, as the other families).
    pub fn new(rows: usize, cols: usize, seed: u64) -> Self {
        let mut r = rng(seed);
        let a = (0..rows * MENTOR_RANK).map(|_| r.random::<f64>()).collect();
        let b = (0..cols * MENTOR_RANK).map(|_| r.random::<f64>()).collect();
        MentorLike {
            rows,
            cols,
            seed,
            a,
            b,
        }
    }

    /// `(rows, cols)`.
    pub fn dim(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// Scores of rows `rows` into `out` (row-major, `rows.len() × cols`); rows past the end and
    /// any excess of `out` are left untouched.
    pub fn block(&self, rows: Range<usize>, out: &mut [f64]) {
        let m = self.cols;
        if m == 0 {
            return;
        }
        for (i, row) in rows.zip(out.chunks_exact_mut(m)) {
            let Some(ai) = self.a.get(i * MENTOR_RANK..(i + 1) * MENTOR_RANK) else {
                return;
            };
            for (j, (o, bj)) in row
                .iter_mut()
                .zip(self.b.chunks_exact(MENTOR_RANK))
                .enumerate()
            {
                let dot: f64 = ai.iter().zip(bj).map(|(x, y)| x * y).sum();
                let h = splitmix64(self.seed ^ ((i as u64) << 32 | j as u64));
                let u = (h >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
                *o = dot / MENTOR_RANK as f64 + MENTOR_NOISE * (2.0 * u - 1.0);
            }
        }
    }

    /// The whole matrix (for comparisons with the dense solvers on sizes that fit).
    pub fn dense(&self) -> Array2<f64> {
        let mut out = Array2::zeros((self.rows, self.cols));
        if let Some(s) = out.as_slice_mut() {
            self.block(0..self.rows, s);
        }
        out
    }
}

/// The splitmix64 finaliser: a well-mixed 64-bit hash of `x`.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
