//! `mentorpair generate`: a seeded synthetic cohort written as the two input tables.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::progress::Progress;
use super::{commit, prepare_outputs, CliError, Out};
use crate::cohort::Table;
use crate::io::safe_csv::CsvCells;
use crate::{io as table_io, synthetic};

#[derive(Debug, Args)]
pub(super) struct GenerateArgs {
    /// Number of mentees.
    #[arg(long)]
    mentees: usize,
    /// Number of mentors.
    #[arg(long)]
    mentors: usize,
    /// Seed: the same seed gives the same cohort on every machine.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Output folder (created if needed).
    #[arg(long)]
    out: PathBuf,
    /// Bias knob in [0, 1]: members of one protected group list lower skill levels.
    #[arg(long, default_value_t = 0.0)]
    bias: f64,
    /// Goal-mismatch knob in [0, 1]: mentors offer the topics few mentees ask for.
    #[arg(long)]
    goal_mismatch: Option<f64>,
    /// Availability-tightness knob in [0, 1]: fewer, shorter weekly slots.
    #[arg(long)]
    availability_tightness: Option<f64>,
    /// Share of people writing free-text goals (`goals_text` column), in [0, 1] (default 0).
    #[arg(long)]
    goals_text_share: Option<f64>,
    /// Share of mentors listing a `network` of areas they can open doors to (default 0).
    #[arg(long)]
    network_share: Option<f64>,
    /// Share of mentees listing `target_areas` they want to reach (default 0).
    #[arg(long)]
    target_areas_share: Option<f64>,
    /// Share of mentors listing `learning_goals` (default 0).
    #[arg(long)]
    learning_goals_share: Option<f64>,
    /// Dimension of an `embedding` column from the latent goal model (default 0: none).
    #[arg(long)]
    embedding_dim: Option<usize>,
    /// Embedding noise relative to the signal, in [0, 10] (default 0.5).
    #[arg(long)]
    embedding_noise: Option<f64>,
    /// Every field beyond exact tags on (text for all, network, target areas and learning goals
    /// for 80 %); with `--embedding-dim` for embeddings. The share flags above override it.
    #[arg(long)]
    beyond_tags: bool,
    /// Write JSON (mentees.json, mentors.json) instead of CSV.
    #[arg(long)]
    json: bool,
}

pub(super) fn run<W: Write>(
    args: &GenerateArgs,
    cells: CsvCells,
    progress: Progress,
    out: &mut Out<W>,
) -> Result<(), CliError> {
    let mut spec = synthetic::CohortSpec::new(args.mentees, args.mentors)
        .seed(args.seed)
        .bias(args.bias);
    if let Some(x) = args.goal_mismatch {
        spec = spec.goal_mismatch(x);
    }
    if let Some(x) = args.availability_tightness {
        spec = spec.availability_tightness(x);
    }
    if args.beyond_tags {
        spec = spec.beyond_tags(0);
    }
    let shares = [
        (args.goals_text_share, &mut spec.goals_text_share),
        (args.network_share, &mut spec.network_share),
        (args.target_areas_share, &mut spec.target_areas_share),
        (args.learning_goals_share, &mut spec.learning_goals_share),
        (args.embedding_noise, &mut spec.embedding_noise),
    ];
    for (given, field) in shares {
        if let Some(x) = given {
            *field = x;
        }
    }
    if let Some(d) = args.embedding_dim {
        spec.embedding_dim = d;
    }
    let ext = if args.json { "json" } else { "csv" };
    let paths: Vec<_> = ["mentees", "mentors"]
        .map(|t| args.out.join(format!("{t}.{ext}")))
        .into();
    let mut outputs = prepare_outputs(
        &[],
        &[
            ("mentees", paths[0].as_path()),
            ("mentors", paths[1].as_path()),
        ],
    )?;
    let stage = progress.stage("generating the cohort");
    let cohort = synthetic::generate(&spec).map_err(|e| CliError::Usage(e.to_string()))?;
    let generated = stage.finish();
    for (k, table) in [&cohort.mentees, &cohort.mentors].into_iter().enumerate() {
        super::stage(&mut outputs, k, |w| write_table(w, table, args.json, cells))?;
    }
    commit(outputs, out)?;
    for (table, path) in [&cohort.mentees, &cohort.mentors].into_iter().zip(&paths) {
        out.line(format!(
            "wrote {} {} to {}",
            table.people.len(),
            table.role.table(),
            path.display()
        ))?;
    }
    out.line(format!(
        "protected columns: {} (pass --protected {} to match and audit by them)",
        synthetic::PROTECTED_COLUMNS.join(", "),
        synthetic::PROTECTED_COLUMNS.join(",")
    ))?;
    out.line(format!(
        "seed {}, generated in {:.2} s",
        args.seed,
        generated.as_secs_f64()
    ))
}

fn write_table(
    w: &mut dyn Write,
    table: &Table,
    json: bool,
    cells: CsvCells,
) -> std::io::Result<()> {
    if json {
        table_io::write_json(table, w)
    } else {
        table_io::write_csv_cells(table, w, cells)
    }
}
