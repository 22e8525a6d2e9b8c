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

fn is_exact_int(x: f64) -> bool {
    x.abs() < EXACT_INT_LIMIT && (x as i64) as f64 == x
}

/// Profile one row given as a slice (`first_row` names it in errors).
fn profile_slice(row: &[f64], r: usize, forbidden: f64, acc: &mut Partial) {
    // Fast pass: min, max and "anything non-finite?" in one vectorisable sweep.
    let (mut lo, mut hi, mut odd) = (f64::INFINITY, f64::NEG_INFINITY, false);
    for &x in row {
        odd |= !x.is_finite();
        lo = lo.min(x);
        hi = hi.max(x);
    }
    if odd {
        (lo, hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (c, &x) in row.iter().enumerate() {
            if x.is_finite() {
                lo = lo.min(x);
                hi = hi.max(x);
            } else if x == forbidden {
                acc.forbidden = true;
            } else {
                acc.bad = Some((r, c, x));
                return;
            }
        }
    }
    acc.lo = acc.lo.min(lo);
    acc.hi = acc.hi.max(hi);
    if acc.integral {
        acc.integral = row.iter().all(|&x| !x.is_finite() || is_exact_int(x));
    }
}

fn profile_rows(cost: &ArrayView2<f64>, first_row: usize, maximize: bool) -> Partial {
    let forbidden = if maximize {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    };
    let mut acc = EMPTY;
    let mut buf = Vec::new();
    for (di, row) in cost.outer_iter().enumerate() {
        let slice = match row.as_slice() {
            Some(s) => s,
            None => {
                buf.clear();
                buf.extend(row.iter().copied());
                &buf[..]
            }
        };
        profile_slice(slice, first_row + di, forbidden, &mut acc);
        if acc.bad.is_some() {
            break;
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

/// Side of the square tiles of [`blocked_copy`].
const TILE: usize = 32;

/// Row-major copy of `view` times `sign`, tile by tile so that a transposed or strided source is
/// read along its memory order (parallel over bands of output rows).
fn blocked_copy(view: &ArrayView2<f64>, sign: f64) -> Vec<f64> {
    let (n, m) = view.dim();
    let mut out = vec![0.0; n * m];
    if m == 0 {
        return out;
    }
    out.par_chunks_mut(TILE * m)
        .enumerate()
        .for_each(|(band, chunk)| {
            let r0 = band * TILE;
            let rows = chunk.len() / m;
            for c0 in (0..m).step_by(TILE) {
                for c in c0..(c0 + TILE).min(m) {
                    for dr in 0..rows {
                        chunk[dr * m + c] = sign * view[[r0 + dr, c]];
                    }
                }
            }
        });
    out
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
            (_, None) => Cow::Owned(blocked_copy(&view, if maximize { -1.0 } else { 1.0 })),
        };
        Work { data, n, m }
    }

    /// Row `i` (length `m`). Panics only if `i >= n`, which callers never pass.
    #[inline(always)]
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.m..(i + 1) * self.m]
    }
}
