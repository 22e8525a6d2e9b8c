//! Binding for the dense solver: a float64 matrix in (never copied), the GIL released while solving.
//! Dtype conversion and scipy-compatible validation live in `python/mentorpair/_lsap.py`.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray2};
use pyo3::prelude::*;

use super::threads::run_detached;
use crate::lsap;

/// (rows, cols, objective, row_duals, col_duals) as handed to Python.
type DenseSolution<'py> = (
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<i64>>,
    f64,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
);

fn to_i64(indices: &[usize]) -> PyResult<Vec<i64>> {
    indices
        .iter()
        .map(|&x| {
            i64::try_from(x).map_err(|_| {
                pyo3::exceptions::PyOverflowError::new_err(format!("index {x} does not fit int64"))
            })
        })
        .collect()
}

/// Solve a dense linear sum assignment on a float64 matrix (read in place, any strides).
/// Returns (rows, cols, objective, row_duals, col_duals).
#[pyfunction]
#[pyo3(signature = (cost, maximize=false))]
fn solve_dense<'py>(
    py: Python<'py>,
    cost: PyReadonlyArray2<'py, f64>,
    maximize: bool,
) -> PyResult<DenseSolution<'py>> {
    let view = cost.as_array();
    let a = run_detached(py, || lsap::solve_dense(view, maximize))??;
    Ok((
        to_i64(&a.rows)?.into_pyarray(py),
        to_i64(&a.cols)?.into_pyarray(py),
        a.objective,
        a.row_duals.into_pyarray(py),
        a.col_duals.into_pyarray(py),
    ))
}

/// Address of the first element of `cost` as `solve_dense` reads it; tests compare it with the
/// caller's buffer to prove no copy is made on the way in.
#[pyfunction]
fn _data_address(cost: PyReadonlyArray2<'_, f64>) -> usize {
    cost.as_array().as_ptr() as usize
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(solve_dense, m)?)?;
    m.add_function(wrap_pyfunction!(_data_address, m)?)?;
    Ok(())
}
