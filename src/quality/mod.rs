//! Matching quality: run several strategies on the same scored problem and measure what each
//! does to the people in it (coverage, score distribution, stability, group gaps, utilisation).
//!
//! The strategies work on an [`Instance`]: the mentee × mentor score matrix with forbidden pairs
//! as NaN (or any non-finite value), what each mentee wants (`row_capacity`) and what each mentor
//! can take (`col_capacity`). On a cohort, `Problem::run_strategies` runs them on the prepared
//! problem's own scores and audits each result with its independent check.
//!
//! ```
//! use ndarray::array;
//! use mentorpair::cohort::Protected;
//! use mentorpair::lsap::Instance;
//! use mentorpair::quality::{assign, evaluate, Strategy};
//!
//! let scores = array![[0.9, 0.5], [0.8, f64::NAN]];
//! let problem = Instance::new(scores.view(), &[1, 1], &[1, 1]).unwrap();
//! let pairs = assign(Strategy::Greedy, &problem, 0).unwrap();
//! assert_eq!(pairs, [(0, 0)]); // greedy takes 0.9 first; mentee 1 has nobody left
//! let m = evaluate(&problem, &pairs, &Protected::default(), 0, 0.0);
//! assert_eq!((m.pairs, m.matched_share), (1, 0.5));
//! assert_eq!(m.blocking_pairs, 0);
//! ```

mod cohorts;
mod metrics;
mod strategies;

use std::fmt::Write as _;
use std::str::FromStr;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::cohort::Protected;
use crate::fairness::FairnessError;
use crate::fairness::GroupLabels;
use crate::lsap::{Instance, LsapError};
use crate::problem::MatchError;
use crate::synthetic::SyntheticError;

pub use cohorts::{
    benchmark_config, benchmark_date, compare, compare_cohort, compare_with, strategy_pairs,
    StrategyPair,
};
pub use metrics::{blocking_pairs, check_pairs, evaluate, percentile, Metrics};
pub use strategies::{assign, assign_grouped};

/// A way of pairing mentees with mentors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The capacitated assignment solver: as many pairs as possible, then the highest total score.
    Optimal,
    /// Best pair first (ties by mentee, then mentor index) while both sides have room.
    Greedy,
    /// A random feasible, maximal matching (seeded).
    Random,
    /// Mentee-proposing deferred acceptance with capacities; preferences from the scores.
    Stable,
    /// The coverage optimum with a floor on each protected group's mean matched score (the
    /// fairness layer's group floor, default options; groups = values of the mentees' first
    /// protected column, missing values a group of their own).
    GroupFloor,
    /// Among coverage-optimal matchings, the one whose lowest matched score is highest, then the
    /// highest total (the fairness layer's maximin).
    Maximin,
}

impl Strategy {
    /// Every strategy, in report order.
    pub const ALL: [Strategy; 6] = [
        Strategy::Optimal,
        Strategy::Greedy,
        Strategy::Random,
        Strategy::Stable,
        Strategy::GroupFloor,
        Strategy::Maximin,
    ];

    /// The strategies this build can run (all of them), in report order.
    pub fn available() -> Vec<Strategy> {
        Strategy::ALL.to_vec()
    }

    /// The name used in tables, files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Optimal => "optimal",
            Strategy::Greedy => "greedy",
            Strategy::Random => "random",
            Strategy::Stable => "stable",
            Strategy::GroupFloor => "group_floor",
            Strategy::Maximin => "maximin",
        }
    }
}

impl std::fmt::Display for Strategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Strategy {
    type Err = QualityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        Strategy::ALL
            .into_iter()
            .find(|x| x.name() == wanted)
            .ok_or_else(|| QualityError::UnknownStrategy(s.to_string()))
    }
}

/// Why a quality run could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum QualityError {
    /// The strategy name is not one of the known strategies.
    #[error(
        "unknown strategy `{0}`; choose from optimal, greedy, random, stable, group_floor, maximin"
    )]
    UnknownStrategy(String),
    /// Inputs whose sizes do not fit together.
    #[error("{what} has {got} entries but the score matrix has {expected} (give one per {per})")]
    Shape {
        /// Which input.
        what: &'static str,
        /// Its length.
        got: usize,
        /// The length it must have.
        expected: usize,
        /// What each entry belongs to.
        per: &'static str,
    },
    /// The fairness layer (group floor, maximin) failed.
    #[error("fairness strategy: {0}")]
    Fairness(#[from] FairnessError),
    /// The assignment solver failed.
    #[error("assignment solver: {0}")]
    Solver(#[from] LsapError),
    /// The synthetic cohort could not be generated.
    #[error(transparent)]
    Synthetic(#[from] SyntheticError),
    /// Scoring or masking the cohort failed.
    #[error(transparent)]
    Match(#[from] MatchError),
    /// The configuration asks for something the comparison cannot do.
    #[error("not supported by the strategy comparison: {0}")]
    Unsupported(String),
}

/// Group id per mentee from the first protected column (sorted values, missing first); all 0
/// when there is no protected column.
pub fn first_column_groups(groups: &Protected, rows: usize) -> Vec<usize> {
    let Some(column) = groups.columns.first() else {
        return vec![0; rows];
    };
    match GroupLabels::from_protected(groups, std::slice::from_ref(column), "mentees") {
        Ok(labels) if labels.len() == rows => labels.group_ids().1,
        _ => vec![0; rows],
    }
}

/// The cohort-level audit: how many hard constraints a list of `(mentee, mentor)` pairs breaks.
pub type Audit<'a> = &'a dyn Fn(&[(usize, usize)]) -> usize;

/// How a table column reads its value from [`Metrics`].
type Column = (&'static str, fn(&Metrics) -> f64);

/// One strategy on one seed: its metrics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategyRun {
    /// The strategy.
    pub strategy: Strategy,
    /// The cohort seed (also the seed of the random strategy).
    pub seed: u64,
    /// What it achieved.
    pub metrics: Metrics,
}

/// Run each strategy on `problem` and measure it (group floor over the groups of the mentees'
/// first protected column). `groups` are the mentees' protected
/// attributes; `audit` returns the cohort-level constraint violations of a list of pairs (the
/// independent post-solve check), added to the structural ones. Strategies that are not
/// available are an error, so a report never silently lacks a row.
pub fn run_strategies(
    problem: &Instance<'_>,
    groups: &Protected,
    strategies: &[Strategy],
    seed: u64,
    audit: Audit<'_>,
) -> Result<Vec<StrategyRun>, QualityError> {
    let ids = first_column_groups(groups, problem.dims().0);
    strategies
        .iter()
        .map(|&strategy| {
            let started = Instant::now();
            let pairs = assign_grouped(strategy, problem, &ids, seed)?;
            let seconds = started.elapsed().as_secs_f64();
            Ok(StrategyRun {
                strategy,
                seed,
                metrics: evaluate(problem, &pairs, groups, audit(&pairs), seconds),
            })
        })
        .collect()
}

/// Mean and sample standard deviation (0 for one value) of each metric over seeds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The strategy.
    pub strategy: Strategy,
    /// Number of seeds summarised.
    pub seeds: usize,
    /// `(metric name, mean, sd)` in table column order.
    pub metrics: Vec<(String, f64, f64)>,
}

/// The table columns: metric name and how to read it from [`Metrics`].
const COLUMNS: [Column; 13] = [
    ("matched_share", |m| m.matched_share),
    ("total_score", |m| m.total_score),
    ("mean_score", |m| m.mean_score),
    ("median_score", |m| m.median_score),
    ("p10_score", |m| m.p10_score),
    ("min_score", |m| m.min_score),
    ("blocking_pairs", |m| m.blocking_pairs as f64),
    ("group_gap_match_rate", |m| m.group_gap_match_rate),
    ("group_gap_mean_score", |m| m.group_gap_mean_score),
    ("mentor_utilisation", |m| m.mentor_utilisation),
    ("mentees_matched_share", |m| m.mentees_matched_share),
    ("violations", |m| m.violations as f64),
    ("seconds", |m| m.seconds),
];

/// Summarise runs per strategy (in order of first appearance), over all their seeds.
pub fn summarise(runs: &[StrategyRun]) -> Vec<Summary> {
    let mut order: Vec<Strategy> = Vec::new();
    for r in runs {
        if !order.contains(&r.strategy) {
            order.push(r.strategy);
        }
    }
    order
        .into_iter()
        .map(|strategy| {
            let mine: Vec<&Metrics> = runs
                .iter()
                .filter(|r| r.strategy == strategy)
                .map(|r| &r.metrics)
                .collect();
            let metrics = COLUMNS
                .iter()
                .map(|(name, get)| {
                    let xs: Vec<f64> = mine.iter().map(|m| get(m)).collect();
                    let (mean, sd) = mean_sd(&xs);
                    (name.to_string(), mean, sd)
                })
                .collect();
            Summary {
                strategy,
                seeds: mine.len(),
                metrics,
            }
        })
        .collect()
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mean = xs.iter().sum::<f64>() / n;
    if xs.len() < 2 {
        return (mean, 0.0);
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var.sqrt())
}

/// A plain-text table, one row per strategy, each cell `mean ± sd` over seeds.
pub fn format_table(runs: &[StrategyRun]) -> String {
    let summaries = summarise(runs);
    let mut header = vec!["strategy".to_string()];
    header.extend(COLUMNS.iter().map(|(n, _)| n.to_string()));
    let mut rows = vec![header];
    for s in &summaries {
        let mut row = vec![s.strategy.name().to_string()];
        row.extend(s.metrics.iter().map(|(name, mean, sd)| {
            let digits = match name.as_str() {
                "total_score" => 1,
                "blocking_pairs" | "violations" => 1,
                "seconds" => 4,
                _ => 3,
            };
            format!("{mean:.digits$} ± {sd:.digits$}")
        }));
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, &w)| format!("{cell:>w$}"))
            .collect();
        let _ = writeln!(out, "{}", cells.join("  "));
        if k == 0 {
            let _ = writeln!(
                out,
                "{}",
                "-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1))
            );
        }
    }
    out
}
