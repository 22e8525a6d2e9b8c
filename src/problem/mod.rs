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
mod report;
mod result;
mod scores;
mod solve;

pub use audit::audit_match;
pub use check::{check_result, InconsistentResult};
pub use config::{MatchConfig, MatchError, Objective, DEFAULT_MEMORY_LIMIT, DENSE_MATRICES};
pub use loads::{LoadShortfallError, MentorShortfall, ShortfallPolicy};
pub use mask::Mask;
pub use result::{
    MatchResult, MatchedPair, PairReport, ScoreMatrix, Summary, Timings, Unmatched, UnmatchedReason,
};
pub use scores::{Candidates, DenseScores, Scores};
pub use solve::{Duals, Solution, SolveOptions};

use std::borrow::Cow;
use std::collections::HashMap;
use std::time::Instant;

use ndarray::CowArray;
use serde::{Deserialize, Serialize};

use crate::cohort::{Cohort, Table};
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
}

// The Python binding holds a `Problem` in an `Arc` shared across threads.
const _: fn() = || {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<Problem>();
};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn index(t: &Table) -> HashMap<String, usize> {
    t.people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect()
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
        let start = Instant::now();
        config::validate(&cohort, &config)?;
        let mut timings = Timings::default();
        let forbid = constraints::resolve_pairs(&cohort, "forbid", &config.forbid)?;
        let wishes = crate::wishes::Wishes::read(&cohort)?;
        let criteria = crate::criteria::prepare(&cohort, &config.criteria, score::builtin_name)?;
        let t = Instant::now();
        let mut features = Features::build(
            &cohort.mentees.people,
            &cohort.mentors.people,
            config.scoring.date(),
        );
        score::prepare_features(&mut features, &config.scoring, &wishes.target_skills);
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
        let mut matrix =
            score::ScoreModel::new(&features, &config.weights, &config.scoring, &extras).fill();
        // NaN marks an excluded pair from here on: a computed score must never be one. Bounded weights
        // (`score::MAX_WEIGHT`, `io::MAX_GOAL_WEIGHT`) keep every sum finite.
        debug_assert!(
            matrix.iter().all(|s| s.is_finite()),
            "a computed score is not finite"
        );
        timings.score_ms = ms(t);
        let t = Instant::now();
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
        constraint_mask.add_exclusions(avoided.chain(declined));
        if config.preferences == crate::wishes::PreferenceMode::Must {
            constraint_mask.restrict_to(&wishes.preferred);
        }
        constraint_mask.add_rules(criteria);
        let mask = Mask::apply(constraint_mask, &mut matrix, config.min_score);
        let scores = Scores::Dense(DenseScores::new(matrix));
        timings.mask_ms = ms(t);
        let mentee_capacity: Vec<u32> = cohort.mentees.people.iter().map(|p| p.capacity).collect();
        let mentor_capacity: Vec<u32> = cohort.mentors.people.iter().map(|p| p.capacity).collect();
        let mut problem = Problem {
            mentee_rows: index(&cohort.mentees),
            mentor_cols: index(&cohort.mentors),
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
            let score = match self.scores.get(i, j) {
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
        self.model().score(i, j)
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

    /// The score matrix with ids (a copy of the dense scores; NaN where a pair is excluded).
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
        self.explain_at(i, j)
            .ok_or_else(|| MatchError::Config("pair index out of range".into()))
    }

    /// [`Problem::explain`] by row and column (`None` when out of range).
    pub fn explain_at(&self, i: usize, j: usize) -> Option<PairReport> {
        let explanation = self.explanation(i, j)?;
        let exclusion = self.mask.reason(i, j);
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
