//! Bring-your-own embeddings: one vector per person from any model, compared by cosine
//! similarity, computed as one matrix product of the L2-normalised rows (ndarray's `dot`,
//! i.e. matrixmultiply), in parallel over blocks of mentee rows.
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

use ndarray::{s, Array2, ArrayView2, Axis};
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
    const ROWS: usize = 256;
    let bt = b.t();
    let mut values = Array2::<f64>::zeros((a.nrows(), b.nrows()));
    values
        .axis_chunks_iter_mut(Axis(0), ROWS)
        .into_par_iter()
        .enumerate()
        .for_each(|(c, mut block)| {
            let lo = c * ROWS;
            let rows = a.slice(s![lo..lo + block.nrows(), ..]);
            ndarray::linalg::general_mat_mul(1.0, &rows, &bt, 0.0, &mut block);
            block.mapv_inplace(|v| v.clamp(0.0, 1.0));
        });
    for &i in &zero_mentees {
        values.row_mut(i).fill(neutral);
    }
    for &j in &zero_mentors {
        values.column_mut(j).fill(neutral);
    }
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
