//! A raw table of string cells to a validated [`Table`]: the column layout, ids and every cell.

use super::cells::*;
use super::{BadValue, InputError, SCHEMA};
use crate::cohort::{Person, Role, Table};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

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

/// Position of a schema column in [`SCHEMA`], at compile time.
const fn schema_pos(name: &str) -> usize {
    let mut k = 0;
    while k < SCHEMA.len() {
        let (a, b) = (SCHEMA[k].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut t = 0;
            while t < a.len() && a[t] == b[t] {
                t += 1;
            }
            if t == a.len() {
                return k;
            }
        }
        k += 1;
    }
    panic!("not a schema column")
}

const ID: usize = schema_pos("id");
const GOALS: usize = schema_pos("goals");
const SKILLS: usize = schema_pos("skills");
const AVAILABILITY: usize = schema_pos("availability");
const TIMEZONE: usize = schema_pos("timezone");
const LANGUAGES: usize = schema_pos("languages");
const LEVEL: usize = schema_pos("level");
const DEPARTMENT: usize = schema_pos("department");
const MANAGER_ID: usize = schema_pos("manager_id");
const CAPACITY: usize = schema_pos("capacity");
const MENTORS_WANTED: usize = schema_pos("mentors_wanted");
const SHARED_BACKGROUND: usize = schema_pos("shared_background");
const MIN_LOAD: usize = schema_pos("min_load");

/// Positions of the schema columns in a raw table, by their position in [`SCHEMA`].
#[derive(Default)]
struct Layout {
    schema: [Option<usize>; SCHEMA.len()],
    /// Position of the `id` column (required).
    id: usize,
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
        let schema_col = SCHEMA.iter().position(|s| *s == lower);
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
            (Some(CAPACITY), Role::Mentee) => {
                return Err(InputError::WrongTableColumn {
                    table,
                    column: name.clone(),
                    fix: "mentees say how many mentors they want in `mentors_wanted`; rename the column".to_string(),
                })
            }
            (Some(MENTORS_WANTED), Role::Mentor) => {
                return Err(InputError::WrongTableColumn {
                    table,
                    column: name.clone(),
                    fix: "mentors say how many mentees they take in `capacity`; rename the column"
                        .to_string(),
                })
            }
            (Some(MIN_LOAD), Role::Mentee) => {
                return Err(InputError::WrongTableColumn {
                    table,
                    column: name.clone(),
                    fix: "`min_load` is the fewest mentees a mentor should get; drop the column from the mentee table".to_string(),
                })
            }
            (Some(SHARED_BACKGROUND), Role::Mentor) => {
                return Err(InputError::WrongTableColumn {
                    table,
                    column: name.clone(),
                    fix: "only mentees may ask for a shared background; drop the column from the mentor table".to_string(),
                })
            }
            (Some(k), _) => out.schema[k] = Some(i),
            (None, _) => out.extra.push((name.clone(), i)),
        }
    }
    let Some(id) = out.schema[ID] else {
        return Err(InputError::MissingColumn {
            table,
            column: "id".to_string(),
            fix: "add an `id` column with a unique id per person (a table with no header at all also lacks it)".to_string(),
        });
    };
    out.id = id;
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
    // Every row in parallel, straight into the table. The first bad row (in row order) is kept;
    // rows after it are not parsed, so a bad row costs no more than a sequential pass up to it.
    let first_bad = AtomicUsize::new(usize::MAX);
    let error: Mutex<Option<(usize, InputError)>> = Mutex::new(None);
    table.people.reserve(n);
    table.protected.values.reserve(n);
    (0..n)
        .into_par_iter()
        .map(|r| {
            if r > first_bad.load(Ordering::Relaxed) {
                return (Person::new(String::new()), Vec::new());
            }
            parse_row(role, &lay, raw, r).unwrap_or_else(|e| {
                let mut slot = error.lock().unwrap_or_else(|p| p.into_inner());
                if slot.as_ref().map_or(true, |(row, _)| r < *row) {
                    *slot = Some((r, e));
                    first_bad.fetch_min(r, Ordering::Relaxed);
                }
                (Person::new(String::new()), Vec::new())
            })
        })
        .unzip_into_vecs(&mut table.people, &mut table.protected.values);
    let error = error.into_inner().unwrap_or_else(|p| p.into_inner());
    let id_col = lay.id;
    let last = error.as_ref().map_or(n, |(r, _)| *r);
    let mut first_row: HashMap<&str, usize> = HashMap::with_capacity(last);
    for (r, person) in table.people[..last].iter().enumerate() {
        if let Some(&first) = first_row.get(person.id.as_str()) {
            return Err(duplicate(role, r + 1, first, &person.id));
        }
        first_row.insert(&person.id, r + 1);
    }
    if let Some((r, e)) = error {
        // The row that failed: an empty id is its error; a repeated id comes before any cell of
        // it, as in a sequential pass.
        if let Some(id) = raw.cell(r, id_col) {
            if let Some(&first) = first_row.get(id) {
                return Err(duplicate(role, r + 1, first, id));
            }
        }
        return Err(e);
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
    let get = |k: usize| -> Option<&str> { lay.schema[k].and_then(|i| raw.cell(r, i)) };
    let Some(id) = get(ID) else {
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
    let cell = |k: usize| {
        get(k).map(|value| Cell {
            table: table_name,
            row,
            id: Some(id),
            column: SCHEMA[k],
            value,
        })
    };
    let mut p = Person::new(id.to_string());
    if let Some(c) = cell(GOALS) {
        p.goals = parse_goals(&c)?;
    }
    if let Some(c) = cell(SKILLS) {
        p.skills = parse_skills(&c)?;
    }
    if let Some(c) = cell(AVAILABILITY) {
        p.availability = parse_availability(&c)?;
    }
    if let Some(c) = cell(TIMEZONE) {
        p.timezone = Some(parse_timezone(&c)?);
    }
    if let Some(c) = cell(LANGUAGES) {
        p.languages = parse_languages(c.value);
    }
    if let Some(c) = cell(LEVEL) {
        p.level = Some(parse_level(&c)?);
    }
    p.department = get(DEPARTMENT).map(str::to_string);
    p.manager_id = get(MANAGER_ID).map(str::to_string);
    let cap_col = match role {
        Role::Mentee => MENTORS_WANTED,
        Role::Mentor => CAPACITY,
    };
    if let Some(c) = cell(cap_col) {
        p.capacity = parse_capacity(&c)?;
    }
    if role == Role::Mentor {
        if let Some(c) = cell(MIN_LOAD) {
            p.min_load = Some(parse_min_load(&c)?);
        }
    }
    if let Some(c) = cell(SHARED_BACKGROUND) {
        p.shared_background = split_list(c.value, [';']).map(str::to_string).collect();
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
