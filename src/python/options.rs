//! Binding for options: a Python mapping of the options the user set, read into the core's flat
//! options (`crate::problem::MatchConfig::from_options`), and the defaults for documentation.
//! Python types the core cannot represent are a `ConfigError` naming the option, raised here.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PySet, PyString, PyTuple};
use serde_json::{Map, Value};

use super::errors::config_error;
use crate::options::ConfigError;

/// One Python value as JSON: None, bool, int, float, str, dates (`isoformat()`, first 10
/// characters), sequences, sets (sorted by text) and mappings with text keys. `option` names it
/// in the error for anything else.
fn to_value(obj: &Bound<'_, PyAny>, option: &str) -> Result<Value, ConfigError> {
    let wrong = |what: &str| {
        let type_name = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_else(|_| "?".into());
        ConfigError::new(option, format!("a {type_name}"), what)
    };
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract::<bool>().unwrap_or(false)));
    }
    if obj.is_instance_of::<PyString>() {
        return Ok(Value::String(
            obj.extract::<String>().map_err(|_| wrong("text"))?,
        ));
    }
    if obj.is_instance_of::<PyInt>() || obj.hasattr("__index__").unwrap_or(false) {
        if let Ok(i) = obj.extract::<i64>() {
            return Ok(Value::from(i));
        }
        if let Ok(u) = obj.extract::<u64>() {
            return Ok(Value::from(u));
        }
        return Err(wrong("a whole number that fits 64 bits"));
    }
    if obj.is_instance_of::<PyFloat>() || obj.hasattr("__float__").unwrap_or(false) {
        let f: f64 = obj.extract().map_err(|_| wrong("a number"))?;
        // JSON has no NaN or infinity: keep them as text the core reports as out of range.
        return Ok(serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(f.to_string())));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in dict.iter() {
            let key: String = k.extract().map_err(|_| wrong("a mapping with text keys"))?;
            let value = to_value(&v, option)?;
            map.insert(key, value);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj
            .try_iter()
            .map_err(|_| wrong("a list"))?
            .map(|item| to_value(&item.map_err(|_| wrong("a list"))?, option))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::Array(items));
    }
    if obj.is_instance_of::<PySet>() || obj.is_instance_of::<pyo3::types::PyFrozenSet>() {
        let mut items = obj
            .try_iter()
            .map_err(|_| wrong("a set"))?
            .map(|item| to_value(&item.map_err(|_| wrong("a set"))?, option))
            .collect::<Result<Vec<_>, _>>()?;
        items.sort_by_key(|v| v.to_string());
        return Ok(Value::Array(items));
    }
    if obj.hasattr("isoformat").unwrap_or(false) {
        let text: String = obj
            .call_method0("isoformat")
            .and_then(|t| t.extract())
            .map_err(|_| wrong("a date"))?;
        return Ok(Value::String(text.chars().take(10).collect()));
    }
    if obj.hasattr("keys").unwrap_or(false) {
        // Any other mapping: read it as a dict.
        let dict = PyDict::new(obj.py());
        dict.update(obj.cast().map_err(|_| wrong("a mapping"))?)
            .map_err(|_| wrong("a mapping"))?;
        return to_value(dict.as_any(), option);
    }
    if let Ok(iter) = obj.try_iter() {
        let items = iter
            .map(|item| to_value(&item.map_err(|_| wrong("a list"))?, option))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Value::Array(items));
    }
    Err(wrong(
        "a number, text, true/false, a date, a list or a mapping (see the option's documentation)",
    ))
}

/// The options a user passed (a mapping of option name -> value; `None` values are left out,
/// so the core's defaults apply) as the core's flat JSON options.
pub(super) fn options_value(options: Option<&Bound<'_, PyAny>>) -> PyResult<Value> {
    let Some(options) = options else {
        return Ok(Value::Object(Map::new()));
    };
    if options.is_none() {
        return Ok(Value::Object(Map::new()));
    }
    let dict = options.cast::<PyDict>().map_err(|_| {
        config_error(ConfigError::about(
            "options",
            "a dict of option name -> value",
        ))
    })?;
    let mut map = Map::new();
    for (k, v) in dict.iter() {
        let key: String = k.extract()?;
        if v.is_none() {
            continue;
        }
        let value = to_value(&v, &key).map_err(config_error)?;
        map.insert(key, value);
    }
    Ok(Value::Object(map))
}

/// The core's defaults, by front-end option name: `{"match": {...}, "rematch": {...},
/// "audit": {...}}` (a `None` default is computed, such as `reference_date` = today). For
/// documentation and stubs: the core applies them itself when an option is left out.
#[pyfunction]
fn defaults(py: Python<'_>) -> PyResult<Py<PyAny>> {
    let value = serde_json::json!({
        "match": crate::problem::match_defaults(),
        "rematch": {"keep_bonus": crate::rematch::DEFAULT_KEEP_BONUS},
        "audit": {"min_group_size": crate::fairness::AuditOptions::default().min_group_size},
    });
    let json = py.import("json")?;
    Ok(json.call_method1("loads", (value.to_string(),))?.unbind())
}

/// What each match option allows, by name (for generated documentation).
#[pyfunction]
fn option_ranges() -> Vec<(&'static str, &'static str)> {
    crate::problem::MATCH_OPTIONS.to_vec()
}

pub(super) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(defaults, m)?)?;
    m.add_function(wrap_pyfunction!(option_ranges, m)?)?;
    Ok(())
}
