//! Records (a list of dicts, a pandas DataFrame's rows) to a raw table of string cells.

use super::table::{parse_table, RawTable};
use super::{BadValue, InputError, Record};
use crate::cohort::{Role, Table};
use serde_json::Value;
use std::collections::HashMap;

/// booleans and `null` are accepted; a list is joined with `;` (e.g. `["en", "de"]`).
///
/// # Errors
/// See [`InputError`].
pub fn read_records(
    role: Role,
    records: &[Record],
    protected: &[String],
) -> Result<Table, InputError> {
    read_records_with_columns(role, None, records, protected)
}

/// [`read_records`] with the table's `columns` when they are known (a DataFrame's), so that a
/// table without rows is still checked: an empty DataFrame without an `id` column is an error.
/// Without `columns` and without rows there is nothing to check: an empty table.
///
/// # Errors
/// See [`InputError`].
pub fn read_records_with_columns(
    role: Role,
    known_columns: Option<&[String]>,
    records: &[Record],
    protected: &[String],
) -> Result<Table, InputError> {
    let table = role.table();
    if records.is_empty() && known_columns.is_none() {
        return Ok(Table::new(role));
    }
    let mut columns: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for name in known_columns.unwrap_or_default() {
        let name = name.trim().to_string();
        if index.contains_key(&name) {
            return Err(InputError::DuplicateColumn {
                table: table.to_string(),
                column: name,
            });
        }
        index.insert(name.clone(), columns.len());
        columns.push(name);
    }
    for rec in records {
        for k in rec.keys() {
            let name = k.trim().to_string();
            if !index.contains_key(&name) {
                index.insert(name.clone(), columns.len());
                columns.push(name);
            }
        }
    }
    let mut rows = Vec::with_capacity(records.len());
    let mut typed = Vec::with_capacity(records.len());
    for (i, rec) in records.iter().enumerate() {
        let mut row = vec![None; columns.len()];
        let mut values = vec![None; columns.len()];
        for (k, v) in rec {
            let Some(&c) = index.get(k.trim()) else {
                continue;
            };
            let cell = value_to_cell(v).map_err(|problem| {
                InputError::InvalidValue(Box::new(BadValue {
                    table: table.to_string(),
                    row: i + 1,
                    id: None,
                    column: k.clone(),
                    value: v.to_string(),
                    problem,
                    fix: "use a string, a number, a boolean, null or a list of strings".to_string(),
                }))
            })?;
            if row[c].is_some() && cell.is_some() {
                return Err(InputError::DuplicateColumn {
                    table: table.to_string(),
                    column: k.trim().to_string(),
                });
            }
            if cell.is_some() {
                row[c] = cell;
                values[c] = Some(match v {
                    Value::String(s) => Value::String(s.trim().to_string()),
                    other => other.clone(),
                });
            }
        }
        rows.push(row);
        typed.push(values);
    }
    parse_table(
        role,
        RawTable {
            columns,
            rows,
            typed: Some(typed),
        },
        protected,
    )
}

pub(super) fn value_to_cell(v: &Value) -> Result<Option<String>, String> {
    Ok(match v {
        Value::Null => None,
        Value::Bool(b) => Some(bool_cell(*b)),
        Value::Number(n) => Some(number_to_string(n)),
        Value::String(s) => text_cell(s),
        Value::Array(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for it in items {
                match it {
                    Value::Array(_) | Value::Object(_) => return Err(NESTED.to_string()),
                    other => {
                        if let Some(s) = value_to_cell(other)? {
                            parts.push(s);
                        }
                    }
                }
            }
            list_cell(parts)
        }
        Value::Object(_) => return Err("an object cannot be a cell value".to_string()),
    })
}

/// Why a list inside a list cell is refused.
const NESTED: &str = "nested lists and objects are not supported";

/// A text cell: trimmed; empty means missing.
pub(super) fn text_cell(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A boolean cell, as the CSV reader would see it.
pub(super) fn bool_cell(b: bool) -> String {
    b.to_string()
}

/// The items of a list cell (already cells themselves), joined with `;`; no items means missing.
fn list_cell(parts: Vec<String>) -> Option<String> {
    (!parts.is_empty()).then(|| parts.join(";"))
}

/// A floating-point cell: NaN is missing; integral floats (pandas turns integer columns with
/// gaps into floats) print without `.0`, so `17.0` and `17` name the same manager.
pub(super) fn float_cell(f: f64) -> Option<String> {
    if f.is_nan() {
        return None;
    }
    if f.fract() == 0.0 && f.abs() < 9.0e15 {
        return Some(format!("{}", f as i64));
    }
    Some(serde_json::Number::from_f64(f).map_or_else(|| f.to_string(), |n| n.to_string()))
}

fn number_to_string(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.is_f64() => float_cell(f).unwrap_or_else(|| n.to_string()),
        _ => n.to_string(),
    }
}
