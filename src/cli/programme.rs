//! `mentorpair schedule` and `mentorpair report`: the meeting schedule (iCalendar and CSV) and the
//! HTML programme report of a stored result.

use std::path::PathBuf;

use clap::Args;

use super::output::ResultFile;
use super::{CliError, Out};
use crate::report;
use crate::schedule::{self, ics, Schedule, ScheduleOptions};
use std::io::Write;

/// The programme a schedule is built for.
#[derive(Debug, Args)]
pub(super) struct ProgrammeArgs {
    /// First day of the programme, YYYY-MM-DD (report: default the first Monday on or after the
    /// result's reference date).
    #[arg(long)]
    start: Option<String>,
    /// Programme length in weeks (default 26).
    #[arg(long)]
    weeks: Option<u32>,
    /// Minutes per meeting (default: the meeting length the result was scored with).
    #[arg(long)]
    meeting_minutes: Option<u32>,
    /// A meeting every this many weeks (default: the cadence the result was scored with).
    #[arg(long)]
    cadence_weeks: Option<u32>,
}

#[derive(Debug, Args)]
pub(super) struct ScheduleArgs {
    /// A result file written by `match --json` or `rematch --json`.
    #[arg(long)]
    result: PathBuf,
    #[command(flatten)]
    programme: ProgrammeArgs,
    /// Write the schedule as iCalendar (one recurring event per pair).
    #[arg(long)]
    ics: Option<PathBuf>,
    /// Write the schedule as CSV (one row per pair; printed to stdout when neither file is given).
    #[arg(long)]
    csv: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(super) struct ReportArgs {
    /// A result file written by `match --json` or `rematch --json`.
    #[arg(long)]
    result: PathBuf,
    /// The HTML file to write.
    #[arg(long)]
    out: PathBuf,
    /// Protected mentee column(s) to audit by, comma-separated.
    #[arg(long, value_delimiter = ',')]
    by: Vec<String>,
    #[command(flatten)]
    programme: ProgrammeArgs,
}

fn build(
    file: &ResultFile,
    args: &ProgrammeArgs,
    path: &std::path::Path,
) -> Result<Schedule, CliError> {
    let start = args.start.clone().unwrap_or_else(|| {
        schedule::first_monday_from(file.result.summary.reference_date).to_string()
    });
    let opts = ScheduleOptions::new(
        &start,
        args.weeks,
        args.meeting_minutes,
        args.cadence_weeks,
        &file.result.config.scoring,
    )
    .map_err(|e| CliError::Usage(e.to_string()))?;
    schedule::schedule(&file.cohort, &file.result, &opts)
        .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), CliError> {
    report::write_atomic(path, bytes).map_err(|e| CliError::file(path, "write", e))
}

/// The schedule rows as CSV text.
fn csv_text(s: &Schedule) -> Result<Vec<u8>, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| CliError::Internal(format!("writing CSV: {e}"));
    w.write_record(schedule::COLUMNS).map_err(err)?;
    for row in schedule::rows(s) {
        w.write_record(&row).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| CliError::Internal(format!("writing CSV: {e}")))
}

fn summary_line(s: &Schedule) -> String {
    let m = &s.summary;
    format!(
        "{} of {} pairs have a slot ({} meetings); {} keep it every meeting week; {} of {} pairs whose zones change offset keep their slot through every change",
        m.scheduled, m.pairs, m.meetings, m.without_moves, m.surviving_dst, m.crossing_dst
    )
}

pub(super) fn run_schedule<W: Write>(
    args: &ScheduleArgs,
    out: &mut Out<W>,
) -> Result<(), CliError> {
    if args.programme.start.is_none() {
        return Err(CliError::Usage(
            "schedule needs --start YYYY-MM-DD (the programme's first day)".into(),
        ));
    }
    let file = ResultFile::read(&args.result)?;
    let s = build(&file, &args.programme, &args.result)?;
    if let Some(path) = &args.ics {
        write(path, ics::to_ics(&s).as_bytes())?;
    }
    match &args.csv {
        Some(path) => write(path, &csv_text(&s)?)?,
        None if args.ics.is_none() => {
            let text = csv_text(&s)?;
            out.line(String::from_utf8_lossy(&text).trim_end())?;
            return Ok(());
        }
        None => {}
    }
    out.line(summary_line(&s))
}

pub(super) fn run_report<W: Write>(args: &ReportArgs, out: &mut Out<W>) -> Result<(), CliError> {
    let file = ResultFile::read(&args.result)?;
    let s = build(&file, &args.programme, &args.result)?;
    let html = report::html(&file.cohort, &file.result, &args.by, Some(&s))
        .map_err(|e| CliError::Input(format!("{}: {e}", args.result.display())))?;
    write(&args.out, html.as_bytes())?;
    out.line(format!(
        "wrote {} ({} pairs, {} unmatched); {}",
        args.out.display(),
        file.result.pairs.len(),
        file.result.unmatched.len(),
        summary_line(&s)
    ))
}
