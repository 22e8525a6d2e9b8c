//! `mentorpair suggest`: every mentee's shortlist (or one mentee's), with score, match %,
//! the exact cost of the choice to the programme's optimum and a one-line why, as CSV; and
//! `--why-not MENTOR` for one mentee: why a mentor is or is not on offer.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::matching::{match_config, match_error, read_cohort, Inputs, MatchFlags};
use super::progress::Progress;
use super::{commit, prepare_outputs, CliError, Out};
use crate::io::safe_csv::{CsvCells, CsvWriter};
use crate::problem::{Problem, SuggestError, Suggestion, DEFAULT_SHORTLIST};

#[derive(Debug, Args)]
pub(super) struct SuggestArgs {
    #[command(flatten)]
    inputs: Inputs,
    #[command(flatten)]
    flags: MatchFlags,
    /// Mentors per shortlist.
    #[arg(long, short, default_value_t = DEFAULT_SHORTLIST)]
    k: usize,
    /// Only this mentee's shortlist.
    #[arg(long)]
    mentee: Option<String>,
    /// With --mentee: say whether this mentor can be chosen, at what cost, or why not.
    #[arg(long, value_name = "MENTOR_ID", requires = "mentee")]
    why_not: Option<String>,
    /// Where to write the shortlists (CSV: mentee_id, rank, mentor_id, score, match_pct,
    /// cost_of_choice, pairs_lost, in_optimum, why); `-` for standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn suggest_error(e: SuggestError) -> CliError {
    match e {
        SuggestError::UnknownId { .. } => CliError::Usage(e.to_string()),
        SuggestError::Match(m) => match_error(m),
    }
}

/// The shortlist CSV columns, in order.
pub(super) const COLUMNS: [&str; 9] = [
    "mentee_id",
    "rank",
    "mentor_id",
    "score",
    "match_pct",
    "cost_of_choice",
    "pairs_lost",
    "in_optimum",
    "why",
];

fn write_suggestions(
    w: &mut dyn Write,
    list: &[Suggestion],
    cells: CsvCells,
) -> std::io::Result<()> {
    let mut csv = CsvWriter::new(w, cells);
    csv.row(COLUMNS)?;
    for s in list {
        csv.row([
            s.mentee_id.clone(),
            s.rank.to_string(),
            s.mentor_id.clone(),
            s.score.to_string(),
            s.match_pct.to_string(),
            s.cost_of_choice.to_string(),
            s.pairs_lost.to_string(),
            s.in_optimum.to_string(),
            s.why.clone(),
        ])?;
    }
    csv.flush()
}

pub(super) fn run<W: Write>(
    args: &SuggestArgs,
    cells: CsvCells,
    progress: Progress,
    out: &mut Out<W>,
) -> Result<(), CliError> {
    if args.why_not.is_none() && args.out.is_none() {
        return Err(CliError::Usage(
            "suggest needs --out FILE (or --mentee ID --why-not MENTOR_ID)".into(),
        ));
    }
    let targets: Vec<(&str, &std::path::Path)> =
        args.out.iter().map(|p| ("--out", p.as_path())).collect();
    let mut outputs = prepare_outputs(&args.inputs.paths(), &targets)?;
    let (cfg, protected) = match_config(&args.inputs, &args.flags)?;
    let cohort = read_cohort(&args.inputs, &protected, progress)?;
    let stage = progress.stage("scoring, solving and pricing every choice");
    let problem = Problem::new(cohort, cfg).map_err(match_error)?;
    if let (Some(mentee), Some(mentor)) = (&args.mentee, &args.why_not) {
        let c = problem.choice(mentee, mentor).map_err(suggest_error)?;
        let text =
            if c.allowed {
                format!(
                "{mentee} may choose {mentor}: score {:.3} ({} % match), cost_of_choice {:.6}{}{}",
                c.score,
                c.match_pct,
                c.cost_of_choice.unwrap_or(0.0),
                match c.pairs_lost {
                    Some(n) if n > 0 => format!(", {n} pair(s) lost"),
                    _ => String::new(),
                },
                if c.in_optimum { " (in the optimum)" } else { "" },
            )
            } else {
                format!(
                    "{mentee} cannot choose {mentor}: {}{}",
                    c.reason.unwrap_or_default(),
                    c.exclusion
                        .map(|e| format!(
                            " [{}]",
                            serde_json::to_value(e)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                                .unwrap_or_default()
                        ))
                        .unwrap_or_default()
                )
            };
        out.line(text)?;
        out.line(format!("why: {}", c.why))?;
        if args.out.is_none() {
            return Ok(());
        }
    }
    let list = match &args.mentee {
        Some(id) => problem.suggest(id, args.k),
        None => problem.suggest_all(args.k),
    }
    .map_err(suggest_error)?;
    let elapsed = stage.finish();
    super::stage(&mut outputs, 0, |w| write_suggestions(w, &list, cells))?;
    commit(outputs, out)?;
    let mentees = list
        .iter()
        .map(|s| s.mentee_id.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    out.line(format!(
        "{} suggestions for {mentees} mentees (k = {}) in {:.2} s",
        list.len(),
        args.k,
        elapsed.as_secs_f64()
    ))?;
    if let Some(p) = &args.out {
        out.line(format!("wrote {}", p.display()))?;
    }
    Ok(())
}
