//! Binding for rematching a cohort: table sources, the JSON match config and previous/frozen pairs in,
//! the JSON `CohortRematch` out. Conversions only; the GIL is released around the work.

use pyo3::prelude::*;

use super::errors::MentorpairError;
use super::matching::cohort_and_config;
use super::threads::run_detached;
use crate::rematch::{self, PairId, RematchOptions};

fn pair_ids(pairs: Vec<(String, String)>) -> Vec<PairId> {
    pairs.into_iter().map(|(a, b)| PairId::new(a, b)).collect()
}

/// Read both tables, rematch them against `previous` and return the `CohortRematch` as JSON.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn rematch_cohort(
    py: Python<'_>,
    mentees: (String, String),
    mentors: (String, String),
    config_json: &str,
    protected: Vec<String>,
    previous: Vec<(String, String)>,
    freeze: Vec<(String, String)>,
    keep_bonus: f64,
) -> PyResult<String> {
    run_detached(py, || {
        let (cohort, config) = cohort_and_config(&mentees, &mentors, config_json, &protected)?;
        let options = RematchOptions {
            keep_bonus,
            freeze: pair_ids(freeze),
        };
        let out = rematch::rematch_cohort(&cohort, &config, &pair_ids(previous), &options)
            .map_err(|e| e.to_string())?;
        serde_json::to_string(&out).map_err(|e| e.to_string())
    })?
    .map_err(MentorpairError::new_err)
}

/// Previous pairs checked by the one reader every front end shares: from a CSV file when `path`
/// is given, else from `cells` (`(mentee_id, mentor_id)` rows of a DataFrame or list). Ids are
/// trimmed; an empty id or a repeated pair is an error naming `source` and the row.
#[pyfunction]
#[pyo3(signature = (source, path=None, cells=None))]
fn previous_pairs(
    source: &str,
    path: Option<std::path::PathBuf>,
    cells: Option<Vec<(String, String)>>,
) -> PyResult<Vec<(String, String)>> {
    let pairs = match path {
        Some(p) => crate::io::read_pairs_path(&p),
        None => crate::io::pairs_from_cells(cells.unwrap_or_default(), source),
    }
    .map_err(|e| MentorpairError::new_err(e.to_string()))?;
    Ok(pairs)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(rematch_cohort, m)?)?;
    m.add_function(wrap_pyfunction!(previous_pairs, m)?)?;
    Ok(())
}
