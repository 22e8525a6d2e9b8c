//! Bring-your-own embeddings: one vector per person from any model, compared by cosine
//! similarity, computed as matrix products of the L2-normalised rows (ndarray's
//! `general_mat_mul`, i.e. matrixmultiply), in parallel over large blocks of mentee rows.
//!
//! # Speed and determinism
//! Both matrices are normalised once. The mentor side is kept once as a [`CosineKernel`]: the
//! unit rows transposed into one contiguous (d × mentors) matrix, which is what the product's
//! packing reads fastest. Each product covers a block of [`CosineKernel::block_rows`] mentee
//! rows (hundreds, so the packing of the mentor matrix is amortised over many rows) and writes
//! through a per-thread scratch buffer into the caller's rows. A cell's value depends only on
//! its two rows (the product sums over the dimension in the same order whatever the block), so
//! the result is the same for any block size and thread count.
//!
//! # Mapping to [0, 1]
//! `value = clamp(cos, 0, 1)`, i.e. `max(0, cos)`. Identical directions score 1; orthogonal
//! (unrelated) vectors score 0. Negative cosines also score 0: text embeddings seldom point in
//! opposite directions for opposite meanings, so a negative cosine is "unrelated", not "worse than
//! unrelated". `(1 + cos) / 2` was rejected because it puts unrelated pairs at 0.5, the neutral
//! value for missing information, and compresses the useful range to [0.5, 1].
//!
//! # No information
//! A zero vector has no direction: its pairs get the neutral value the caller passes (the same
//! as any missing component), and [`EmbeddingScores`] lists the zero rows so the explanation can
//! say so. NaN and infinities are errors naming the table, row and column.

use ndarray::{s, Array2, ArrayView2, ArrayViewMut2, Axis};
use rayon::prelude::*;

use crate::cohort::Role;

/// Embedding matrices that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EmbeddingError {
    /// The two matrices have different widths.
    #[error(
        "embeddings: mentees have dimension {mentees} and mentors {mentors}; both matrices need \
         the same number of columns (one model for both tables)"
    )]
    Dimension {
        /// Columns of the mentee matrix.
        mentees: usize,
        /// Columns of the mentor matrix.
        mentors: usize,
    },
    /// No column at all.
    #[error("embeddings: the {table} matrix has 0 columns; pass one vector of length ≥ 1 per row")]
    Empty {
        /// `mentees` or `mentors`.
        table: &'static str,
    },
    /// NaN or ±inf.
    #[error(
        "embeddings: {table} row {row}, column {column} is {value}; every entry must be finite \
         (recompute the embedding of that person)"
    )]
    NonFinite {
        /// `mentees` or `mentors`.
        table: &'static str,
        /// Row (0-based, table order).
        row: usize,
        /// Column (0-based).
        column: usize,
        /// The value.
        value: f64,
    },
    /// Row count differs from the table's.
    #[error(
        "embeddings: the {table} matrix has {rows} rows but the {table} table has {people}; pass \
         one row per person, in table order"
    )]
    RowCount {
        /// `mentees` or `mentors`.
        table: &'static str,
        /// Rows of the matrix.
        rows: usize,
        /// People in the table.
        people: usize,
    },
}

/// The embedding component of every pair.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbeddingScores {
    /// `max(0, cos)` per mentee × mentor, or the neutral value for a zero vector.
    pub values: Array2<f64>,
    /// Mentee rows whose vector is zero (no information).
    pub zero_mentees: Vec<usize>,
    /// Mentor rows whose vector is zero (no information).
    pub zero_mentors: Vec<usize>,
}

/// Check that a matrix has one row per person of the `role` table.
///
/// # Errors
/// [`EmbeddingError::RowCount`].
pub fn check_rows(role: Role, rows: usize, people: usize) -> Result<(), EmbeddingError> {
    if rows == people {
        Ok(())
    } else {
        Err(EmbeddingError::RowCount {
            table: role.table(),
            rows,
            people,
        })
    }
}

/// Rows scaled to unit length (zero rows stay zero and are listed); errors on NaN/inf.
fn normalised(
    m: ArrayView2<'_, f64>,
    role: Role,
) -> Result<(Array2<f64>, Vec<usize>), EmbeddingError> {
    if m.ncols() == 0 {
        return Err(EmbeddingError::Empty {
            table: role.table(),
        });
    }
    let mut out = m.to_owned();
    let mut zero = Vec::new();
    for (row, mut r) in out.axis_iter_mut(Axis(0)).enumerate() {
        if let Some((column, &value)) = r.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(EmbeddingError::NonFinite {
                table: role.table(),
                row,
                column,
                value,
            });
        }
        // Scale first so huge entries do not overflow the sum of squares.
        let big = r.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        if big == 0.0 {
            zero.push(row);
            continue;
        }
        r.mapv_inplace(|v| v / big);
        let norm = r.dot(&r).sqrt();
        r.mapv_inplace(|v| v / norm);
    }
    Ok((out, zero))
}

/// The mentor side of the cosine product, prepared once: unit rows transposed into one
/// contiguous (d × mentors) matrix, and which mentors carry no information.
#[derive(Debug, Clone)]
pub struct CosineKernel {
    mentors_t: Array2<f64>,
    mentor_missing: Vec<bool>,
}

/// Cells of one product's scratch buffer: about 8 MB of `f64` per thread.
const SCRATCH_CELLS: usize = 1 << 20;

impl CosineKernel {
    /// From the unit-length mentor rows (mentors × d) and the mentors without information.
    pub fn new(mentors: ArrayView2<'_, f64>, mentor_missing: Vec<bool>) -> CosineKernel {
        debug_assert_eq!(mentors.nrows(), mentor_missing.len());
        CosineKernel {
            mentors_t: mentors.t().as_standard_layout().into_owned(),
            mentor_missing,
        }
    }

    /// Mentors (columns of every block).
    pub fn mentors(&self) -> usize {
        self.mentors_t.ncols()
    }

    /// Mentee rows per product: as many as fit the scratch buffer, from 32 to 512.
    pub fn block_rows(&self) -> usize {
        (SCRATCH_CELLS / self.mentors().max(1)).clamp(32, 512)
    }

    /// `block[r, j] += weight × max(0, cos)` of mentee row `r` of `mentees` (unit rows, one per
    /// block row) with every mentor `j`; `weight × neutral` where either side carries no
    /// information (`mentee_missing[r]`, or the mentor's flag).
    pub fn add_block(
        &self,
        mentees: ArrayView2<'_, f64>,
        mentee_missing: &[bool],
        mut block: ArrayViewMut2<'_, f64>,
        weight: f64,
        neutral: f64,
    ) {
        let m = self.mentors();
        debug_assert_eq!(block.dim(), (mentees.nrows(), m));
        debug_assert_eq!(mentees.nrows(), mentee_missing.len());
        if m == 0 {
            return;
        }
        let step = self.block_rows();
        SCRATCH.with(|scratch| {
            let mut scratch = scratch.borrow_mut();
            for lo in (0..mentees.nrows()).step_by(step) {
                let hi = (lo + step).min(mentees.nrows());
                let cells = (hi - lo) * m;
                if scratch.len() < cells {
                    scratch.resize(cells, 0.0);
                }
                let mut cos = ArrayViewMut2::from_shape((hi - lo, m), &mut scratch[..cells])
                    .expect("scratch buffer of the block's shape");
                let rows = mentees.slice(s![lo..hi, ..]);
                ndarray::linalg::general_mat_mul(1.0, &rows, &self.mentors_t, 0.0, &mut cos);
                for (r, (mut out, c)) in block
                    .slice_mut(s![lo..hi, ..])
                    .axis_iter_mut(Axis(0))
                    .zip(cos.axis_iter(Axis(0)))
                    .enumerate()
                {
                    if mentee_missing[lo + r] {
                        out.iter_mut().for_each(|cell| *cell += weight * neutral);
                        continue;
                    }
                    for ((cell, &v), &miss) in
                        out.iter_mut().zip(c.iter()).zip(&self.mentor_missing)
                    {
                        let value = if miss { neutral } else { v.clamp(0.0, 1.0) };
                        *cell += weight * value;
                    }
                }
            }
        });
    }

    /// `block[r, j] = max(0, cos)` of mentee row `r` with every mentor `j` (`neutral` where
    /// either side carries no information), the product written straight into `block`.
    pub fn cosines_into(
        &self,
        mentees: ArrayView2<'_, f64>,
        mentee_missing: &[bool],
        mut block: ArrayViewMut2<'_, f64>,
        neutral: f64,
    ) {
        debug_assert_eq!(block.dim(), (mentees.nrows(), self.mentors()));
        ndarray::linalg::general_mat_mul(1.0, &mentees, &self.mentors_t, 0.0, &mut block);
        for (mut out, &row_missing) in block.axis_iter_mut(Axis(0)).zip(mentee_missing) {
            if row_missing {
                out.fill(neutral);
                continue;
            }
            for (cell, &miss) in out.iter_mut().zip(&self.mentor_missing) {
                *cell = if miss { neutral } else { cell.clamp(0.0, 1.0) };
            }
        }
    }
}

thread_local! {
    /// Per-thread scratch for one product (reused across blocks; never read before written).
    static SCRATCH: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `max(0, cos)` of every mentee row (n × d) against every mentor row (m × d).
///
/// # Errors
/// [`EmbeddingError`] for different widths, zero width, or a NaN/inf entry.
pub fn cosine_scores(
    mentees: ArrayView2<'_, f64>,
    mentors: ArrayView2<'_, f64>,
    neutral: f64,
) -> Result<EmbeddingScores, EmbeddingError> {
    if mentees.ncols() != mentors.ncols() {
        return Err(EmbeddingError::Dimension {
            mentees: mentees.ncols(),
            mentors: mentors.ncols(),
        });
    }
    let (a, zero_mentees) = normalised(mentees, Role::Mentee)?;
    let (b, zero_mentors) = normalised(mentors, Role::Mentor)?;
    let flags = |n: usize, zero: &[usize]| {
        let mut f = vec![false; n];
        zero.iter().for_each(|&i| f[i] = true);
        f
    };
    let mentee_missing = flags(a.nrows(), &zero_mentees);
    let kernel = CosineKernel::new(b.view(), flags(b.nrows(), &zero_mentors));
    let rows = kernel.block_rows();
    let mut values = Array2::<f64>::zeros((a.nrows(), b.nrows()));
    values
        .axis_chunks_iter_mut(Axis(0), rows)
        .into_par_iter()
        .enumerate()
        .for_each(|(c, block)| {
            let lo = c * rows;
            let hi = lo + block.nrows();
            kernel.cosines_into(
                a.slice(s![lo..hi, ..]),
                &mentee_missing[lo..hi],
                block,
                neutral,
            );
        });
    Ok(EmbeddingScores {
        values,
        zero_mentees,
        zero_mentors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn cosine_against_direct_formula() {
        let a = array![[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]];
        let b = array![[2.0, 0.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 3.0, 4.0]];
        let s = cosine_scores(a.view(), b.view(), 0.5).unwrap();
        assert!((s.values[[0, 0]] - 1.0).abs() < 1e-15);
        assert_eq!(s.values[[0, 1]], 0.0);
        assert!((s.values[[1, 2]] - 0.6 / 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(s.values.row(2).to_vec(), vec![0.5; 3]);
        assert_eq!(s.zero_mentees, vec![2]);
    }
}
