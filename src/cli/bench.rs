//! `mentorpair bench-quality`: matching strategies side by side on seeded synthetic cohorts.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Args;

use super::progress::Progress;
use super::{commit, prepare_outputs, CliError, Out};
use crate::quality::{self, Strategy};
use crate::synthetic;

#[derive(Debug, Args)]
pub(super) struct BenchArgs {
    /// Mentees per cohort.
    #[arg(long, default_value_t = 2000)]
    mentees: usize,
    /// Mentors per cohort.
    #[arg(long, default_value_t = 800)]
    mentors: usize,
    /// Number of seeds (cohorts 0, 1, ..., seeds-1).
    #[arg(long, default_value_t = 5)]
    seeds: u64,
    /// Strategies to compare, comma-separated (default: every available one).
    #[arg(long, value_delimiter = ',')]
    strategies: Vec<String>,
    /// Bias knob of the generated cohorts in [0, 1].
    #[arg(long, default_value_t = 0.0)]
    bias: f64,
    /// Also write every run's metrics (JSON).
    #[arg(long)]
    json: Option<PathBuf>,
}

pub(super) fn run<W: Write>(
    args: &BenchArgs,
    progress: Progress,
    out: &mut Out<W>,
) -> Result<(), CliError> {
    let strategies = if args.strategies.is_empty() {
        Strategy::available()
    } else {
        // The library's one parser: `group-floor` and `group_floor` both name the group floor.
        args.strategies
            .iter()
            .map(|name| name.parse::<Strategy>().map_err(CliError::from))
            .collect::<Result<Vec<_>, _>>()?
    };
    let spec = synthetic::CohortSpec::new(args.mentees, args.mentors).bias(args.bias);
    spec.validate()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let targets: Vec<(&str, &std::path::Path)> =
        args.json.iter().map(|j| ("--json", j.as_path())).collect();
    let mut outputs = prepare_outputs(&[], &targets)?;
    let stage = progress.steps("cohorts", args.seeds);
    let mut runs = Vec::new();
    for seed in 0..args.seeds {
        let one = quality::compare(&spec, &[seed], &strategies)?;
        runs.extend(one);
        stage.inc();
    }
    let elapsed = stage.finish();
    if args.json.is_some() {
        super::stage(&mut outputs, 0, |w| {
            serde_json::to_writer_pretty(&mut *w, &runs).map_err(io::Error::other)?;
            writeln!(w)
        })?;
    }
    commit(outputs, out)?;
    out.line(format!(
        "{} mentees x {} mentors, {} seed(s), {:.1} s in all",
        args.mentees,
        spec.resolved_mentors(),
        args.seeds,
        elapsed.as_secs_f64()
    ))?;
    out.line(quality::format_table(&runs).trim_end())
}
