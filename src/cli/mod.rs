//! The `mentorpair` command line: argument parsing, progress and printing only; the library does the
//! work. Shared by the `mentorpair` binary and `python -m mentorpair` (through `_core.cli_main`).
//!
//! Exit codes: 0 success, 1 internal error, 2 usage error, 3 input error (the message names file,
//! row and field), 4 infeasible problem or constraint error.

use std::ffi::OsString;
use std::io::{self, Write};

use clap::{Parser, Subcommand};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: an internal error (a bug; please report it).
pub const EXIT_INTERNAL: i32 = 1;
/// Exit code: the command line is wrong (unknown flag, missing argument, bad value).
pub const EXIT_USAGE: i32 = 2;
/// Exit code: an input file is unreadable or invalid; the message names file, row and field.
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
    /// Unreadable or invalid input (exit 3).
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
}

/// Output that ends quietly when the reader goes away (`mentorpair ... | head`).
struct Out<W: Write> {
    inner: W,
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
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {}

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
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

fn execute<W: Write>(cli: Cli, _out: &mut Out<W>) -> Result<(), CliError> {
    match cli.command {}
}
