//! Seeded outcome histories generated from a known weight vector, so that weight learning can be
//! tested for recovery.
//!
//! # Noise model
//! For a pair with component values `x` and true weights `w` (normalised to sum 1), the latent
//! quality is `y* = s · (w·x − m) + ε`, where `s` is the signal strength (default 10), `m` the mean
//! of `w·x` over the sampled pairs (so outcomes are balanced) and `ε` standard logistic noise
//! drawn from a ChaCha8 stream seeded by `seed`.
//! - Binary: `outcome = 1` (continued) when `y* > 0`, else 0 — exactly a logistic model with
//!   coefficients `s · w`.
//! - Ratings: `outcome = 1 + #{c ∈ CUTS : y* > c}` with `CUTS = (−2.2, −0.7, 0.7, 2.2)` — exactly
//!   a proportional-odds model with coefficients `s · w`.
//!
//! The learned weights (the non-negative coefficients normalised to sum 1) therefore estimate
//! `w` itself.

use std::collections::{BTreeMap, HashSet};

use ndarray::{Array2, ArrayView2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::cohort::Cohort;
use crate::learn::frame::ComponentSet;
use crate::learn::{HistoryFrame, OutcomeScale};
use crate::problem::{MatchConfig, MatchError};
use crate::score::beyond::EmbeddingInput;
use crate::score::ScoreConfig;

/// Thresholds of the latent quality between ratings 1|2, 2|3, 3|4 and 4|5.
pub const CUTS: [f64; 4] = [-2.2, -0.7, 0.7, 2.2];

/// How to draw a history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistorySpec {
    /// Number of past pairs (distinct).
    pub n_pairs: usize,
    /// True weight per component name; missing components have weight 0.
    pub weights: BTreeMap<String, f64>,
    /// Binary (continued/ended) or ratings 1–5.
    pub scale: OutcomeScale,
    /// Signal strength `s` (default 10).
    pub strength: f64,
    /// Seed of the pair sample and the noise.
    pub seed: u64,
}

impl Default for HistorySpec {
    fn default() -> Self {
        HistorySpec {
            n_pairs: 1000,
            weights: BTreeMap::new(),
            scale: OutcomeScale::Binary,
            strength: 10.0,
            seed: 0,
        }
    }
}

/// A history that cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HistoryError {
    /// A weight for a component that is not in the values.
    #[error("history: weight given for unknown component `{name}`; known: {known}")]
    UnknownComponent {
        /// The name.
        name: String,
        /// The known names, comma-separated.
        known: String,
    },
    /// A negative or non-finite weight, or all weights 0.
    #[error("history: weight of `{name}` is {value}; weights must be finite, ≥ 0 and not all 0")]
    Weight {
        /// The component (`*` when all are 0).
        name: String,
        /// The value.
        value: f64,
    },
    /// Strength not positive and finite.
    #[error("history: strength is {0}; use a finite value > 0, e.g. 10")]
    Strength(f64),
    /// The cohort tables or the match options cannot be scored.
    #[error(transparent)]
    Cohort(Box<MatchError>),
    /// More pairs asked than exist.
    #[error("history: {asked} pairs asked but only {available} distinct pairs exist")]
    TooManyPairs {
        /// Asked.
        asked: usize,
        /// Available.
        available: usize,
    },
}

fn weight_vector(names: &[String], spec: &HistorySpec) -> Result<Vec<f64>, HistoryError> {
    if !(spec.strength.is_finite() && spec.strength > 0.0) {
        return Err(HistoryError::Strength(spec.strength));
    }
    for (name, &value) in &spec.weights {
        if !names.contains(name) {
            return Err(HistoryError::UnknownComponent {
                name: name.clone(),
                known: names.join(", "),
            });
        }
        if !(value.is_finite() && value >= 0.0) {
            return Err(HistoryError::Weight {
                name: name.clone(),
                value,
            });
        }
    }
    let w: Vec<f64> = names
        .iter()
        .map(|n| spec.weights.get(n).copied().unwrap_or(0.0))
        .collect();
    let sum: f64 = w.iter().sum();
    if sum <= 0.0 {
        return Err(HistoryError::Weight {
            name: "*".into(),
            value: 0.0,
        });
    }
    Ok(w.into_iter().map(|v| v / sum).collect())
}

/// Outcomes for given component values (rows × components) under the noise model.
///
/// # Errors
/// [`HistoryError`] for unknown components, bad weights or strength.
pub fn outcomes(
    names: &[String],
    values: ArrayView2<'_, f64>,
    spec: &HistorySpec,
) -> Result<Vec<f64>, HistoryError> {
    let w = weight_vector(names, spec)?;
    let lin: Vec<f64> = values
        .rows()
        .into_iter()
        .map(|r| r.iter().zip(&w).map(|(a, b)| a * b).sum())
        .collect();
    let mean = lin.iter().sum::<f64>() / lin.len().max(1) as f64;
    // A separate stream from the pair sample, so the same pairs get independent noise per seed.
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed ^ 0x9e37_79b9_7f4a_7c15);
    Ok(lin
        .iter()
        .map(|&l| {
            let u: f64 = rng.random_range(f64::EPSILON..1.0);
            let latent = spec.strength * (l - mean) + (u / (1.0 - u)).ln();
            match spec.scale {
                OutcomeScale::Binary => f64::from(u8::from(latent > 0.0)),
                OutcomeScale::Rating => 1.0 + CUTS.iter().filter(|&&c| latent > c).count() as f64,
            }
        })
        .collect())
}

/// Draw `spec.n_pairs` distinct (mentee, mentor) pairs of `cohort` uniformly, score every
/// component the cohort has data for (as the learning frame does, with the scoring options
/// `cfg` and otherwise default match options) and draw outcomes under the noise model.
///
/// # Errors
/// [`HistoryError`] as [`outcomes`], or more pairs than the cohort has.
pub fn history(
    cohort: &Cohort,
    spec: &HistorySpec,
    cfg: &ScoreConfig,
) -> Result<HistoryFrame, HistoryError> {
    let config = MatchConfig {
        scoring: cfg.clone(),
        ..MatchConfig::default()
    };
    history_with(cohort, spec, &config, None)
}

/// [`history`] under full match options (text options, taxonomy, criteria, history of earlier
/// rounds) and optional embedding matrices: the components are those of
/// [`crate::learn::frame::ComponentSet`], so the frame has exactly the columns
/// [`crate::learn::frame::component_frame_with`] computes from the same tables.
///
/// # Errors
/// As [`history`], and [`HistoryError::Cohort`] for options or columns matching would refuse.
pub fn history_with(
    cohort: &Cohort,
    spec: &HistorySpec,
    config: &MatchConfig,
    embeddings: Option<&EmbeddingInput<'_>>,
) -> Result<HistoryFrame, HistoryError> {
    let (mentees, mentors) = (&cohort.mentees.people, &cohort.mentors.people);
    let available = mentees.len() * mentors.len();
    if spec.n_pairs > available {
        return Err(HistoryError::TooManyPairs {
            asked: spec.n_pairs,
            available,
        });
    }
    let set = ComponentSet::build(cohort, config, embeddings)
        .map_err(|e| HistoryError::Cohort(Box::new(e)))?;
    let names = set.names();
    weight_vector(&names, spec)?;
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let mut seen = HashSet::with_capacity(spec.n_pairs);
    let mut pairs = Vec::with_capacity(spec.n_pairs);
    while pairs.len() < spec.n_pairs {
        let p = (
            rng.random_range(0..mentees.len()),
            rng.random_range(0..mentors.len()),
        );
        if seen.insert(p) {
            pairs.push(p);
        }
    }
    let values = set.values(&pairs);
    let outcomes = outcomes(&names, values.view(), spec)?;
    Ok(HistoryFrame {
        components: names,
        mentee_ids: pairs.iter().map(|&(i, _)| mentees[i].id.clone()).collect(),
        mentor_ids: pairs.iter().map(|&(_, j)| mentors[j].id.clone()).collect(),
        outcomes,
        values,
    })
}

/// A history over independent uniform component values (no cohort): `names.len()` components,
/// ids `e<row>` / `m<row>`. The cleanest recovery benchmark.
///
/// # Errors
/// As [`outcomes`].
pub fn uniform_history(names: &[String], spec: &HistorySpec) -> Result<HistoryFrame, HistoryError> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let values = Array2::from_shape_fn((spec.n_pairs, names.len()), |_| rng.random::<f64>());
    let outcomes = outcomes(names, values.view(), spec)?;
    Ok(HistoryFrame {
        components: names.to_vec(),
        mentee_ids: (0..spec.n_pairs).map(|r| format!("e{r}")).collect(),
        mentor_ids: (0..spec.n_pairs).map(|r| format!("m{r}")).collect(),
        outcomes,
        values,
    })
}
