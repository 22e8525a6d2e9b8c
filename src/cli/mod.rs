//! The `mentorpair` command line: argument parsing, progress and printing only; the library does the
//! work. Shared by the `mentorpair` binary and `python -m mentorpair` (through `_core.cli_main`).
//!
//! Exit codes: 0 success, 1 internal error, 2 usage error, 3 input error (the message names file,
//! row and field), 4 infeasible problem or constraint error.

mod audit;
mod bench;
mod errors;
mod fit;
mod generate;
mod matching;
mod output;
mod programme;
mod progress;
mod suggest;

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;

use clap::{Parser, Subcommand};

use crate::io::atomic::{OutputError, OutputSet};
use crate::io::safe_csv::CsvCells;
use progress::Progress;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: an internal error (a bug; please report it).
pub const EXIT_INTERNAL: i32 = 1;
/// Exit code: the command line is wrong (unknown flag, missing argument, bad value).
pub const EXIT_USAGE: i32 = 2;
/// Exit code: a file cannot be read or written, or its content is invalid; the message names file,
/// row and field.
pub const EXIT_INPUT: i32 = 3;
/// Exit code: the problem is infeasible or a constraint cannot be honoured (e.g. a frozen pair
/// that breaks a hard constraint).
pub const EXIT_INFEASIBLE: i32 = 4;

/// A failed command, classified by exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Wrong command line (exit 2).
    #[error("{0}")]
    Usage(String),
    /// Unreadable, unwritable or invalid file (exit 3).
    #[error("{0}")]
    Input(String),
    /// Infeasible problem or constraint error (exit 4).
    #[error("{0}")]
    Infeasible(String),
    /// Anything else (exit 1).
    #[error("{0}")]
    Internal(String),
}

impl CliError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Input(_) => EXIT_INPUT,
            CliError::Infeasible(_) => EXIT_INFEASIBLE,
            CliError::Internal(_) => EXIT_INTERNAL,
        }
    }

    fn file(path: &Path, what: &str, e: impl std::fmt::Display) -> Self {
        CliError::Input(format!("{}: cannot {what}: {e}", path.display()))
    }
}

/// `text` with control characters (terminal escapes, carriage returns, bells, ...) shown escaped
/// (`\u{1b}`), so that an id from a table can never drive the terminal. Line breaks stay: the
/// printed tables are multi-line text.
pub(crate) fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n';
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Output that ends quietly when the reader goes away (`mentorpair ... | head`).
struct Out<W: Write> {
    inner: W,
    /// Print to standard error instead (standard output carries a data file).
    to_stderr: bool,
}

impl<W: Write> Out<W> {
    fn line(&mut self, text: impl std::fmt::Display) -> Result<(), CliError> {
        let text = text.to_string();
        let text = terminal_safe(&text);
        if self.to_stderr {
            eprintln!("{text}");
            return Ok(());
        }
        writeln!(self.inner, "{text}")
            .map_err(|e| CliError::Internal(format!("writing output: {e}")))
    }
}

/// Check every output of a command against its inputs and each other, and stage it in a temporary
/// file next to its target; nothing is written until [`commit`].
fn prepare_outputs(
    inputs: &[(&str, &Path)],
    outputs: &[(&str, &Path)],
) -> Result<OutputSet, CliError> {
    OutputSet::prepare(inputs, outputs).map_err(output_error)
}

fn output_error(e: OutputError) -> CliError {
    match e {
        OutputError::SameAsInput { .. } | OutputError::SameOutput { .. } => {
            CliError::Usage(e.to_string())
        }
        _ => CliError::Input(e.to_string()),
    }
}

/// Write staged output `index` with `write`.
fn stage(
    set: &mut OutputSet,
    index: usize,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), CliError> {
    set.write(index, write).map_err(output_error)
}

/// Put every staged output in place; outputs to `-` go to standard output, and the command's own
/// summary then goes to standard error so that the two never mix.
fn commit<W: Write>(set: OutputSet, out: &mut Out<W>) -> Result<(), CliError> {
    if set.any_stdout() {
        out.to_stderr = true;
    }
    set.commit(&mut out.inner).map_err(output_error)
}

/// mentorpair: match mentees with mentors, explain every score, audit the result.
#[derive(Debug, Parser)]
#[command(name = "mentorpair", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 ok, 1 internal error, 2 usage error, 3 input error (file, row and field named), 4 infeasible or constraint error."
)]
struct Cli {
    /// No progress display on stderr (it is shown only when stderr is a terminal anyway).
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Write CSV cells exactly as they are. By default a cell starting with =, +, -, @, a tab or a
    /// carriage return (and not a plain number) gets a leading ' so that no spreadsheet runs it
    /// as a formula; mentorpair reads either form back.
    #[arg(long, global = true)]
    raw_csv: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a seeded synthetic cohort: DIR/mentees.csv and DIR/mentors.csv.
    #[command(allow_negative_numbers = true)]
    Generate(generate::GenerateArgs),
    /// Match mentees with mentors: write the pairs (CSV) and optionally the full result (JSON).
    #[command(allow_negative_numbers = true)]
    Match(matching::MatchArgs),
    /// Explain a mentee's result: every pair's score taken apart, or why they are unmatched.
    Explain(matching::ExplainArgs),
    /// Re-solve after goals, people or constraints changed, keeping still-valid pairs when it pays.
    #[command(allow_negative_numbers = true)]
    Rematch(matching::RematchArgs),
    /// Shortlists: every mentee's best mentors with score, match % and the exact cost of the
    /// choice to the programme's optimum (CSV); --why-not for one mentor.
    #[command(allow_negative_numbers = true)]
    Suggest(suggest::SuggestArgs),
    /// Fairness audit of a result by protected attributes: match rates and scores per group.
    Audit(audit::AuditArgs),
    /// Propose a recurring meeting for every pair of a result: iCalendar and/or CSV.
    Schedule(programme::ScheduleArgs),
    /// Write the programme report: one self-contained HTML file.
    Report(programme::ReportArgs),
    /// Compare matching strategies on seeded synthetic cohorts: quality metrics, mean ± sd over seeds.
    #[command(allow_negative_numbers = true)]
    BenchQuality(bench::BenchArgs),
    /// Learn component weights from past pairs and outcomes; print the report, write TOML weights.
    FitWeights(fit::FitArgs),
}

/// Run the command line `args` (the first item is the program name) and return the exit code.
/// Writes results to stdout, errors and progress to stderr.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let stdout = io::stdout();
    let mut out = Out {
        inner: stdout.lock(),
        to_stderr: false,
    };
    let result = execute(cli, &mut out).and_then(|()| {
        out.inner
            .flush()
            .map_err(|e| CliError::Internal(format!("writing output: {e}")))
    });
    match result {
        Ok(()) => EXIT_OK,
        // The reader stopped listening: not an error of ours.
        Err(CliError::Internal(m)) if m.contains("Broken pipe") => EXIT_OK,
        Err(e) => {
            eprintln!("error: {}", terminal_safe(&e.to_string()));
            e.exit_code()
        }
    }
}

fn execute<W: Write>(cli: Cli, out: &mut Out<W>) -> Result<(), CliError> {
    let progress = Progress::new(cli.quiet);
    let cells = if cli.raw_csv {
        CsvCells::Raw
    } else {
        CsvCells::Safe
    };
    match cli.command {
        Command::Generate(args) => generate::run(&args, cells, progress, out),
        Command::Match(args) => matching::run_match(&args, cells, progress, out),
        Command::Explain(args) => matching::explain(&args, out),
        Command::Rematch(args) => matching::run_rematch(&args, cells, progress, out),
        Command::Suggest(args) => suggest::run(&args, cells, progress, out),
        Command::Audit(args) => audit::run(&args, out),
        Command::Schedule(args) => programme::run_schedule(&args, out),
        Command::Report(args) => programme::run_report(&args, out),
        Command::BenchQuality(args) => bench::run(&args, progress, out),
        Command::FitWeights(args) => fit::run(&args, out),
    }
}
