//! Binding for writing a table as a CSV file for people: the spreadsheet-safe writer and the
//! atomic output of the command line. Conversions only.

use pyo3::prelude::*;

use super::errors::MentorpairError;
use crate::io::atomic::OutputSet;
use crate::io::safe_csv::{CsvCells, CsvWriter};

/// Write `header` and `rows` (text cells) to `path` as CSV: formula-like cells neutralised unless
/// `raw`, written to a temporary file and renamed into place; `-` is standard output.
#[pyfunction]
#[pyo3(signature = (path, header, rows, raw=false))]
fn write_csv(
    py: Python<'_>,
    path: std::path::PathBuf,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    raw: bool,
) -> PyResult<()> {
    let cells = if raw { CsvCells::Raw } else { CsvCells::Safe };
    py.detach(|| {
        let mut set = OutputSet::prepare(&[], &[("path", path.as_path())])?;
        set.write(0, |w| {
            let mut csv = CsvWriter::new(w, cells);
            csv.row(&header)?;
            for r in &rows {
                csv.row(r)?;
            }
            csv.flush()
        })?;
        set.commit(&mut std::io::stdout())
    })
    .map_err(|e: crate::io::atomic::OutputError| MentorpairError::new_err(e.to_string()))
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(write_csv, m)?)?;
    Ok(())
}
