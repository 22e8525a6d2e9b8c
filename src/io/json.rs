//! The JSON table reader: an array of objects, one per person, or `{"columns": [...], "rows":
//! [...]}` (how a DataFrame is handed over, so that an empty one still has its columns). A UTF-8
//! byte-order mark is skipped; a key repeated within one object is an error, as a repeated CSV
//! column is; integers too large for 64 bits are kept exactly, as decimal text.

use super::records::read_records_with_columns;
use super::{InputError, Record};
use crate::cohort::{Role, Table};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::fmt;
use std::io::Read;

/// One cell: any JSON value, except that an integer outside the 64-bit range is kept as its exact
/// decimal text instead of being rounded to a float.
fn cell_value(raw: &RawValue) -> Result<Value, serde_json::Error> {
    let text = raw.get().trim();
    let digits = text.strip_prefix('-').unwrap_or(text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && text.parse::<i64>().is_err()
        && text.parse::<u64>().is_err()
    {
        return Ok(Value::String(text.to_string()));
    }
    serde_json::from_str(text)
}

/// One row object; a repeated key is an error.
struct Row(Record);

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Row;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with column names as keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
                let mut out = Record::new();
                while let Some(key) = map.next_key::<String>()? {
                    let raw: Box<RawValue> = map.next_value()?;
                    let value = cell_value(&raw).map_err(de::Error::custom)?;
                    if out.contains_key(&key) {
                        return Err(de::Error::custom(format!(
                            "key `{key}` appears twice in one object; keep one of them"
                        )));
                    }
                    out.insert(key, value);
                }
                Ok(Row(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The rows in order, numbering the row in an error.
struct Rows(Vec<Record>);

impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Rows;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of objects, one per person")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
                let mut out = Vec::new();
                loop {
                    match seq.next_element::<Row>() {
                        Ok(Some(r)) => out.push(r.0),
                        Ok(None) => return Ok(Rows(out)),
                        Err(e) => {
                            return Err(de::Error::custom(format!(
                                "data row {}: {e}",
                                out.len() + 1
                            )))
                        }
                    }
                }
            }
        }
        d.deserialize_seq(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WithColumns {
    columns: Vec<String>,
    rows: Rows,
}

/// Read a table from JSON: an array of objects (one per person), or an object
/// `{"columns": [...], "rows": [...]}` whose `columns` are checked even when there are no rows.
///
/// # Errors
/// Malformed JSON (with line and column), a repeated key, and every invalid value (see
/// [`InputError`]).
pub fn read_json<R: Read>(
    role: Role,
    mut reader: R,
    protected: &[String],
) -> Result<Table, InputError> {
    let malformed = |message: String| InputError::Malformed {
        table: role.table().to_string(),
        source_name: "JSON".to_string(),
        message,
    };
    let mut bytes = Vec::new();
    reader
        .read_to_end(&mut bytes)
        .map_err(|e| malformed(e.to_string()))?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    // Parse the array form directly so its errors keep their row numbers.
    let first = text.iter().find(|b| !b.is_ascii_whitespace());
    let (columns, rows) = if first == Some(&b'{') {
        let shape: WithColumns = serde_json::from_slice(text).map_err(|e| {
            malformed(format!(
                "{e}; expected {{\"columns\": [...], \"rows\": [{{...}}, ...]}} or an array of objects"
            ))
        })?;
        (Some(shape.columns), shape.rows.0)
    } else {
        let rows: Rows = serde_json::from_slice(text)
            .map_err(|e| malformed(format!("{e}; expected an array of objects, one per person")))?;
        (None, rows.0)
    };
    read_records_with_columns(role, columns.as_deref(), &rows, protected)
}
