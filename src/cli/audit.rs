//! `mentorpair audit`: the fairness audit of a result file by protected columns.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

use super::output::ResultFile;
use super::{commit, prepare_outputs, CliError, Out};
use crate::fairness::{AuditOptions, AuditReport};

#[derive(Debug, Args)]
pub(super) struct AuditArgs {
    /// A result file written by `match --json` or `rematch --json` (with --protected given there).
    #[arg(long)]
    result: PathBuf,
    /// Protected column(s) to group by, comma-separated (several combine into one key).
    #[arg(long, value_delimiter = ',', required = true)]
    by: Vec<String>,
    /// Groups with fewer members are shown but left out of the ratios.
    #[arg(long, default_value_t = crate::fairness::DEFAULT_MIN_GROUP_SIZE)]
    min_group_size: usize,
    /// Also write the full audit report (JSON).
    #[arg(long)]
    json: Option<PathBuf>,
}

pub(super) fn run<W: Write>(args: &AuditArgs, out: &mut Out<W>) -> Result<(), CliError> {
    let targets: Vec<(&str, &std::path::Path)> =
        args.json.iter().map(|j| ("--json", j.as_path())).collect();
    let mut outputs = prepare_outputs(&[("--result", args.result.as_path())], &targets)?;
    let file = ResultFile::read(&args.result)?;
    let opts = AuditOptions {
        min_group_size: args.min_group_size,
    };
    // The audit reads the stored result and protected columns only: what `Problem::audit` runs,
    // without preparing (scoring) the slimmed cohort the file keeps.
    let report = crate::problem::audit_match(&file.cohort, &file.result, &args.by, &opts)
        .map_err(|e| CliError::Input(format!("{}: {e}", args.result.display())))?;
    if args.json.is_some() {
        super::stage(&mut outputs, 0, |w| {
            serde_json::to_writer_pretty(&mut *w, &report).map_err(io::Error::other)?;
            writeln!(w)
        })?;
    }
    commit(outputs, out)?;
    for line in audit_text(&report) {
        out.line(line)?;
    }
    Ok(())
}

fn opt(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{v:.3}"))
}

/// The audit as a table per side plus the ratios.
fn audit_text(r: &AuditReport) -> Vec<String> {
    let mut lines = vec![format!("mentees by {}:", r.by.join(" / "))];
    lines.push(format!(
        "  {:<24} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6}",
        "group", "mentees", "matched", "rate", "mean", "median", "min"
    ));
    for g in &r.mentees.groups {
        lines.push(format!(
            "  {:<24} {:>7} {:>7} {:>6.3} {:>6} {:>6} {:>6}{}",
            g.group,
            g.mentees,
            g.matched,
            g.match_rate,
            opt(g.mean_score),
            opt(g.median_score),
            opt(g.min_score),
            if g.too_small {
                "  (too small to judge)"
            } else {
                ""
            }
        ));
    }
    let verdict = |ok: Option<bool>| match ok {
        Some(true) => "meets the four-fifths rule",
        Some(false) => "FAILS the four-fifths rule",
        None => "fewer than two groups to compare",
    };
    lines.push(format!(
        "  disparate impact {} ({}), largest mean-score gap {}",
        opt(r.mentees.disparate_impact),
        verdict(r.mentees.four_fifths_ok),
        opt(r.mentees.max_score_gap)
    ));
    match &r.mentors {
        None => lines.push(format!(
            "mentors: not audited (the mentor table has no protected column {})",
            r.by.join(", ")
        )),
        Some(m) => {
            lines.push(format!("mentors by {}:", r.by.join(" / ")));
            lines.push(format!(
                "  {:<24} {:>7} {:>7} {:>8} {:>5} {:>6} {:>6}",
                "group", "mentors", "active", "capacity", "load", "util", "mean"
            ));
            for g in &m.groups {
                lines.push(format!(
                    "  {:<24} {:>7} {:>7} {:>8} {:>5} {:>6.3} {:>6}{}",
                    g.group,
                    g.mentors,
                    g.active,
                    g.capacity,
                    g.load,
                    g.utilisation,
                    opt(g.mean_score),
                    if g.too_small {
                        "  (too small to judge)"
                    } else {
                        ""
                    }
                ));
            }
            lines.push(format!(
                "  utilisation ratio {} ({}), largest mean-score gap {}",
                opt(m.disparate_impact),
                verdict(m.four_fifths_ok),
                opt(m.max_score_gap)
            ));
        }
    }
    lines
}
