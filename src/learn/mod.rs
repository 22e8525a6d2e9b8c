//! Learn component weights from past pairs and their outcomes: a ridge-penalised logistic model
//! for continued/ended (1/0), a proportional-odds model for ratings (1–5), fitted with argmin;
//! per component a coefficient, its standard error and its held-out quality.
//!
//! The input is a [`HistoryFrame`]: one row per past pair (mentee id, mentor id, outcome) and one
//! column per component value in [0, 1]. [`fit_weights`] validates it, fits on the whole history
//! (coefficients, standard errors), fits again on a seeded 80 % split to measure held-out quality
//! on the other 20 % (AUC for binary outcomes, Spearman's rank correlation for ratings), and turns
//! the non-negative part of the coefficients into weights summing to 1, usable as match weights.
//!
//! Coefficients are on the components' own [0, 1] scale (no standardisation), so they are
//! directly proportional to the weights of a score `Σ w_k x_k` that predicts the outcome.

pub mod frame;
pub mod metrics;
pub mod model;

use std::collections::{BTreeMap, HashMap, HashSet};

use ndarray::Array2;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use model::{Data, Kind};

/// Past pairs with their component values and outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryFrame {
    /// Component names, one per column of `values` (e.g. `goals`, `skills`).
    pub components: Vec<String>,
    /// Mentee id per row.
    pub mentee_ids: Vec<String>,
    /// Mentor id per row.
    pub mentor_ids: Vec<String>,
    /// Outcome per row: 0/1 (ended/continued) or a rating 1–5.
    pub outcomes: Vec<f64>,
    /// Component values, rows × components, each in [0, 1].
    pub values: Array2<f64>,
}

/// The scale of the outcome column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OutcomeScale {
    /// 1 = the relationship continued, 0 = it ended.
    Binary,
    /// An integer rating from 1 to 5.
    Rating,
}

impl OutcomeScale {
    fn describe(self) -> &'static str {
        match self {
            OutcomeScale::Binary => "0 or 1 (ended / continued)",
            OutcomeScale::Rating => "an integer rating from 1 to 5",
        }
    }
}

/// Options of [`fit_weights`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FitOptions {
    /// The outcome scale; `None` = binary when every outcome is 0 or 1, else ratings.
    pub scale: Option<OutcomeScale>,
    /// Ridge penalty λ on the coefficients (default 1.0; small against thousands of rows).
    pub lambda: f64,
    /// Share of rows held out for the quality measure (default 0.2).
    pub holdout: f64,
    /// Seed of the held-out split (default 0).
    pub seed: u64,
    /// L-BFGS iteration limit (default 500).
    pub max_iters: u64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            scale: None,
            lambda: 1.0,
            holdout: 0.2,
            seed: 0,
            max_iters: 500,
        }
    }
}

/// Why a history cannot be fitted; every message names the row (1-based, as in the file) and the
/// column where one is at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LearnError {
    /// A column of the wrong length.
    #[error("history: column `{column}` has {len} values but the history has {rows} rows")]
    Shape {
        /// The column.
        column: String,
        /// Its length.
        len: usize,
        /// Rows of the history.
        rows: usize,
    },
    /// No component column.
    #[error("history: no component column; give at least one (e.g. goals, skills)")]
    NoComponents,
    /// Two component columns of the same name.
    #[error("history: component column `{0}` appears twice")]
    DuplicateComponent(String),
    /// An id that is not in the cohort tables.
    #[error("history row {row}, column `{column}`: id `{id}` is not in the {table} table")]
    UnknownId {
        /// Row (1-based).
        row: usize,
        /// `mentee_id` or `mentor_id`.
        column: &'static str,
        /// `mentees` or `mentors`.
        table: &'static str,
        /// The id.
        id: String,
    },
    /// The same pair twice.
    #[error(
        "history row {row}: pair ({mentee_id}, {mentor_id}) already appears in row {first}; \
         keep one outcome per pair"
    )]
    DuplicatePair {
        /// Row (1-based).
        row: usize,
        /// The earlier row (1-based).
        first: usize,
        /// Mentee id.
        mentee_id: String,
        /// Mentor id.
        mentor_id: String,
    },
    /// An outcome outside the scale.
    #[error("history row {row}, column `outcome`: {value} is not {expected}")]
    Outcome {
        /// Row (1-based).
        row: usize,
        /// The value.
        value: f64,
        /// The scale, in words.
        expected: &'static str,
    },
    /// A component value that is not finite or outside [0, 1].
    #[error("history row {row}, column `{column}`: {value} is not a component value in [0, 1]")]
    Value {
        /// Row (1-based).
        row: usize,
        /// The component.
        column: String,
        /// The value.
        value: f64,
    },
    /// Too few rows (or too few of the rarer outcome) to tell.
    #[error(
        "history too small to tell: {have} {what}, need at least {need} for {components} \
         component(s); collect more outcomes or fit fewer components"
    )]
    TooSmall {
        /// What was counted.
        what: &'static str,
        /// How many there are.
        have: usize,
        /// How many are needed.
        need: usize,
        /// Components fitted.
        components: usize,
    },
    /// Every outcome is the same.
    #[error("history has no variance to tell: every outcome is {0}")]
    NoOutcomeVariance(f64),
    /// Every component is constant over the history.
    #[error("history has no variance to tell: every component column is constant")]
    NoComponentVariance,
    /// An option out of range.
    #[error("fit option `{option}` is {value}; {fix}")]
    Option {
        /// The option.
        option: &'static str,
        /// Its value.
        value: f64,
        /// A valid value.
        fix: &'static str,
    },
    /// The optimiser failed.
    #[error("fitting failed: {0}")]
    Optimiser(String),
    /// The cohort tables or the match options cannot be scored (the error matching would
    /// report: a bad option, wish, criterion, history, taxonomy, text option or embedding).
    #[error(transparent)]
    Cohort(Box<crate::problem::MatchError>),
    /// No component has a positive coefficient.
    #[error(
        "no component predicts a better outcome in this history (every coefficient ≤ 0); \
         keep the current weights"
    )]
    NoPositiveWeight,
}

/// The part of the report about one component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentFit {
    /// Component name.
    pub component: String,
    /// Coefficient on the component's [0, 1] scale (log-odds per unit).
    pub coefficient: f64,
    /// Its standard error (NaN when it cannot be estimated).
    pub std_error: f64,
    /// `coefficient / std_error`.
    pub z: f64,
    /// The learned weight (non-negative, the weights sum to 1).
    pub weight: f64,
    /// Held-out AUC (binary) or Spearman correlation (ratings) of this component alone.
    pub heldout: Option<f64>,
    /// A plain note when the history cannot tell (`constant in the history`, `not
    /// distinguishable from 0`, `negative: weight 0`).
    pub note: Option<String>,
}

/// The result of [`fit_weights`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightFit {
    /// Outcome scale used.
    pub scale: OutcomeScale,
    /// Name of the held-out measure (`auc` or `spearman`).
    pub metric: &'static str,
    /// One entry per component, in input order.
    pub components: Vec<ComponentFit>,
    /// The learned weights by component name (sum 1).
    pub weights: BTreeMap<String, f64>,
    /// Held-out quality of the whole model.
    pub heldout: Option<f64>,
    /// Rows used for fitting the held-out model / evaluating it.
    pub n_train: usize,
    /// Held-out rows.
    pub n_test: usize,
    /// L-BFGS iterations of the full fit.
    pub iterations: u64,
    /// Plain-language warnings (small history, non-converged fit, uncertain coefficients).
    pub warnings: Vec<String>,
}

/// Cohort ids the history must refer to.
pub struct KnownIds<'a> {
    /// Mentee ids of the cohort.
    pub mentees: &'a [String],
    /// Mentor ids of the cohort.
    pub mentors: &'a [String],
}

fn check_shape(frame: &HistoryFrame) -> Result<usize, LearnError> {
    let rows = frame.outcomes.len();
    let cols: [(&str, usize); 3] = [
        ("mentee_id", frame.mentee_ids.len()),
        ("mentor_id", frame.mentor_ids.len()),
        ("values", frame.values.nrows()),
    ];
    for (column, len) in cols {
        if len != rows {
            return Err(LearnError::Shape {
                column: column.into(),
                len,
                rows,
            });
        }
    }
    if frame.components.is_empty() {
        return Err(LearnError::NoComponents);
    }
    if frame.values.ncols() != frame.components.len() {
        return Err(LearnError::Shape {
            column: "components".into(),
            len: frame.components.len(),
            rows: frame.values.ncols(),
        });
    }
    let mut seen = HashSet::new();
    for c in &frame.components {
        if !seen.insert(c) {
            return Err(LearnError::DuplicateComponent(c.clone()));
        }
    }
    Ok(rows)
}

/// Validate a history: shapes, ids (when `known` is given), duplicate pairs, outcomes on the
/// scale and component values in [0, 1]. Returns the scale (detected when not given).
///
/// # Errors
/// The first [`LearnError`] found, naming row and column.
pub fn validate(
    frame: &HistoryFrame,
    scale: Option<OutcomeScale>,
    known: Option<&KnownIds<'_>>,
) -> Result<OutcomeScale, LearnError> {
    let rows = check_shape(frame)?;
    if let Some(known) = known {
        let sets = [
            ("mentee_id", "mentees", &frame.mentee_ids, known.mentees),
            ("mentor_id", "mentors", &frame.mentor_ids, known.mentors),
        ];
        for (column, table, ids, cohort) in sets {
            let cohort: HashSet<&str> = cohort.iter().map(String::as_str).collect();
            if let Some((r, id)) = ids
                .iter()
                .enumerate()
                .find(|(_, id)| !cohort.contains(id.as_str()))
            {
                return Err(LearnError::UnknownId {
                    row: r + 1,
                    column,
                    table,
                    id: id.clone(),
                });
            }
        }
    }
    let mut first: HashMap<(&str, &str), usize> = HashMap::with_capacity(rows);
    for r in 0..rows {
        let key = (frame.mentee_ids[r].as_str(), frame.mentor_ids[r].as_str());
        if let Some(&f) = first.get(&key) {
            return Err(LearnError::DuplicatePair {
                row: r + 1,
                first: f + 1,
                mentee_id: key.0.into(),
                mentor_id: key.1.into(),
            });
        }
        first.insert(key, r);
    }
    let scale = scale.unwrap_or_else(|| {
        if frame.outcomes.iter().all(|&y| y == 0.0 || y == 1.0) {
            OutcomeScale::Binary
        } else {
            OutcomeScale::Rating
        }
    });
    for (r, &y) in frame.outcomes.iter().enumerate() {
        let ok = match scale {
            OutcomeScale::Binary => y == 0.0 || y == 1.0,
            OutcomeScale::Rating => (1.0..=5.0).contains(&y) && y.fract() == 0.0,
        };
        if !ok {
            return Err(LearnError::Outcome {
                row: r + 1,
                value: y,
                expected: scale.describe(),
            });
        }
    }
    for ((r, c), &v) in frame.values.indexed_iter() {
        if !(v.is_finite() && (0.0..=1.0).contains(&v)) {
            return Err(LearnError::Value {
                row: r + 1,
                column: frame.components[c].clone(),
                value: v,
            });
        }
    }
    Ok(scale)
}

/// Rows needed to fit `k` components: at least 50, and 10 per parameter; for binary outcomes
/// also 10 of the rarer outcome per component (the "events per variable" rule of thumb).
pub fn rows_needed(k: usize) -> usize {
    (10 * (k + 1)).max(50)
}

fn check_options(o: &FitOptions) -> Result<(), LearnError> {
    if !(o.lambda.is_finite() && o.lambda >= 0.0) {
        return Err(LearnError::Option {
            option: "lambda",
            value: o.lambda,
            fix: "use a finite value ≥ 0, e.g. 1.0",
        });
    }
    if !(o.holdout > 0.0 && o.holdout < 1.0) {
        return Err(LearnError::Option {
            option: "holdout",
            value: o.holdout,
            fix: "use a share strictly between 0 and 1, e.g. 0.2",
        });
    }
    if o.max_iters == 0 {
        return Err(LearnError::Option {
            option: "max_iters",
            value: 0.0,
            fix: "use 1 or more, e.g. 500",
        });
    }
    Ok(())
}

/// Fit component weights to a history.
///
/// # Errors
/// [`LearnError`] for invalid input (see [`validate`]), a history too small or without variance,
/// an optimiser failure, or no component with a positive coefficient.
pub fn fit_weights(
    frame: &HistoryFrame,
    known: Option<&KnownIds<'_>>,
    options: &FitOptions,
) -> Result<WeightFit, LearnError> {
    check_options(options)?;
    let scale = validate(frame, options.scale, known)?;
    let rows = frame.outcomes.len();
    let first = frame.outcomes.first().copied().unwrap_or(0.0);
    if rows > 0 && frame.outcomes.iter().all(|&y| y == first) {
        return Err(LearnError::NoOutcomeVariance(first));
    }
    // Constant components carry no information: left out of the model, weight 0.
    let varying: Vec<usize> = (0..frame.components.len())
        .filter(|&c| {
            let col = frame.values.column(c);
            let v0 = col.first().copied().unwrap_or(0.0);
            col.iter().any(|&v| v != v0)
        })
        .collect();
    if varying.is_empty() {
        return Err(LearnError::NoComponentVariance);
    }
    let k = varying.len();
    let need = rows_needed(k);
    if rows < need {
        return Err(LearnError::TooSmall {
            what: "rows",
            have: rows,
            need,
            components: k,
        });
    }
    let mut warnings = Vec::new();
    // Outcome codes: binary as is; ratings as 0-based codes of the levels that occur.
    let (y, kind, metric): (Vec<f64>, Kind, &'static str) = match scale {
        OutcomeScale::Binary => {
            let pos = frame.outcomes.iter().filter(|&&y| y == 1.0).count();
            let rare = pos.min(rows - pos);
            if rare < 10 * k {
                return Err(LearnError::TooSmall {
                    what: "rows of the rarer outcome",
                    have: rare,
                    need: 10 * k,
                    components: k,
                });
            }
            (frame.outcomes.clone(), Kind::Binary, "auc")
        }
        OutcomeScale::Rating => {
            let mut levels: Vec<i64> = frame.outcomes.iter().map(|&y| y as i64).collect();
            levels.sort_unstable();
            levels.dedup();
            if levels.len() < 5 {
                warnings.push(format!(
                    "only ratings {levels:?} occur; the model orders those levels only"
                ));
            }
            let code: HashMap<i64, usize> =
                levels.iter().enumerate().map(|(i, &l)| (l, i)).collect();
            let y = frame
                .outcomes
                .iter()
                .map(|&y| code[&(y as i64)] as f64)
                .collect();
            (
                y,
                Kind::Ordinal {
                    levels: levels.len(),
                },
                "spearman",
            )
        }
    };
    let mut x = Vec::with_capacity(rows * k);
    for r in 0..rows {
        x.extend(varying.iter().map(|&c| frame.values[[r, c]]));
    }
    let data = Data {
        x: &x,
        k,
        y: &y,
        lambda: options.lambda,
        kind,
    };
    let full = model::fit(&data, options.max_iters).map_err(LearnError::Optimiser)?;
    if !full.converged {
        warnings.push(format!(
            "the optimiser stopped at its limit of {} iterations; the coefficients may be rough",
            options.max_iters
        ));
    }
    let cov = model::covariance(&data, &full.params);
    if cov.is_none() {
        warnings.push(
            "the components are too collinear in this history to give standard errors".into(),
        );
    }

    // Held-out quality on a seeded split.
    let mut order: Vec<usize> = (0..rows).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(options.seed));
    let n_test = ((rows as f64 * options.holdout).round() as usize).clamp(1, rows - 1);
    let (test, train) = order.split_at(n_test);
    let pick = |idx: &[usize]| -> (Vec<f64>, Vec<f64>) {
        let mut xs = Vec::with_capacity(idx.len() * k);
        for &r in idx {
            xs.extend_from_slice(&x[r * k..(r + 1) * k]);
        }
        (xs, idx.iter().map(|&r| y[r]).collect())
    };
    let (x_train, y_train) = pick(train);
    let (x_test, y_test) = pick(test);
    let train_data = Data {
        x: &x_train,
        k,
        y: &y_train,
        lambda: options.lambda,
        kind,
    };
    let quality = |s: &[f64]| match scale {
        OutcomeScale::Binary => metrics::auc(s, &y_test),
        OutcomeScale::Rating => metrics::spearman(s, &y_test),
    };
    let heldout = model::fit(&train_data, options.max_iters)
        .ok()
        .and_then(|f| {
            let s: Vec<f64> = x_test
                .chunks(k)
                .map(|row| Data::predict(&f.params, row))
                .collect();
            quality(&s)
        });

    let positive: f64 = full.params[..k].iter().map(|b| b.max(0.0)).sum();
    if positive <= 0.0 {
        return Err(LearnError::NoPositiveWeight);
    }
    let mut components = Vec::with_capacity(frame.components.len());
    let mut weights = BTreeMap::new();
    for (c, name) in frame.components.iter().enumerate() {
        let fitted = varying.iter().position(|&v| v == c);
        let entry = match fitted {
            None => ComponentFit {
                component: name.clone(),
                coefficient: 0.0,
                std_error: f64::NAN,
                z: f64::NAN,
                weight: 0.0,
                heldout: None,
                note: Some("constant in the history: cannot tell; weight 0".into()),
            },
            Some(m) => {
                let coef = full.params[m];
                let se = cov.as_ref().map_or(f64::NAN, |v| v[m][m].max(0.0).sqrt());
                let z = coef / se;
                let col: Vec<f64> = x_test.chunks(k).map(|row| row[m]).collect();
                let note = if coef <= 0.0 {
                    Some("negative or zero: weight 0".to_string())
                } else if z.is_nan() || z.abs() < 2.0 {
                    Some("not distinguishable from 0 (|z| < 2): the history cannot tell".into())
                } else {
                    None
                };
                ComponentFit {
                    component: name.clone(),
                    coefficient: coef,
                    std_error: se,
                    z,
                    weight: coef.max(0.0) / positive,
                    heldout: quality(&col),
                    note,
                }
            }
        };
        weights.insert(name.clone(), entry.weight);
        components.push(entry);
    }
    if components.iter().any(|c| c.note.is_some()) {
        warnings.push(
            "some components cannot be told apart from no effect in this history (see notes)"
                .into(),
        );
    }
    Ok(WeightFit {
        scale,
        metric,
        components,
        weights,
        heldout,
        n_train: train.len(),
        n_test,
        iterations: full.iterations,
        warnings,
    })
}
