//! The CSV table reader.

use super::table::{parse_table, RawTable};
use super::InputError;
use crate::cohort::{Role, Table};
use std::io::Read;

/// Read a table from CSV (header row required; empty cells are missing values).
pub fn read_csv<R: Read>(role: Role, reader: R, protected: &[String]) -> Result<Table, InputError> {
    let table = role.table();
    let malformed = |message: String| InputError::Malformed {
        table: table.to_string(),
        source_name: "CSV".to_string(),
        message,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let columns: Vec<String> = rdr
        .headers()
        .map_err(|e| malformed(e.to_string()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| malformed(format!("data row {}: {e}", i + 1)))?;
        rows.push(
            rec.iter()
                .map(|c| (!c.is_empty()).then(|| c.to_string()))
                .collect(),
        );
    }
    parse_table(role, RawTable { columns, rows }, protected)
}
