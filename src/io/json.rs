//! The JSON table reader: an array of objects, one per person.

use super::{read_records, InputError, Record};
use crate::cohort::{Role, Table};
use serde_json::Value;
use std::io::Read;

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
