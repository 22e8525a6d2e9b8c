//! What the command line reads and writes besides the participant tables: the TOML config, pair
//! files (CSV), the result file (JSON) and the text it prints.

use std::io::{self, Write};
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::CliError;
use crate::cohort::{Cohort, Person, Table};
use crate::fairness::FairnessReport;
use crate::io::safe_csv::{CsvCells, CsvWriter};
use crate::matching::{MatchConfig, MatchResult};
use crate::rematch::Rematch;
use crate::score::Component;

/// Marks a result file written by this command line, with its layout version.
pub(super) const RESULT_FORMAT: &str = "mentorpair-result/1";

/// A table as far as the result file needs it: ids, capacities, protected attributes, time zones
/// and availability (what explaining, auditing and scheduling a stored result read); the other
/// scoring columns are left out.
fn slim(table: &Table) -> Table {
    Table {
        role: table.role,
        people: table
            .people
            .iter()
            .map(|p| {
                let mut q = Person::new(p.id.clone());
                q.capacity = p.capacity;
                // What `schedule` and `report` need to propose meetings from a stored result.
                q.timezone = p.timezone.clone();
                q.availability = p.availability.clone();
                q
            })
            .collect(),
        protected: table.protected.clone(),
    }
}

/// The file `match --json` and `rematch --json` write and `explain` and `audit` read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ResultFile {
    pub(super) format: String,
    pub(super) result: MatchResult,
    /// The cohort the result came from, slimmed (see [`slim`]).
    pub(super) cohort: Cohort,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) rematch: Option<Rematch>,
}

impl ResultFile {
    pub(super) fn new(cohort: &Cohort, result: MatchResult, rematch: Option<Rematch>) -> Self {
        ResultFile {
            format: RESULT_FORMAT.to_string(),
            result,
            cohort: Cohort {
                mentees: slim(&cohort.mentees),
                mentors: slim(&cohort.mentors),
            },
            rematch,
        }
    }

    pub(super) fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer(&mut *w, self).map_err(io::Error::other)?;
        writeln!(w)
    }

    pub(super) fn read(path: &Path) -> Result<Self, CliError> {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::file(path, "read", e))?;
        Self::parse(&text, path)
    }

    /// A result file from its text, checked against itself and its cohort; `path` names it in
    /// errors.
    pub(super) fn parse(text: &str, path: &Path) -> Result<Self, CliError> {
        let file: ResultFile = serde_json::from_str(text).map_err(|e| {
            CliError::Input(format!(
                "{}: not a mentorpair result file ({e}); write one with `mentorpair match --json FILE`",
                path.display()
            ))
        })?;
        if file.format == RESULT_FORMAT {
            crate::matching::check_result(&file.result, &file.cohort)
                .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        }
        if file.format != RESULT_FORMAT {
            return Err(CliError::Input(format!(
                "{}: result format {:?} is not {RESULT_FORMAT:?}; re-run `mentorpair match --json` with this version",
                path.display(),
                file.format
            )));
        }
        Ok(file)
    }
}

/// A TOML match config: the options of [`MatchConfig::from_options`] (flat, as Python's
/// keywords, or grouped in `[scoring]`, `[weights]`, `[fairness]` tables), plus
/// `protected = [...]`. The options are checked by the one options reader, so a bad value is
/// named as it is everywhere else.
pub(super) fn parse_config(text: &str) -> Result<(MatchConfig, Vec<String>), String> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let serde_json::Value::Object(mut options) = toml_to_json(toml::Value::Table(table)) else {
        return Err("a config file is a TOML table of options".to_string());
    };
    let protected = match options.remove("protected") {
        None => Vec::new(),
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Ok(s),
                other => Err(format!(
                    "`protected` lists column names as strings, found {other}"
                )),
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "`protected` must be a list of column names such as [\"gender\"], found {other}"
            ))
        }
    };
    let cfg =
        MatchConfig::from_options(serde_json::Value::Object(options)).map_err(|e| e.to_string())?;
    Ok((cfg, protected))
}

/// TOML values as the options reader takes them: dates and times as their text
/// (`reference_date = 2026-03-02` reads as `"2026-03-02"`).
fn toml_to_json(v: toml::Value) -> serde_json::Value {
    use serde_json::Value;
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => serde_json::Number::from_f64(f)
            .map_or_else(|| Value::String(f.to_string()), Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The components of a result's pairs: the standard ones, then any other a pair carries.
fn result_components(result: &MatchResult) -> Vec<Component> {
    let mut all: std::collections::BTreeSet<Component> = Component::ALL.into_iter().collect();
    for p in &result.pairs {
        all.extend(p.components.keys().cloned());
    }
    all.into_iter().collect()
}

/// Pairs CSV: mentee_id, mentor_id, score, one column per component, pinned (and status when a
/// rematch says which pairs were kept).
pub(super) fn write_pairs(
    w: &mut dyn Write,
    result: &MatchResult,
    rematch: Option<&Rematch>,
    cells: CsvCells,
) -> io::Result<()> {
    let mut csv = CsvWriter::new(w, cells);
    let components = result_components(result);
    let mut header = vec!["mentee_id", "mentor_id", "score"];
    header.extend(components.iter().map(|c| c.name()));
    header.push("pinned");
    if rematch.is_some() {
        header.push("status");
    }
    csv.row(&header)?;
    for p in &result.pairs {
        let mut row = vec![
            p.mentee_id.clone(),
            p.mentor_id.clone(),
            p.score.to_string(),
        ];
        row.extend(components.iter().map(|c| {
            p.components
                .get(c)
                .map(|v| v.to_string())
                .unwrap_or_default()
        }));
        row.push(p.pinned.to_string());
        if let Some(r) = rematch {
            let kept = r
                .pairs
                .iter()
                .any(|x| x.kept && x.mentee_id == p.mentee_id && x.mentor_id == p.mentor_id);
            row.push(if kept { "kept" } else { "new" }.to_string());
        }
        csv.row(&row)?;
    }
    csv.flush()
}

/// Changes CSV: every previous and new pair with its status and reason.
pub(super) fn write_changes(
    w: &mut dyn Write,
    rematch: &Rematch,
    cells: CsvCells,
) -> io::Result<()> {
    let mut csv = CsvWriter::new(w, cells);
    csv.row([
        "mentee_id",
        "mentor_id",
        "status",
        "frozen",
        "score",
        "reason",
    ])?;
    for c in &rematch.changes {
        csv.row([
            c.mentee_id.as_str(),
            c.mentor_id.as_str(),
            &c.status.to_string(),
            &c.frozen.to_string(),
            &c.score.map(|s| s.to_string()).unwrap_or_default(),
            c.reason.as_str(),
        ])?;
    }
    csv.flush()
}

fn secs(ms: f64) -> String {
    format!("{:.2}", ms / 1e3)
}

/// The summary `match` prints: matched, mean score, unmatched by reason, violations, time.
pub(super) fn match_summary(result: &MatchResult, elapsed: Duration) -> Vec<String> {
    let s = &result.summary;
    let t = &result.timings;
    let mut lines = vec![
        format!(
            "matched {} of {} mentees ({} pairs; {} mentors, demand {}, capacity {})",
            s.matched_mentees, s.mentees, s.pairs, s.mentors, s.demand, s.capacity
        ),
        format!(
            "mean score {:.3} ({} % match){}, total {:.3}",
            s.mean_score,
            crate::score::match_percent(s.mean_score),
            s.min_pair_score
                .map(|m| format!(" (lowest {m:.3})"))
                .unwrap_or_default(),
            s.total_score
        ),
    ];
    if s.unmatched_by_reason.is_empty() {
        lines.push("unmatched: none".to_string());
    } else {
        let parts: Vec<String> = s
            .unmatched_by_reason
            .iter()
            .map(|(reason, n)| {
                let name = serde_json::to_value(reason)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| format!("{reason:?}"));
                format!("{name} {n}")
            })
            .collect();
        lines.push(format!("unmatched: {}", parts.join(", ")));
    }
    if let Some(f) = &result.fairness {
        lines.push(fairness_line(f));
    }
    if let Some(c) = &result.certificate {
        lines.push(format!(
            "sparse solver: {} ({} rounds, {} pair checks, {} candidates; gap bound {} pairs, {:.3e} score)",
            if c.certified { "certified optimal over every pair" } else { "not certified" },
            c.rounds,
            c.pairs_checked,
            c.candidates,
            c.coverage_gap,
            c.gap
        ));
    }
    lines.push(format!(
        "constraint violations: {} (independent audit)",
        result.violations.len()
    ));
    let certify = if t.certify_ms > 0.0 {
        format!(", of which certificate checks {}", secs(t.certify_ms))
    } else {
        String::new()
    };
    lines.push(format!(
        "time: {:.2} s (features {}, scoring {}, constraints {}, solve {}{certify}, report {})",
        elapsed.as_secs_f64(),
        secs(t.features_ms),
        secs(t.score_ms),
        secs(t.mask_ms),
        secs(t.solve_ms),
        secs(t.report_ms)
    ));
    lines
}

fn fairness_line(report: &FairnessReport) -> String {
    match report {
        FairnessReport::GroupFloor { by, result, .. } => {
            format!(
            "fairness group-floor by {}: {}; floor {}, price of fairness {:.3} ({} extra solves)",
            by.join(" / "),
            if result.all_met {
                "every group meets the floor"
            } else {
                "some group stays below the floor (see --json)"
            },
            result.floor.map_or_else(|| "-".to_string(), |f| format!("{f:.3}")),
            result.price_of_fairness,
            result.iterations
        )
        }
        FairnessReport::Maximin { result } => format!(
            "fairness maximin: lowest score {} (plain {}), price of fairness {:.3} ({} solves)",
            result
                .min_score
                .map_or_else(|| "-".to_string(), |f| format!("{f:.3}")),
            result
                .plain_min_score
                .map_or_else(|| "-".to_string(), |f| format!("{f:.3}")),
            result.price_of_fairness,
            result.solves
        ),
    }
}

/// The summary `rematch` prints before the matching summary.
pub(super) fn rematch_summary(r: &Rematch) -> Vec<String> {
    let c = &r.counts;
    vec![
        format!(
            "mentees: {} kept, {} moved, {} new, {} dissolved, {} unmatched",
            c.kept, c.moved, c.new, c.dissolved, c.unmatched
        ),
        format!(
            "score: {:.3} now vs {:.3} keeping every still-valid pair ({:+.3}; keep bonus {})",
            r.total_score, r.baseline_score, r.score_gained, r.keep_bonus
        ),
    ]
}

/// `wrote pairs.csv, result.json`.
pub(super) fn wrote(pairs: &Path, json: Option<&Path>) -> String {
    match json {
        Some(j) => format!("wrote {}, {}", pairs.display(), j.display()),
        None => format!("wrote {}", pairs.display()),
    }
}

/// Evidence as `key: value` text, from its serialised form (so every kind prints the same way).
fn evidence_text(value: &serde_json::Value) -> String {
    let Some(map) = value.as_object() else {
        return value.to_string();
    };
    map.iter()
        .filter(|(k, _)| k.as_str() != "kind")
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            format!("{k}: {v}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// An id as printed inside a line: a line break in it is shown as `\n`, so that it cannot fake
/// another line (other control characters are escaped when the line is printed).
fn one_line(id: &str) -> std::borrow::Cow<'_, str> {
    if id.contains(['\n', '\r']) {
        std::borrow::Cow::Owned(id.replace('\n', "\\n").replace('\r', "\\r"))
    } else {
        std::borrow::Cow::Borrowed(id)
    }
}

/// The lines `explain` prints for one mentee, or `None` when the id is not in the result.
pub(super) fn explain_mentee(file: &ResultFile, mentee_id: &str) -> Option<Vec<String>> {
    let result = &file.result;
    let pairs: Vec<_> = result
        .pairs
        .iter()
        .filter(|p| p.mentee_id == mentee_id)
        .collect();
    let unmatched = result.unmatched.iter().find(|u| u.mentee_id == mentee_id);
    let change = file
        .rematch
        .as_ref()
        .and_then(|r| r.mentees.iter().find(|m| m.mentee_id == mentee_id));
    if pairs.is_empty() && unmatched.is_none() && change.is_none() {
        if !file.cohort.mentees.people.iter().any(|p| p.id == mentee_id) {
            return None;
        }
        return Some(vec![format!(
            "mentee {mentee_id:?} wants no mentor (mentors_wanted is 0)"
        )]);
    }
    let mut lines = Vec::new();
    if let Some(c) = change {
        lines.push(format!("rematch: {} ({})", c.status, c.reason));
    }
    for p in pairs {
        lines.push(format!(
            "{} -> {}: score {:.3} ({} % match){}",
            one_line(&p.mentee_id),
            one_line(&p.mentor_id),
            p.score,
            p.match_percent,
            if p.pinned { " (pinned)" } else { "" }
        ));
        for c in &p.explanation.components {
            let evidence = serde_json::to_value(&c.evidence)
                .map(|v| evidence_text(&v))
                .unwrap_or_default();
            let missing = c
                .missing
                .as_ref()
                .map(|m| format!(" [missing: {m}]"))
                .unwrap_or_default();
            lines.push(format!(
                "  {:<13} {:.3} x {:.2} / {:.2} = {:.3}{missing}  {evidence}",
                c.component.name(),
                c.value,
                c.weight,
                p.explanation.total_weight,
                c.contribution
            ));
        }
    }
    if let Some(u) = unmatched {
        let reason = serde_json::to_value(u.reason)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        lines.push(format!(
            "{}: matched {} of {} wanted; {reason}: {}",
            one_line(&u.mentee_id),
            u.matched,
            u.wanted,
            one_line(&u.detail)
        ));
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_reads_protected_and_match_options() {
        let (cfg, protected) = parse_config(
            "protected = [\"gender\", \"age_band\"]\nmin_score = 0.25\nobjective = \"score\"\nforbid = [[\"a\", \"m\"]]\n[weights]\ngoals = 0.5\n[scoring]\nreference_date = \"2026-03-02\"\ncadence_weeks = 1\n",
        )
        .expect("valid config");
        assert_eq!(protected, ["gender", "age_band"]);
        assert_eq!(cfg.min_score, 0.25);
        assert_eq!(cfg.objective, crate::matching::Objective::Score);
        assert_eq!(cfg.forbid, [("a".to_string(), "m".to_string())]);
        assert_eq!(cfg.weights.goals, 0.5);
        // Unset weights keep their defaults.
        assert_eq!(cfg.weights.skills, crate::score::Weights::default().skills);
        assert_eq!(cfg.scoring.cadence_weeks, 1);
        assert_eq!(
            cfg.scoring.reference_date,
            chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
        );
    }

    #[test]
    fn config_flat_and_grouped_forms_are_one_reader() {
        let grouped = parse_config(
            "min_score = 0.1\n[weights]\ngoals = 0.5\n[scoring]\nreference_date = 2026-03-02\ncadence_weeks = 1\n[fairness]\nmode = \"maximin\"\n",
        )
        .expect("grouped form");
        let flat = parse_config(
            "min_score = 0.1\nweights = { goals = 0.5 }\nreference_date = \"2026-03-02\"\ncadence_weeks = 1\nfairness = \"maximin\"\n",
        )
        .expect("flat form");
        assert_eq!(grouped.0, flat.0);
        let python_form = MatchConfig::from_options(serde_json::json!({
            "min_score": 0.1, "weights": {"goals": 0.5}, "reference_date": "2026-03-02",
            "cadence_weeks": 1, "fairness": "maximin",
        }))
        .expect("options");
        assert_eq!(flat.0, python_form);
        let twice = parse_config("cadence_weeks = 1\n[scoring]\ncadence_weeks = 2\n")
            .expect_err("given twice");
        assert!(
            twice.contains("cadence_weeks") && twice.contains("once"),
            "{twice}"
        );
        // A bad value is named by its option, with the allowed range, as from Python.
        let bad =
            parse_config("[scoring]\nreference_date = \"2026-02-30\"\n").expect_err("bad date");
        assert!(bad.contains("`reference_date`"), "{bad}");
        let range = parse_config("min_score = inf\n").expect_err("not finite");
        assert!(range.contains("`min_score`"), "{range}");
    }

    #[test]
    fn config_errors_name_the_key() {
        let unknown = parse_config("min_scor = 1\n").expect_err("unknown key");
        assert!(unknown.contains("min_scor"), "{unknown}");
        let protected = parse_config("protected = \"gender\"\n").expect_err("not a list");
        assert!(protected.contains("protected"), "{protected}");
        let syntax = parse_config("min_score = \n").expect_err("bad TOML");
        assert!(!syntax.is_empty());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

        #[test]
        fn config_parser_never_panics(text in "[a-z_=\\[\\]\"., 0-9\n-]{0,120}") {
            let _ = parse_config(&text);
        }

        #[test]
        fn config_parser_never_panics_on_any_string(text in proptest::prelude::any::<String>()) {
            let _ = parse_config(&text);
        }

        #[test]
        fn result_reader_never_panics(text in proptest::prelude::any::<String>(), cut in 0usize..4000) {
            let p = Path::new("r.json");
            let _ = ResultFile::parse(&text, p);
            // A real result file, cut or with a span replaced, is rejected, never trusted blindly.
            let good = sample_result();
            let cut = cut.min(good.len());
            if good.is_char_boundary(cut) {
                let _ = ResultFile::parse(&good[..cut], p);
                let spliced = format!("{}{text}{}", &good[..cut], &good[cut..]);
                let _ = ResultFile::parse(&spliced, p);
            }
        }
    }

    fn sample_result() -> String {
        let mentees = crate::io::read_csv(
            crate::cohort::Role::Mentee,
            "id,goals,gender\na,python,f\nb,sql,m\n".as_bytes(),
            &["gender".to_string()],
        )
        .expect("mentees");
        let mentors = crate::io::read_csv(
            crate::cohort::Role::Mentor,
            "id,goals,capacity,gender\nm1,python,2,f\n".as_bytes(),
            &["gender".to_string()],
        )
        .expect("mentors");
        let cohort = Cohort { mentees, mentors };
        let result =
            crate::matching::match_cohort(&cohort, &MatchConfig::default()).expect("match");
        let mut buf = Vec::new();
        ResultFile::new(&cohort, result, None)
            .write(&mut buf)
            .expect("write");
        String::from_utf8(buf).expect("utf-8")
    }

    #[test]
    fn a_sample_result_reads_back() {
        ResultFile::parse(&sample_result(), Path::new("r.json")).expect("valid");
    }

    #[test]
    fn evidence_prints_as_key_value_text() {
        let v = serde_json::json!({"kind": "language", "shared": ["english", "hindi"], "n": 2});
        assert_eq!(evidence_text(&v), "n: 2; shared: [\"english\",\"hindi\"]");
        assert_eq!(evidence_text(&serde_json::json!("x")), "\"x\"");
    }
}
