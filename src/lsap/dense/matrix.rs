//! The working cost matrix (oriented so rows <= columns, minimising, row-major) and the one-pass
//! input profile (validation plus the cheap features that pick the strategy).

use super::LsapError;
use ndarray::{ArrayView2, Axis};
use rayon::prelude::*;
use std::borrow::Cow;

/// Rows per parallel task in the validation pass.
const PROFILE_ROWS_PER_TASK: usize = 64;

/// Largest magnitude up to which every integer is exactly representable and sums of a few stay
/// exact, so integer-valued costs are handled with exact arithmetic.
const EXACT_INT_LIMIT: f64 = (1u64 << 50) as f64;

/// Cheap features of the input gathered while validating it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Profile {
    /// Every allowed entry is an integer of magnitude below 2^50.
    pub integral: bool,
    /// Some pair is forbidden.
    pub forbidden: bool,
    /// Smallest and largest allowed entry in the caller's sense (`+inf`, `-inf` when none).
    pub lo: f64,
    /// See `lo`.
    pub hi: f64,
}

#[derive(Clone, Copy)]
struct Partial {
    /// First invalid entry (row, col, value) in row-major order.
    bad: Option<(usize, usize, f64)>,
    integral: bool,
    forbidden: bool,
    lo: f64,
    hi: f64,
}

const EMPTY: Partial = Partial {
    bad: None,
    integral: true,
    forbidden: false,
    lo: f64::INFINITY,
    hi: f64::NEG_INFINITY,
};

impl Partial {
    fn join(self, other: Partial) -> Partial {
        Partial {
            bad: match (self.bad, other.bad) {
                (Some(a), Some(b)) => Some(if (a.0, a.1) <= (b.0, b.1) { a } else { b }),
                (a, b) => a.or(b),
            },
            integral: self.integral && other.integral,
            forbidden: self.forbidden || other.forbidden,
            lo: self.lo.min(other.lo),
            hi: self.hi.max(other.hi),
        }
    }
}

fn profile_rows(cost: &ArrayView2<f64>, first_row: usize, maximize: bool) -> Partial {
    let forbidden = if maximize {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    };
    let mut acc = EMPTY;
    for (di, row) in cost.outer_iter().enumerate() {
        for (c, &x) in row.iter().enumerate() {
            if x.is_finite() {
                acc.integral &= x.fract() == 0.0 && x.abs() < EXACT_INT_LIMIT;
                acc.lo = acc.lo.min(x);
                acc.hi = acc.hi.max(x);
            } else if x == forbidden {
                acc.forbidden = true;
            } else {
                acc.bad = Some((first_row + di, c, x));
                return acc;
            }
        }
    }
    acc
}

/// Validate every entry (NaN or the wrong infinity is an error naming the first such entry in
/// row-major order) and gather the [`Profile`]. Parallel over row blocks, deterministic.
pub(super) fn profile(cost: &ArrayView2<f64>, maximize: bool) -> Result<Profile, LsapError> {
    let total = cost
        .axis_chunks_iter(Axis(0), PROFILE_ROWS_PER_TASK)
        .into_par_iter()
        .enumerate()
        .map(|(k, block)| profile_rows(&block, k * PROFILE_ROWS_PER_TASK, maximize))
        .reduce(|| EMPTY, Partial::join);
    match total.bad {
        Some((row, col, value)) => Err(LsapError::InvalidEntry { row, col, value }),
        None => Ok(Profile {
            integral: total.integral,
            forbidden: total.forbidden,
            lo: total.lo,
            hi: total.hi,
        }),
    }
}

/// The oriented, minimising cost matrix `n × m` with `n <= m`, row-major. Borrows the caller's
/// memory when it is already in that form (C-contiguous, minimising, not tall).
pub(super) struct Work<'a> {
    data: Cow<'a, [f64]>,
    /// Rows of the working problem (the smaller side).
    pub n: usize,
    /// Columns of the working problem.
    pub m: usize,
}

impl<'a> Work<'a> {
    pub fn new(cost: ArrayView2<'a, f64>, maximize: bool, transpose: bool) -> Self {
        let view = if transpose {
            cost.reversed_axes()
        } else {
            cost
        };
        let (n, m) = view.dim();
        let data = match (maximize, view.to_slice()) {
            (false, Some(s)) => Cow::Borrowed(s),
            (true, Some(s)) => Cow::Owned(s.par_iter().map(|&x| -x).collect()),
            (_, None) => {
                let sign = if maximize { -1.0 } else { 1.0 };
                let mut out = Vec::with_capacity(n * m);
                out.extend(view.iter().map(|&x| sign * x));
                Cow::Owned(out)
            }
        };
        Work { data, n, m }
    }

    /// Row `i` (length `m`). Panics only if `i >= n`, which callers never pass.
    #[inline(always)]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.m..(i + 1) * self.m]
    }
}
