//! Binding for the quality benchmark: specs as JSON and tables as records or paths in, runs and
//! pairs out as JSON.
//! Conversions only; all logic is in `crate::quality`. GIL released around the work.

use pyo3::prelude::*;

use super::errors::CoreError;
use super::threads::run_detached;

use super::matching::{read_cohort, Source};
use crate::cohort::Cohort;
use crate::matching::MatchConfig;
use crate::quality::{self, QualityError, Strategy};
use crate::synthetic::CohortSpec;

fn strategies(names: &[String]) -> Result<Vec<Strategy>, CoreError> {
    names
        .iter()
        .map(|n| n.parse::<Strategy>().map_err(CoreError::from))
        .collect()
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CoreError> {
    serde_json::to_string(value).map_err(|e| CoreError::Other(e.to_string()))
}

/// Names of the strategies this build can run.
#[pyfunction]
fn quality_strategies() -> Vec<&'static str> {
    Strategy::available()
        .into_iter()
        .map(Strategy::name)
        .collect()
}

/// `quality::compare` on a JSON `CohortSpec`; returns the runs as JSON.
#[pyfunction]
fn quality_compare(
    py: Python<'_>,
    spec_json: &str,
    seeds: Vec<u64>,
    strategy_names: Vec<String>,
) -> PyResult<String> {
    run_detached(py, || {
        let spec: CohortSpec = crate::options::from_json(spec_json, &[], &[])?;
        let runs = quality::compare(&spec, &seeds, &strategies(&strategy_names)?)?;
        to_json(&runs)
    })?
    .map_err(PyErr::from)
}

type CohortWork<T> = fn(&Cohort, &MatchConfig, &[Strategy], u64) -> Result<T, QualityError>;

/// Read both tables, run `work` with the benchmark configuration, return its result as JSON.
fn on_tables<T: serde::Serialize>(
    mentees: &Source,
    mentors: &Source,
    protected: &[String],
    names: &[String],
    seed: u64,
    work: CohortWork<T>,
) -> Result<String, CoreError> {
    let c = read_cohort(mentees, mentors, protected)?;
    let out = work(&c, &quality::benchmark_config(), &strategies(names)?, seed)?;
    to_json(&out)
}

/// On two tables (records or paths): `what = "runs"` gives `quality::compare_cohort`'s runs,
/// `what = "pairs"` gives `quality::strategy_pairs`' pairs, as JSON.
#[pyfunction]
fn quality_tables(
    py: Python<'_>,
    what: &str,
    mentees: Source,
    mentors: Source,
    protected: Vec<String>,
    strategy_names: Vec<String>,
    seed: u64,
) -> PyResult<String> {
    let (e, r, p, n) = (&mentees, &mentors, &protected, &strategy_names);
    run_detached(py, || match what {
        "runs" => on_tables(e, r, p, n, seed, quality::compare_cohort),
        "pairs" => on_tables(e, r, p, n, seed, quality::strategy_pairs),
        other => Err(CoreError::Other(format!(
            "what must be \"runs\" or \"pairs\", got {other:?}"
        ))),
    })?
    .map_err(PyErr::from)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(quality_strategies, m)?)?;
    m.add_function(wrap_pyfunction!(quality_compare, m)?)?;
    m.add_function(wrap_pyfunction!(quality_tables, m)?)?;
    Ok(())
}
