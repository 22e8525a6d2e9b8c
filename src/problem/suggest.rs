//! Shortlists: for each mentee, the allowed mentors with room, ranked by what the choice costs
//! the programme's optimum (exactly, from the optimum's duals), with score, match % and why.
//!
//! `cost_of_choice` of mentee `i` taking mentor `j` is the drop of the optimal total when the
//! pair `(i, j)` is pinned on top of the problem's own pins: 0 for a pair of the optimum. Under
//! the score objective it is score lost. Under the coverage objective it is lexicographic:
//! `pairs_lost` (how many fewer mentees get a mentor), then `cost_of_choice` (the score lost
//! among matchings of that size). It comes from [`crate::lsap::forced::Residual`]: one shortest
//! path search per mentee on the residual graph of the plain optimum (the configured
//! objective, without a fairness mode).

use serde::{Deserialize, Serialize};

use super::{MatchError, Problem};
use crate::constraints::Exclusion;
use crate::lsap::forced::{ForcedCost, Residual};
use crate::lsap::LsapError;
use crate::options::ConfigError;
use crate::score;

/// Shortlist length when none is given.
pub const DEFAULT_SHORTLIST: usize = 5;

/// One mentor on a mentee's shortlist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// Mentee id.
    pub mentee_id: String,
    /// 1 for the cheapest choice.
    pub rank: u32,
    /// Mentor id.
    pub mentor_id: String,
    /// The pair's score.
    pub score: f64,
    /// The score as a whole percentage.
    pub match_pct: u32,
    /// Score the programme's optimal total loses if the mentee takes this mentor (after
    /// `pairs_lost`, under the coverage objective).
    pub cost_of_choice: f64,
    /// Mentees the optimum leaves without a mentor more (coverage objective; else 0).
    pub pairs_lost: i64,
    /// The pair is in the optimal matching (its cost is 0).
    pub in_optimum: bool,
    /// One line: the score's components and what they rest on.
    pub why: String,
}

/// The answer to "what about this mentor?" for one mentee: either the choice with its cost, or
/// why the mentor cannot be chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice {
    /// Mentee id.
    pub mentee_id: String,
    /// Mentor id.
    pub mentor_id: String,
    /// Whether the mentee may choose this mentor now.
    pub allowed: bool,
    /// The hard constraint that excludes the pair, when one does.
    pub exclusion: Option<Exclusion>,
    /// Why the mentor cannot be chosen, in words (`None` when allowed).
    pub reason: Option<String>,
    /// The pair's score (also for an excluded pair).
    pub score: f64,
    /// The score as a whole percentage.
    pub match_pct: u32,
    /// As [`Suggestion::cost_of_choice`] (`None` when not allowed).
    pub cost_of_choice: Option<f64>,
    /// As [`Suggestion::pairs_lost`] (`None` when not allowed).
    pub pairs_lost: Option<i64>,
    /// The pair is in the optimal matching.
    pub in_optimum: bool,
    /// One line: the score's components.
    pub why: String,
}

/// Why a shortlist cannot be given.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SuggestError {
    /// The id is not in its table.
    #[error("suggest: no {table} has id {id:?}; ask for an id of the {table}s table")]
    UnknownId {
        /// `mentee` or `mentor`.
        table: &'static str,
        /// The id as given.
        id: String,
    },
    /// Solving the problem failed.
    #[error(transparent)]
    Match(#[from] MatchError),
}

impl From<LsapError> for SuggestError {
    fn from(e: LsapError) -> Self {
        SuggestError::Match(MatchError::Solver(e))
    }
}

/// A shortlisted mentor column, its cost, and whether the pair is in the optimum.
type Priced = (usize, ForcedCost, bool);

fn priced(res: &Residual<'_>, i: usize, list: Vec<(usize, ForcedCost)>) -> Vec<Priced> {
    list.into_iter()
        .map(|(j, c)| (j, c, res.is_matched(i, j)))
        .collect()
}

impl Problem {
    fn row_of(&self, mentee_id: &str) -> Result<usize, SuggestError> {
        self.mentee_row(mentee_id)
            .ok_or_else(|| SuggestError::UnknownId {
                table: "mentee",
                id: mentee_id.to_string(),
            })
    }

    /// Run `f` on the residual graph of the plain optimum (pins fixed, the rest solved with the
    /// configured objective); `None` when a side is empty.
    fn with_residual<T>(
        &self,
        f: impl FnOnce(&Residual<'_>) -> T,
    ) -> Result<Option<T>, SuggestError> {
        self.refuse_load_terms()?;
        let (rows, cols) = self.dims();
        if rows == 0 || cols == 0 {
            return Ok(None);
        }
        let instance = self.residual();
        let objective = self.config.objective.solver();
        let optimum = instance.solve(objective)?;
        let residual = Residual::new(
            instance.scores(),
            &instance.row_capacity,
            &instance.col_capacity,
            objective,
            &optimum,
        )?;
        Ok(Some(f(&residual)))
    }

    /// Shortlists price a choice against the optimum without load bounds (the residual graph
    /// has no lower bounds or spreading penalty), so a configuration with minimum loads or
    /// spreading is refused, naming the option, rather than priced against the wrong optimum.
    fn refuse_load_terms(&self) -> Result<(), SuggestError> {
        if !self.has_load_terms() {
            return Ok(());
        }
        const WHY: &str = "suggest prices each choice against the optimum without load \
                           bounds; ask for shortlists without min_load and spread, then match \
                           with them";
        let error = if self.mentor_min_load().iter().any(|&m| m > 0) {
            if self.config.min_load > 0 {
                ConfigError::new(
                    "min_load",
                    self.config.min_load,
                    format!("0 for a shortlist: {WHY}"),
                )
            } else {
                ConfigError::about(
                    "min_load",
                    format!("no min_load column values above 0 for a shortlist: {WHY}"),
                )
            }
        } else {
            ConfigError::new(
                "spread",
                self.config.spread,
                format!("0 for a shortlist: {WHY}"),
            )
        };
        Err(SuggestError::Match(MatchError::Config(error)))
    }

    fn suggestion(&self, i: usize, rank: usize, (j, cost, in_optimum): Priced) -> Suggestion {
        let score = self.score(i, j);
        Suggestion {
            mentee_id: self.cohort.mentees.people[i].id.clone(),
            rank: rank as u32 + 1,
            mentor_id: self.cohort.mentors.people[j].id.clone(),
            score,
            match_pct: score::match_percent(score),
            cost_of_choice: cost.score_lost,
            pairs_lost: cost.pairs_lost,
            in_optimum,
            why: self.explanation(i, j).map(|e| e.line()).unwrap_or_default(),
        }
    }

    /// The shortlist of one mentee: up to `k` allowed mentors with room (hard constraints and
    /// `min_score` applied, capacity left after the pins, not already pinned to the mentee),
    /// cheapest `cost_of_choice` first (ties: higher score, then table order). Empty when the
    /// mentee's `mentors_wanted` are all pinned.
    ///
    /// # Errors
    /// [`SuggestError::UnknownId`] for an id not in the mentees table; [`SuggestError::Match`]
    /// when the solve fails.
    pub fn suggest(&self, mentee_id: &str, k: usize) -> Result<Vec<Suggestion>, SuggestError> {
        let i = self.row_of(mentee_id)?;
        let list = self.with_residual(|res| priced(res, i, res.cheapest(i, k)))?;
        Ok(self.rows_of(i, list.unwrap_or_default()))
    }

    fn rows_of(&self, i: usize, list: Vec<Priced>) -> Vec<Suggestion> {
        list.into_iter()
            .enumerate()
            .map(|(rank, p)| self.suggestion(i, rank, p))
            .collect()
    }

    /// Every mentee's shortlist ([`Problem::suggest`]), mentees in table order, one solve and
    /// one search per mentee (in parallel; the result does not depend on the thread count).
    ///
    /// # Errors
    /// [`SuggestError::Match`] when the solve fails.
    pub fn suggest_all(&self, k: usize) -> Result<Vec<Suggestion>, SuggestError> {
        let lists = self
            .with_residual(|res| {
                let all = res.cheapest_all(k);
                all.into_iter()
                    .enumerate()
                    .map(|(i, list)| priced(res, i, list))
                    .collect::<Vec<_>>()
            })?
            .unwrap_or_default();
        Ok(lists
            .into_iter()
            .enumerate()
            .flat_map(|(i, list)| self.rows_of(i, list))
            .collect())
    }

    /// What choosing `mentor_id` would mean for `mentee_id`: its exact cost when allowed, else
    /// the reason it is not (a hard constraint named by the mask, a score below `min_score`, an
    /// existing pin, no room left).
    ///
    /// # Errors
    /// [`SuggestError::UnknownId`] for an unknown id; [`SuggestError::Match`] when the solve
    /// fails.
    pub fn choice(&self, mentee_id: &str, mentor_id: &str) -> Result<Choice, SuggestError> {
        let i = self.row_of(mentee_id)?;
        let j = self
            .mentor_col(mentor_id)
            .ok_or_else(|| SuggestError::UnknownId {
                table: "mentor",
                id: mentor_id.to_string(),
            })?;
        let report = self.explain_at(i, j);
        let score = self.score(i, j);
        let mut choice = Choice {
            mentee_id: mentee_id.to_string(),
            mentor_id: mentor_id.to_string(),
            allowed: false,
            exclusion: report.as_ref().and_then(|r| r.exclusion),
            reason: report.as_ref().and_then(|r| r.excluded.clone()),
            score,
            match_pct: score::match_percent(score),
            cost_of_choice: None,
            pairs_lost: None,
            in_optimum: false,
            why: report.map(|r| r.explanation.line()).unwrap_or_default(),
        };
        if choice.reason.is_some() {
            return Ok(choice);
        }
        let pinned_here = self.pins.iter().any(|p| p.mentee == i && p.mentor == j);
        let pins_of = |mentor: bool| {
            self.pins
                .iter()
                .filter(|p| if mentor { p.mentor == j } else { p.mentee == i })
                .count() as u32
        };
        if pinned_here {
            choice.reason = Some("already pinned to this mentee".into());
            choice.in_optimum = true;
            return Ok(choice);
        }
        if pins_of(true) >= self.mentor_capacity[j] {
            choice.reason = Some(format!(
                "no room left: the mentor's capacity {} is taken by pinned pairs",
                self.mentor_capacity[j]
            ));
            return Ok(choice);
        }
        if pins_of(false) >= self.mentee_capacity[i] {
            choice.reason = Some(format!(
                "the mentee's mentors_wanted ({}) are all pinned already",
                self.mentee_capacity[i]
            ));
            return Ok(choice);
        }
        let priced = self.with_residual(|res| (res.cost(i, j), res.is_matched(i, j)))?;
        if let Some((Some(cost), matched)) = priced {
            choice.allowed = true;
            choice.cost_of_choice = Some(cost.score_lost);
            choice.pairs_lost = Some(cost.pairs_lost);
            choice.in_optimum = matched;
        }
        Ok(choice)
    }
}
