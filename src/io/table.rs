//! A raw table of string cells to a validated [`Table`]: the column layout, ids and every cell.

use super::cells::*;
use super::{BadValue, InputError, SCHEMA};
use crate::cohort::{Person, Role, Table};
use std::collections::{BTreeSet, HashMap};

/// A table before validation: column names and string cells (`None` = missing).
pub(super) struct RawTable {
    pub(super) columns: Vec<String>,
    pub(super) rows: Vec<Vec<Option<String>>>,
    /// The cells as typed values, when the source has types (JSON, records): what extra columns
    /// carry through. `None` for CSV, whose cells are all text.
    pub(super) typed: Option<Vec<Vec<Option<serde_json::Value>>>>,
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

pub(super) fn parse_table(
    role: Role,
    raw: RawTable,
    protected: &[String],
) -> Result<Table, InputError> {
    let lay = layout(role, &raw.columns, protected)?;
    let table_name = role.table();
    let mut table = Table::new(role);
    table.protected.columns = lay.protected.iter().map(|(n, _)| n.clone()).collect();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for (r, cells) in raw.rows.iter().enumerate() {
        let row = r + 1;
        let get = |col: &str| -> Option<&str> {
            lay.schema
                .get(col)
                .and_then(|&i| cells.get(i))
                .and_then(|c| c.as_deref())
        };
        let id = match get("id") {
            Some(id) => id.to_string(),
            None => {
                return Err(InputError::InvalidValue(Box::new(BadValue {
                    table: table_name.to_string(),
                    row,
                    id: None,
                    column: "id".to_string(),
                    value: String::new(),
                    problem: "the id is empty".to_string(),
                    fix: "give every person a unique, non-empty id".to_string(),
                })))
            }
        };
        if let Some(&first) = first_row.get(&id) {
            return Err(InputError::DuplicateId {
                table: table_name.to_string(),
                row,
                first_row: first,
                id,
            });
        }
        first_row.insert(id.clone(), row);
        let cell = |column: &'static str| {
            get(column).map(|value| Cell {
                table: table_name,
                row,
                id: Some(&id),
                column,
                value,
            })
        };
        let mut p = Person::new(id.clone());
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
            if let Some(Some(v)) = cells.get(*i) {
                let typed = raw
                    .typed
                    .as_ref()
                    .and_then(|t| t.get(r))
                    .and_then(|row| row.get(*i))
                    .cloned()
                    .flatten();
                p.extra.insert(
                    name.clone(),
                    typed.unwrap_or_else(|| serde_json::Value::String(v.clone())),
                );
            }
        }
        table.protected.values.push(
            lay.protected
                .iter()
                .map(|(_, i)| cells.get(*i).cloned().flatten())
                .collect(),
        );
        table.people.push(p);
    }
    Ok(table)
}
