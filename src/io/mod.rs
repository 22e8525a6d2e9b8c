//! Reading and writing participant tables: CSV, JSON, generic records and columns (pandas, polars,
//! Arrow, lists of dicts).
//! Every source goes through one parse + validate path; errors name table, row, id, column, value
//! and the fix. No row is ever dropped silently.

pub mod atomic;
mod cells;
mod columns;
mod csv;
pub mod history;
mod json;
mod pairs;
mod records;
pub mod safe_csv;
mod table;
mod write;

pub use self::csv::read_csv;
#[cfg(feature = "arrow")]
pub use columns::read_record_batches;
pub use columns::{read_columns, Column, ColumnValues};
pub use json::read_json;
pub use pairs::{pairs_from_cells, read_pairs_csv, read_pairs_path, IdPair, PairsError};
pub use records::{read_records, read_records_with_columns};
pub use write::{columns, write_csv, write_csv_cells, write_json};

use crate::cohort::{Cohort, Role, Table};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// One input row as a map from column name to JSON value (the shape of a list of dicts or a
/// pandas `to_dict("records")`). `null` means a missing value.
pub type Record = BTreeMap<String, Value>;

/// Largest accepted goal weight (`leadership:2`); goal weights lie in (0, 1000].
pub const MAX_GOAL_WEIGHT: f64 = 1000.0;

/// Largest accepted `capacity` / `mentors_wanted`.
pub const MAX_CAPACITY: u32 = 10_000;

/// The schema columns, in the order the writers emit them. Everything else is an extra column.
const SCHEMA: [&str; 13] = [
    "id",
    "goals",
    "skills",
    "availability",
    "timezone",
    "languages",
    "level",
    "department",
    "manager_id",
    "capacity",
    "mentors_wanted",
    "shared_background",
    "min_load",
];

/// A problem with an input table. Every message names where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    /// A required column is absent (or the table has no header at all).
    #[error("{table}: missing required column `{column}`; {fix}")]
    MissingColumn {
        /// `mentees` or `mentors`.
        table: String,
        /// The missing column.
        column: String,
        /// What to do about it.
        fix: String,
    },
    /// The same column name appears twice (after trimming, case-insensitive for schema columns).
    #[error("{table}: column `{column}` appears more than once in the header; keep one of them")]
    DuplicateColumn {
        /// `mentees` or `mentors`.
        table: String,
        /// The repeated column.
        column: String,
    },
    /// A column that belongs to the other table (`capacity` in mentees, for example).
    #[error("{table}: column `{column}` does not belong in this table; {fix}")]
    WrongTableColumn {
        /// `mentees` or `mentors`.
        table: String,
        /// The column.
        column: String,
        /// What to do about it.
        fix: String,
    },
    /// A column listed in `protected` is a scoring column and cannot be held apart.
    #[error("{table}: `{column}` cannot be protected because it is a scoring column of the schema; rename the column or remove it from `protected`")]
    ProtectedSchemaColumn {
        /// `mentees` or `mentors`.
        table: String,
        /// The column.
        column: String,
    },
    /// A cell holds a value that does not parse or is out of range.
    #[error("{0}")]
    InvalidValue(Box<BadValue>),
    /// Two rows share an id.
    #[error("{table} row {row}: duplicate id {id:?} (first used in row {first_row}); ids must be unique within a table")]
    DuplicateId {
        /// `mentees` or `mentors`.
        table: String,
        /// 1-based data row of the second occurrence.
        row: usize,
        /// 1-based data row of the first occurrence.
        first_row: usize,
        /// The id.
        id: String,
    },
    /// The file could not be read or is not well-formed CSV/JSON.
    #[error("{table}: cannot read {source_name}: {message}")]
    Malformed {
        /// `mentees` or `mentors`.
        table: String,
        /// What was being read (a path, `CSV`, `JSON`).
        source_name: String,
        /// The underlying problem, with a position when known.
        message: String,
    },
}

/// Where a bad cell is, what is wrong with it and how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{table} row {row}{}: column `{column}` has invalid value {value:?}: {problem}; {fix}", fmt_id(.id))]
pub struct BadValue {
    /// `mentees` or `mentors`.
    pub table: String,
    /// 1-based data row (the header is not counted).
    pub row: usize,
    /// The row's id, when it could be read.
    pub id: Option<String>,
    /// The column.
    pub column: String,
    /// The offending value, as given.
    pub value: String,
    /// What is wrong.
    pub problem: String,
    /// What to write instead.
    pub fix: String,
}

fn fmt_id(id: &Option<String>) -> String {
    match id {
        Some(id) => format!(" (id {id:?})"),
        None => String::new(),
    }
}

/// Read a table from a `.csv` or `.json` file.
pub fn read_path(role: Role, path: &Path, protected: &[String]) -> Result<Table, InputError> {
    let file = std::fs::File::open(path).map_err(|e| InputError::Malformed {
        table: role.table().to_string(),
        source_name: path.display().to_string(),
        message: format!("{e}; check the path"),
    })?;
    let reader = std::io::BufReader::new(file);
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("json") => read_json(role, reader, protected),
        Some("csv") | Some("txt") | None => read_csv(role, reader, protected),
        Some(other) => Err(InputError::Malformed {
            table: role.table().to_string(),
            source_name: path.display().to_string(),
            message: format!("unknown file type `.{other}`; use a .csv or .json file"),
        }),
    }
}

/// Every column named in `protected` must be a column of at least one table: a name found in
/// neither is a typo (`gendr`), and the audit would silently find no groups.
///
/// # Errors
/// [`InputError::MissingColumn`] naming the column and the closest column the tables have.
pub fn check_protected(cohort: &Cohort, protected: &[String]) -> Result<(), InputError> {
    let tables = [&cohort.mentees, &cohort.mentors];
    for name in protected {
        let name = name.trim();
        if tables
            .iter()
            .any(|t| t.protected.columns.iter().any(|c| c == name))
        {
            continue;
        }
        let mut seen: Vec<String> = SCHEMA.iter().map(|s| s.to_string()).collect();
        for t in tables {
            seen.extend(t.protected.columns.iter().cloned());
            seen.extend(t.people.iter().flat_map(|p| p.extra.keys().cloned()));
        }
        seen.sort();
        seen.dedup();
        let close = seen
            .iter()
            .map(|c| (edit_distance(&c.to_lowercase(), &name.to_lowercase()), c))
            .filter(|(d, _)| *d <= 2.max(name.chars().count() / 3))
            .min();
        let hint = match close {
            Some((_, c)) => format!("did you mean `{c}`? "),
            None => String::new(),
        };
        return Err(InputError::MissingColumn {
            table: "mentees and mentors".to_string(),
            column: name.to_string(),
            fix: format!(
                "`{name}` is listed as protected but neither table has it; {hint}fix the name in --protected / protected = [...]"
            ),
        });
    }
    Ok(())
}

/// Levenshtein distance between two short strings (column names).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
