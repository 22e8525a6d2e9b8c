//! Column-major tables to a validated [`Table`]: a DataFrame's columns, a list of dicts regrouped
//! by key, or Arrow record batches (feature `arrow`). Every cell goes through the same rules and
//! the same validation as CSV, JSON and records, so errors name table, row, id, column and value.

use super::records::{bool_cell, float_cell, text_cell, value_to_cell};
use super::table::{parse_cells, RawCells};
use super::{BadValue, InputError};
use crate::cohort::{Role, Table};
use serde_json::Value;

/// The values of one column, in row order; `None` (or JSON `null`) is a missing value.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// Text cells, trimmed; an empty string is missing.
    Text(Vec<Option<String>>),
    /// Whole numbers.
    Int(Vec<Option<i64>>),
    /// Floating-point numbers; NaN is missing and integral values read as whole numbers.
    Float(Vec<Option<f64>>),
    /// Booleans, read as `true` / `false`.
    Bool(Vec<Option<bool>>),
    /// Any cell values (a column of mixed types, or of lists): a list is joined with `;`, as the
    /// records reader does (`["en", "de"]` reads as `en;de`).
    Values(Vec<Value>),
}

/// One named column of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column name (trimmed when read).
    pub name: String,
    /// Its values, one per row.
    pub values: ColumnValues,
}

impl Column {
    /// A column from its name and values.
    pub fn new(name: impl Into<String>, values: ColumnValues) -> Self {
        Column {
            name: name.into(),
            values,
        }
    }
}

impl ColumnValues {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            ColumnValues::Text(v) => v.len(),
            ColumnValues::Int(v) => v.len(),
            ColumnValues::Float(v) => v.len(),
            ColumnValues::Bool(v) => v.len(),
            ColumnValues::Values(v) => v.len(),
        }
    }

    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `i` as the text cell every reader sees (`None` = missing), by the records rules.
    fn cell(&self, i: usize) -> Result<Option<String>, String> {
        Ok(match self {
            ColumnValues::Text(v) => v[i].as_deref().and_then(text_cell),
            ColumnValues::Int(v) => v[i].map(|n| n.to_string()),
            ColumnValues::Float(v) => v[i].and_then(float_cell),
            ColumnValues::Bool(v) => v[i].map(bool_cell),
            ColumnValues::Values(v) => value_to_cell(&v[i])?,
        })
    }

    /// Row `i` as a typed value, for the extra columns carried through (`None` for text, which
    /// carries through as its cell).
    fn typed(&self, i: usize) -> Option<Value> {
        match self {
            ColumnValues::Text(_) => None,
            ColumnValues::Values(v) => Some(match &v[i] {
                Value::String(s) => Value::String(s.trim().to_string()),
                other => other.clone(),
            }),
            _ => Some(self.value(i)),
        }
    }

    /// Row `i` as a JSON value (the items of a list cell).
    fn value(&self, i: usize) -> Value {
        match self {
            ColumnValues::Text(v) => v[i].clone().map_or(Value::Null, Value::String),
            ColumnValues::Int(v) => v[i].map_or(Value::Null, Value::from),
            ColumnValues::Float(v) => match v[i] {
                Some(f) if f.is_nan() => Value::Null,
                Some(f) => serde_json::Number::from_f64(f)
                    .map_or_else(|| Value::String(f.to_string()), Value::Number),
                None => Value::Null,
            },
            ColumnValues::Bool(v) => v[i].map_or(Value::Null, Value::Bool),
            ColumnValues::Values(v) => v[i].clone(),
        }
    }
}

/// Read a table given column by column. All columns must have the same number of rows; a table
/// with neither columns nor rows is empty.
///
/// # Errors
/// A column of another length ([`InputError::Malformed`]), a repeated column name, and every
/// invalid value, exactly as [`read_records`](super::read_records) reports them.
pub fn read_columns(
    role: Role,
    columns: &[Column],
    protected: &[String],
) -> Result<Table, InputError> {
    let cells = columns
        .iter()
        .map(|c| (c.name.as_str(), ColumnSource::Values(&c.values)))
        .collect();
    read_column_sources(role, cells, protected)
}

/// Where one column's cells come from: column values (text read in place, other kinds turned
/// into text cells once), or Arrow string arrays read in place.
enum ColumnSource<'a> {
    Values(&'a ColumnValues),
    /// Owned values (an Arrow column of another kind, converted).
    #[cfg(feature = "arrow")]
    Owned(ColumnValues),
    #[cfg(feature = "arrow")]
    Strings(arrow::Strings<'a>),
}

impl ColumnSource<'_> {
    fn len(&self) -> usize {
        match self {
            ColumnSource::Values(v) => v.len(),
            #[cfg(feature = "arrow")]
            ColumnSource::Owned(v) => v.len(),
            #[cfg(feature = "arrow")]
            ColumnSource::Strings(s) => s.len(),
        }
    }

    fn values(&self) -> Option<&ColumnValues> {
        match self {
            ColumnSource::Values(v) => Some(v),
            #[cfg(feature = "arrow")]
            ColumnSource::Owned(v) => Some(v),
            #[cfg(feature = "arrow")]
            ColumnSource::Strings(_) => None,
        }
    }
}

/// The one column-major reader: names and lengths checked, then the shared validation.
fn read_column_sources(
    role: Role,
    columns: Vec<(&str, ColumnSource<'_>)>,
    protected: &[String],
) -> Result<Table, InputError> {
    let table = role.table();
    if columns.is_empty() {
        return Err(InputError::MissingColumn {
            table: table.to_string(),
            column: "id".to_string(),
            fix: "the table has no columns at all; add an `id` column with a unique id per person"
                .to_string(),
        });
    }
    let n_rows = columns[0].1.len();
    let mut names: Vec<String> = Vec::with_capacity(columns.len());
    for (name, col) in &columns {
        let name = name.trim().to_string();
        if names.contains(&name) {
            return Err(InputError::DuplicateColumn {
                table: table.to_string(),
                column: name,
            });
        }
        if col.len() != n_rows {
            return Err(InputError::Malformed {
                table: table.to_string(),
                source_name: "columns".to_string(),
                message: format!(
                    "column `{name}` has {} rows but `{}` has {n_rows}; give every column one value per row",
                    col.len(),
                    names[0]
                ),
            });
        }
        names.push(name);
    }
    // Text is read in place (trimmed on access); other kinds become text cells once, column by
    // column, so a bad value is reported as before.
    let mut converted: Vec<Option<Vec<Option<String>>>> = Vec::with_capacity(columns.len());
    for ((_, col), name) in columns.iter().zip(&names) {
        let values = match col.values() {
            Some(ColumnValues::Text(_)) | None => {
                converted.push(None);
                continue;
            }
            Some(values) => values,
        };
        let mut out = Vec::with_capacity(n_rows);
        for i in 0..n_rows {
            out.push(values.cell(i).map_err(|problem| {
                InputError::InvalidValue(Box::new(BadValue {
                    table: table.to_string(),
                    row: i + 1,
                    id: None,
                    column: name.clone(),
                    value: values.value(i).to_string(),
                    problem,
                    fix: "use a string, a number, a boolean, null or a list of strings".to_string(),
                }))
            })?);
        }
        converted.push(Some(out));
    }
    let raw = ColumnCells {
        sources: columns.into_iter().map(|(_, c)| c).collect(),
        converted,
        n_rows,
    };
    parse_cells(role, &names, &raw, protected)
}

/// A column-major table as [`parse_cells`] reads it.
struct ColumnCells<'a> {
    sources: Vec<ColumnSource<'a>>,
    /// The text cells of the columns that are not text already.
    converted: Vec<Option<Vec<Option<String>>>>,
    n_rows: usize,
}

/// A text cell as every reader sees it: trimmed, and missing when empty.
fn trimmed(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|t| !t.is_empty())
}

impl RawCells for ColumnCells<'_> {
    fn n_rows(&self) -> usize {
        self.n_rows
    }

    fn cell(&self, row: usize, col: usize) -> Option<&str> {
        if let Some(cells) = &self.converted[col] {
            return cells[row].as_deref();
        }
        match &self.sources[col] {
            #[cfg(feature = "arrow")]
            ColumnSource::Strings(s) => trimmed(s.get(row)),
            source => match source.values() {
                Some(ColumnValues::Text(v)) => trimmed(v[row].as_deref()),
                _ => None,
            },
        }
    }

    fn typed(&self, row: usize, col: usize) -> Option<Value> {
        self.sources[col].values().and_then(|v| v.typed(row))
    }
}

/// Arrow record batches to columns, and so to a [`Table`].
#[cfg(feature = "arrow")]
mod arrow {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{
        Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type,
        UInt32Type, UInt64Type, UInt8Type,
    };
    use arrow_array::{Array, RecordBatch};
    use arrow_schema::{DataType, Schema};

    /// Read a table from Arrow record batches (a pyarrow Table, a polars DataFrame, a DuckDB
    /// result...). Strings, integers, floats, booleans, nulls, dictionary-encoded strings
    /// (categoricals) and lists (`list<string>` for goals, languages...) are read; a list cell
    /// goes through the same rule as a list in a record (joined with `;`).
    ///
    /// # Errors
    /// A column of a type that has no cell form (dates, structs, binary...), and every invalid
    /// value, as [`read_columns`] reports it.
    pub fn read_record_batches(
        role: Role,
        schema: &Schema,
        batches: &[RecordBatch],
        protected: &[String],
    ) -> Result<Table, InputError> {
        let mut columns = Vec::with_capacity(schema.fields().len());
        for (c, field) in schema.fields().iter().enumerate() {
            // String columns (the common case) are read in place.
            let chunks: Option<Vec<Chunk<'_>>> = batches
                .iter()
                .map(|b| Chunk::of(b.column(c).as_ref()))
                .collect();
            if let Some(chunks) = chunks.filter(|c| !c.is_empty()) {
                columns.push((
                    field.name().as_str(),
                    ColumnSource::Strings(Strings::new(chunks)),
                ));
                continue;
            }
            let mut values: Option<ColumnValues> = None;
            for batch in batches {
                let part = column_values(batch.column(c).as_ref()).map_err(|dt| {
                    InputError::Malformed {
                        table: role.table().to_string(),
                        source_name: "Arrow".to_string(),
                        message: format!(
                            "column `{}` has Arrow type {dt}, which has no cell form; cast it to a string column (or drop it)",
                            field.name()
                        ),
                    }
                })?;
                values = Some(match values {
                    None => part,
                    Some(acc) => append(acc, part),
                });
            }
            let values = match values {
                Some(v) => v,
                None => empty_like(field.data_type()),
            };
            columns.push((field.name().as_str(), ColumnSource::Owned(values)));
        }
        read_column_sources(role, columns, protected)
    }

    /// One batch's string array, read in place.
    #[derive(Clone, Copy)]
    enum Chunk<'a> {
        Utf8(&'a arrow_array::StringArray),
        Large(&'a arrow_array::LargeStringArray),
        View(&'a arrow_array::StringViewArray),
    }

    impl<'a> Chunk<'a> {
        fn of(array: &'a dyn Array) -> Option<Self> {
            Some(match array.data_type() {
                DataType::Utf8 => Chunk::Utf8(array.as_string::<i32>()),
                DataType::LargeUtf8 => Chunk::Large(array.as_string::<i64>()),
                DataType::Utf8View => Chunk::View(array.as_string_view()),
                _ => return None,
            })
        }

        fn len(&self) -> usize {
            match self {
                Chunk::Utf8(a) => a.len(),
                Chunk::Large(a) => a.len(),
                Chunk::View(a) => a.len(),
            }
        }

        fn get(&self, i: usize) -> Option<&'a str> {
            match *self {
                Chunk::Utf8(a) => (!a.is_null(i)).then(|| a.value(i)),
                Chunk::Large(a) => (!a.is_null(i)).then(|| a.value(i)),
                Chunk::View(a) => (!a.is_null(i)).then(|| a.value(i)),
            }
        }
    }

    /// A string column over all batches, read in place: row `i` is found by the batches'
    /// starting rows.
    pub(super) struct Strings<'a> {
        chunks: Vec<Chunk<'a>>,
        /// The first row of each chunk.
        starts: Vec<usize>,
        len: usize,
    }

    impl<'a> Strings<'a> {
        fn new(chunks: Vec<Chunk<'a>>) -> Self {
            let mut starts = Vec::with_capacity(chunks.len());
            let mut len = 0;
            for c in &chunks {
                starts.push(len);
                len += c.len();
            }
            Strings {
                chunks,
                starts,
                len,
            }
        }

        pub(super) fn len(&self) -> usize {
            self.len
        }

        pub(super) fn get(&self, row: usize) -> Option<&'a str> {
            let k = match self.starts.binary_search(&row) {
                Ok(k) => k,
                Err(k) => k - 1,
            };
            // Empty chunks share a start with the next one: step to the chunk holding the row.
            let mut k = k;
            while self.chunks[k].len() <= row - self.starts[k] {
                k += 1;
            }
            self.chunks[k].get(row - self.starts[k])
        }
    }

    fn empty_like(dt: &DataType) -> ColumnValues {
        match dt {
            dt if dt.is_integer() => ColumnValues::Int(Vec::new()),
            dt if dt.is_floating() => ColumnValues::Float(Vec::new()),
            DataType::Boolean => ColumnValues::Bool(Vec::new()),
            _ => ColumnValues::Text(Vec::new()),
        }
    }

    /// Two chunks of one column; chunks of different kinds (possible only after a dictionary
    /// chunk of another value type) meet as JSON values.
    fn append(acc: ColumnValues, part: ColumnValues) -> ColumnValues {
        use ColumnValues::*;
        match (acc, part) {
            (Text(mut a), Text(b)) => {
                a.extend(b);
                Text(a)
            }
            (Int(mut a), Int(b)) => {
                a.extend(b);
                Int(a)
            }
            (Float(mut a), Float(b)) => {
                a.extend(b);
                Float(a)
            }
            (Bool(mut a), Bool(b)) => {
                a.extend(b);
                Bool(a)
            }
            (a, b) => {
                let mut out: Vec<Value> = (0..a.len()).map(|i| a.value(i)).collect();
                out.extend((0..b.len()).map(|i| b.value(i)));
                Values(out)
            }
        }
    }

    fn ints<T>(array: &dyn Array) -> ColumnValues
    where
        T: arrow_array::ArrowPrimitiveType,
        T::Native: Into<i64>,
    {
        ColumnValues::Int(
            array
                .as_primitive::<T>()
                .iter()
                .map(|v| v.map(Into::into))
                .collect(),
        )
    }

    fn floats<T>(array: &dyn Array) -> ColumnValues
    where
        T: arrow_array::ArrowPrimitiveType,
        T::Native: Into<f64>,
    {
        ColumnValues::Float(
            array
                .as_primitive::<T>()
                .iter()
                .map(|v| v.map(Into::into))
                .collect(),
        )
    }

    fn texts<'a>(it: impl Iterator<Item = Option<&'a str>>) -> ColumnValues {
        ColumnValues::Text(it.map(|v| v.map(str::to_string)).collect())
    }

    /// The items of each list cell as a JSON array (null for a null cell).
    fn lists(
        len: usize,
        is_null: impl Fn(usize) -> bool,
        items: &dyn Array,
        range: impl Fn(usize) -> (usize, usize),
    ) -> Result<ColumnValues, DataType> {
        let inner = column_values(items)?;
        Ok(ColumnValues::Values(
            (0..len)
                .map(|i| {
                    if is_null(i) {
                        return Value::Null;
                    }
                    let (start, end) = range(i);
                    Value::Array((start..end).map(|j| inner.value(j)).collect())
                })
                .collect(),
        ))
    }

    /// One Arrow array as column values, or its type when it has no cell form.
    fn column_values(array: &dyn Array) -> Result<ColumnValues, DataType> {
        let len = array.len();
        Ok(match array.data_type() {
            DataType::Utf8 => texts(array.as_string::<i32>().iter()),
            DataType::LargeUtf8 => texts(array.as_string::<i64>().iter()),
            DataType::Utf8View => texts(array.as_string_view().iter()),
            DataType::Null => ColumnValues::Text(vec![None; len]),
            DataType::Boolean => ColumnValues::Bool(array.as_boolean().iter().collect()),
            DataType::Int8 => ints::<Int8Type>(array),
            DataType::Int16 => ints::<Int16Type>(array),
            DataType::Int32 => ints::<Int32Type>(array),
            DataType::Int64 => ints::<Int64Type>(array),
            DataType::UInt8 => ints::<UInt8Type>(array),
            DataType::UInt16 => ints::<UInt16Type>(array),
            DataType::UInt32 => ints::<UInt32Type>(array),
            DataType::UInt64 => ColumnValues::Values(
                array
                    .as_primitive::<UInt64Type>()
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect(),
            ),
            DataType::Float32 => floats::<Float32Type>(array),
            DataType::Float64 => floats::<Float64Type>(array),
            DataType::List(_) => {
                let list = array.as_list::<i32>();
                let offsets = list.value_offsets();
                lists(
                    len,
                    |i| list.is_null(i),
                    list.values().as_ref(),
                    |i| (offsets[i] as usize, offsets[i + 1] as usize),
                )?
            }
            DataType::LargeList(_) => {
                let list = array.as_list::<i64>();
                let offsets = list.value_offsets();
                lists(
                    len,
                    |i| list.is_null(i),
                    list.values().as_ref(),
                    |i| (offsets[i] as usize, offsets[i + 1] as usize),
                )?
            }
            DataType::FixedSizeList(_, size) => {
                let list = array.as_fixed_size_list();
                let size = *size as usize;
                lists(
                    len,
                    |i| list.is_null(i),
                    list.values().as_ref(),
                    |i| {
                        let start = list.value_offset(i) as usize;
                        (start, start + size)
                    },
                )?
            }
            DataType::Dictionary(_, _) => {
                let dict = array.as_any_dictionary();
                if dict.values().is_empty() {
                    // No values: every key is null (and `normalized_keys` would panic).
                    return Ok(ColumnValues::Text(vec![None; len]));
                }
                let values = column_values(dict.values().as_ref())?;
                let keys = dict.normalized_keys();
                match &values {
                    ColumnValues::Text(v) => ColumnValues::Text(
                        (0..len)
                            .map(|i| {
                                if array.is_null(i) {
                                    None
                                } else {
                                    v[keys[i]].clone()
                                }
                            })
                            .collect(),
                    ),
                    _ => ColumnValues::Values(
                        (0..len)
                            .map(|i| {
                                if array.is_null(i) {
                                    Value::Null
                                } else {
                                    values.value(keys[i])
                                }
                            })
                            .collect(),
                    ),
                }
            }
            other => return Err(other.clone()),
        })
    }
}

#[cfg(feature = "arrow")]
pub use self::arrow::read_record_batches;
