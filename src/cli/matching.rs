//! `mentorpair match`, `explain` and `rematch`: reading the tables and the options, running the
//! library, writing pairs and result files, printing summaries.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::output::{self, ResultFile};
use super::progress::Progress;
use super::{commit, prepare_outputs, CliError, Out};
use crate::cohort::{Cohort, Role, Table};
use crate::fairness::{Fairness, FairnessMode};
use crate::io as table_io;
use crate::io::safe_csv::CsvCells;
use crate::problem::{MatchConfig, MatchError, Objective, Problem};
use crate::rematch::{PairId, RematchOptions};
use crate::score::Weights;

/// The two tables and how to read them.
#[derive(Debug, Args)]
pub(super) struct Inputs {
    /// Mentee table (.csv or .json).
    #[arg(long)]
    mentees: PathBuf,
    /// Mentor table (.csv or .json).
    #[arg(long)]
    mentors: PathBuf,
    /// Columns held apart as protected attributes (comma-separated), e.g. gender,age_band.
    #[arg(long, value_delimiter = ',')]
    protected: Vec<String>,
    /// A TOML file with match options (weights, min_score, forbid, pin, objective, scoring,
    /// fairness, protected);
    /// flags override it. See docs/cli.md.
    #[arg(long)]
    config: Option<PathBuf>,
}

/// `--objective`, parsed by the library's one parser.
fn parse_objective(text: &str) -> Result<Objective, String> {
    text.parse()
        .map_err(|e: crate::options::ConfigError| e.to_string())
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum SolverArg {
    /// Dense while its matrices fit in memory, sparse otherwise.
    Auto,
    /// One dense score matrix.
    Dense,
    /// Sparse candidates with a certificate against every pair.
    Sparse,
}

/// `--fairness`, parsed by the library's one parser (`group-floor` or `group_floor`, `maximin`).
fn parse_fairness(text: &str) -> Result<FairnessMode, String> {
    text.parse()
        .map_err(|e: crate::options::ConfigError| e.to_string())
}

/// Match options as flags; each overrides the config file.
#[derive(Debug, Args)]
pub(super) struct MatchFlags {
    /// A component weight, COMPONENT=WEIGHT (goals, skills, availability, language, seniority,
    /// affinity, preference, goals_text, embedding, open_doors, two_way);
    /// repeat for several.
    #[arg(long = "weight", value_name = "COMPONENT=WEIGHT")]
    weights: Vec<String>,
    /// Pairs scoring below this are not allowed.
    #[arg(long)]
    min_score: Option<f64>,
    /// Forbid pairs within one department.
    #[arg(long)]
    exclude_same_department: bool,
    /// A pair never to match, MENTEE_ID:MENTOR_ID; repeat for several.
    #[arg(long, value_name = "MENTEE_ID:MENTOR_ID")]
    forbid: Vec<String>,
    /// A pair always to match, MENTEE_ID:MENTOR_ID; repeat for several.
    #[arg(long, value_name = "MENTEE_ID:MENTOR_ID")]
    pin: Vec<String>,
    /// What to maximise: coverage (as many pairs as the constraints allow, then the highest
    /// total score) or score (the highest total score, whatever the number of pairs).
    #[arg(long, value_parser = parse_objective)]
    objective: Option<Objective>,
    /// Score storage and solver: auto (dense when it fits in memory, else sparse), dense, or
    /// sparse (candidates from blocking indexes, certified against every pair).
    #[arg(long, value_enum)]
    solver: Option<SolverArg>,
    /// Sparse solver: stop certifying after the round that ends past this many seconds.
    #[arg(long, value_name = "SECONDS")]
    sparse_time_limit: Option<f64>,
    /// Date (YYYY-MM-DD) whose UTC offsets apply to availability; default today.
    #[arg(long)]
    reference_date: Option<String>,
    /// Fairness-aware solving: group-floor (every group's mean score at least (1 - tolerance) x
    /// the overall mean) or maximin (keep the coverage, lift the lowest matched score).
    #[arg(long, value_parser = parse_fairness)]
    fairness: Option<FairnessMode>,
    /// Protected column(s) whose groups group-floor holds to the floor (comma-separated).
    #[arg(long, value_delimiter = ',')]
    by: Vec<String>,
    /// group-floor tolerance in [0, 1).
    #[arg(long)]
    tolerance: Option<f64>,
    /// group-floor: also hold every group's match rate to (1 - tolerance) x the overall rate.
    #[arg(long)]
    rate_parity: bool,
    /// Length of one meeting in minutes (default 60).
    #[arg(long)]
    meeting_minutes: Option<u32>,
    /// One meeting every this many weeks (default 2).
    #[arg(long)]
    cadence_weeks: Option<u32>,
    /// A programme criterion, COLUMN:KIND[:WEIGHT] (soft) or COLUMN:KIND:must (a hard rule);
    /// kinds: same, different, closeness, overlap, ahead (scale, by and order in the TOML file).
    /// Repeat for several.
    #[arg(long = "criterion", value_name = "COLUMN:KIND[:WEIGHT|must]")]
    criteria: Vec<String>,
    /// How mentees' preferred_mentors count: bonus (default) or must (only listed mentors).
    #[arg(long, value_enum)]
    preferences: Option<PreferencesArg>,
    /// Reverse mentoring: the mentor should be junior to the mentee by the seniority sweet spot.
    #[arg(long)]
    reverse_mentoring: bool,
    /// Related tags: a file with one group per line, tags separated by `~`
    /// (`public speaking ~ presenting`), each group with credit 0.5 (`[[taxonomy]]` tables in
    /// the TOML file set other credits).
    #[arg(long, value_name = "FILE")]
    taxonomy: Option<PathBuf>,
    /// Language of the goals_text columns (Snowball stemmer and stop words), e.g. english,
    /// german, french, spanish.
    #[arg(long)]
    text_language: Option<String>,
    /// Earlier rounds (CSV: mentee_id, mentor_id (empty = left unmatched), round or date,
    /// optional outcome): past pairs are not matched again, mentees left unmatched get priority.
    #[arg(long, value_name = "FILE")]
    history: Option<PathBuf>,
    /// Allow pairs the history says met before.
    #[arg(long)]
    allow_repeat_pairs: bool,
    /// Weight of the priority component for mentees the history shows unmatched (default 0.5;
    /// 0 = off).
    #[arg(long)]
    unmatched_priority: Option<f64>,
    /// The fewest mentees every mentor should get, for mentors without a `min_load` column
    /// value (solved as lower bounds, before coverage and score; default 0).
    #[arg(long, value_name = "N")]
    min_load: Option<u32>,
    /// Spreading penalty: a mentor's k-th mentee costs SPREAD x (k - 1) score points (default 0).
    #[arg(long)]
    spread: Option<f64>,
    /// When minimum loads cannot all be met: error (default, names the mentors) or report (the
    /// best matching; the audit's mentor-load table shows the shortfall).
    #[arg(long, value_enum)]
    min_load_shortfall: Option<ShortfallArg>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ShortfallArg {
    /// Fail, naming every mentor below their minimum and by how much.
    Error,
    /// Return the best matching and report the shortfall.
    Report,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum PreferencesArg {
    /// A listed mentor earns the preference component, more for a higher rank.
    Bonus,
    /// A mentee with a list is matched only with a listed mentor.
    Must,
}

/// `COLUMN:KIND[:WEIGHT|must]` as a criterion.
fn parse_criterion(text: &str) -> Result<crate::criteria::Criterion, CliError> {
    let bad = |why: &str| {
        CliError::Usage(format!(
            "--criterion {text:?}: {why}; write COLUMN:KIND[:WEIGHT|must], e.g. location:same:0.1 or business_unit:different:must"
        ))
    };
    let parts: Vec<&str> = text.split(':').map(str::trim).collect();
    match parts.as_slice() {
        [column, kind] => Ok(crate::criteria::Criterion {
            weight: None,
            ..crate::criteria::Criterion::prefer(column, kind, 0.0)
        }),
        [column, kind, "must"] => Ok(crate::criteria::Criterion::must(column, kind)),
        [column, kind, weight] => {
            let w: f64 = weight
                .parse()
                .map_err(|_| bad("the weight is not a number"))?;
            Ok(crate::criteria::Criterion::prefer(column, kind, w))
        }
        _ => Err(bad("expected two or three parts")),
    }
}

#[derive(Debug, Args)]
pub(super) struct MatchArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    flags: MatchFlags,
    /// Where to write the pairs (CSV: mentee_id, mentor_id, score, one column per component, pinned).
    #[arg(long)]
    out: PathBuf,
    /// Where to write the full result (JSON), for `explain` and `audit`.
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(super) struct ExplainArgs {
    /// A result file written by `match --json` or `rematch --json`.
    #[arg(long)]
    result: PathBuf,
    /// The mentee to explain.
    mentee_id: String,
}

#[derive(Debug, Args)]
pub(super) struct RematchArgs {
    /// Last round's pairs: a CSV with mentee_id and mentor_id columns (e.g. a `match --out` file,
    /// neutralised or raw) or a result file written by `match --json`.
    #[arg(long)]
    previous: PathBuf,
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    flags: MatchFlags,
    /// Score bonus for keeping a still-valid pair (scores lie in [0, 1]); 0 = a fresh solve
    /// (default 0.1, the library's `DEFAULT_KEEP_BONUS`).
    #[arg(long)]
    keep_bonus: Option<f64>,
    /// A pair that must stay matched, MENTEE_ID:MENTOR_ID; repeat for several.
    #[arg(long, value_name = "MENTEE_ID:MENTOR_ID")]
    freeze: Vec<String>,
    /// Where to write the new pairs (CSV, as `match --out`, plus a status column: kept or new).
    #[arg(long)]
    out: PathBuf,
    /// Where to write every pair's change (CSV: mentee_id, mentor_id, status, frozen, score, reason).
    #[arg(long)]
    changes: Option<PathBuf>,
    /// Where to write the full result (JSON), for `explain` and `audit`.
    #[arg(long)]
    json: Option<PathBuf>,
}

pub(super) fn parse_pair(text: &str, flag: &str) -> Result<(String, String), CliError> {
    match text.split_once(':') {
        Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
            Ok((a.trim().to_string(), b.trim().to_string()))
        }
        _ => Err(CliError::Usage(format!(
            "--{flag} {text:?}: write the pair as MENTEE_ID:MENTOR_ID"
        ))),
    }
}

/// group-floor tolerance when neither a flag nor the config file gives one.
use crate::fairness::DEFAULT_TOLERANCE;

/// Set one weight by its component name (the names of [`Weights`]' fields); `Err` lists the names.
fn set_weight(weights: &mut Weights, name: &str, value: f64) -> Result<(), String> {
    let mut map = match serde_json::to_value(*weights) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => return Err("(weights are not a table)".to_string()),
    };
    let names: Vec<String> = map.keys().cloned().collect();
    match map.get_mut(name) {
        Some(slot) => *slot = serde_json::Value::from(value),
        None => return Err(names.join(", ")),
    }
    *weights = serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| e.to_string())?;
    Ok(())
}

/// The config file (if any) with the flags applied on top, and the protected columns.
pub(super) fn match_config(
    inputs: &Inputs,
    flags: &MatchFlags,
) -> Result<(MatchConfig, Vec<String>), CliError> {
    let (mut cfg, mut protected) = match &inputs.config {
        None => (MatchConfig::default(), Vec::new()),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| CliError::file(path, "read", e))?;
            output::parse_config(&text)
                .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?
        }
    };
    for p in &inputs.protected {
        if !protected.contains(p) {
            protected.push(p.clone());
        }
    }
    for w in &flags.weights {
        let (name, value) = w.split_once('=').ok_or_else(|| {
            CliError::Usage(format!(
                "--weight {w:?}: write it as COMPONENT=WEIGHT, e.g. goals=0.4"
            ))
        })?;
        let value: f64 = value
            .trim()
            .parse()
            .map_err(|_| CliError::Usage(format!("--weight {w:?}: {value:?} is not a number")))?;
        set_weight(&mut cfg.weights, name.trim(), value).map_err(|names| {
            CliError::Usage(format!(
                "--weight {w:?}: unknown component {name:?}; components are {names}"
            ))
        })?;
    }
    if let Some(path) = &flags.taxonomy {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::file(path, "read", e))?;
        cfg.taxonomy = crate::score::taxonomy::groups_from_lines(
            &text,
            crate::score::taxonomy::DEFAULT_RELATED_CREDIT,
        )
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
    }
    if let Some(lang) = &flags.text_language {
        cfg.text.language = serde_json::from_value(serde_json::Value::from(lang.to_lowercase()))
            .map_err(|_| {
                CliError::Usage(format!(
                    "--text-language {lang:?}: use one of {}",
                    crate::score::text::TextLanguage::ALL
                        .iter()
                        .map(|l| format!("{l:?}").to_lowercase())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
    }
    if let Some(x) = flags.min_score {
        cfg.min_score = x;
    }
    if flags.exclude_same_department {
        cfg.exclude_same_department = true;
    }
    for f in &flags.forbid {
        cfg.forbid.push(parse_pair(f, "forbid")?);
    }
    for p in &flags.pin {
        cfg.pin.push(parse_pair(p, "pin")?);
    }
    if let Some(o) = flags.objective {
        cfg.objective = o;
    }
    if let Some(x) = flags.solver {
        cfg.solver = match x {
            SolverArg::Auto => crate::problem::SolverChoice::Auto,
            SolverArg::Dense => crate::problem::SolverChoice::Dense,
            SolverArg::Sparse => crate::problem::SolverChoice::Sparse,
        };
    }
    if let Some(t) = flags.sparse_time_limit {
        cfg.sparse_time_limit_s = Some(t);
    }
    for c in &flags.criteria {
        cfg.criteria.push(parse_criterion(c)?);
    }
    if let Some(p) = flags.preferences {
        cfg.preferences = match p {
            PreferencesArg::Bonus => crate::wishes::PreferenceMode::Bonus,
            PreferencesArg::Must => crate::wishes::PreferenceMode::Must,
        };
    }
    if flags.reverse_mentoring {
        cfg.scoring.reverse_mentoring = true;
    }
    if let Some(n) = flags.min_load {
        cfg.min_load = n;
    }
    if let Some(x) = flags.spread {
        cfg.spread = x;
    }
    if let Some(s) = flags.min_load_shortfall {
        cfg.min_load_shortfall = match s {
            ShortfallArg::Error => crate::problem::ShortfallPolicy::Error,
            ShortfallArg::Report => crate::problem::ShortfallPolicy::Report,
        };
    }
    if let Some(d) = &flags.reference_date {
        let four_digit_year = d.split('-').next().is_some_and(|y| y.trim().len() == 4);
        let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .filter(|_| four_digit_year)
            .ok_or(()).map_err(|()| {
            CliError::Usage(format!(
                "--reference-date {d:?}: write the date as YYYY-MM-DD with a four-digit year, e.g. 2026-01-01"
            ))
        })?;
        cfg.scoring.reference_date = Some(date);
    }
    match flags.fairness {
        Some(FairnessMode::GroupFloor) => {
            let (by, tolerance, rate_parity) = match &cfg.fairness {
                Some(Fairness::GroupFloor {
                    by,
                    tolerance,
                    rate_parity,
                }) => (by.clone(), *tolerance, *rate_parity),
                _ => (Vec::new(), DEFAULT_TOLERANCE, false),
            };
            let by = if flags.by.is_empty() {
                by
            } else {
                flags.by.clone()
            };
            if by.is_empty() {
                return Err(CliError::Usage(
                    "--fairness group-floor needs --by COLUMN (a protected column such as gender)"
                        .to_string(),
                ));
            }
            cfg.fairness = Some(Fairness::GroupFloor {
                by,
                tolerance: flags.tolerance.unwrap_or(tolerance),
                rate_parity: rate_parity || flags.rate_parity,
            });
        }
        Some(FairnessMode::Maximin) => cfg.fairness = Some(Fairness::Maximin),
        None => {
            if !flags.by.is_empty() || flags.tolerance.is_some() || flags.rate_parity {
                return Err(CliError::Usage(
                    "--by, --tolerance and --rate-parity go with --fairness group-floor"
                        .to_string(),
                ));
            }
        }
    }
    if let Some(m) = flags.meeting_minutes {
        cfg.scoring.meeting_minutes = m;
    }
    if let Some(c) = flags.cadence_weeks {
        cfg.scoring.cadence_weeks = c;
    }
    if let Some(path) = &flags.history {
        cfg.history = crate::io::history::read_history_path(path)
            .map_err(|e| CliError::Input(e.to_string()))?;
    }
    if flags.allow_repeat_pairs {
        cfg.allow_repeat_pairs = true;
    }
    if let Some(x) = flags.unmatched_priority {
        cfg.unmatched_priority = x;
    }
    Ok((cfg, protected))
}

pub(super) fn read_cohort(
    inputs: &Inputs,
    protected: &[String],
    progress: Progress,
) -> Result<Cohort, CliError> {
    let read = |role: Role, path: &Path| -> Result<Table, CliError> {
        let stage = progress.stage(&format!("reading {}", path.display()));
        let table = table_io::read_path(role, path, protected)
            .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        stage.finish();
        Ok(table)
    };
    let cohort = Cohort {
        mentees: read(Role::Mentee, &inputs.mentees)?,
        mentors: read(Role::Mentor, &inputs.mentors)?,
    };
    table_io::check_protected(&cohort, protected).map_err(|e| CliError::Input(e.to_string()))?;
    Ok(cohort)
}

pub(super) fn match_error(e: MatchError) -> CliError {
    e.into()
}

impl Inputs {
    /// The input files, by option, for checking that no output overwrites one.
    pub(super) fn paths(&self) -> Vec<(&'static str, &Path)> {
        let mut v = vec![
            ("--mentees", self.mentees.as_path()),
            ("--mentors", self.mentors.as_path()),
        ];
        if let Some(c) = &self.config {
            v.push(("--config", c.as_path()));
        }
        v
    }
}

pub(super) fn run_match<W: Write>(
    args: &MatchArgs,
    cells: CsvCells,
    progress: Progress,
    out: &mut Out<W>,
) -> Result<(), CliError> {
    let mut targets = vec![("--out", args.out.as_path())];
    if let Some(j) = &args.json {
        targets.push(("--json", j.as_path()));
    }
    let mut outputs = prepare_outputs(&args.inputs.paths(), &targets)?;
    let (cfg, protected) = match_config(&args.inputs, &args.flags)?;
    let cohort = read_cohort(&args.inputs, &protected, progress)?;
    let stage = progress.stage(&format!(
        "scoring and solving {} mentees x {} mentors",
        cohort.mentees.people.len(),
        cohort.mentors.people.len()
    ));
    // Prepared once: scored, masked and pinned, then solved and reported from that.
    let problem = Problem::new(cohort, cfg).map_err(match_error)?;
    let result = problem.match_result().map_err(match_error)?;
    let elapsed = stage.finish();
    super::stage(&mut outputs, 0, |w| {
        output::write_pairs(w, &result, None, cells)
    })?;
    let file = ResultFile::new(problem.cohort(), result, None);
    if args.json.is_some() {
        super::stage(&mut outputs, 1, |w| file.write(w))?;
    }
    commit(outputs, out)?;
    for line in output::match_summary(&file.result, elapsed) {
        out.line(line)?;
    }
    out.line(output::wrote(&args.out, args.json.as_deref()))
}

pub(super) fn explain<W: Write>(args: &ExplainArgs, out: &mut Out<W>) -> Result<(), CliError> {
    let file = ResultFile::read(&args.result)?;
    let text = output::explain_mentee(&file, &args.mentee_id).ok_or_else(|| {
        CliError::Input(format!(
            "{}: no mentee {:?} in this result (ids are case-sensitive)",
            args.result.display(),
            args.mentee_id
        ))
    })?;
    for line in text {
        out.line(line)?;
    }
    Ok(())
}

pub(super) fn run_rematch<W: Write>(
    args: &RematchArgs,
    cells: CsvCells,
    progress: Progress,
    out: &mut Out<W>,
) -> Result<(), CliError> {
    let mut inputs = args.inputs.paths();
    inputs.push(("--previous", args.previous.as_path()));
    let mut targets = vec![("--out", args.out.as_path())];
    if let Some(c) = &args.changes {
        targets.push(("--changes", c.as_path()));
    }
    if let Some(j) = &args.json {
        targets.push(("--json", j.as_path()));
    }
    let mut outputs = prepare_outputs(&inputs, &targets)?;
    let (cfg, protected) = match_config(&args.inputs, &args.flags)?;
    // Last round's pairs: a pairs CSV, or a result file (checked before it is trusted).
    let is_json = args
        .previous
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let previous = if is_json {
        let file = ResultFile::read(&args.previous)?;
        let cells = file
            .result
            .pairs
            .iter()
            .map(|p| (p.mentee_id.clone(), p.mentor_id.clone()));
        table_io::pairs_from_cells(cells, &args.previous.display().to_string())
    } else {
        table_io::read_pairs_path(&args.previous)
    }
    .map_err(|e| CliError::Input(e.to_string()))?
    .into_iter()
    .map(|(a, b)| PairId::new(a, b))
    .collect::<Vec<_>>();
    let cohort = read_cohort(&args.inputs, &protected, progress)?;
    let freeze = args
        .freeze
        .iter()
        .map(|f| parse_pair(f, "freeze").map(|(a, b)| PairId::new(a, b)))
        .collect::<Result<Vec<_>, _>>()?;
    let options = RematchOptions::new(args.keep_bonus, freeze)
        .map_err(|e| CliError::Usage(format!("--keep-bonus: {e}")))?;
    let stage = progress.stage(&format!(
        "rematching {} mentees x {} mentors",
        cohort.mentees.people.len(),
        cohort.mentors.people.len()
    ));
    // One scoring: the rematch and its report both read the prepared problem.
    let problem = Problem::new(cohort, cfg).map_err(match_error)?;
    let done = problem.rematch(&previous, &options)?;
    let elapsed = stage.finish();
    super::stage(&mut outputs, 0, |w| {
        output::write_pairs(w, &done.result, Some(&done.rematch), cells)
    })?;
    let mut next = 1;
    if args.changes.is_some() {
        super::stage(&mut outputs, next, |w| {
            output::write_changes(w, &done.rematch, cells)
        })?;
        next += 1;
    }
    let file = ResultFile::new(problem.cohort(), done.result, Some(done.rematch));
    if args.json.is_some() {
        super::stage(&mut outputs, next, |w| file.write(w))?;
    }
    commit(outputs, out)?;
    if let Some(r) = &file.rematch {
        for line in output::rematch_summary(r) {
            out.line(line)?;
        }
    }
    for line in output::match_summary(&file.result, elapsed) {
        out.line(line)?;
    }
    out.line(output::wrote(&args.out, args.json.as_deref()))
}
