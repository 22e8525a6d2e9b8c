//! Option errors and option parsing shared by every front end (Python, the command line, JSON).
//!
//! An option that is out of range or does not parse is a [`ConfigError`]: it names the option as
//! the user wrote it, the value given and what is allowed, never a position inside internal JSON.
//! [`from_json`] reads any options struct from JSON and reports the option a serde error is about.

use serde::de::DeserializeOwned;

/// An option whose value is not allowed: which option, the value given, what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
#[error("invalid option `{option}`{}: {allowed}{}", fmt_value(.value), fmt_detail(.detail))]
pub struct ConfigError {
    /// The option as the user names it (`reference_date`, `weights`, `keep_bonus`, ...).
    pub option: String,
    /// The value given, as text (JSON for structured values); `None` when there is none to show.
    pub value: Option<String>,
    /// What is allowed, with an example (`a date as YYYY-MM-DD, e.g. 2026-03-02`).
    pub allowed: String,
    /// What the parser said, when the value did not parse (`input is out of range`).
    pub detail: Option<String>,
}

fn fmt_value(value: &Option<String>) -> String {
    match value {
        Some(v) => format!(" = {v}"),
        None => String::new(),
    }
}

fn fmt_detail(detail: &Option<String>) -> String {
    match detail {
        Some(d) => format!(" ({d})"),
        None => String::new(),
    }
}

impl ConfigError {
    /// `option` has `value`, which is not allowed; `allowed` says what is.
    pub fn new(
        option: impl Into<String>,
        value: impl ToString,
        allowed: impl Into<String>,
    ) -> Self {
        ConfigError {
            option: option.into(),
            value: Some(value.to_string()),
            allowed: allowed.into(),
            detail: None,
        }
    }

    /// An error about `option` as a whole, without one value to show.
    pub fn about(option: impl Into<String>, allowed: impl Into<String>) -> Self {
        ConfigError {
            option: option.into(),
            value: None,
            allowed: allowed.into(),
            detail: None,
        }
    }

    /// The same error with the parser's own words attached.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

/// What each option allows, for messages about values that do not parse. Keys are option names
/// as the user writes them; [`from_json`] looks the failing option up here.
pub type AllowedTable = &'static [(&'static str, &'static str)];

/// Read options of type `T` from JSON text. A value that does not parse, or an unknown option,
/// is a [`ConfigError`] naming the option (the first segment of the failing path, after any of
/// the `groups` wrappers such as `scoring`) with its value and what `allowed` says it may be.
pub fn from_json<T: DeserializeOwned>(
    text: &str,
    groups: &[&str],
    allowed: &[(&str, &str)],
) -> Result<T, ConfigError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        ConfigError::about("options", "a JSON object of options").with_detail(e.to_string())
    })?;
    from_value(value, groups, allowed)
}

/// [`from_json`] on an already parsed JSON value.
pub fn from_value<T: DeserializeOwned>(
    value: serde_json::Value,
    groups: &[&str],
    allowed: &[(&str, &str)],
) -> Result<T, ConfigError> {
    match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(t) => Ok(t),
        Err(e) => {
            let segments: Vec<String> = e
                .path()
                .iter()
                .filter_map(|s| match s {
                    serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                    serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                    _ => None,
                })
                .collect();
            let inner = e.into_inner().to_string();
            Err(path_error(&value, &segments, groups, allowed, inner))
        }
    }
}

fn path_error(
    root: &serde_json::Value,
    segments: &[String],
    groups: &[&str],
    allowed: &[(&str, &str)],
    detail: String,
) -> ConfigError {
    // An unknown field is reported at its parent's path, with the name in the message.
    if let Some(name) = unknown_field(&detail) {
        // The path ends with the unknown name itself.
        let segments = match segments.split_last() {
            Some((last, rest)) if last == name => rest,
            _ => segments,
        };
        let mut names: Vec<&str> = allowed.iter().map(|(k, _)| *k).collect();
        names.sort_unstable();
        let where_ = segments
            .iter()
            .find(|s| !groups.contains(&s.as_str()))
            .map(|s| format!("{s}."))
            .unwrap_or_default();
        return ConfigError {
            option: format!("{where_}{name}"),
            value: None,
            allowed: if where_.is_empty() {
                format!("no such option; options are {}", names.join(", "))
            } else {
                format!("no such key in `{}`", where_.trim_end_matches('.'))
            },
            detail: Some(detail),
        };
    }
    let skip = segments
        .iter()
        .take_while(|s| groups.contains(&s.as_str()))
        .count();
    let option = segments
        .get(skip)
        .cloned()
        .unwrap_or_else(|| "options".to_string());
    let mut at = root;
    for s in segments.iter().take(skip + 1) {
        at = match at {
            serde_json::Value::Object(m) => m.get(s).unwrap_or(&serde_json::Value::Null),
            serde_json::Value::Array(a) => s
                .parse::<usize>()
                .ok()
                .and_then(|i| a.get(i))
                .unwrap_or(&serde_json::Value::Null),
            _ => at,
        };
    }
    let allowed_text = allowed
        .iter()
        .find(|(k, _)| *k == option)
        .map(|(_, a)| a.to_string())
        .unwrap_or_else(|| "see the documentation of this option".to_string());
    ConfigError {
        option,
        value: Some(at.to_string()),
        allowed: allowed_text,
        detail: Some(detail),
    }
}

/// The name in serde's "unknown field `x`, expected ..." message.
fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        date: Option<chrono::NaiveDate>,
        count: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        scoring: Inner,
        name: String,
    }

    const ALLOWED: AllowedTable = &[
        ("date", "a date as YYYY-MM-DD"),
        ("count", "a whole number from 0"),
        ("name", "text"),
    ];

    #[test]
    fn a_bad_nested_value_names_its_option_not_a_position() {
        let text = r#"{"scoring": {"date": "2026-02-30", "count": 1}, "name": "x"}"#;
        let e = from_json::<Outer>(text, &["scoring"], ALLOWED).unwrap_err();
        assert_eq!(e.option, "date");
        assert_eq!(e.value.as_deref(), Some("\"2026-02-30\""));
        assert_eq!(e.allowed, "a date as YYYY-MM-DD");
        let msg = e.to_string();
        assert!(
            msg.contains("`date`") && msg.contains("2026-02-30"),
            "{msg}"
        );
        assert!(!msg.contains("line 1") && !msg.contains("column"), "{msg}");
    }

    #[test]
    fn an_unknown_option_lists_the_options() {
        let text = r#"{"scoring": {"count": 1}, "name": "x", "nmae": 3}"#;
        let e = from_json::<Outer>(text, &["scoring"], ALLOWED).unwrap_err();
        assert_eq!(e.option, "nmae");
        assert!(e.allowed.contains("count, date, name"), "{}", e.allowed);
    }

    #[test]
    fn a_wrong_type_names_the_option_and_value() {
        let text = r#"{"scoring": {"count": -4}, "name": "x"}"#;
        let e = from_json::<Outer>(text, &["scoring"], ALLOWED).unwrap_err();
        assert_eq!(e.option, "count");
        assert_eq!(e.value.as_deref(), Some("-4"));
    }
}
