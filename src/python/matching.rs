//! Binding for matching: table sources and a JSON config in, JSON results or a numpy matrix out.
//! Conversions only; all logic is in `crate::io` and `crate::matching`. The GIL is released
//! around reading, scoring and solving.

use numpy::{IntoPyArray, PyArray2};
use pyo3::prelude::*;

use super::errors::MentorpairError;
use super::threads::run_detached;

use crate::cohort::{Cohort, Role, Table};
use crate::io::{self, InputError};
use crate::matching::{self, MatchConfig, MatchError};

/// Bad input, options or pins: `MentorpairError`, a `ValueError` subclass.
fn value_error(e: impl std::fmt::Display) -> PyErr {
    MentorpairError::new_err(e.to_string())
}

/// A table as handed over by `mentorpair._match`: `("path", "file.csv")` or
/// `("records", "[{...}, ...]")` (JSON array of row objects).
fn load(role: Role, source: &(String, String), protected: &[String]) -> Result<Table, InputError> {
    let (kind, payload) = source;
    match kind.as_str() {
        "path" => io::read_path(role, std::path::Path::new(payload), protected),
        _ => io::read_json(role, payload.as_bytes(), protected),
    }
}

/// Read both tables of a cohort.
pub(super) fn load_cohort(
    mentees: &(String, String),
    mentors: &(String, String),
    protected: &[String],
) -> Result<Cohort, String> {
    Ok(Cohort {
        mentees: load(Role::Mentee, mentees, protected).map_err(|e| e.to_string())?,
        mentors: load(Role::Mentor, mentors, protected).map_err(|e| e.to_string())?,
    })
}

pub(super) fn cohort_and_config(
    mentees: &(String, String),
    mentors: &(String, String),
    config_json: &str,
    protected: &[String],
) -> Result<(Cohort, MatchConfig), String> {
    let config: MatchConfig =
        serde_json::from_str(config_json).map_err(|e| format!("invalid match options: {e}"))?;
    let cohort = Cohort {
        mentees: load(Role::Mentee, mentees, protected).map_err(|e| e.to_string())?,
        mentors: load(Role::Mentor, mentors, protected).map_err(|e| e.to_string())?,
    };
    Ok((cohort, config))
}

/// Read both tables, match them and return the `MatchResult` as JSON.
#[pyfunction]
fn match_cohort(
    py: Python<'_>,
    mentees: (String, String),
    mentors: (String, String),
    config_json: &str,
    protected: Vec<String>,
) -> PyResult<String> {
    run_detached(py, || {
        let (cohort, config) = cohort_and_config(&mentees, &mentors, config_json, &protected)?;
        let result =
            matching::match_cohort(&cohort, &config).map_err(|e: MatchError| e.to_string())?;
        serde_json::to_string(&result).map_err(|e| e.to_string())
    })?
    .map_err(value_error)
}

/// Read both tables and return `(scores, mentee_ids, mentor_ids)`; excluded pairs are NaN.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn score_matrix<'py>(
    py: Python<'py>,
    mentees: (String, String),
    mentors: (String, String),
    config_json: &str,
    protected: Vec<String>,
) -> PyResult<(Bound<'py, PyArray2<f64>>, Vec<String>, Vec<String>)> {
    let m = run_detached(py, || {
        let (cohort, config) = cohort_and_config(&mentees, &mentors, config_json, &protected)?;
        matching::score_matrix(&cohort, &config).map_err(|e| e.to_string())
    })?
    .map_err(value_error)?;
    Ok((m.scores.into_pyarray(py), m.mentee_ids, m.mentor_ids))
}

/// Explain one pair (matched or not) and return the report as JSON.
#[pyfunction]
fn explain_pair(
    py: Python<'_>,
    mentees: (String, String),
    mentors: (String, String),
    config_json: &str,
    protected: Vec<String>,
    mentee_id: String,
    mentor_id: String,
) -> PyResult<String> {
    run_detached(py, || {
        let (cohort, config) = cohort_and_config(&mentees, &mentors, config_json, &protected)?;
        let report = matching::explain_pair(&cohort, &config, &mentee_id, &mentor_id)
            .map_err(|e| e.to_string())?;
        serde_json::to_string(&report).map_err(|e| e.to_string())
    })?
    .map_err(value_error)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(match_cohort, m)?)?;
    m.add_function(wrap_pyfunction!(score_matrix, m)?)?;
    m.add_function(wrap_pyfunction!(explain_pair, m)?)?;
    Ok(())
}
