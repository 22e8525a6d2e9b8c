//! The previous-pairs reader shared by every front end: a CSV with `mentee_id` and `mentor_id`
//! columns (others ignored), such as a pairs file written by `match`, neutralised or raw.

use super::safe_csv::restore;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// A problem with a previous-pairs file. Every message names the file and, where there is one,
/// the row.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PairsError {
    /// Not readable, not UTF-8, or not well-formed CSV (a row cut short, for example).
    #[error("{source_name}: {message}")]
    Malformed {
        /// The file (or `previous_pairs`).
        source_name: String,
        /// What is wrong, with the row when known, and the fix.
        message: String,
    },
    /// `mentee_id` or `mentor_id` is missing from the header.
    #[error("{source_name}: missing column `{column}`; previous pairs need mentee_id and mentor_id (columns found: {seen})")]
    MissingColumn {
        /// The file.
        source_name: String,
        /// The missing column.
        column: String,
        /// The header as read.
        seen: String,
    },
    /// A row lacks one of the two ids.
    #[error("{source_name} row {row}: column `{column}` is empty; every pair needs both ids")]
    EmptyId {
        /// The file.
        source_name: String,
        /// 1-based data row.
        row: usize,
        /// `mentee_id` or `mentor_id`.
        column: String,
    },
    /// The same pair appears on two rows.
    #[error("{source_name} row {row}: pair (mentee {mentee_id:?}, mentor {mentor_id:?}) repeats row {first_row}; list each previous pair once")]
    Duplicate {
        /// The file.
        source_name: String,
        /// 1-based data row of the repeat.
        row: usize,
        /// 1-based data row of the first occurrence.
        first_row: usize,
        /// The pair's mentee.
        mentee_id: String,
        /// The pair's mentor.
        mentor_id: String,
    },
}

/// A previous pair: `(mentee_id, mentor_id)`.
pub type IdPair = (String, String);

/// Previous pairs from `(mentee_id, mentor_id)` cells, in order: ids are trimmed, both must be
/// non-empty and no pair may repeat.
///
/// # Errors
/// [`PairsError::EmptyId`] or [`PairsError::Duplicate`], naming `source_name` and the row.
pub fn pairs_from_cells<I, A, B>(cells: I, source_name: &str) -> Result<Vec<IdPair>, PairsError>
where
    I: IntoIterator<Item = (A, B)>,
    A: AsRef<str>,
    B: AsRef<str>,
{
    let mut first: HashMap<IdPair, usize> = HashMap::new();
    let mut out = Vec::new();
    for (k, (a, b)) in cells.into_iter().enumerate() {
        let row = k + 1;
        let id = |v: &str, column: &str| {
            let v = v.trim();
            if v.is_empty() {
                Err(PairsError::EmptyId {
                    source_name: source_name.to_string(),
                    row,
                    column: column.to_string(),
                })
            } else {
                Ok(v.to_string())
            }
        };
        let pair = (id(a.as_ref(), "mentee_id")?, id(b.as_ref(), "mentor_id")?);
        if let Some(&first_row) = first.get(&pair) {
            return Err(PairsError::Duplicate {
                source_name: source_name.to_string(),
                row,
                first_row,
                mentee_id: pair.0,
                mentor_id: pair.1,
            });
        }
        first.insert(pair.clone(), row);
        out.push(pair);
    }
    Ok(out)
}

/// Read previous pairs from CSV text.
///
/// # Errors
/// See [`PairsError`].
pub fn read_pairs_csv<R: Read>(reader: R, source_name: &str) -> Result<Vec<IdPair>, PairsError> {
    let malformed = |message: String| PairsError::Malformed {
        source_name: source_name.to_string(),
        message,
    };
    let utf8 = "is not valid UTF-8 text; save the file as UTF-8";
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header = rdr
        .byte_headers()
        .map_err(|e| malformed(format!("cannot read the header: {e}")))?
        .clone();
    let header: Vec<String> = header
        .iter()
        .map(|h| {
            std::str::from_utf8(h)
                .map(|h| restore(h.trim_start_matches('\u{feff}').trim()).to_string())
                .map_err(|_| malformed(format!("the header {utf8}")))
        })
        .collect::<Result<_, _>>()?;
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| PairsError::MissingColumn {
                source_name: source_name.to_string(),
                column: name.to_string(),
                seen: header.join(", "),
            })
    };
    let (a, b) = (column("mentee_id")?, column("mentor_id")?);
    let mut cells = Vec::new();
    for (k, record) in rdr.byte_records().enumerate() {
        let record = record.map_err(|e| malformed(format!("row {}: {e}", k + 1)))?;
        let get = |i: usize| -> Result<String, PairsError> {
            let raw = record.get(i).unwrap_or_default();
            std::str::from_utf8(raw)
                .map(|s| restore(s).to_string())
                .map_err(|_| malformed(format!("row {}: column `{}` {utf8}", k + 1, header[i])))
        };
        cells.push((get(a)?, get(b)?));
    }
    pairs_from_cells(cells, source_name)
}

/// Read previous pairs from a CSV file.
///
/// # Errors
/// See [`PairsError`]; an unreadable file is [`PairsError::Malformed`].
pub fn read_pairs_path(path: &Path) -> Result<Vec<IdPair>, PairsError> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| PairsError::Malformed {
        source_name: name.clone(),
        message: format!("cannot read: {e}; check the path"),
    })?;
    read_pairs_csv(std::io::BufReader::new(file), &name)
}
