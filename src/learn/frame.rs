//! Component values of past pairs computed from the cohort tables of that time: every component
//! matching would score for that cohort, so weights can be learned for all of them.
//!
//! # Which components
//! The five built-in ones always; then, in the order matching sums them, each further component
//! the cohort has data for, whatever its configured weight (a weight of 0 does not stop it from
//! being learned):
//! - `affinity` when some mentee asks for a shared background and the protected columns asked
//!   for are declared (without them the tables have no data for it);
//! - `preference` when some mentee ranks preferred mentors;
//! - `priority` when the configured history shows mentees left unmatched in earlier rounds;
//! - one column per programme criterion with `rule = "prefer"`, by its name;
//! - `goals_text`, `embedding`, `open_doors`, `two_way` under the rules of the components beyond
//!   exact tags (text on both sides, embeddings on both tables or given as matrices, a `network`
//!   and `target_areas`, `learning_goals` and mentee skills).
//!
//! Each value is the one matching's explanation shows for the pair (the neutral value where
//! information is missing). For a mentee an opt-in component does not apply to (`affinity`,
//! `preference`, `priority` for mentees who did not ask or were never left unmatched) the value
//! is the neutral value too: that mentee carries no information about it.
//!
//! # The weights learned
//! The names of the built-in components, `affinity`, `preference`, `goals_text`, `embedding`,
//! `open_doors` and `two_way` are the keys of match's `weights` option, so the learned weights
//! can be passed there as they are. The weight learned for `priority` is the value of the
//! `unmatched_priority` option, and that of a criterion the criterion's own `weight`, on the same
//! scale.

use std::collections::HashMap;

use ndarray::Array2;
use rayon::prelude::*;

use super::{HistoryFrame, LearnError};
use crate::cohort::Cohort;
use crate::features::Features;
use crate::problem::{MatchConfig, MatchError};
use crate::score::beyond::EmbeddingInput;
use crate::score::{self, Component, ScoreConfig, Weighted};

/// Every component scored for one cohort, with the prepared features: the data of a
/// [`HistoryFrame`]'s columns.
pub struct ComponentSet {
    features: Features,
    scoring: ScoreConfig,
    extras: Vec<Weighted>,
}

impl std::fmt::Debug for ComponentSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ComponentSet")
            .field("names", &self.names())
            .finish()
    }
}

impl ComponentSet {
    /// The components of `cohort` under `config` (its scoring options, text options, taxonomy,
    /// criteria and history), and the `embedding` component from `embeddings` or the tables'
    /// `embedding` columns.
    ///
    /// # Errors
    /// The [`MatchError`] matching would report for the same cohort and options (a bad option,
    /// wish, criterion, history, taxonomy, text option or embedding).
    pub fn build(
        cohort: &Cohort,
        config: &MatchConfig,
        embeddings: Option<&EmbeddingInput<'_>>,
    ) -> Result<ComponentSet, MatchError> {
        config.validate_options()?;
        let (n_mentees, n_mentors) = (cohort.mentees.people.len(), cohort.mentors.people.len());
        let wishes = crate::wishes::Wishes::read(cohort)?;
        let criteria = crate::criteria::prepare(cohort, &config.criteria, score::builtin_name)?;
        let rounds = {
            let (rows, cols) = (cohort.mentees.row_index(), cohort.mentors.row_index());
            crate::io::history::Rounds::resolve(
                &config.history,
                n_mentees,
                |id| rows.get(id).copied(),
                |id| cols.get(id).copied(),
                "history",
            )?
        };
        let mut features = Features::build(
            &cohort.mentees.people,
            &cohort.mentors.people,
            config.scoring.date(),
        );
        score::prepare_features(&mut features, &config.scoring, &wishes.target_skills);
        let taxonomy = score::beyond::taxonomy(&config.taxonomy)?;
        score::taxonomy::apply(&mut features, &taxonomy);

        // The same components, in the same order, as the prepared problem adds them; each at
        // weight 1, since here only the values count.
        let mut extras: Vec<Weighted> = Vec::new();
        let mut push = |part: Box<dyn score::PairComponent>| {
            extras.push(Weighted { part, weight: 1.0 });
        };
        // Affinity needs the protected columns: a history scored without them declared has no
        // data for it (matching the same tables would ask for them); any other error is one.
        match score::affinity::SharedBackground::new(&cohort.mentees, &cohort.mentors) {
            Ok(affinity) if affinity.any() => push(Box::new(affinity)),
            Ok(_) | Err(score::affinity::AffinityError::UnknownBackground { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        if wishes.preferred.iter().any(|p| !p.is_empty()) {
            push(Box::new(score::preference::Preferences {
                ranked: wishes.preferred.clone(),
            }));
        }
        if rounds.unmatched_rounds.iter().any(|&n| n > 0) {
            push(Box::new(score::priority::Priority {
                unmatched_rounds: rounds.unmatched_rounds.clone(),
            }));
        }
        for c in criteria
            .iter()
            .filter(|c| c.criterion.rule == crate::criteria::Rule::Prefer)
        {
            push(Box::new(score::criteria::CriterionComponent::new(
                c.clone(),
            )));
        }
        let all_on = score::Weights {
            goals_text: 1.0,
            embedding: 1.0,
            open_doors: 1.0,
            two_way: 1.0,
            ..score::Weights::default()
        };
        extras.extend(score::beyond::components(
            cohort,
            &all_on,
            &config.text,
            &taxonomy,
            embeddings,
        )?);
        debug_assert_eq!(features.mentors.len(), n_mentors);
        Ok(ComponentSet {
            features,
            scoring: config.scoring.clone(),
            extras,
        })
    }

    /// Component names, one per column, in summation order.
    pub fn names(&self) -> Vec<String> {
        Component::ALL
            .iter()
            .map(|c| c.name().to_string())
            .chain(
                self.extras
                    .iter()
                    .map(|e| e.part.component().name().to_string()),
            )
            .collect()
    }

    /// The component values of mentee row `i` with mentor column `j` into `out` (one per
    /// name).
    fn values_into(&self, i: usize, j: usize, out: &mut [f64]) {
        let (a, b) = (&self.features.mentees[i], &self.features.mentors[j]);
        let builtin = score::components(a, b, &self.scoring);
        out[..builtin.len()].copy_from_slice(&builtin);
        let neutral = self.scoring.neutral;
        for (cell, e) in out[builtin.len()..].iter_mut().zip(&self.extras) {
            *cell = if e.part.applies(i) {
                e.part.value(i, j).unwrap_or(neutral)
            } else {
                neutral
            };
        }
    }

    /// Values of the given (mentee row, mentor column) pairs, rows × components, computed in
    /// parallel (the result does not depend on the thread count).
    pub fn values(&self, pairs: &[(usize, usize)]) -> Array2<f64> {
        let k = Component::ALL.len() + self.extras.len();
        let mut values = Array2::<f64>::zeros((pairs.len(), k));
        values
            .axis_iter_mut(ndarray::Axis(0))
            .into_par_iter()
            .zip(pairs.par_iter())
            .for_each(|(mut row, &(i, j))| {
                if let Some(out) = row.as_slice_mut() {
                    self.values_into(i, j, out);
                }
            });
        values
    }
}

/// One [`HistoryFrame`] row per past pair: the ids and outcome as given, every component the
/// cohort has data for scored from `cohort` (see the [module docs](self)), with the scoring
/// options `cfg` and otherwise default match options.
///
/// # Errors
/// As [`component_frame_with`].
pub fn component_frame(
    cohort: &Cohort,
    mentee_ids: &[String],
    mentor_ids: &[String],
    outcomes: &[f64],
    cfg: &ScoreConfig,
) -> Result<HistoryFrame, LearnError> {
    let config = MatchConfig {
        scoring: cfg.clone(),
        ..MatchConfig::default()
    };
    component_frame_with(cohort, mentee_ids, mentor_ids, outcomes, &config, None)
}

/// [`component_frame`] under full match options (text options, taxonomy, criteria, history) and
/// optional embedding matrices.
///
/// # Errors
/// [`LearnError::Shape`] for columns of different lengths, [`LearnError::UnknownId`] naming the
/// row for an id that is not in its table, [`LearnError::Cohort`] for options or columns
/// matching would refuse.
pub fn component_frame_with(
    cohort: &Cohort,
    mentee_ids: &[String],
    mentor_ids: &[String],
    outcomes: &[f64],
    config: &MatchConfig,
    embeddings: Option<&EmbeddingInput<'_>>,
) -> Result<HistoryFrame, LearnError> {
    let rows = outcomes.len();
    for (column, len) in [
        ("mentee_id", mentee_ids.len()),
        ("mentor_id", mentor_ids.len()),
    ] {
        if len != rows {
            return Err(LearnError::Shape {
                column: column.into(),
                len,
                rows,
            });
        }
    }
    let (e_idx, m_idx) = (cohort.mentees.row_index(), cohort.mentors.row_index());
    let mut pairs = Vec::with_capacity(rows);
    for r in 0..rows {
        let look = |map: &HashMap<String, usize>, id: &String, column, table| {
            map.get(id).copied().ok_or_else(|| LearnError::UnknownId {
                row: r + 1,
                column,
                table,
                id: id.clone(),
            })
        };
        pairs.push((
            look(&e_idx, &mentee_ids[r], "mentee_id", "mentees")?,
            look(&m_idx, &mentor_ids[r], "mentor_id", "mentors")?,
        ));
    }
    let set = ComponentSet::build(cohort, config, embeddings)
        .map_err(|e| LearnError::Cohort(Box::new(e)))?;
    Ok(HistoryFrame {
        components: set.names(),
        mentee_ids: mentee_ids.to_vec(),
        mentor_ids: mentor_ids.to_vec(),
        outcomes: outcomes.to_vec(),
        values: set.values(&pairs),
    })
}
