//! Binding for shortlists and the history of rounds: a prepared problem's shortlists and "what
//! about this mentor?" answers as JSON, and the one history reader (a file or text cells).
//! Conversions only; the GIL is released around the work.

use std::sync::Arc;

use pyo3::prelude::*;

use super::errors::MentorpairError;
use super::problem::PyProblem;
use super::threads::run_detached;
use crate::io::history::{history_from_cells, read_history_path};

fn value_error(e: impl std::fmt::Display) -> PyErr {
    MentorpairError::new_err(e.to_string())
}

/// Shortlists as JSON: one mentee's (`mentee_id`) or every mentee's (None), `k` each.
#[pyfunction]
#[pyo3(signature = (problem, mentee_id, k))]
fn problem_suggest(
    py: Python<'_>,
    problem: &PyProblem,
    mentee_id: Option<String>,
    k: usize,
) -> PyResult<String> {
    let problem = Arc::clone(&problem.inner);
    run_detached(py, move || {
        let list = match &mentee_id {
            Some(id) => problem.suggest(id, k),
            None => problem.suggest_all(k),
        }
        .map_err(|e| e.to_string())?;
        serde_json::to_string(&list).map_err(|e| e.to_string())
    })?
    .map_err(value_error)
}

/// What choosing `mentor_id` would mean for `mentee_id`, as JSON (a Choice).
#[pyfunction]
fn problem_choice(
    py: Python<'_>,
    problem: &PyProblem,
    mentee_id: String,
    mentor_id: String,
) -> PyResult<String> {
    let problem = Arc::clone(&problem.inner);
    run_detached(py, move || {
        let choice = problem
            .choice(&mentee_id, &mentor_id)
            .map_err(|e| e.to_string())?;
        serde_json::to_string(&choice).map_err(|e| e.to_string())
    })?
    .map_err(value_error)
}

/// A history table read by the core: `("path", file)` or `("cells", json)` where json is
/// `{"columns": [...], "rows": [[str | None, ...], ...]}`; returns the past pairs as JSON.
#[pyfunction]
fn read_history(py: Python<'_>, kind: String, payload: String) -> PyResult<String> {
    run_detached(py, move || {
        let pairs = match kind.as_str() {
            "path" => read_history_path(std::path::Path::new(&payload)).map_err(|e| e.to_string()),
            "cells" => {
                #[derive(serde::Deserialize)]
                struct Cells {
                    columns: Vec<String>,
                    rows: Vec<Vec<Option<String>>>,
                }
                let cells: Cells = serde_json::from_str(&payload)
                    .map_err(|e| format!("history: not a table of text cells: {e}"))?;
                history_from_cells(&cells.columns, &cells.rows, "history")
                    .map_err(|e| e.to_string())
            }
            other => Err(format!(
                "history source kind {other:?} is not path or cells"
            )),
        }?;
        serde_json::to_string(&pairs).map_err(|e| e.to_string())
    })?
    .map_err(value_error)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(problem_suggest, m)?)?;
    m.add_function(wrap_pyfunction!(problem_choice, m)?)?;
    m.add_function(wrap_pyfunction!(read_history, m)?)?;
    Ok(())
}
