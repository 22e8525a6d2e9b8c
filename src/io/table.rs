//! A raw table of string cells to a validated [`Table`]: the column layout, ids and every cell.

use super::cells::*;
use super::{BadValue, InputError, SCHEMA};
use crate::cohort::{Person, Role, Table};
use std::collections::{BTreeSet, HashMap};

/// The cells of a table before validation, as each reader holds them: by row (CSV, JSON,
/// records) or by column (DataFrames, Arrow), read in place.
pub(super) trait RawCells: Sync {
    /// Number of rows.
    fn n_rows(&self) -> usize;
    /// Row `row`, column `col` as text (`None` = missing, or a row shorter than the header).
    fn cell(&self, row: usize, col: usize) -> Option<&str>;
    /// The same cell as a typed value, when the source has types (JSON, records, typed
    /// columns): what extra columns carry through. `None` carries the text through.
    fn typed(&self, row: usize, col: usize) -> Option<serde_json::Value>;
}

/// A table before validation, row by row: column names and string cells (`None` = missing).
pub(super) struct RawTable {
    pub(super) columns: Vec<String>,
    pub(super) rows: Vec<Vec<Option<String>>>,
    /// The cells as typed values, when the source has types (JSON, records): what extra columns
    /// carry through. `None` for CSV, whose cells are all text.
    pub(super) typed: Option<Vec<Vec<Option<serde_json::Value>>>>,
}

impl RawCells for RawTable {
    fn n_rows(&self) -> usize {
        self.rows.len()
    }

    fn cell(&self, row: usize, col: usize) -> Option<&str> {
        self.rows[row].get(col).and_then(|c| c.as_deref())
    }

    fn typed(&self, row: usize, col: usize) -> Option<serde_json::Value> {
        self.typed
            .as_ref()
            .and_then(|t| t.get(row))
            .and_then(|r| r.get(col))
            .cloned()
            .flatten()
    }
}

/// Positions of the schema columns in a raw table.
#[derive(Default)]
struct Layout {
    schema: HashMap<&'static str, usize>,
    protected: Vec<(String, usize)>,
    extra: Vec<(String, usize)>,
}

fn layout(role: Role, columns: &[String], protected: &[String]) -> Result<Layout, InputError> {
    let table = role.table().to_string();
    let mut out = Layout::default();
    let mut seen = BTreeSet::new();
    for (i, name) in columns.iter().enumerate() {
        let lower = name.to_ascii_lowercase();
        if !seen.insert(lower.clone()) {
            return Err(InputError::DuplicateColumn {
                table,
                column: name.clone(),
            });
        }
        let schema_col = SCHEMA.iter().find(|s| **s == lower).copied();
        if protected.iter().any(|p| p.trim() == name) {
            if schema_col.is_some() {
                return Err(InputError::ProtectedSchemaColumn {
                    table,
                    column: name.clone(),
                });
            }
            out.protected.push((name.clone(), i));
            continue;
        }
        match (schema_col, role) {
            (Some("capacity"), Role::Mentee) => {
                return Err(InputError::WrongTableColumn {
                    table,
                    column: name.clone(),
                    fix: "mentees say how many mentors they want in `mentors_wanted`; rename the column".to_string(),
                })
            }
            (Some("mentors_wanted"), Role::Mentor) => {
                return Err(InputError::WrongTableColumn {
                    table,
                    column: name.clone(),
                    fix: "mentors say how many mentees they take in `capacity`; rename the column"
                        .to_string(),
                })
            }
            (Some("min_load"), Role::Mentee) => {
                return Err(InputError::WrongTableColumn {
                    table,
                    column: name.clone(),
                    fix: "`min_load` is the fewest mentees a mentor should get; drop the column from the mentee table".to_string(),
                })
            }
            (Some("shared_background"), Role::Mentor) => {
                return Err(InputError::WrongTableColumn {
                    table,
                    column: name.clone(),
                    fix: "only mentees may ask for a shared background; drop the column from the mentor table".to_string(),
                })
            }
            (Some(s), _) => {
                out.schema.insert(s, i);
            }
            (None, _) => out.extra.push((name.clone(), i)),
        }
    }
    if !out.schema.contains_key("id") {
        return Err(InputError::MissingColumn {
            table,
            column: "id".to_string(),
            fix: "add an `id` column with a unique id per person (a table with no header at all also lacks it)".to_string(),
        });
    }
    // Protected columns keep the caller's order.
    out.protected.sort_by_key(|(name, _)| {
        protected
            .iter()
            .position(|p| p.trim() == name)
            .unwrap_or(usize::MAX)
    });
    Ok(out)
}

/// Validate a row-major table (CSV, JSON, records).
pub(super) fn parse_table(
    role: Role,
    raw: RawTable,
    protected: &[String],
) -> Result<Table, InputError> {
    parse_cells(role, &raw.columns, &raw, protected)
}

/// Validate any table: the column layout, then every row (in parallel; the first error in row
/// order is reported, exactly as a sequential pass would find it), then the ids in row order.
pub(super) fn parse_cells(
    role: Role,
    columns: &[String],
    raw: &impl RawCells,
    protected: &[String],
) -> Result<Table, InputError> {
    use rayon::prelude::*;
    let lay = layout(role, columns, protected)?;
    let mut table = Table::new(role);
    table.protected.columns = lay.protected.iter().map(|(n, _)| n.clone()).collect();
    let n = raw.n_rows();
    // Rows in chunks: each chunk stops at its first error, so a bad row costs no more than a
    // sequential pass would up to it.
    const CHUNK: usize = 2048;
    let chunks: Vec<(Vec<Parsed>, Option<InputError>)> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let rows = c * CHUNK..n.min((c + 1) * CHUNK);
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                match parse_row(role, &lay, raw, r) {
                    Ok(p) => out.push(p),
                    Err(e) => return (out, Some(e)),
                }
            }
            (out, None)
        })
        .collect();
    let id_col = lay.schema["id"];
    let mut first_row: HashMap<&str, usize> = HashMap::with_capacity(n);
    for (c, (parsed, error)) in chunks.iter().enumerate() {
        for (k, (person, _)) in parsed.iter().enumerate() {
            let row = c * CHUNK + k + 1;
            if let Some(&first) = first_row.get(person.id.as_str()) {
                return Err(duplicate(role, row, first, &person.id));
            }
            first_row.insert(&person.id, row);
        }
        if let Some(e) = error {
            // The row that failed: an empty id is its error; a repeated id comes before any
            // cell of it, as in a sequential pass.
            let r = c * CHUNK + parsed.len();
            if let Some(&first) = raw.cell(r, id_col).and_then(|id| first_row.get(id)) {
                return Err(duplicate(
                    role,
                    r + 1,
                    first,
                    raw.cell(r, id_col).unwrap_or(""),
                ));
            }
            return Err(e.clone());
        }
    }
    drop(first_row);
    table.people.reserve(n);
    table.protected.values.reserve(n);
    for (rows, _) in chunks {
        for (person, values) in rows {
            table.people.push(person);
            table.protected.values.push(values);
        }
    }
    Ok(table)
}

fn duplicate(role: Role, row: usize, first_row: usize, id: &str) -> InputError {
    InputError::DuplicateId {
        table: role.table().to_string(),
        row,
        first_row,
        id: id.to_string(),
    }
}

/// One validated row: the person and the protected cells.
type Parsed = (Person, Vec<Option<String>>);

fn parse_row(
    role: Role,
    lay: &Layout,
    raw: &impl RawCells,
    r: usize,
) -> Result<Parsed, InputError> {
    let table_name = role.table();
    let row = r + 1;
    let get = |col: &str| -> Option<&str> { lay.schema.get(col).and_then(|&i| raw.cell(r, i)) };
    let Some(id) = get("id") else {
        return Err(InputError::InvalidValue(Box::new(BadValue {
            table: table_name.to_string(),
            row,
            id: None,
            column: "id".to_string(),
            value: String::new(),
            problem: "the id is empty".to_string(),
            fix: "give every person a unique, non-empty id".to_string(),
        })));
    };
    let cell = |column: &'static str| {
        get(column).map(|value| Cell {
            table: table_name,
            row,
            id: Some(id),
            column,
            value,
        })
    };
    let mut p = Person::new(id.to_string());
    if let Some(c) = cell("goals") {
        p.goals = parse_goals(&c)?;
    }
    if let Some(c) = cell("skills") {
        p.skills = parse_skills(&c)?;
    }
    if let Some(c) = cell("availability") {
        p.availability = parse_availability(&c)?;
    }
    if let Some(c) = cell("timezone") {
        p.timezone = Some(parse_timezone(&c)?);
    }
    if let Some(c) = cell("languages") {
        p.languages = parse_languages(c.value);
    }
    if let Some(c) = cell("level") {
        p.level = Some(parse_level(&c)?);
    }
    p.department = get("department").map(str::to_string);
    p.manager_id = get("manager_id").map(str::to_string);
    let cap_col = match role {
        Role::Mentee => "mentors_wanted",
        Role::Mentor => "capacity",
    };
    if let Some(c) = cell(cap_col) {
        p.capacity = parse_capacity(&c)?;
    }
    if role == Role::Mentor {
        if let Some(c) = cell("min_load") {
            p.min_load = Some(parse_min_load(&c)?);
        }
    }
    if let Some(c) = cell("shared_background") {
        p.shared_background = split_list(c.value, &[';']).map(str::to_string).collect();
    }
    for (name, i) in &lay.extra {
        if let Some(v) = raw.cell(r, *i) {
            let value = raw
                .typed(r, *i)
                .unwrap_or_else(|| serde_json::Value::String(v.to_string()));
            p.extra.insert(name.clone(), value);
        }
    }
    let protected = lay
        .protected
        .iter()
        .map(|(_, i)| raw.cell(r, *i).map(str::to_string))
        .collect();
    Ok((p, protected))
}
