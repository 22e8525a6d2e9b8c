//! Table writers (CSV, JSON) that the readers read back to an equal table.

use super::records::value_to_cell;
use super::safe_csv::{CsvCells, CsvWriter};
use super::SCHEMA;
use crate::cohort::{Person, Role, Table};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::Write;

fn fmt_num(x: f64) -> String {
    format!("{x}")
}

/// The cells of one person in [`columns`] order.
fn person_cells(table: &Table, i: usize, p: &Person, columns: &[String]) -> Vec<Option<String>> {
    columns
        .iter()
        .map(|col| match col.as_str() {
            "id" => Some(p.id.clone()),
            "goals" => join(p.goals.iter().map(|g| {
                if g.weight == 1.0 {
                    g.tag.clone()
                } else {
                    format!("{}:{}", g.tag, fmt_num(g.weight))
                }
            })),
            "skills" => join(p.skills.iter().map(|s| format!("{}:{}", s.name, s.level))),
            "availability" => join(p.availability.iter().map(|s| {
                format!(
                    "{} {:02}:{:02}-{:02}:{:02}",
                    s.day.abbrev(),
                    s.start / 60,
                    s.start % 60,
                    s.end / 60,
                    s.end % 60
                )
            })),
            "timezone" => p.timezone.clone(),
            "languages" => join(p.languages.iter().cloned()),
            "level" => p.level.map(|l| l.to_string()),
            "department" => p.department.clone(),
            "manager_id" => p.manager_id.clone(),
            "capacity" | "mentors_wanted" => Some(p.capacity.to_string()),
            "shared_background" => join(p.shared_background.iter().cloned()),
            "min_load" => p.min_load.map(|m| m.to_string()),
            other => match table.protected.columns.iter().position(|c| c == other) {
                Some(k) => table
                    .protected
                    .values
                    .get(i)
                    .and_then(|v| v.get(k))
                    .cloned()
                    .flatten(),
                None => p
                    .extra
                    .get(other)
                    .and_then(|v| value_to_cell(v).ok().flatten()),
            },
        })
        .collect()
}

fn is_protected(table: &Table, column: &str) -> bool {
    table.protected.columns.iter().any(|c| c == column)
}

fn join(it: impl Iterator<Item = String>) -> Option<String> {
    let v: Vec<String> = it.collect();
    (!v.is_empty()).then(|| v.join(";"))
}

/// The columns the writers emit for `table`: schema, then protected, then extra (sorted).
pub fn columns(table: &Table) -> Vec<String> {
    let mut cols: Vec<String> = SCHEMA
        .iter()
        .filter(|c| match table.role {
            Role::Mentee => **c != "capacity" && **c != "min_load",
            Role::Mentor => **c != "mentors_wanted" && **c != "shared_background",
        })
        // `min_load` only when some mentor has one, so tables without it read back unchanged.
        .filter(|c| **c != "min_load" || table.people.iter().any(|p| p.min_load.is_some()))
        .map(|c| c.to_string())
        .collect();
    cols.extend(table.protected.columns.iter().cloned());
    let extra: BTreeSet<&String> = table.people.iter().flat_map(|p| p.extra.keys()).collect();
    cols.extend(extra.into_iter().cloned());
    cols
}

/// Write a table as CSV with a header, spreadsheet-safe (see [`CsvCells::Safe`]);
/// [`read_csv`](super::read_csv) with the same `protected` list reads it back to an equal table.
///
/// # Errors
/// The writer's error.
pub fn write_csv<W: Write>(table: &Table, writer: W) -> std::io::Result<()> {
    write_csv_cells(table, writer, CsvCells::Safe)
}

/// [`write_csv`] with the choice of neutralising formula-like cells or writing them raw.
///
/// # Errors
/// The writer's error.
pub fn write_csv_cells<W: Write>(table: &Table, writer: W, cells: CsvCells) -> std::io::Result<()> {
    let cols = columns(table);
    let mut w = CsvWriter::new(writer, cells);
    w.row(&cols)?;
    for (i, p) in table.people.iter().enumerate() {
        w.row(
            person_cells(table, i, p, &cols)
                .into_iter()
                .map(|c| c.unwrap_or_default()),
        )?;
    }
    w.flush()
}

/// Write a table as a JSON array of objects (missing values omitted); [`read_json`] with the same
/// `protected` list reads it back to an equal table.
pub fn write_json<W: Write>(table: &Table, writer: W) -> std::io::Result<()> {
    let cols = columns(table);
    let rows: Vec<serde_json::Map<String, Value>> = table
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| {
            cols.iter()
                .zip(person_cells(table, i, p, &cols))
                .filter_map(|(c, v)| match p.extra.get(c) {
                    // Extra columns keep their types; every other column is written as text.
                    Some(typed) if !is_protected(table, c) => Some((c.clone(), typed.clone())),
                    _ => v.map(|v| (c.clone(), Value::String(v))),
                })
                .collect()
        })
        .collect();
    serde_json::to_writer(writer, &rows).map_err(std::io::Error::other)
}
