//! Matching a cohort in one call: thin wrappers over the prepared [`Problem`] for callers that
//! match, explain or score once. Code that does several of these on one cohort should prepare a
//! [`Problem`] itself, so the cohort is scored once.

use crate::cohort::Cohort;
use crate::problem::Problem;

pub use crate::problem::{
    audit_match, check_result, InconsistentResult, MatchConfig, MatchError, MatchResult,
    MatchedPair, Objective, PairReport, ScoreMatrix, Summary, Timings, Unmatched, UnmatchedReason,
    DEFAULT_MEMORY_LIMIT, DENSE_MATRICES,
};

/// Score every pair; pairs excluded by a hard constraint or below `min_score` are NaN.
///
/// # Errors
/// As [`Problem::new`].
pub fn score_matrix(cohort: &Cohort, cfg: &MatchConfig) -> Result<ScoreMatrix, MatchError> {
    Ok(Problem::new(cohort.clone(), cfg.clone())?.into_score_matrix())
}

/// Explain one pair by ids, matched or not, with the hard constraint that excludes it if any.
///
/// Prepares the whole problem for one pair: to explain many pairs, prepare a [`Problem`] once
/// and call [`Problem::explain`].
///
/// # Errors
/// As [`Problem::new`], and [`MatchError::UnknownPair`] for an unknown id.
pub fn explain_pair(
    cohort: &Cohort,
    cfg: &MatchConfig,
    mentee_id: &str,
    mentor_id: &str,
) -> Result<PairReport, MatchError> {
    Problem::new(cohort.clone(), cfg.clone())?.explain(mentee_id, mentor_id)
}

/// Match a cohort: the optimal pairing under every hard constraint, explained and audited.
///
/// ```
/// use mentorpair::cohort::{Cohort, Role};
/// use mentorpair::io::read_csv;
/// use mentorpair::matching::{match_cohort, MatchConfig, UnmatchedReason};
///
/// let mentees = "id,goals,languages,manager_id\nana,sql;leadership:2,en,bo\nbo,rust,en;de,\n";
/// let mentors = "id,goals,languages,capacity\nbo,leadership;sql,en,1\ncy,rust,de,1\n";
/// let cohort = Cohort {
///     mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).unwrap(),
///     mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).unwrap(),
/// };
/// let result = match_cohort(&cohort, &MatchConfig::default()).unwrap();
/// // ana reports to bo, bo (in both tables) never mentors themself, and cy suits bo better
/// // (rust, German) than ana: bo gets cy, ana's only allowed mentor is taken.
/// let pairs: Vec<_> = result.pairs.iter().map(|p| (p.mentee_id.as_str(), p.mentor_id.as_str())).collect();
/// assert_eq!(pairs, [("bo", "cy")]);
/// assert_eq!(result.unmatched[0].mentee_id, "ana");
/// assert_eq!(result.unmatched[0].reason, UnmatchedReason::CapacityTaken);
/// assert!(result.violations.is_empty());
/// let contributions: f64 = result.pairs[0].explanation.components.iter().map(|c| c.contribution).sum();
/// assert!((contributions - result.pairs[0].score).abs() < 1e-12);
/// ```
///
/// # Errors
/// As [`Problem::new`] and [`Problem::solve`].
pub fn match_cohort(cohort: &Cohort, cfg: &MatchConfig) -> Result<MatchResult, MatchError> {
    Problem::new(cohort.clone(), cfg.clone())?.match_result()
}
