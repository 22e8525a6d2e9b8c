//! Dense rectangular linear sum assignment by shortest augmenting paths with dual potentials.
//! Baseline implementation (Crouse's method); the engine is tuned in place.

use super::{Assignment, LsapError};
use ndarray::{Array2, ArrayView2};

/// Solve the dense linear sum assignment problem.
///
/// `cost` may have any shape; `min(rows, cols)` pairs are assigned. When `maximize` is false,
/// `+inf` marks a forbidden pair; when true, `-inf` does. NaN and the other infinity are errors.
///
/// ```
/// use ndarray::array;
/// let a = mentorpair::lsap::solve_dense(array![[4.0, 1.0, 3.0], [2.0, 0.0, 5.0], [3.0, 2.0, 2.0]].view(), false).unwrap();
/// assert_eq!(a.cols, vec![1, 0, 2]);
/// assert_eq!(a.objective, 5.0);
/// ```
pub fn solve_dense(cost: ArrayView2<f64>, maximize: bool) -> Result<Assignment, LsapError> {
    let (nr, nc) = cost.dim();
    for ((r, c), &x) in cost.indexed_iter() {
        if x.is_nan() || (maximize && x == f64::INFINITY) || (!maximize && x == f64::NEG_INFINITY) {
            return Err(LsapError::InvalidEntry {
                row: r,
                col: c,
                value: x,
            });
        }
    }
    if nr == 0 || nc == 0 {
        return Ok(Assignment {
            rows: vec![],
            cols: vec![],
            objective: 0.0,
            row_duals: vec![0.0; nr],
            col_duals: vec![0.0; nc],
        });
    }
    let transpose = nr > nc;
    let sign = if maximize { -1.0 } else { 1.0 };
    let work: Array2<f64> = if transpose {
        cost.t().mapv(|x| sign * x)
    } else {
        cost.mapv(|x| sign * x)
    };
    let (n, m) = work.dim();
    let mut u = vec![0.0f64; n];
    let mut v = vec![0.0f64; m];
    let mut col4row = vec![usize::MAX; n];
    let mut row4col = vec![usize::MAX; m];
    let mut shortest = vec![0.0f64; m];
    let mut path = vec![usize::MAX; m];
    let mut sr = vec![false; n];
    let mut sc = vec![false; m];
    let mut remaining: Vec<usize> = Vec::with_capacity(m);
    for cur_row in 0..n {
        shortest.iter_mut().for_each(|x| *x = f64::INFINITY);
        sr.iter_mut().for_each(|x| *x = false);
        sc.iter_mut().for_each(|x| *x = false);
        remaining.clear();
        remaining.extend((0..m).rev());
        let mut min_val = 0.0f64;
        let mut i = cur_row;
        let sink;
        loop {
            sr[i] = true;
            let mut index = usize::MAX;
            let mut lowest = f64::INFINITY;
            let row = work.row(i);
            for (it, &j) in remaining.iter().enumerate() {
                let r = min_val + row[j] - u[i] - v[j];
                if r < shortest[j] {
                    path[j] = i;
                    shortest[j] = r;
                }
                if shortest[j] < lowest || (shortest[j] == lowest && row4col[j] == usize::MAX) {
                    lowest = shortest[j];
                    index = it;
                }
            }
            min_val = lowest;
            if min_val == f64::INFINITY {
                return Err(LsapError::Infeasible {
                    detail: format!(
                        "no complete assignment avoids the forbidden pairs (stuck while assigning {} {})",
                        if transpose { "column" } else { "row" },
                        cur_row
                    ),
                });
            }
            let j = remaining.swap_remove(index);
            sc[j] = true;
            if row4col[j] == usize::MAX {
                sink = j;
                break;
            }
            i = row4col[j];
        }
        u[cur_row] += min_val;
        for r in 0..n {
            if sr[r] && r != cur_row {
                u[r] += min_val - shortest[col4row[r]];
            }
        }
        for c in 0..m {
            if sc[c] {
                v[c] -= min_val - shortest[c];
            }
        }
        let mut j = sink;
        loop {
            let r = path[j];
            row4col[j] = r;
            let prev = col4row[r];
            col4row[r] = j;
            j = prev;
            if r == cur_row {
                break;
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = (0..n)
        .map(|r| {
            if transpose {
                (col4row[r], r)
            } else {
                (r, col4row[r])
            }
        })
        .collect();
    pairs.sort_unstable();
    let objective = pairs.iter().map(|&(r, c)| cost[[r, c]]).sum();
    let (row_duals, col_duals) = if transpose { (v, u) } else { (u, v) };
    Ok(Assignment {
        rows: pairs.iter().map(|p| p.0).collect(),
        cols: pairs.iter().map(|p| p.1).collect(),
        objective,
        row_duals: row_duals.into_iter().map(|x| sign * x).collect(),
        col_duals: col_duals.into_iter().map(|x| sign * x).collect(),
    })
}
