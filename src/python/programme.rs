//! Binding for the programme tools: the meeting schedule (rows, iCalendar) and the HTML report of
//! a `MatchResult`. Conversions only; the logic is in `crate::schedule` and `crate::report`.

use pyo3::prelude::*;
use serde::Deserialize;

use super::errors::CoreError;
use super::problem::PyProblem;
use crate::cohort::Cohort;
use crate::matching::MatchResult;
use crate::problem::Problem;
use crate::schedule::{self, Schedule, ScheduleOptions};

/// What each schedule option allows (for messages naming the option).
const SCHEDULE_OPTIONS: crate::options::AllowedTable = &[
    ("start", "a date as YYYY-MM-DD, e.g. 2027-01-04"),
    ("weeks", "a whole number of weeks from 1, e.g. 26"),
    (
        "meeting_minutes",
        "a length from 1 to 1440 minutes, e.g. 60",
    ),
    ("cadence_weeks", "1 (weekly) or more, e.g. 2"),
];

/// The options the user set (`None` = the Rust default).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    start: Option<String>,
    weeks: Option<u32>,
    meeting_minutes: Option<u32>,
    cadence_weeks: Option<u32>,
}

fn prepare<'a>(
    problem: &'a Problem,
    result_json: &str,
    options_json: &str,
) -> Result<(&'a Cohort, MatchResult, Schedule), CoreError> {
    let cohort = problem.cohort();
    let result: MatchResult = serde_json::from_str(result_json)
        .map_err(|e| CoreError::Other(format!("invalid match result: {e}")))?;
    let o: Options = crate::options::from_json(options_json, &[], SCHEDULE_OPTIONS)?;
    let start = o
        .start
        .unwrap_or_else(|| schedule::first_monday_from(result.summary.reference_date).to_string());
    let opts = ScheduleOptions::new(
        &start,
        o.weeks,
        o.meeting_minutes,
        o.cadence_weeks,
        &result.config.scoring,
    )?;
    let s = schedule::schedule(cohort, &result, &opts)?;
    Ok((cohort, result, s))
}

fn write(path: &str, bytes: &[u8]) -> Result<(), CoreError> {
    crate::report::write_atomic(std::path::Path::new(path), bytes)
        .map_err(|e| CoreError::Other(format!("{path}: cannot write: {e}")))
}

/// The schedule of a result as JSON: `{"columns", "rows", "summary"}`.
#[pyfunction]
fn schedule_rows(
    py: Python<'_>,
    problem: PyRef<'_, PyProblem>,
    result_json: &str,
    options_json: &str,
) -> PyResult<String> {
    let inner = std::sync::Arc::clone(&problem.inner);
    py.detach(move || {
        let (_, _, s) = prepare(&inner, result_json, options_json)?;
        let out = serde_json::json!({
            "columns": schedule::COLUMNS,
            "rows": schedule::rows(&s),
            "summary": s.summary,
        });
        Ok::<_, CoreError>(out.to_string())
    })
    .map_err(PyErr::from)
}

/// Write the schedule of a result as iCalendar to `path`; returns the summary as JSON.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn schedule_ics(
    py: Python<'_>,
    problem: PyRef<'_, PyProblem>,
    result_json: &str,
    options_json: &str,
    path: String,
) -> PyResult<String> {
    let inner = std::sync::Arc::clone(&problem.inner);
    py.detach(move || {
        let (_, _, s) = prepare(&inner, result_json, options_json)?;
        write(&path, schedule::ics::to_ics(&s).as_bytes())?;
        serde_json::to_string(&s.summary).map_err(|e| CoreError::Other(e.to_string()))
    })
    .map_err(PyErr::from)
}

/// Write the HTML programme report of a result to `path` (audited by the protected columns
/// `by`, with the schedule of `options_json`).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn report_html(
    py: Python<'_>,
    problem: PyRef<'_, PyProblem>,
    result_json: &str,
    options_json: &str,
    by: Vec<String>,
    path: String,
) -> PyResult<()> {
    let inner = std::sync::Arc::clone(&problem.inner);
    py.detach(move || {
        let (cohort, result, s) = prepare(&inner, result_json, options_json)?;
        let html = crate::report::html(cohort, &result, &by, Some(&s))?;
        write(&path, html.as_bytes())
    })
    .map_err(PyErr::from)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(schedule_rows, m)?)?;
    m.add_function(wrap_pyfunction!(schedule_ics, m)?)?;
    m.add_function(wrap_pyfunction!(report_html, m)?)?;
    Ok(())
}
