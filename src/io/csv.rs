//! The CSV table reader: UTF-8 text, comma-separated, a header row; cells neutralised by the
//! spreadsheet-safe writer read back as they were written.

use super::safe_csv::restore;
use super::table::{parse_table, RawTable};
use super::{BadValue, InputError};
use crate::cohort::{Role, Table};
use std::io::Read;

const UTF8_FIX: &str =
    "save the file as UTF-8 (in Excel: Save As > CSV UTF-8; in LibreOffice: character set UTF-8)";

/// Read a table from CSV (header row required; empty cells are missing values).
///
/// # Errors
/// A header that is not comma-separated (the message names the delimiter found and the columns
/// seen), text that is not UTF-8 (naming row and column), rows of the wrong length, and every
/// invalid value (see [`InputError`]).
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
    let header = rdr
        .byte_headers()
        .map_err(|e| malformed(e.to_string()))?
        .clone();
    let mut columns = Vec::with_capacity(header.len());
    for (k, h) in header.iter().enumerate() {
        let h = std::str::from_utf8(h).map_err(|_| {
            malformed(format!(
                "header field {} is not valid UTF-8 text; {UTF8_FIX}",
                k + 1
            ))
        })?;
        columns.push(restore(h.trim_start_matches('\u{feff}').trim()).to_string());
    }
    check_delimiter(role, &columns)?;
    let mut rows = Vec::new();
    for (i, rec) in rdr.byte_records().enumerate() {
        let rec = rec.map_err(|e| malformed(format!("data row {}: {e}", i + 1)))?;
        let mut row = Vec::with_capacity(rec.len());
        for (k, c) in rec.iter().enumerate() {
            let c = std::str::from_utf8(c).map_err(|_| {
                InputError::InvalidValue(Box::new(BadValue {
                    table: table.to_string(),
                    row: i + 1,
                    id: None,
                    column: columns.get(k).cloned().unwrap_or_default(),
                    value: String::from_utf8_lossy(c).into_owned(),
                    problem: "the cell is not valid UTF-8 text".to_string(),
                    fix: UTF8_FIX.to_string(),
                }))
            })?;
            row.push((!c.is_empty()).then(|| restore(c).to_string()));
        }
        rows.push(row);
    }
    parse_table(
        role,
        RawTable {
            columns,
            rows,
            typed: None,
        },
        protected,
    )
}

/// A header read as one column that holds `;`, tabs or `|` is a table with another delimiter.
fn check_delimiter(role: Role, columns: &[String]) -> Result<(), InputError> {
    if columns.iter().any(|c| c.eq_ignore_ascii_case("id")) {
        return Ok(());
    }
    let [only] = columns else { return Ok(()) };
    let found = [
        (';', "semicolons (;)"),
        ('\t', "tabs"),
        ('|', "vertical bars (|)"),
    ]
    .into_iter()
    .filter(|(d, _)| only.contains(*d))
    .max_by_key(|(d, _)| only.matches(*d).count());
    let Some((delim, name)) = found else {
        return Ok(());
    };
    let seen: Vec<&str> = only.split(delim).map(str::trim).collect();
    Err(InputError::MissingColumn {
        table: role.table().to_string(),
        column: "id".to_string(),
        fix: format!(
            "the header is separated by {name}, not commas (columns seen: {}); save the table as comma-separated CSV, UTF-8",
            seen.join(", ")
        ),
    })
}
