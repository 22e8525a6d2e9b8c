//! `mentorpair fit-weights`: learn component weights from a history of past pairs and outcomes,
//! print the report and write the weights as the `[weights]` table `match --config` reads.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use ndarray::Array2;

use super::output;
use super::{commit, prepare_outputs, stage, CliError, Out};
use crate::cohort::{Cohort, Role};
use crate::io as table_io;
use crate::io::history::{HistoryCells, HistoryError};
use crate::learn::{self, FitOptions, HistoryFrame, OutcomeScale, WeightFit};
use crate::score::Component;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum ScaleArg {
    /// 1 = continued, 0 = ended.
    Binary,
    /// A rating 1–5.
    Rating,
}

#[derive(Debug, Args)]
pub(super) struct FitArgs {
    /// History CSV: mentee_id, mentor_id, outcome (0/1 or 1–5), and component columns when
    /// --components is given.
    #[arg(long)]
    history: PathBuf,
    /// Mentee table of that time (.csv or .json); with --mentors, the built-in components are
    /// scored for every past pair.
    #[arg(long, requires = "mentors")]
    mentees: Option<PathBuf>,
    /// Mentor table of that time (.csv or .json).
    #[arg(long, requires = "mentees")]
    mentors: Option<PathBuf>,
    /// Columns of the tables held apart as protected attributes (comma-separated).
    #[arg(long, value_delimiter = ',')]
    protected: Vec<String>,
    /// Component columns already in the history (comma-separated), instead of the tables.
    #[arg(long, value_delimiter = ',', conflicts_with_all = ["mentees", "mentors"])]
    components: Vec<String>,
    /// A match config TOML (as `match --config` reads it): its options (scoring, taxonomy, text,
    /// criteria, history...) score the past pairs as matching would.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Outcome scale (default: binary when every outcome is 0 or 1, else rating).
    #[arg(long, value_enum)]
    scale: Option<ScaleArg>,
    /// Ridge penalty on the coefficients.
    #[arg(long)]
    lambda: Option<f64>,
    /// Share of the history held out for the quality measure.
    #[arg(long)]
    holdout: Option<f64>,
    /// Seed of the held-out split.
    #[arg(long)]
    seed: Option<u64>,
    /// Write the learned weights here as TOML (`[weights]`), readable by `match --config`.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// The history CSV, read by the one history reader (the same column rules and messages as the
/// history of `match` and `suggest`): ids, outcomes and the named component columns. Every row
/// needs a mentor and an outcome.
fn read_history(path: &Path, components: &[String]) -> Result<HistoryFrame, CliError> {
    let input = |e: HistoryError| CliError::Input(e.to_string());
    let cells = HistoryCells::from_path(path).map_err(input)?;
    let pairs = cells.pairs().map_err(input)?;
    let outcomes = cells.numbers("outcome").map_err(input)?;
    let mut mentor_ids = Vec::with_capacity(pairs.len());
    for (k, p) in pairs.iter().enumerate() {
        let Some(m) = &p.mentor_id else {
            return Err(input(HistoryError::BadCell {
                source_name: cells.source_name.clone(),
                row: k + 1,
                column: "mentor_id".into(),
                value: String::new(),
                problem: "is empty; fit-weights learns from pairs, so every row names its mentor"
                    .into(),
            }));
        };
        mentor_ids.push(m.clone());
    }
    let columns = components
        .iter()
        .map(|c| cells.numbers(c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(input)?;
    let values = Array2::from_shape_fn((pairs.len(), components.len()), |(r, c)| columns[c][r]);
    Ok(HistoryFrame {
        components: components.to_vec(),
        mentee_ids: pairs.into_iter().map(|p| p.mentee_id).collect(),
        mentor_ids,
        outcomes,
        values,
    })
}

fn fmt(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite())
        .map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

/// The weights as the `[weights]` table of a match config.
pub(super) fn weights_toml(fit: &WeightFit) -> String {
    let mut s = String::from(
        "# Learned by `mentorpair fit-weights`; use with `match --config`.\n[weights]\n",
    );
    for (k, v) in &fit.weights {
        s.push_str(&format!("{k} = {v:.6}\n"));
    }
    s
}

pub(super) fn run<W: Write>(args: &FitArgs, out: &mut Out<W>) -> Result<(), CliError> {
    let (config, protected) = match &args.config {
        None => (crate::problem::MatchConfig::default(), Vec::new()),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| CliError::file(path, "read", e))?;
            output::parse_config(&text)
                .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?
        }
    };
    let mut protected_columns = args.protected.clone();
    for p in protected {
        if !protected_columns.contains(&p) {
            protected_columns.push(p);
        }
    }
    let input = |e: learn::LearnError| CliError::Input(format!("{}: {e}", args.history.display()));
    let frame = match (&args.mentees, &args.mentors) {
        (Some(e), Some(m)) => {
            let h = read_history(&args.history, &[])?;
            let read = |role, p: &Path| {
                table_io::read_path(role, p, &protected_columns)
                    .map_err(|e| CliError::Input(e.to_string()))
            };
            let cohort = Cohort {
                mentees: read(Role::Mentee, e)?,
                mentors: read(Role::Mentor, m)?,
            };
            learn::frame::component_frame_with(
                &cohort,
                &h.mentee_ids,
                &h.mentor_ids,
                &h.outcomes,
                &config,
                None,
            )
            .map_err(input)?
        }
        _ if !args.components.is_empty() => read_history(&args.history, &args.components)?,
        _ => {
            return Err(CliError::Usage(
                "give --mentees and --mentors (the cohort of that time) or --components".into(),
            ))
        }
    };
    let defaults = FitOptions::default();
    let options = FitOptions {
        scale: args.scale.map(|s| match s {
            ScaleArg::Binary => OutcomeScale::Binary,
            ScaleArg::Rating => OutcomeScale::Rating,
        }),
        lambda: args.lambda.unwrap_or(defaults.lambda),
        holdout: args.holdout.unwrap_or(defaults.holdout),
        seed: args.seed.unwrap_or(defaults.seed),
        ..defaults
    };
    let fit = learn::fit_weights(&frame, None, &options).map_err(input)?;
    out.line(format!(
        "{} rows ({:?}), held-out {} {} on {} rows",
        fit.n_train + fit.n_test,
        fit.scale,
        fit.metric,
        fmt(fit.heldout),
        fit.n_test
    ))?;
    out.line(format!(
        "{:<14} {:>11} {:>9} {:>7} {:>8} {:>8}  note",
        "component", "coefficient", "std_error", "z", "weight", "heldout"
    ))?;
    for c in &fit.components {
        out.line(format!(
            "{:<14} {:>11.3} {:>9} {:>7} {:>8.3} {:>8}  {}",
            c.component,
            c.coefficient,
            fmt(Some(c.std_error)),
            fmt(Some(c.z)),
            c.weight,
            fmt(c.heldout),
            c.note.as_deref().unwrap_or("")
        ))?;
    }
    for w in &fit.warnings {
        out.line(format!("warning: {w}"))?;
    }
    let builtin: Vec<&str> = Component::ALL.iter().map(|c| c.name()).collect();
    if fit.weights.keys().any(|k| !builtin.contains(&k.as_str())) {
        out.line("note: some components are not built-in match weights; `match --config` reads only the built-in ones")?;
    }
    if let Some(path) = &args.out {
        let text = weights_toml(&fit);
        let mut outputs =
            prepare_outputs(&[("--history", args.history.as_path())], &[("--out", path)])?;
        stage(&mut outputs, 0, |w| w.write_all(text.as_bytes()))?;
        commit(outputs, out)?;
        out.line(format!("weights written to {}", path.display()))?;
    }
    Ok(())
}
