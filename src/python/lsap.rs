//! Binding for the dense solver: numpy in (no copy when C-contiguous float64), GIL released.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::lsap::{self, LsapError};

fn lsap_err(e: LsapError) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// Solve a dense linear sum assignment on a float64 matrix (no copy for C-contiguous input).
/// Returns (rows, cols, objective, row_duals, col_duals).
#[pyfunction]
#[pyo3(signature = (cost, maximize=false))]
#[allow(clippy::type_complexity)]
fn solve_dense<'py>(
    py: Python<'py>,
    cost: PyReadonlyArray2<'py, f64>,
    maximize: bool,
) -> PyResult<(
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<i64>>,
    f64,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
)> {
    let view = cost.as_array();
    let a = py
        .detach(|| lsap::solve_dense(view, maximize))
        .map_err(lsap_err)?;
    let rows: Vec<i64> = a.rows.iter().map(|&x| x as i64).collect();
    let cols: Vec<i64> = a.cols.iter().map(|&x| x as i64).collect();
    Ok((
        rows.into_pyarray(py),
        cols.into_pyarray(py),
        a.objective,
        a.row_duals.into_pyarray(py),
        a.col_duals.into_pyarray(py),
    ))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(solve_dense, m)?)?;
    Ok(())
}
