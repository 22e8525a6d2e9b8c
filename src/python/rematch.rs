//! Binding for the previous pairs of a rematch: the one reader every front end shares.
//! Conversions only; the reader is `crate::io::read_pairs_path` / `pairs_from_cells`.

use pyo3::prelude::*;

use super::errors::CoreError;

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
    .map_err(CoreError::from)?;
    Ok(pairs)
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(previous_pairs, m)?)?;
    Ok(())
}
