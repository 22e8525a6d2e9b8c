//! Tables as Python hands them over, read column by column: a path, any object speaking the Arrow
//! PyCapsule interface (`__arrow_c_stream__`, read by pyo3-arrow), or one numpy array / Python
//! list per column. Conversions only; the cell rules and validation are `crate::io`'s.

use numpy::{PyArray1, PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple};
use pyo3_arrow::PyTable;
use serde_json::Value;

use crate::cohort::{Role, Table};
use crate::io::{self, Column, ColumnValues, InputError};

/// A table as `mentorpair._match._source` hands it over: `("path", "file.csv")`,
/// `("arrow", obj)` for an object with `__arrow_c_stream__`, or `("columns", names, columns)`
/// with one int64/float64/bool numpy array or Python list per column, or `("json", text)`.
pub(super) enum Source {
    /// A `.csv` / `.json` file.
    Path(String),
    /// Arrow record batches, imported through the C stream interface.
    Arrow(
        Vec<arrow_array::RecordBatch>,
        std::sync::Arc<arrow_schema::Schema>,
    ),
    /// One column per entry.
    Columns(Vec<Column>),
    /// JSON text (an array of row objects, or `{"columns": [...], "rows": [...]}`), for callers
    /// that hold JSON already; `benches/edge_conversion.py` times the earlier JSON wire form
    /// with it.
    Json(String),
}

impl<'a, 'py> FromPyObject<'a, 'py> for Source {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        let tuple = obj.cast::<PyTuple>()?;
        let kind: String = tuple.get_item(0)?.extract()?;
        match kind.as_str() {
            "path" => Ok(Source::Path(tuple.get_item(1)?.extract()?)),
            "json" => Ok(Source::Json(tuple.get_item(1)?.extract()?)),
            "arrow" => {
                let table: PyTable = tuple.get_item(1)?.extract()?;
                let (batches, schema) = table.into_inner();
                Ok(Source::Arrow(batches, schema))
            }
            "columns" => {
                let names: Vec<String> = tuple.get_item(1)?.extract()?;
                let columns = tuple.get_item(2)?;
                let columns = columns.cast::<PyList>()?;
                if columns.len() != names.len() {
                    return Err(pyo3::exceptions::PyValueError::new_err(format!(
                        "{} column names for {} columns",
                        names.len(),
                        columns.len()
                    )));
                }
                let mut out = Vec::with_capacity(names.len());
                for (name, column) in names.into_iter().zip(columns.iter()) {
                    out.push(Column::new(name, column_values(&column)?));
                }
                Ok(Source::Columns(out))
            }
            other => Err(pyo3::exceptions::PyValueError::new_err(format!(
                "unknown table kind {other:?}; expected \"path\", \"arrow\", \"columns\" or \"json\""
            ))),
        }
    }
}

/// Read one table (with the GIL released: a `Source` holds no Python object).
pub(super) fn load(role: Role, source: &Source, protected: &[String]) -> Result<Table, InputError> {
    match source {
        Source::Path(path) => io::read_path(role, std::path::Path::new(path), protected),
        Source::Arrow(batches, schema) => io::read_record_batches(role, schema, batches, protected),
        Source::Columns(columns) => io::read_columns(role, columns, protected),
        Source::Json(text) => io::read_json(role, text.as_bytes(), protected),
    }
}

/// One column: an int64 / float64 / bool numpy array, read as a slice, or a Python list.
fn column_values(column: &Bound<'_, PyAny>) -> PyResult<ColumnValues> {
    if let Ok(a) = column.cast::<PyArray1<i64>>() {
        let a = a.readonly();
        return Ok(ColumnValues::Int(
            a.as_array().iter().map(|&v| Some(v)).collect(),
        ));
    }
    if let Ok(a) = column.cast::<PyArray1<f64>>() {
        let a = a.readonly();
        return Ok(ColumnValues::Float(
            a.as_array().iter().map(|&v| Some(v)).collect(),
        ));
    }
    if let Ok(a) = column.cast::<PyArray1<bool>>() {
        let a = a.readonly();
        return Ok(ColumnValues::Bool(
            a.as_array().iter().map(|&v| Some(v)).collect(),
        ));
    }
    if let Ok(a) = column.cast::<numpy::PyUntypedArray>() {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "a column array must be int64, float64, bool or a list, not {}-dimensional {}",
            a.ndim(),
            a.dtype()
        )));
    }
    let list = column.cast::<PyList>()?;
    // Text columns (the common case) stay text; the first other value turns the column into
    // JSON values, read by the records rules.
    let mut texts: Vec<Option<String>> = Vec::with_capacity(list.len());
    let mut values: Option<Vec<Value>> = None;
    for item in list.iter() {
        if let Some(values) = values.as_mut() {
            values.push(py_value(&item, 0)?);
        } else if item.is_none() {
            texts.push(None);
        } else if let Ok(s) = item.cast::<PyString>() {
            texts.push(Some(s.to_str()?.to_owned()));
        } else {
            let mut v: Vec<Value> = texts
                .drain(..)
                .map(|t| t.map_or(Value::Null, Value::String))
                .collect();
            v.push(py_value(&item, 0)?);
            values = Some(v);
        }
    }
    Ok(match values {
        Some(v) => ColumnValues::Values(v),
        None => ColumnValues::Text(texts),
    })
}

/// One Python cell as a JSON value: None, str, bool, int, float (NaN = missing), lists, tuples
/// and sets (sorted, so the joined cell is deterministic), numpy values (through `tolist()`);
/// anything else as its `str()`.
fn py_value(item: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if item.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = item.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if let Ok(b) = item.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if item.cast::<PyInt>().is_ok() {
        if let Ok(v) = item.extract::<i64>() {
            return Ok(Value::from(v));
        }
        if let Ok(v) = item.extract::<u64>() {
            return Ok(Value::from(v));
        }
        return Ok(Value::String(item.str()?.to_str()?.to_owned()));
    }
    if let Ok(f) = item.cast::<PyFloat>() {
        let f = f.value();
        return Ok(match serde_json::Number::from_f64(f) {
            Some(n) => Value::Number(n),
            None if f.is_nan() => Value::Null,
            None => Value::String(f.to_string()),
        });
    }
    if let Ok(l) = item.cast::<PyList>() {
        return l.iter().map(|v| py_value(&v, depth + 1)).collect();
    }
    if let Ok(t) = item.cast::<PyTuple>() {
        return t.iter().map(|v| py_value(&v, depth + 1)).collect();
    }
    if item.cast::<PySet>().is_ok() || item.cast::<PyFrozenSet>().is_ok() {
        let mut keyed = Vec::new();
        for v in item.try_iter()? {
            let v = v?;
            keyed.push((v.str()?.to_str()?.to_owned(), py_value(&v, depth + 1)?));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        return Ok(Value::Array(keyed.into_iter().map(|(_, v)| v).collect()));
    }
    if depth < 4 && item.hasattr("tolist")? {
        let plain = item.call_method0("tolist")?;
        if !plain.is(item) {
            return py_value(&plain, depth + 1);
        }
    }
    Ok(Value::String(item.str()?.to_str()?.to_owned()))
}
