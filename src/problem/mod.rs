//! The prepared problem: a cohort scored, masked and pinned once, then solved, reported,
//! explained, audited, rematched and compared through that one value. Nothing scores twice.
//!
//! [`Problem::new`] takes an owned [`Cohort`] and [`MatchConfig`] and builds, once: the compact
//! [`Features`], the candidates' [`Scores`] (dense today; see its contract for the sparse form),
//! the [`Mask`] that says why every other pair is excluded, the checked pins and the capacities of
//! both sides. Every use reads that prepared data:
//!
//! - [`Problem::solve`] / [`Problem::solve_with`]: objective and fairness mode, pairs and duals;
//! - [`Problem::report`]: the [`MatchResult`] of any pairing (explanations, unmatched reasons
//!   read from the mask, the independent audit from the raw cohort);
//! - [`Problem::explain`], [`Problem::audit`], [`Problem::score_matrix`], [`Problem::instance`]
//!   (scores + capacities for any solver);
//! - `Problem::rematch` and `Problem::run_strategies`, implemented beside their modules
//!   (in the `rematch` and `quality` modules), which build on this one.
//!
//! A `Problem` is immutable, owned and `Send + Sync`: share it in an `Arc` (the Python binding
//! does) and call it from several threads.
//!
//! ```
//! use mentorpair::cohort::{Cohort, Role};
//! use mentorpair::constraints::Exclusion;
//! use mentorpair::io::read_csv;
//! use mentorpair::matching::MatchConfig;
//! use mentorpair::problem::Problem;
//!
//! let mentees = "id,goals,languages,manager_id\nana,sql;leadership:2,en,bo\nbo,rust,en;de,\n";
//! let mentors = "id,goals,languages,capacity\nbo,leadership;sql,en,1\ncy,rust,de,1\n";
//! let cohort = Cohort {
//!     mentees: read_csv(Role::Mentee, mentees.as_bytes(), &[]).unwrap(),
//!     mentors: read_csv(Role::Mentor, mentors.as_bytes(), &[]).unwrap(),
//! };
//! let problem = Problem::new(cohort, MatchConfig::default()).unwrap();
//! let result = problem.match_result().unwrap();
//! assert_eq!(result.pairs[0].mentor_id, "cy");
//! // Why ana cannot have bo, straight from the mask; no table is read again.
//! let why = problem.explain("ana", "bo").unwrap();
//! assert_eq!(why.exclusion, Some(Exclusion::ReportingLine));
//! assert_eq!(problem.mask().reason(0, 0), Some(Exclusion::ReportingLine));
//! ```

mod audit;
mod check;
mod config;
mod loads;
mod mask;
mod options;
mod report;
mod result;
mod scores;
mod solve;
mod suggest;

pub use audit::audit_match;
pub use check::{check_result, InconsistentResult};
pub use config::{
    sparse_bytes, MatchConfig, MatchError, Objective, SolverChoice, DEFAULT_MEMORY_LIMIT,
    DEFAULT_SPARSE_MAX_ROUNDS, DEFAULT_UNMATCHED_PRIORITY, DENSE_MATRICES,
};
pub use loads::{LoadShortfallError, MentorShortfall, ShortfallPolicy};
pub use mask::Mask;
pub use options::{match_defaults, MATCH_OPTIONS};
pub use result::{
    MatchResult, MatchedPair, PairReport, ScoreMatrix, Summary, Timings, Unmatched, UnmatchedReason,
};
pub use scores::{Candidates, DenseScores, Scores, SparseScores};
pub use solve::{Certificate, Duals, Solution, SolveOptions};
pub use suggest::{Choice, SuggestError, Suggestion, DEFAULT_SHORTLIST};

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Instant;

use ndarray::CowArray;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cohort::Cohort;
use crate::constraints::{self, UnknownPair};
use crate::fairness::{AuditOptions, AuditReport, FairnessError};
use crate::features::Features;
use crate::lsap::Instance;
use crate::score::affinity::SharedBackground;
use crate::score::{self, Explanation};
use std::sync::Arc;

/// A pinned pair: it is in every solution, checked against every hard constraint when the
/// problem is prepared.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pin {
    /// Mentee row.
    pub mentee: usize,
    /// Mentor column.
    pub mentor: usize,
    /// The pair's score.
    pub score: f64,
}

/// A cohort prepared for matching: features, candidate scores, the exclusion mask with its
/// reasons, pins and capacities, built once by [`Problem::new`]. See the [module docs](self).
#[derive(Debug, Clone)]
pub struct Problem {
    cohort: Cohort,
    config: MatchConfig,
    features: Features,
    /// The components beyond the built-in ones: affinity (issue 4), the preference bonus and
    /// programme criteria (issue 11).
    extras: Arc<Vec<score::Weighted>>,
    scores: Scores,
    mask: Mask,
    pins: Vec<Pin>,
    mentee_capacity: Vec<u32>,
    mentor_capacity: Vec<u32>,
    mentee_rows: HashMap<String, usize>,
    mentor_cols: HashMap<String, usize>,
    /// Features, scores and mask; `total_ms` is the whole preparation.
    timings: Timings,
    /// The storage and solver in use (`auto` resolved).
    solver: SolverChoice,
    /// Pairs excluded by a constraint or `min_score`, counted on first use (sparse problems).
    excluded: std::sync::OnceLock<u64>,
}

// The Python binding holds a `Problem` in an `Arc` shared across threads.
const _: fn() = || {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<Problem>();
};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

impl Problem {
    /// Validate `config`, then build the features, the scores, the mask and the pins of `cohort`.
    ///
    /// # Errors
    /// [`MatchError::Config`] for an option out of range, [`MatchError::WrongRole`] for swapped
    /// tables, [`MatchError::TooLarge`] (before any matrix is allocated) when the dense scores
    /// would not fit `memory_limit_bytes`, [`MatchError::UnknownPair`] for a `forbid` or `pin`
    /// pair naming nobody, [`MatchError::Fairness`] for a shared-background request that cannot be
    /// honoured, and [`MatchError::PinViolates`] for a pin that breaks a hard constraint, scores
    /// below `min_score` or exceeds a capacity.
    pub fn new(cohort: Cohort, config: MatchConfig) -> Result<Problem, MatchError> {
        Problem::with_embeddings(cohort, config, None)
    }

    /// [`Problem::new`] with embedding matrices (one row per person, table order), read in
    /// place and scored as the `embedding` component; see [`score::beyond`].
    ///
    /// # Errors
    /// As [`Problem::new`], and [`MatchError::Beyond`] for a bad taxonomy, text option or
    /// embedding (row count, dimension, NaN or infinity, given twice).
    pub fn with_embeddings(
        cohort: Cohort,
        config: MatchConfig,
        embeddings: Option<score::beyond::EmbeddingInput<'_>>,
    ) -> Result<Problem, MatchError> {
        let start = Instant::now();
        let choice = config::validate(&cohort, &config)?;
        let mut timings = Timings::default();
        let forbid = constraints::resolve_pairs(&cohort, "forbid", &config.forbid)?;
        let wishes = crate::wishes::Wishes::read(&cohort)?;
        let criteria = crate::criteria::prepare(&cohort, &config.criteria, score::builtin_name)?;
        let rounds = {
            let (rows, cols) = (cohort.mentees.row_index(), cohort.mentors.row_index());
            crate::io::history::Rounds::resolve(
                &config.history,
                cohort.mentees.people.len(),
                |id| rows.get(id).copied(),
                |id| cols.get(id).copied(),
                "history",
            )?
        };
        let t = Instant::now();
        let mut features = Features::build(
            &cohort.mentees.people,
            &cohort.mentors.people,
            config.scoring.date(),
        );
        score::prepare_features(&mut features, &config.scoring, &wishes.target_skills);
        let taxonomy = score::beyond::taxonomy(&config.taxonomy)?;
        score::taxonomy::apply(&mut features, &taxonomy);
        timings.features_ms = ms(t);
        let t = Instant::now();
        let affinity = SharedBackground::new(&cohort.mentees, &cohort.mentors)?;
        let mut extras: Vec<score::Weighted> = Vec::new();
        let mut push = |part: Box<dyn score::PairComponent>, weight: f64| {
            if weight > 0.0 {
                extras.push(score::Weighted { part, weight });
            }
        };
        if affinity.any() {
            push(Box::new(affinity), config.weights.affinity);
        }
        if wishes.preferred.iter().any(|p| !p.is_empty()) {
            push(
                Box::new(score::preference::Preferences {
                    ranked: wishes.preferred.clone(),
                }),
                config.weights.preference,
            );
        }
        if rounds.unmatched_rounds.iter().any(|&n| n > 0) {
            push(
                Box::new(score::priority::Priority {
                    unmatched_rounds: rounds.unmatched_rounds.clone(),
                }),
                config.unmatched_priority,
            );
        }
        for c in criteria
            .iter()
            .filter(|c| c.criterion.rule == crate::criteria::Rule::Prefer)
        {
            let weight = c.criterion.weight();
            push(
                Box::new(score::criteria::CriterionComponent::new(c.clone())),
                weight,
            );
        }
        extras.extend(score::beyond::components(
            &cohort,
            &config.weights,
            &config.text,
            &taxonomy,
            embeddings.as_ref(),
        )?);
        let t_mask = Instant::now();
        let mut constraint_mask =
            constraints::Mask::build(&cohort, config.exclude_same_department, &forbid);
        let avoided = wishes.avoid.iter().enumerate().flat_map(|(i, js)| {
            js.iter()
                .map(move |&j| (i, j, constraints::Exclusion::MenteeDeclined))
        });
        let declined = wishes.declined.iter().enumerate().flat_map(|(j, is)| {
            is.iter()
                .map(move |&i| (i, j, constraints::Exclusion::MentorDeclined))
        });
        let paired_before = rounds
            .paired_before
            .iter()
            .filter(|_| !config.allow_repeat_pairs)
            .map(|&(i, j)| (i, j, constraints::Exclusion::PairedBefore));
        constraint_mask.add_exclusions(avoided.chain(declined).chain(paired_before));
        if config.preferences == crate::wishes::PreferenceMode::Must {
            constraint_mask.restrict_to(&wishes.preferred);
        }
        constraint_mask.add_rules(criteria);
        let constraints_ms = ms(t_mask);
        let dims = (cohort.mentees.people.len(), cohort.mentors.people.len());
        let mentee_capacity: Vec<u32> = cohort.mentees.people.iter().map(|p| p.capacity).collect();
        let mentor_capacity: Vec<u32> = cohort.mentors.people.iter().map(|p| p.capacity).collect();
        let (scores, mask) = if choice == SolverChoice::Sparse {
            let model =
                score::ScoreModel::new(&features, &config.weights, &config.scoring, &extras);
            let (k_row, k_col) =
                crate::candidates::KRule::default().for_cohort(&mentee_capacity, &mentor_capacity);
            let min_score = config.min_score;
            let keep = |i: usize, j: usize, s: f64| {
                s >= min_score && constraint_mask.excluded(i, j).is_none()
            };
            let graph = crate::candidates::blocking_candidates(&model, &keep, k_row, k_col)?;
            timings.score_ms = ms(t) - constraints_ms;
            timings.mask_ms = constraints_ms;
            let mask = Mask::lazy(constraint_mask, min_score, dims);
            (Scores::Sparse(SparseScores::new(graph)), mask)
        } else {
            let mut matrix =
                score::ScoreModel::new(&features, &config.weights, &config.scoring, &extras).fill();
            // NaN marks an excluded pair from here on: a computed score must never be one.
            // Bounded weights (`score::MAX_WEIGHT`, `io::MAX_GOAL_WEIGHT`) keep every sum finite.
            debug_assert!(
                matrix.iter().all(|s| s.is_finite()),
                "a computed score is not finite"
            );
            timings.score_ms = ms(t) - constraints_ms;
            let t = Instant::now();
            let mask = Mask::apply(constraint_mask, &mut matrix, config.min_score);
            let scores = Scores::Dense(DenseScores::new(matrix));
            timings.mask_ms = constraints_ms + ms(t);
            (scores, mask)
        };
        let mut problem = Problem {
            mentee_rows: cohort.mentees.row_index(),
            mentor_cols: cohort.mentors.row_index(),
            cohort,
            config,
            features,
            extras: Arc::new(extras),
            scores,
            mask,
            pins: Vec::new(),
            mentee_capacity,
            mentor_capacity,
            timings,
            solver: choice,
            excluded: std::sync::OnceLock::new(),
        };
        problem.pins = problem.check_pins()?;
        problem.timings.total_ms = ms(start);
        Ok(problem)
    }

    /// Resolve the configured pins and check each against every hard constraint, `min_score` and
    /// the capacities left by the pins before it.
    fn check_pins(&self) -> Result<Vec<Pin>, MatchError> {
        let cfg = &self.config;
        let pins = constraints::resolve_pairs(&self.cohort, "pin", &cfg.pin)?;
        let mut row_left = self.mentee_capacity.clone();
        let mut col_left = self.mentor_capacity.clone();
        let mut out: Vec<Pin> = Vec::with_capacity(pins.len());
        for (k, &(i, j)) in pins.iter().enumerate() {
            let fail = |problem: String| MatchError::PinViolates {
                mentee_id: cfg.pin[k].0.clone(),
                mentor_id: cfg.pin[k].1.clone(),
                problem,
            };
            if pins[..k].contains(&(i, j)) {
                return Err(fail("pinned twice (never the same mentor twice)".into()));
            }
            if let Some(e) = self.mask.constraint(i, j) {
                return Err(fail(e.describe().to_string()));
            }
            let score = match self.allowed_score(i, j) {
                Some(s) => s,
                None => {
                    return Err(fail(format!(
                        "score {} is below min_score {}",
                        self.raw_score(i, j),
                        cfg.min_score
                    )))
                }
            };
            if col_left[j] == 0 {
                return Err(fail("more pins than the mentor's capacity".into()));
            }
            if row_left[i] == 0 {
                return Err(fail("more pins than the mentee's mentors_wanted".into()));
            }
            col_left[j] -= 1;
            row_left[i] -= 1;
            out.push(Pin {
                mentee: i,
                mentor: j,
                score,
            });
        }
        Ok(out)
    }

    /// The score of any pair in range, candidate or not, computed from the features (the same
    /// arithmetic as the matrix).
    fn raw_score(&self, i: usize, j: usize) -> f64 {
        if i >= self.features.mentees.len() || j >= self.features.mentors.len() {
            return f64::NAN;
        }
        crate::candidates::pair_score(&self.model(), i, j)
    }

    /// The score of an allowed pair (it passes every hard constraint and `min_score`), `None`
    /// for an excluded one: the stored score, or for a pair a sparse problem did not store, the
    /// score computed from the features.
    pub fn allowed_score(&self, i: usize, j: usize) -> Option<f64> {
        if let Some(s) = self.scores.get(i, j) {
            return Some(s);
        }
        let (rows, cols) = self.dims();
        if !self.mask.is_lazy() || i >= rows || j >= cols || self.mask.constraint(i, j).is_some() {
            return None;
        }
        let s = self.raw_score(i, j);
        (s >= self.config.min_score).then_some(s)
    }

    /// Why pair `(i, j)` is excluded, or `None` when it is allowed: [`Mask::reason`], and for a
    /// sparse problem `below_min_score` found by scoring the pair.
    pub fn reason(&self, i: usize, j: usize) -> Option<constraints::Exclusion> {
        let r = self.mask.reason(i, j);
        if r.is_some() || !self.mask.is_lazy() {
            return r;
        }
        let (rows, cols) = self.dims();
        (self.min_score_excludes()
            && i < rows
            && j < cols
            && self.raw_score(i, j) < self.config.min_score)
            .then_some(constraints::Exclusion::BelowMinScore)
    }

    /// Whether `min_score` can exclude a pair: scores are in [0, 1], so nothing is below a
    /// `min_score` of 0 or less.
    pub(crate) fn min_score_excludes(&self) -> bool {
        self.config.min_score > 0.0
    }

    /// Pairs excluded by a hard constraint or `min_score`. A sparse problem counts them by
    /// scoring every pair once, on first use (in parallel, without a matrix).
    pub fn excluded_count(&self) -> u64 {
        if !self.mask.is_lazy() {
            return self.mask.excluded_count();
        }
        *self.excluded.get_or_init(|| {
            let (rows, cols) = self.dims();
            if !self.min_score_excludes() {
                // Only the constraints exclude, no pair needs scoring, and most rows are
                // counted from the constraints' structure.
                let tally = self.mask.constraints().tally(&[], 1);
                return (0..rows)
                    .into_par_iter()
                    .map(|i| match tally.row(i, &[]) {
                        Some(t) => t.excluded.values().sum::<usize>() as u64,
                        None => (0..cols)
                            .filter(|&j| self.mask.constraint(i, j).is_some())
                            .count() as u64,
                    })
                    .sum();
            }
            let model = self.model();
            let keep = |i: usize, j: usize, s: f64| {
                s >= self.config.min_score && self.mask.constraint(i, j).is_none()
            };
            let br = ((1usize << 16) / cols.max(1)).clamp(1, 1024);
            (0..rows.div_ceil(br))
                .into_par_iter()
                .map(|b| {
                    let range = b * br..((b + 1) * br).min(rows);
                    let mut buf = vec![0.0; range.len() * cols];
                    crate::candidates::score_rows(&model, range, &mut buf, &keep);
                    buf.iter().filter(|x| x.is_nan()).count() as u64
                })
                .sum()
        })
    }

    /// The storage and solver this problem was prepared with (`auto` resolved).
    pub fn solver(&self) -> SolverChoice {
        self.solver
    }

    /// `Ok` for a dense problem; [`MatchError::NeedsDense`] naming `operation` for a sparse one.
    ///
    /// # Errors
    /// [`MatchError::NeedsDense`] when the problem holds sparse candidates.
    pub fn require_dense(&self, operation: &'static str) -> Result<(), MatchError> {
        if self.scores.dense().is_some() {
            return Ok(());
        }
        let (rows, cols) = self.dims();
        let needed = score::dense_bytes(rows, cols) * DENSE_MATRICES as u128;
        Err(MatchError::NeedsDense {
            operation,
            dense_mib: (needed >> 20).min(u64::MAX as u128) as u64,
        })
    }

    /// The score model: built-in components plus the extra ones, normalised per mentee.
    pub fn model(&self) -> score::ScoreModel<'_> {
        score::ScoreModel::new(
            &self.features,
            &self.config.weights,
            &self.config.scoring,
            &self.extras,
        )
    }

    /// The score of pair `(i, j)`: the stored one for a candidate, else computed from the
    /// features (so an excluded pair still has its real score in a report).
    pub fn score(&self, i: usize, j: usize) -> f64 {
        self.scores
            .get(i, j)
            .unwrap_or_else(|| self.raw_score(i, j))
    }

    /// The cohort, as given.
    pub fn cohort(&self) -> &Cohort {
        &self.cohort
    }

    /// The configuration, as given.
    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    /// The compact features scoring read.
    pub fn features(&self) -> &Features {
        &self.features
    }

    /// The candidates' scores.
    pub fn scores(&self) -> &Scores {
        &self.scores
    }

    /// Why each excluded pair is excluded.
    pub fn mask(&self) -> &Mask {
        &self.mask
    }

    /// The checked pins, in configuration order.
    pub fn pins(&self) -> &[Pin] {
        &self.pins
    }

    /// Mentors wanted per mentee row.
    pub fn mentee_capacity(&self) -> &[u32] {
        &self.mentee_capacity
    }

    /// Capacity per mentor column.
    pub fn mentor_capacity(&self) -> &[u32] {
        &self.mentor_capacity
    }

    /// `(mentees, mentors)`.
    pub fn dims(&self) -> (usize, usize) {
        self.scores.dims()
    }

    /// Time spent preparing: features, scores and mask (`solve_ms` and `report_ms` are 0).
    pub fn timings(&self) -> &Timings {
        &self.timings
    }

    /// The row of a mentee id.
    pub fn mentee_row(&self, id: &str) -> Option<usize> {
        self.mentee_rows.get(id).copied()
    }

    /// The column of a mentor id.
    pub fn mentor_col(&self, id: &str) -> Option<usize> {
        self.mentor_cols.get(id).copied()
    }

    /// Mentee ids in row order.
    pub fn mentee_ids(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.cohort.mentees.people.iter().map(|p| p.id.as_str())
    }

    /// Mentor ids in column order.
    pub fn mentor_ids(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.cohort.mentors.people.iter().map(|p| p.id.as_str())
    }

    /// Resolve a `(mentee id, mentor id)` pair to `(row, column)`; `list` names the caller in the
    /// error (`explain`, `freeze`, ...).
    pub fn locate(
        &self,
        list: &'static str,
        mentee_id: &str,
        mentor_id: &str,
    ) -> Result<(usize, usize), UnknownPair> {
        match (self.mentee_row(mentee_id), self.mentor_col(mentor_id)) {
            (Some(i), Some(j)) => Ok((i, j)),
            (i, _) => Err(UnknownPair::new(list, mentee_id, mentor_id, i.is_none())),
        }
    }

    /// Scores and full capacities on both sides, for any solver or strategy: the candidates'
    /// dense matrix (NaN = excluded) borrowed, pins not applied.
    pub fn instance(&self) -> Instance<'_> {
        Instance {
            scores: match self.scores.dense() {
                Some(view) => CowArray::from(view),
                None => CowArray::from(self.scores.to_dense()),
            },
            row_capacity: Cow::Borrowed(&self.mentee_capacity),
            col_capacity: Cow::Borrowed(&self.mentor_capacity),
        }
    }

    /// Every pair's score in one matrix with ids, NaN where a pair is excluded, whatever the
    /// storage: the dense scores copied, or for a sparse problem every pair scored from the
    /// features (the same bits as the dense fill), into a buffer reserved fallibly.
    ///
    /// # Errors
    /// [`MatchError::Solver`] with [`crate::lsap::LsapError::TooLarge`] when the matrix does not
    /// fit in the memory available.
    pub fn try_score_matrix(&self) -> Result<ScoreMatrix, MatchError> {
        if self.scores.dense().is_some() {
            return Ok(self.score_matrix());
        }
        let (rows, cols) = self.dims();
        let mut buf: Vec<f64> = crate::lsap::memory::try_vec(f64::NAN, rows * cols)?;
        let model = self.model();
        let keep = |i: usize, j: usize, s: f64| {
            s >= self.config.min_score && self.mask.constraint(i, j).is_none()
        };
        let br = ((1usize << 16) / cols.max(1)).clamp(1, 1024);
        buf.par_chunks_mut((br * cols).max(1))
            .enumerate()
            .for_each(|(b, out)| {
                let range = b * br..(b * br + out.len() / cols.max(1)).min(rows);
                crate::candidates::score_rows(&model, range, out, &keep);
            });
        let scores = ndarray::Array2::from_shape_vec((rows, cols), buf).map_err(|e| {
            MatchError::Config(
                crate::options::ConfigError::about("solver", "a dense score matrix")
                    .with_detail(e.to_string()),
            )
        })?;
        Ok(ScoreMatrix {
            scores,
            mentee_ids: self.mentee_ids().map(str::to_string).collect(),
            mentor_ids: self.mentor_ids().map(str::to_string).collect(),
        })
    }

    /// The score matrix with ids (a copy of the dense scores; NaN where a pair is excluded). For
    /// a sparse problem it holds the stored candidates only: use [`Problem::try_score_matrix`]
    /// for every pair.
    pub fn score_matrix(&self) -> ScoreMatrix {
        ScoreMatrix {
            scores: self.scores.to_dense(),
            mentee_ids: self.mentee_ids().map(str::to_string).collect(),
            mentor_ids: self.mentor_ids().map(str::to_string).collect(),
        }
    }

    /// [`Problem::score_matrix`] without the copy, consuming the problem.
    pub fn into_score_matrix(self) -> ScoreMatrix {
        let mentee_ids = self.mentee_ids().map(str::to_string).collect();
        let mentor_ids = self.mentor_ids().map(str::to_string).collect();
        ScoreMatrix {
            scores: self.scores.into_dense(),
            mentee_ids,
            mentor_ids,
        }
    }

    /// The explanation of pair `(i, j)` (`None` when out of range), affinity included.
    pub fn explanation(&self, i: usize, j: usize) -> Option<Explanation> {
        let (a, b) = (
            self.cohort.mentees.people.get(i)?,
            self.cohort.mentors.people.get(j)?,
        );
        self.model().explain(i, j, &a.id, &b.id)
    }

    /// Explain one pair by ids, matched or not: the score taken apart and, when the pair is
    /// excluded, why (read from the mask).
    ///
    /// # Errors
    /// [`MatchError::UnknownPair`] when an id is not in its table.
    pub fn explain(&self, mentee_id: &str, mentor_id: &str) -> Result<PairReport, MatchError> {
        let (i, j) = self.locate("explain", mentee_id, mentor_id)?;
        self.explain_at(i, j).ok_or_else(|| {
            MatchError::Config(crate::options::ConfigError::about(
                "explain",
                "a mentee and a mentor of this problem",
            ))
        })
    }

    /// [`Problem::explain`] by row and column (`None` when out of range).
    pub fn explain_at(&self, i: usize, j: usize) -> Option<PairReport> {
        let explanation = self.explanation(i, j)?;
        let exclusion = self.reason(i, j);
        let excluded = exclusion.map(|e| match e {
            constraints::Exclusion::BelowMinScore => format!(
                "score {} below min_score {}",
                explanation.score, self.config.min_score
            ),
            e => e.describe().to_string(),
        });
        Some(PairReport {
            explanation,
            excluded,
            exclusion,
        })
    }

    /// The fairness audit of `result` (a result of this problem) by the protected columns `by`;
    /// see [`audit_match`].
    pub fn audit(
        &self,
        result: &MatchResult,
        by: &[String],
        opts: &AuditOptions,
    ) -> Result<AuditReport, FairnessError> {
        audit_match(&self.cohort, result, by, opts)
    }
}
