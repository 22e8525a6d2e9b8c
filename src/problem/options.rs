//! Match and solve options by the names users write: one flat set of keys (`weights`,
//! `min_score`, `reference_date`, `fairness`, `by`, ...) shared by the Python keywords and JSON.
//! Every default, every range and every message about them lives here or in the types it builds.

use serde_json::{Map, Value};

use super::{MatchConfig, MatchError, Objective, SolveOptions};
use crate::fairness::{Fairness, FairnessMode, DEFAULT_TOLERANCE};
use crate::options::{self, AllowedTable, ConfigError};
use crate::score::ScoreConfig;

/// Every match option by its flat name, with what it allows (shown when a value does not parse
/// and in the generated documentation).
pub const MATCH_OPTIONS: AllowedTable = &[
    ("weights", "a mapping of component -> weight from 0 to 100 (goals, skills, availability, language, seniority, affinity, preference), e.g. {\"goals\": 0.4}"),
    ("min_score", "a finite number, e.g. 0 or 0.3"),
    ("forbid", "a list of (mentee_id, mentor_id) pairs"),
    ("pin", "a list of (mentee_id, mentor_id) pairs"),
    ("exclude_same_department", "true or false"),
    ("objective", "\"coverage\" or \"score\""),
    ("memory_limit_bytes", "a whole number of bytes, e.g. 8589934592 (8 GiB)"),
    ("criteria", "a list of criteria such as {\"column\": \"location\", \"kind\": \"same\", \"weight\": 0.1}"),
    ("preferences", "\"bonus\" or \"must\""),
    ("reference_date", "a real date as YYYY-MM-DD, e.g. 2026-03-02"),
    ("meeting_minutes", "a length from 1 to 1440 minutes, e.g. 60"),
    ("cadence_weeks", "1 (weekly) or more, e.g. 2"),
    ("min_block_minutes", "a whole number of minutes from 0, e.g. 30"),
    ("seniority_gap", "1 or more levels, e.g. 1"),
    ("seniority_sweet_spot_max", "a whole number of levels, at least seniority_gap, e.g. 2"),
    ("reverse_mentoring", "true or false"),
    ("full_credit_skill_lead", "1 to 4 levels, e.g. 2"),
    ("slots_for_full_credit", "1 or more, e.g. 8"),
    ("days_for_full_credit", "1 to 7, e.g. 3"),
    ("goal_rank_decay", "a finite number of 0 or more, e.g. 0.5"),
    ("neutral", "a value in [0, 1], e.g. 0.5"),
    ("fairness", "\"group_floor\" (with by) or \"maximin\", or none for the plain solve"),
    ("by", "a protected mentee column or a list of them, e.g. \"gender\""),
    ("tolerance", "a number in [0, 1), e.g. 0.05"),
    ("rate_parity", "true or false"),
    ("history", "past pairs: a list of {mentee_id, mentor_id, round or date, outcome} rows"),
    ("allow_repeat_pairs", "true or false"),
    ("unmatched_priority", "a number from 0 (off) to 1000, e.g. 0.5"),
    ("taxonomy", "a list of tag groups such as {\"tags\": [\"public speaking\", \"presenting\"], \"credit\": 0.5}"),
    ("solver", "\"auto\", \"dense\" or \"sparse\""),
    ("sparse_max_rounds", "1 or more rounds, e.g. 50"),
    ("sparse_time_limit_s", "a positive number of seconds, or none for no limit"),
    ("min_load", "a whole number of mentees from 0, e.g. 1"),
    ("spread", "a finite number >= 0, e.g. 0.01 (0 is off)"),
    ("min_load_shortfall", "\"error\" or \"report\""),
    ("text", "the free-text options, e.g. {\"language\": \"english\"}"),
];

/// The options a solve may override: the objective and the fairness mode.
const SOLVE_KEYS: [&str; 5] = ["objective", "fairness", "by", "tolerance", "rate_parity"];

fn scoring_keys() -> Vec<String> {
    match serde_json::to_value(ScoreConfig::default()) {
        Ok(Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The fairness options as they were given, before they are checked together.
#[derive(Default)]
struct FairnessParts {
    given: bool,
    nested: Option<Value>,
    mode: Option<FairnessMode>,
    by: Vec<String>,
    tolerance: Option<f64>,
    rate_parity: Option<bool>,
}

impl FairnessParts {
    /// Take `key` if it is a fairness option; `Ok(false)` when it is not one.
    fn take(&mut self, key: &str, value: &Value) -> Result<bool, ConfigError> {
        let allowed = |k: &str| {
            MATCH_OPTIONS
                .iter()
                .find(|(n, _)| *n == k)
                .map_or("", |(_, a)| a)
        };
        let wrong = |k: &str| ConfigError::new(k, value, allowed(k));
        match key {
            "fairness" => match value {
                Value::String(s) => self.mode = Some(s.parse()?),
                Value::Object(_) => self.nested = Some(value.clone()),
                _ => return Err(wrong(key)),
            },
            "by" => {
                self.by = match value {
                    Value::String(s) => vec![s.clone()],
                    Value::Array(items) => items
                        .iter()
                        .map(|v| v.as_str().map(str::to_string).ok_or_else(|| wrong(key)))
                        .collect::<Result<_, _>>()?,
                    _ => return Err(wrong(key)),
                }
            }
            "tolerance" => self.tolerance = Some(value.as_f64().ok_or_else(|| wrong(key))?),
            "rate_parity" => self.rate_parity = Some(value.as_bool().ok_or_else(|| wrong(key))?),
            _ => return Ok(false),
        }
        self.given = true;
        Ok(true)
    }

    fn build(self) -> Result<Option<Fairness>, ConfigError> {
        match self.nested {
            Some(v) => options::from_value(v, &[], MATCH_OPTIONS).map(Some),
            None => Fairness::from_parts(self.mode, self.by, self.tolerance, self.rate_parity),
        }
    }
}

fn object(value: Value, what: &str) -> Result<Map<String, Value>, ConfigError> {
    match value {
        Value::Object(m) => Ok(m),
        other => Err(ConfigError::new(
            what,
            other,
            "a mapping of option name -> value",
        )),
    }
}

impl MatchConfig {
    /// The configuration from flat options (see [`MATCH_OPTIONS`]); options not given, or given
    /// as `null`, keep their defaults. Every value is checked; an error names the option.
    pub fn from_options(value: Value) -> Result<MatchConfig, ConfigError> {
        let scoring = scoring_keys();
        let mut top = Map::new();
        let mut nested = Map::new();
        let mut fairness = FairnessParts::default();
        for (key, v) in object(value, "options")? {
            if v.is_null() || fairness.take(&key, &v)? {
                continue;
            }
            if let ("scoring", Value::Object(group)) = (key.as_str(), &v) {
                // The nested form (a TOML `[scoring]` table): the same keys as the flat form.
                for (k, item) in group {
                    if nested.insert(k.clone(), item.clone()).is_some() {
                        return Err(ConfigError::new(
                            k.as_str(),
                            item,
                            "given once: either at the top level or under `scoring`",
                        ));
                    }
                }
                continue;
            }
            if scoring.contains(&key) {
                if nested.contains_key(&key) {
                    return Err(ConfigError::new(
                        key.as_str(),
                        &v,
                        "given once: either at the top level or under `scoring`",
                    ));
                }
                nested.insert(key, v);
            } else {
                top.insert(key, v);
            }
        }
        if !nested.is_empty() {
            top.insert("scoring".to_string(), Value::Object(nested));
        }
        let mut cfg: MatchConfig =
            options::from_value(Value::Object(top), &["scoring"], MATCH_OPTIONS)?;
        if fairness.given {
            cfg.fairness = fairness.build()?;
        }
        cfg.validate_options()?;
        Ok(cfg)
    }

    /// [`MatchConfig::from_options`] from JSON text.
    pub fn from_options_json(text: &str) -> Result<MatchConfig, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            ConfigError::about("options", "a JSON object of options").with_detail(e.to_string())
        })?;
        Self::from_options(value)
    }

    /// Check every option's range on its own (no cohort needed).
    pub fn validate_options(&self) -> Result<(), ConfigError> {
        self.weights.validate()?;
        self.scoring.validate()?;
        if !self.min_score.is_finite() {
            return Err(ConfigError::new(
                "min_score",
                self.min_score,
                "a finite number, e.g. 0 or 0.3",
            ));
        }
        if let Some(Fairness::GroupFloor { by, tolerance, .. }) = &self.fairness {
            if by.is_empty() {
                return Err(ConfigError::about(
                    "by",
                    "a protected mentee column (or several) with fairness=\"group_floor\"",
                ));
            }
            if !(0.0..1.0).contains(tolerance) {
                return Err(ConfigError::new(
                    "tolerance",
                    tolerance,
                    "a number in [0, 1), e.g. 0.05",
                ));
            }
        }
        Ok(())
    }
}

impl SolveOptions {
    /// The solve options from flat options (`objective`, `fairness`, `by`, `tolerance`,
    /// `rate_parity`); those not given keep `base`'s. Giving any fairness option replaces the
    /// fairness mode as a whole.
    pub fn from_options(value: Value, base: &SolveOptions) -> Result<SolveOptions, ConfigError> {
        let mut out = base.clone();
        let mut fairness = FairnessParts::default();
        for (key, v) in object(value, "solve options")? {
            if v.is_null() || fairness.take(&key, &v)? {
                continue;
            }
            match key.as_str() {
                "objective" => {
                    out.objective =
                        options::from_value(v, &[], MATCH_OPTIONS).map_err(|e: ConfigError| {
                            ConfigError {
                                option: key.clone(),
                                ..e
                            }
                        })?
                }
                _ => {
                    return Err(ConfigError::about(
                        key,
                        format!(
                            "no such solve option; options are {}",
                            SOLVE_KEYS.join(", ")
                        ),
                    ))
                }
            }
        }
        if fairness.given {
            out.fairness = fairness.build()?;
        }
        Ok(out)
    }
}

impl std::str::FromStr for Objective {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "coverage" => Ok(Objective::Coverage),
            "score" => Ok(Objective::Score),
            _ => Err(ConfigError::new(
                "objective",
                format!("{s:?}"),
                "\"coverage\" or \"score\"",
            )),
        }
    }
}

/// Every match option's default, by its flat name (`null` where the default is computed, such
/// as `reference_date` = today): what front ends show in documentation and stubs.
pub fn match_defaults() -> Map<String, Value> {
    let mut out = Map::new();
    let cfg = serde_json::to_value(MatchConfig::default()).unwrap_or(Value::Null);
    if let Value::Object(top) = cfg {
        for (k, v) in top {
            match (k.as_str(), v) {
                ("scoring", Value::Object(scoring)) => out.extend(scoring),
                ("fairness", _) => {}
                (_, v) => {
                    out.insert(k, v);
                }
            }
        }
    }
    out.insert("fairness".into(), Value::Null);
    out.insert("by".into(), Value::Null);
    out.insert("tolerance".into(), Value::from(DEFAULT_TOLERANCE));
    out.insert("rate_parity".into(), Value::from(false));
    out
}

impl From<ConfigError> for MatchError {
    fn from(e: ConfigError) -> Self {
        MatchError::Config(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_default_is_documented_and_every_documented_option_has_a_default() {
        let defaults = match_defaults();
        let mut documented: Vec<&str> = MATCH_OPTIONS.iter().map(|(k, _)| *k).collect();
        documented.sort_unstable();
        let mut keys: Vec<&str> = defaults.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, documented);
    }

    #[test]
    fn no_options_is_the_default_configuration() {
        assert_eq!(
            MatchConfig::from_options(json!({})).unwrap(),
            MatchConfig::default()
        );
        let explicit = Value::Object(match_defaults());
        assert_eq!(
            MatchConfig::from_options(explicit).unwrap(),
            MatchConfig::default()
        );
    }

    #[test]
    fn flat_options_land_in_their_place() {
        let cfg = MatchConfig::from_options(json!({
            "reference_date": "2026-03-02", "meeting_minutes": 45, "min_score": 0.2,
            "weights": {"goals": 0.5}, "fairness": "group-floor", "by": "gender"
        }))
        .unwrap();
        assert_eq!(cfg.scoring.meeting_minutes, 45);
        assert_eq!(cfg.min_score, 0.2);
        assert_eq!(cfg.weights.goals, 0.5);
        assert_eq!(
            cfg.fairness,
            Some(Fairness::GroupFloor {
                by: vec!["gender".into()],
                tolerance: DEFAULT_TOLERANCE,
                rate_parity: false
            })
        );
    }

    #[test]
    fn an_impossible_date_names_reference_date() {
        let e = MatchConfig::from_options(json!({"reference_date": "2026-02-30"})).unwrap_err();
        assert_eq!(e.option, "reference_date");
        assert_eq!(e.value.as_deref(), Some("\"2026-02-30\""));
        let msg = e.to_string();
        assert!(msg.contains("YYYY-MM-DD"), "{msg}");
        assert!(!msg.contains("line 1"), "{msg}");
    }

    #[test]
    fn out_of_range_values_name_their_option() {
        for (options, option) in [
            (json!({"meeting_minutes": 0}), "meeting_minutes"),
            (json!({"meeting_minutes": -5}), "meeting_minutes"),
            (json!({"neutral": 2.0}), "neutral"),
            (json!({"weights": {"goals": -1.0}}), "weights"),
            (json!({"weights": {"gaols": 1.0}}), "weights.gaols"),
            (json!({"objective": "most"}), "objective"),
            (json!({"fairness": "fair"}), "fairness"),
            (json!({"fairness": "group_floor"}), "by"),
            (
                json!({"fairness": "group_floor", "by": "g", "tolerance": 1.5}),
                "tolerance",
            ),
            (json!({"by": "gender"}), "by"),
            (json!({"seniority_gap": 3}), "seniority_sweet_spot_max"),
            (json!({"min_scor": 0.1}), "min_scor"),
            (json!({"preferences": "maybe"}), "preferences"),
        ] {
            let e = MatchConfig::from_options(options.clone()).unwrap_err();
            assert_eq!(e.option, option, "{options}: {e}");
            assert!(e.to_string().contains(&format!("`{option}`")), "{e}");
        }
    }

    #[test]
    fn solve_options_override_only_what_is_given() {
        let base = SolveOptions {
            objective: Objective::Score,
            fairness: Some(Fairness::Maximin),
        };
        assert_eq!(SolveOptions::from_options(json!({}), &base).unwrap(), base);
        let s = SolveOptions::from_options(json!({"objective": "coverage"}), &base).unwrap();
        assert_eq!(s.objective, Objective::Coverage);
        assert_eq!(s.fairness, Some(Fairness::Maximin));
        let e = SolveOptions::from_options(json!({"objective": 3}), &base).unwrap_err();
        assert_eq!(e.option, "objective");
        let e = SolveOptions::from_options(json!({"weights": {}}), &base).unwrap_err();
        assert_eq!(e.option, "weights");
    }
}
