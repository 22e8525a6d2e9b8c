//! What a matching reports: pairs with explanations, unmatched mentees with reasons, the
//! independent audit, counts and timings (all serde).

use super::MatchConfig;
use crate::constraints::{Exclusion, Violation};
use crate::score::{Component, Explanation};
use chrono::NaiveDate;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why a mentee got fewer mentors than wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmatchedReason {
    /// The mentor table is empty.
    NoMentors,
    /// Every remaining mentor is excluded by a hard constraint (reporting line, department,
    /// forbid, same person, zero capacity).
    AllExcluded,
    /// Some mentors pass the constraints, but every such pair scores below `min_score`.
    BelowMinScore,
    /// Every allowed mentor's capacity went to other pairs the objective preferred.
    CapacityTaken,
    /// Allowed mentors had room, but the `score` objective gains nothing from the pair.
    NotSelected,
}

/// A matched pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedPair {
    /// Mentee id.
    pub mentee_id: String,
    /// Mentor id.
    pub mentor_id: String,
    /// The pair's score.
    pub score: f64,
    /// Component values by name (before weighting).
    pub components: BTreeMap<Component, f64>,
    /// Whether the pair was pinned.
    pub pinned: bool,
    /// The score as a whole percentage ("87 % match").
    pub match_percent: u32,
    /// The full explanation (weights, contributions, evidence).
    pub explanation: Explanation,
    /// The mentee's extra columns.
    pub mentee_extra: crate::cohort::Extra,
    /// The mentor's extra columns.
    pub mentor_extra: crate::cohort::Extra,
}

/// A mentee with fewer mentors than wanted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unmatched {
    /// Mentee id.
    pub mentee_id: String,
    /// Mentors wanted.
    pub wanted: u32,
    /// Mentors obtained.
    pub matched: u32,
    /// Why not more.
    pub reason: UnmatchedReason,
    /// The reason in words, with counts.
    pub detail: String,
}

/// Counts and totals of a matching.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Mentees in the cohort.
    pub mentees: usize,
    /// Mentors in the cohort.
    pub mentors: usize,
    /// Pairs formed.
    pub pairs: usize,
    /// Mentees with at least one mentor.
    pub matched_mentees: usize,
    /// Sum of `mentors_wanted`.
    pub demand: u64,
    /// Sum of mentor capacities.
    pub capacity: u64,
    /// Sum of pair scores.
    pub total_score: f64,
    /// Mean pair score (0 when there are no pairs).
    pub mean_score: f64,
    /// Lowest pair score (`None` when there are no pairs).
    pub min_pair_score: Option<f64>,
    /// Mentee–mentor pairs excluded by a hard constraint or the minimum score.
    pub excluded_pairs: u64,
    /// Unmatched mentees by reason.
    pub unmatched_by_reason: BTreeMap<UnmatchedReason, usize>,
    /// The date whose UTC offsets were used for availability.
    pub reference_date: NaiveDate,
}

/// Wall-clock time per stage, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    /// Building features.
    pub features_ms: f64,
    /// Filling the score matrix.
    pub score_ms: f64,
    /// Building and applying the constraint mask.
    pub mask_ms: f64,
    /// The assignment solver.
    pub solve_ms: f64,
    /// Of `solve_ms`, the full checks of a sparse solve's certificate.
    #[serde(default)]
    pub certify_ms: f64,
    /// Explanations, reasons and the audit.
    pub report_ms: f64,
    /// Everything.
    pub total_ms: f64,
}

/// The outcome of a matching: [`super::Problem::report`], or `matching::match_cohort`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResult {
    /// Pairs sorted by mentee row, then mentor column.
    pub pairs: Vec<MatchedPair>,
    /// Mentees with fewer mentors than wanted, in table order.
    pub unmatched: Vec<Unmatched>,
    /// The independent audit: broken hard constraints (always empty for a correct run).
    pub violations: Vec<Violation>,
    /// Counts and totals.
    pub summary: Summary,
    /// Time per stage.
    pub timings: Timings,
    /// The configuration used.
    pub config: MatchConfig,
    /// What the fairness-aware solve reports (floors met, iterations, price of fairness), when
    /// one was configured.
    pub fairness: Option<crate::fairness::FairnessReport>,
    /// How the sparse solve's matching compares with the optimum over every pair (`None` for
    /// the dense solver, whose optimum is over every pair by construction).
    #[serde(default)]
    pub certificate: Option<super::Certificate>,
}

/// A score matrix with its row and column ids.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreMatrix {
    /// `scores[[i, j]]` for mentee `i`, mentor `j`; NaN where a hard constraint or the minimum
    /// score excludes the pair.
    pub scores: Array2<f64>,
    /// Mentee ids (rows).
    pub mentee_ids: Vec<String>,
    /// Mentor ids (columns).
    pub mentor_ids: Vec<String>,
}

/// An explanation of any pair, matched or not, with the hard constraint that excludes it if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairReport {
    /// The score taken apart.
    pub explanation: Explanation,
    /// The hard constraint that forbids the pair, or `below min_score`, in words.
    pub excluded: Option<String>,
    /// The same as a kind (`None` when the pair is allowed).
    #[serde(default)]
    pub exclusion: Option<Exclusion>,
}
