//! Binding for the capacitated solver behind `mentorpair.assign`: numpy in (no copy for
//! C-contiguous float64), GIL released while solving, errors as `ValueError`. No logic.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use super::threads::run_detached;
use crate::lsap::{self, CapacitatedOptions, Objective};

/// Solve a capacitated assignment. Returns (rows, cols, objective, row_duals, col_duals).
#[pyfunction]
#[pyo3(signature = (scores, row_capacity, col_capacity, maximize=true, objective="coverage"))]
#[allow(clippy::type_complexity)]
fn solve_capacitated<'py>(
    py: Python<'py>,
    scores: PyReadonlyArray2<'py, f64>,
    row_capacity: PyReadonlyArray1<'py, u32>,
    col_capacity: PyReadonlyArray1<'py, u32>,
    maximize: bool,
    objective: &str,
) -> PyResult<(
    Bound<'py, PyArray1<i64>>,
    Bound<'py, PyArray1<i64>>,
    f64,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
)> {
    let objective = match objective {
        "coverage" => Objective::Coverage,
        "score" => Objective::Score,
        other => {
            return Err(PyValueError::new_err(format!(
                "objective must be \"coverage\" or \"score\", got {other:?}"
            )))
        }
    };
    let opts = CapacitatedOptions {
        maximize,
        objective,
    };
    let view = scores.as_array();
    let rc = row_capacity.as_slice()?;
    let cc = col_capacity.as_slice()?;
    let m = run_detached(py, || lsap::solve_capacitated(view, rc, cc, &opts))??;
    let (rows, cols): (Vec<i64>, Vec<i64>) =
        m.pairs.iter().map(|&(r, c)| (r as i64, c as i64)).unzip();
    Ok((
        rows.into_pyarray(py),
        cols.into_pyarray(py),
        m.objective,
        m.row_duals.into_pyarray(py),
        m.col_duals.into_pyarray(py),
    ))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(solve_capacitated, m)?)?;
    Ok(())
}
