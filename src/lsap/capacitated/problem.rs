//! The validated problem in minimisation form, read row by row from the dense weight matrix.

use super::LsapError;
use rayon::prelude::*;

/// Allowed pairs per row and per column.
pub(super) type Counts = (Vec<u32>, Vec<u32>);

/// Check every entry and count the allowed pairs of each row and of each column.
pub(super) fn validate(
    data: &[f64],
    n: usize,
    m: usize,
    maximize: bool,
) -> Result<(Vec<u32>, Vec<u32>), LsapError> {
    let bad = if maximize {
        f64::INFINITY
    } else {
        f64::NEG_INFINITY
    };
    const ROWS_PER_BLOCK: usize = 64;
    let blocks: Vec<Result<Counts, LsapError>> = (0..n.div_ceil(ROWS_PER_BLOCK))
        .into_par_iter()
        .map(|b| {
            let mut per_row = Vec::with_capacity(ROWS_PER_BLOCK);
            let mut per_col = vec![0u32; m];
            for r in b * ROWS_PER_BLOCK..((b + 1) * ROWS_PER_BLOCK).min(n) {
                let row = data.get(r * m..(r + 1) * m).unwrap_or(&[]);
                let mut count = 0u32;
                for (c, (&x, pc)) in row.iter().zip(per_col.iter_mut()).enumerate() {
                    if x == bad {
                        return Err(LsapError::InvalidEntry {
                            row: r,
                            col: c,
                            value: x,
                        });
                    }
                    let ok = u32::from(x.is_finite());
                    count += ok;
                    *pc += ok;
                }
                per_row.push(count);
            }
            Ok((per_row, per_col))
        })
        .collect();
    let mut rows = Vec::with_capacity(n);
    let mut cols = vec![0u32; m];
    for block in blocks {
        let (r, c) = block?;
        rows.extend(r);
        cols.iter_mut().zip(c).for_each(|(a, b)| *a += b);
    }
    Ok((rows, cols))
}

/// The validated problem in minimisation form: cost `sign * w`, capacities capped at what the
/// allowed pairs can use (a row never needs more units than it has allowed columns).
pub(super) struct Problem<'a> {
    pub(super) w: &'a [f64],
    pub(super) n: usize,
    pub(super) m: usize,
    pub(super) sign: f64,
    pub(super) row_cap: Vec<u32>,
    pub(super) col_cap: Vec<u32>,
}

impl Problem<'_> {
    pub(super) fn row(&self, i: usize) -> &[f64] {
        self.w.get(i * self.m..(i + 1) * self.m).unwrap_or(&[])
    }
}
