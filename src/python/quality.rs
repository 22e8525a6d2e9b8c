//! Binding for the quality benchmark: specs as JSON and tables as records or paths in, runs and
//! pairs out as JSON.
//! Conversions only; all logic is in `crate::quality`. GIL released around the work.

use pyo3::prelude::*;

use super::errors::MentorpairError;
use super::threads::run_detached;

use super::matching::{read_cohort, Source};
use crate::cohort::Cohort;
use crate::matching::MatchConfig;
use crate::quality::{self, QualityError, Strategy};
use crate::synthetic::CohortSpec;

fn strategies(names: &[String]) -> Result<Vec<Strategy>, String> {
    names
        .iter()
        .map(|n| n.parse::<Strategy>().map_err(|e| e.to_string()))
        .collect()
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, String> {
    serde_json::to_string(value).map_err(|e| e.to_string())
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
        let spec: CohortSpec =
            serde_json::from_str(spec_json).map_err(|e| format!("invalid cohort spec: {e}"))?;
        let runs = quality::compare(&spec, &seeds, &strategies(&strategy_names)?)
            .map_err(|e| e.to_string())?;
        to_json(&runs)
    })?
    .map_err(MentorpairError::new_err)
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
) -> Result<String, String> {
    let c = read_cohort(mentees, mentors, protected).map_err(|e| e.to_string())?;
    let out = work(&c, &quality::benchmark_config(), &strategies(names)?, seed)
        .map_err(|e| e.to_string())?;
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
        other => Err(format!("what must be \"runs\" or \"pairs\", got {other:?}")),
    })?
    .map_err(MentorpairError::new_err)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(quality_strategies, m)?)?;
    m.add_function(wrap_pyfunction!(quality_compare, m)?)?;
    m.add_function(wrap_pyfunction!(quality_tables, m)?)?;
    Ok(())
}
