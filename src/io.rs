//! Reading and writing participant tables: CSV, JSON and generic records (pandas, lists of dicts).
//! Every source goes through one parse + validate path; errors name table, row, id, column, value
//! and the fix. No row is ever dropped silently.

use crate::cohort::{Goal, Person, Role, Skill, Slot, Table, Weekday};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::Path;
use std::str::FromStr;

/// One input row as a map from column name to JSON value (the shape of a list of dicts or a
/// pandas `to_dict("records")`). `null` means a missing value.
pub type Record = BTreeMap<String, Value>;

/// Largest accepted `capacity` / `mentors_wanted`.
pub const MAX_CAPACITY: u32 = 10_000;

/// The schema columns, in the order the writers emit them. Everything else is an extra column.
const SCHEMA: [&str; 12] = [
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

/// A table before validation: column names and string cells (`None` = missing).
struct RawTable {
    columns: Vec<String>,
    rows: Vec<Vec<Option<String>>>,
}

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

/// Read a table from a JSON array of objects (one object per person).
pub fn read_json<R: Read>(
    role: Role,
    reader: R,
    protected: &[String],
) -> Result<Table, InputError> {
    let records: Vec<Value> =
        serde_json::from_reader(reader).map_err(|e| InputError::Malformed {
            table: role.table().to_string(),
            source_name: "JSON".to_string(),
            message: format!("{e}; expected an array of objects, one per person"),
        })?;
    let mut objects = Vec::with_capacity(records.len());
    for (i, v) in records.into_iter().enumerate() {
        match v {
            Value::Object(map) => objects.push(map.into_iter().collect::<Record>()),
            other => {
                return Err(InputError::Malformed {
                    table: role.table().to_string(),
                    source_name: "JSON".to_string(),
                    message: format!(
                        "data row {} is {other} instead of an object with column names as keys",
                        i + 1
                    ),
                })
            }
        }
    }
    read_records(role, &objects, protected)
}

/// Read a table from records (a list of dicts, a pandas DataFrame's rows). Strings, numbers,
/// booleans and `null` are accepted; a list is joined with `;` (e.g. `["en", "de"]`).
pub fn read_records(
    role: Role,
    records: &[Record],
    protected: &[String],
) -> Result<Table, InputError> {
    let table = role.table();
    if records.is_empty() {
        // No rows means no columns to check either: an empty table, not a missing `id`.
        return Ok(Table::new(role));
    }
    let mut columns: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
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
    for (i, rec) in records.iter().enumerate() {
        let mut row = vec![None; columns.len()];
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
            }
        }
        rows.push(row);
    }
    parse_table(role, RawTable { columns, rows }, protected)
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

fn value_to_cell(v: &Value) -> Result<Option<String>, String> {
    Ok(match v {
        Value::Null => None,
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(number_to_string(n)),
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Value::Array(items) => {
            let mut parts = Vec::with_capacity(items.len());
            for it in items {
                match it {
                    Value::Array(_) | Value::Object(_) => {
                        return Err("nested lists and objects are not supported".to_string())
                    }
                    other => {
                        if let Some(s) = value_to_cell(other)? {
                            parts.push(s);
                        }
                    }
                }
            }
            (!parts.is_empty()).then(|| parts.join(";"))
        }
        Value::Object(_) => return Err("an object cannot be a cell value".to_string()),
    })
}

/// Integral floats (pandas turns integer columns with gaps into floats) print without `.0`, so
/// `17.0` and `17` name the same manager.
fn number_to_string(n: &serde_json::Number) -> String {
    if let Some(f) = n.as_f64() {
        if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 {
            return format!("{}", f as i64);
        }
    }
    n.to_string()
}

/// Where in a table a value came from, for error messages.
struct Cell<'a> {
    table: &'a str,
    row: usize,
    id: Option<&'a str>,
    column: &'a str,
    value: &'a str,
}

impl Cell<'_> {
    fn err(&self, problem: impl Into<String>, fix: impl Into<String>) -> InputError {
        InputError::InvalidValue(Box::new(BadValue {
            table: self.table.to_string(),
            row: self.row,
            id: self.id.map(str::to_string),
            column: self.column.to_string(),
            value: self.value.to_string(),
            problem: problem.into(),
            fix: fix.into(),
        }))
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

fn parse_table(role: Role, raw: RawTable, protected: &[String]) -> Result<Table, InputError> {
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
        if let Some(c) = cell("shared_background") {
            p.shared_background = split_list(c.value, &[';']).map(str::to_string).collect();
        }
        for (name, i) in &lay.extra {
            if let Some(Some(v)) = cells.get(*i) {
                p.extra.insert(name.clone(), v.clone());
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

fn split_list<'a>(s: &'a str, seps: &'a [char]) -> impl Iterator<Item = &'a str> + 'a {
    s.split(seps).map(str::trim).filter(|x| !x.is_empty())
}

fn normalise_tag(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn parse_goals(c: &Cell) -> Result<Vec<Goal>, InputError> {
    let mut out: Vec<Goal> = Vec::new();
    for part in split_list(c.value, &[';']) {
        let (tag, weight) = match part.rsplit_once(':') {
            Some((tag, w)) => {
                let weight: f64 = w.trim().parse().map_err(|_| {
                    c.err(
                        format!("goal weight {:?} in {part:?} is not a number", w.trim()),
                        "write goals as `tag` or `tag:weight` with a positive number, e.g. `leadership:2;public speaking`",
                    )
                })?;
                (tag, weight)
            }
            None => (part, 1.0),
        };
        if !(weight.is_finite() && weight > 0.0) {
            return Err(c.err(
                format!("goal weight {weight} in {part:?} must be a positive finite number"),
                "use a weight such as 1 or 2, or leave it out (weight 1)",
            ));
        }
        let tag = normalise_tag(tag);
        if tag.is_empty() {
            return Err(c.err(
                format!("{part:?} has an empty goal tag"),
                "write goals as `tag` or `tag:weight`",
            ));
        }
        if out.iter().any(|g| g.tag == tag) {
            return Err(c.err(
                format!("goal {tag:?} is listed twice"),
                "list each goal once; give it a weight (`tag:2`) to make it count more",
            ));
        }
        out.push(Goal { tag, weight });
    }
    Ok(out)
}

fn parse_skills(c: &Cell) -> Result<Vec<Skill>, InputError> {
    let mut out: Vec<Skill> = Vec::new();
    let fix = "write skills as `name:level` with a level from 1 to 5, e.g. `python:4;sql:2`";
    for part in split_list(c.value, &[';']) {
        let Some((name, lvl)) = part.rsplit_once(':') else {
            return Err(c.err(format!("skill {part:?} has no level"), fix));
        };
        let level = parse_int(lvl.trim())
            .filter(|l| (1..=5).contains(l))
            .ok_or_else(|| {
                c.err(
                    format!(
                        "skill level {:?} in {part:?} is not an integer from 1 to 5",
                        lvl.trim()
                    ),
                    fix,
                )
            })? as u8;
        let name = normalise_tag(name);
        if name.is_empty() {
            return Err(c.err(format!("{part:?} has an empty skill name"), fix));
        }
        if out.iter().any(|s| s.name == name) {
            return Err(c.err(
                format!("skill {name:?} is listed twice"),
                "list each skill once",
            ));
        }
        out.push(Skill { name, level });
    }
    Ok(out)
}

/// Integers, also written as integral floats (`3.0`, from pandas).
fn parse_int(s: &str) -> Option<i64> {
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let f: f64 = s.parse().ok()?;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
}

fn parse_level(c: &Cell) -> Result<i32, InputError> {
    parse_int(c.value)
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(|| {
            c.err(
                "the seniority level must be an integer grade",
                "use a number such as 3 (higher = more senior), or leave the cell empty",
            )
        })
}

fn parse_capacity(c: &Cell) -> Result<u32, InputError> {
    parse_int(c.value)
        .filter(|v| (0..=MAX_CAPACITY as i64).contains(v))
        .map(|v| v as u32)
        .ok_or_else(|| {
            c.err(
                format!("must be a whole number from 0 to {MAX_CAPACITY}"),
                "use e.g. 1 or 2 (0 = takes part but gets no match), or leave it empty for the default 1",
            )
        })
}

fn parse_timezone(c: &Cell) -> Result<String, InputError> {
    chrono_tz::Tz::from_str(c.value)
        .map(|tz| tz.name().to_string())
        .map_err(|_| {
            c.err(
                "unknown time zone",
                "use an IANA time zone name such as Europe/Berlin, America/New_York or Asia/Kolkata",
            )
        })
}

fn parse_languages(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in split_list(s, &[';', ',']) {
        let l = normalise_tag(l);
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

fn parse_weekday(s: &str) -> Option<Weekday> {
    let l = s.to_ascii_lowercase();
    let full = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    Weekday::ALL
        .into_iter()
        .zip(full)
        .find_map(|(d, f)| (l == f || l == d.abbrev().to_ascii_lowercase()).then_some(d))
}

fn parse_clock(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    (h <= 24 && m < 60 && (h < 24 || m == 0)).then_some(h * 60 + m)
}

fn parse_availability(c: &Cell) -> Result<Vec<Slot>, InputError> {
    let fix = "write weekly slots as `Mon 09:00-11:00;Wed 14:00-15:30` (24-hour clock, local time, end after start; split slots that pass midnight)";
    let mut out = Vec::new();
    for part in split_list(c.value, &[';', ',']) {
        let (day, range) = part
            .split_once(char::is_whitespace)
            .ok_or_else(|| c.err(format!("slot {part:?} needs a day and a time range"), fix))?;
        let day = parse_weekday(day.trim()).ok_or_else(|| {
            c.err(
                format!("{:?} in slot {part:?} is not a day of the week", day.trim()),
                fix,
            )
        })?;
        let (a, b) = range
            .split_once('-')
            .ok_or_else(|| c.err(format!("slot {part:?} has no `start-end` range"), fix))?;
        let (start, end) = match (parse_clock(a), parse_clock(b)) {
            (Some(s), Some(e)) => (s, e),
            _ => {
                return Err(c.err(
                    format!("slot {part:?} does not have valid HH:MM times within 00:00-24:00"),
                    fix,
                ))
            }
        };
        if start >= end {
            return Err(c.err(format!("slot {part:?} ends before it starts"), fix));
        }
        out.push(Slot { day, start, end });
    }
    Ok(out)
}

// ----------------------------------------------------------------------------------------------
// Writers

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
            other => match table.protected.columns.iter().position(|c| c == other) {
                Some(k) => table
                    .protected
                    .values
                    .get(i)
                    .and_then(|v| v.get(k))
                    .cloned()
                    .flatten(),
                None => p.extra.get(other).cloned(),
            },
        })
        .collect()
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
            Role::Mentee => **c != "capacity",
            Role::Mentor => **c != "mentors_wanted" && **c != "shared_background",
        })
        .map(|c| c.to_string())
        .collect();
    cols.extend(table.protected.columns.iter().cloned());
    let extra: BTreeSet<&String> = table.people.iter().flat_map(|p| p.extra.keys()).collect();
    cols.extend(extra.into_iter().cloned());
    cols
}

/// Write a table as CSV with a header; [`read_csv`] with the same `protected` list reads it back
/// to an equal table.
pub fn write_csv<W: Write>(table: &Table, writer: W) -> std::io::Result<()> {
    let cols = columns(table);
    let mut w = csv::Writer::from_writer(writer);
    w.write_record(&cols)?;
    for (i, p) in table.people.iter().enumerate() {
        w.write_record(
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
                .filter_map(|(c, v)| v.map(|v| (c.clone(), Value::String(v))))
                .collect()
        })
        .collect();
    serde_json::to_writer(writer, &rows).map_err(std::io::Error::other)
}
