//! The working cost matrix (oriented so rows <= columns, minimising, row-major) and the one-pass
//! input profile (validation plus the cheap features that pick the strategy).

use super::super::memory;
use super::LsapError;
use ndarray::{ArrayView1, ArrayView2, Axis};
use rayon::prelude::*;
use std::borrow::Cow;
use std::sync::OnceLock;

use super::NONE;

/// Rows per parallel task in the validation pass.
const PROFILE_ROWS_PER_TASK: usize = 64;

/// Rows per parallel task in the pass over a tall input (each task keeps its own column minima,
/// so tasks are larger).
const TALL_ROWS_PER_TASK: usize = 512;

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
    fn finish(self) -> Profile {
        Profile {
            integral: self.integral,
            forbidden: self.forbidden,
            lo: self.lo,
            hi: self.hi,
        }
    }

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

/// Adding and subtracting 1.5 * 2^52 rounds any |x| < 2^51 to an integer without a libm call,
/// so the integrality test vectorises.
const ROUNDER: f64 = 6_755_399_441_055_744.0;

#[inline(always)]
fn is_exact_int(x: f64) -> bool {
    (x.abs() < EXACT_INT_LIMIT) & ((x + ROUNDER) - ROUNDER == x)
}

/// Profile one row given as a slice (`first_row` names it in errors).
fn profile_slice(row: &[f64], r: usize, forbidden: f64, acc: &mut Partial) {
    // Fast pass: min, max, "anything non-finite?" and integrality in one sweep over four
    // independent lanes (selects, no branches), so it compiles to packed instructions.
    let mut lo4 = [f64::INFINITY; 4];
    let mut hi4 = [f64::NEG_INFINITY; 4];
    let mut odd4 = [false; 4];
    let mut int4 = [true; 4];
    let chunks = row.chunks_exact(4);
    let tail = chunks.remainder();
    for q in chunks {
        for l in 0..4 {
            let x = q[l];
            odd4[l] |= !x.is_finite();
            int4[l] &= is_exact_int(x);
            lo4[l] = if x < lo4[l] { x } else { lo4[l] };
            hi4[l] = if x > hi4[l] { x } else { hi4[l] };
        }
    }
    for &x in tail {
        odd4[0] |= !x.is_finite();
        int4[0] &= is_exact_int(x);
        lo4[0] = if x < lo4[0] { x } else { lo4[0] };
        hi4[0] = if x > hi4[0] { x } else { hi4[0] };
    }
    let mut lo = lo4.iter().fold(f64::INFINITY, |a, &b| a.min(b));
    let mut hi = hi4.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let odd = odd4.iter().any(|&b| b);
    let mut int = int4.iter().all(|&b| b);
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
    if odd && acc.integral {
        int = row.iter().all(|&x| !x.is_finite() || is_exact_int(x));
    }
    acc.integral &= int;
}

/// The row as a contiguous slice: borrowed when it already is one, else gathered into `buf`.
fn row_slice<'r>(row: &'r ArrayView1<f64>, buf: &'r mut Vec<f64>) -> &'r [f64] {
    match row.as_slice() {
        Some(s) => s,
        None => {
            buf.clear();
            buf.extend(row.iter().copied());
            buf
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
    let mut buf = Vec::new();
    for (di, row) in cost.outer_iter().enumerate() {
        let slice = row_slice(&row, &mut buf);
        profile_slice(slice, first_row + di, forbidden, &mut acc);
        if acc.bad.is_some() {
            break;
        }
    }
    acc
}

/// Validate every entry (NaN or the wrong infinity is an error naming the first such entry in
/// row-major order) and gather the [`Profile`]. Parallel over row blocks, deterministic.
fn profile(cost: &ArrayView2<f64>, maximize: bool) -> Result<Profile, LsapError> {
    let total = cost
        .axis_chunks_iter(Axis(0), PROFILE_ROWS_PER_TASK)
        .into_par_iter()
        .enumerate()
        .map(|(k, block)| profile_rows(&block, k * PROFILE_ROWS_PER_TASK, maximize))
        .reduce(|| EMPTY, Partial::join);
    match total.bad {
        Some((row, col, value)) => Err(LsapError::InvalidEntry { row, col, value }),
        None => Ok(total.finish()),
    }
}

/// Row-major copy of `view` times `sign` (parallel over bands of rows), validated as it is
/// written.
fn signed_copy(view: &ArrayView2<f64>, sign: f64) -> Result<(Vec<f64>, Partial), LsapError> {
    let (n, m) = view.dim();
    let mut out = memory::try_vec(0.0, n.saturating_mul(m))?;
    if m == 0 {
        return Ok((out, EMPTY));
    }
    let partial = out
        .par_chunks_mut(PROFILE_ROWS_PER_TASK * m)
        .enumerate()
        .map(|(band, chunk)| {
            let r0 = band * PROFILE_ROWS_PER_TASK;
            let mut acc = EMPTY;
            for (dr, out_row) in chunk.chunks_exact_mut(m).enumerate() {
                for (o, &x) in out_row.iter_mut().zip(view.row(r0 + dr)) {
                    *o = sign * x;
                }
                // The copy is minimising, so +inf is the forbidden value here.
                profile_slice(out_row, r0 + dr, f64::INFINITY, &mut acc);
            }
            acc
        })
        .reduce(|| EMPTY, Partial::join);
    Ok((out, partial))
}

/// Minimum of each column of `cost` times `sign`, with its row (lowest row on ties; `NONE` when
/// the column is all forbidden), together with the profile: one row-major pass over the input,
/// which gives the row reduction of the transpose of a tall input without transposing it, and
/// the column reduction of a square one without a second pass.
fn tall_pass(cost: &ArrayView2<f64>, maximize: bool) -> (Partial, Vec<(f64, usize)>) {
    let m = cost.ncols();
    let sign = if maximize { -1.0 } else { 1.0 };
    let forbidden = sign * f64::INFINITY;
    let empty = || (EMPTY, vec![f64::INFINITY; m], vec![NONE; m]);
    let (partial, vals, args) = cost
        .axis_chunks_iter(Axis(0), TALL_ROWS_PER_TASK)
        .into_par_iter()
        .enumerate()
        .map(|(k, block)| {
            let (mut acc, mut vals, mut args) = empty();
            let mut buf = Vec::new();
            for (di, row) in block.outer_iter().enumerate() {
                let r = k * TALL_ROWS_PER_TASK + di;
                let slice = row_slice(&row, &mut buf);
                profile_slice(slice, r, forbidden, &mut acc);
                // Element-wise selects over separate value and row arrays: vectorisable.
                for ((val, arg), &x) in vals.iter_mut().zip(args.iter_mut()).zip(slice) {
                    let y = sign * x;
                    let lt = y < *val;
                    *arg = if lt { r } else { *arg };
                    *val = if lt { y } else { *val };
                }
            }
            (acc, vals, args)
        })
        .reduce(empty, |(pa, va, aa), (pb, vb, ab)| {
            let mut vals = va;
            let mut args = aa;
            for c in 0..vals.len() {
                if vb[c] < vals[c] || (vb[c] == vals[c] && ab[c] < args[c]) {
                    vals[c] = vb[c];
                    args[c] = ab[c];
                }
            }
            (pa.join(pb), vals, args)
        });
    (partial, vals.into_iter().zip(args).collect())
}

/// Validate only (used for empty matrices, where there is nothing to solve).
pub(super) fn validate(cost: &ArrayView2<f64>, maximize: bool) -> Result<(), LsapError> {
    profile(cost, maximize).map(|_| ())
}

/// Where the working rows come from.
enum Rows<'a> {
    /// A contiguous row-major buffer (the caller's, or a signed copy).
    Dense(Cow<'a, [f64]>),
    /// The transpose of a tall input, each row gathered (and signed) the first time it is read:
    /// the row reduction comes from [`tall_pass`], so only the rows that augmenting row reduction
    /// and the augmenting paths visit are ever gathered.
    Lazy {
        view: ArrayView2<'a, f64>,
        sign: f64,
        rows: Vec<OnceLock<Box<[f64]>>>,
    },
}

/// The oriented, minimising cost matrix `n × m` with `n <= m`, row-major. Borrows the caller's
/// memory when it is already in that form (C-contiguous, minimising, not tall).
pub(super) struct Work<'a> {
    rows: Rows<'a>,
    /// Rows of the working problem (the smaller side).
    pub n: usize,
    /// Columns of the working problem.
    pub m: usize,
    /// Row minima and their columns, when already known from the input pass (tall inputs).
    pub row_minima: Option<Vec<(f64, usize)>>,
    /// Column minima and their rows (lowest row on ties), when already known from the input pass
    /// (square inputs taken as they are).
    pub col_minima: Option<Vec<(f64, usize)>>,
}

impl<'a> Work<'a> {
    /// Orient (transpose when `transpose`), negate when maximising, and profile the input in one
    /// pass over it.
    pub fn new(
        cost: ArrayView2<'a, f64>,
        maximize: bool,
        transpose: bool,
    ) -> Result<(Self, Profile), LsapError> {
        let sign = if maximize { -1.0 } else { 1.0 };
        let bad_or = |p: Partial| -> Result<Profile, LsapError> {
            if p.bad.is_some() {
                // Name the first bad entry in the caller's row-major order.
                profile(&cost, maximize)?;
            }
            Ok(p.finish())
        };
        if transpose {
            // Every row of the transpose is gathered on first use: reserve for all of them now.
            let (n, m) = (cost.ncols(), cost.nrows());
            memory::check_big(memory::bytes_of::<f64>(n.saturating_mul(m)))?;
            let (partial, mins) = tall_pass(&cost, maximize);
            let profile = bad_or(partial)?;
            let view = cost.reversed_axes();
            let (n, m) = view.dim();
            let rows = Rows::Lazy {
                view,
                sign,
                rows: (0..n).map(|_| OnceLock::new()).collect(),
            };
            let work = Work {
                rows,
                n,
                m,
                row_minima: Some(mins),
                col_minima: None,
            };
            return Ok((work, profile));
        }
        let (n, m) = cost.dim();
        let mut col_minima = None;
        let (data, profile) = match (maximize, cost.to_slice()) {
            (false, Some(s)) if n == m => {
                // Square: the same pass yields the column minima for the column reduction.
                let (partial, mins) = tall_pass(&cost, maximize);
                col_minima = Some(mins);
                (Cow::Borrowed(s), bad_or(partial)?)
            }
            (false, Some(s)) => (Cow::Borrowed(s), profile(&cost, maximize)?),
            _ => {
                let (data, partial) = signed_copy(&cost, sign)?;
                (Cow::Owned(data), bad_or(partial)?)
            }
        };
        let work = Work {
            rows: Rows::Dense(data),
            n,
            m,
            row_minima: None,
            col_minima,
        };
        Ok((work, profile))
    }

    /// Row `i` (length `m`). Panics only if `i >= n`, which callers never pass.
    #[inline(always)]
    pub fn row(&self, i: usize) -> &[f64] {
        match &self.rows {
            Rows::Dense(data) => &data[i * self.m..(i + 1) * self.m],
            Rows::Lazy { view, sign, rows } => {
                rows[i].get_or_init(|| view.row(i).iter().map(|&x| sign * x).collect())
            }
        }
    }
}
