//! Binding for the synthetic cohort generator: a JSON spec in, the two tables out as JSON records
//! (the `io` writers' format) plus the cohort fingerprint. Conversions only; GIL released.

use pyo3::prelude::*;

use super::errors::MentorpairError;
use super::threads::run_detached;

use crate::io;
use crate::synthetic::{self, CohortSpec};

/// A table as (JSON records, column order) from the `io` writer.
type TableOut = (String, Vec<String>);

fn table_json(table: &crate::cohort::Table) -> Result<TableOut, String> {
    let mut buf = Vec::new();
    io::write_json(table, &mut buf).map_err(|e| e.to_string())?;
    let text = String::from_utf8(buf).map_err(|e| e.to_string())?;
    Ok((text, io::columns(table)))
}

/// Generate the cohort of a JSON `CohortSpec`; returns ((mentees JSON, columns), (mentors JSON,
/// columns), fingerprint).
#[pyfunction]
fn synthetic_tables(py: Python<'_>, spec_json: &str) -> PyResult<(TableOut, TableOut, u64)> {
    run_detached(py, || {
        let spec: CohortSpec =
            serde_json::from_str(spec_json).map_err(|e| format!("invalid cohort spec: {e}"))?;
        let cohort = synthetic::generate(&spec).map_err(|e| e.to_string())?;
        Ok((
            table_json(&cohort.mentees)?,
            table_json(&cohort.mentors)?,
            synthetic::fingerprint(&cohort),
        ))
    })?
    .map_err(|e: String| MentorpairError::new_err(e))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(synthetic_tables, m)?)?;
    Ok(())
}
