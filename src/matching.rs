//! Matching a cohort: features → score matrix → hard-constraint mask → pins → capacitated solve
//! → independent audit → a serde [`MatchResult`] with explanations and unmatched reasons.

use crate::cohort::{Cohort, Table};
use crate::constraints::{self, AuditRules, Exclusion, Mask, UnknownPair, Violation};
use crate::features::Features;
use crate::lsap::{self, CapacitatedOptions, LsapError};
use crate::score::{self, Component, Explanation, ScoreConfig, Weights};
use chrono::NaiveDate;
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Instant;

mod audit;
pub use audit::audit_match;

/// Default memory budget for dense matrices: 8 GiB.
pub const DEFAULT_MEMORY_LIMIT: u64 = 8 << 30;

/// Dense `rows × cols` f64 matrices alive at the peak: the masked score matrix and one working
/// copy inside the solver.
pub const DENSE_MATRICES: u64 = 2;

/// What the solver maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Objective {
    /// As many pairs as the constraints allow, then the highest total score among those.
    #[default]
    Coverage,
    /// The highest total score, whatever the number of pairs.
    Score,
}

/// Everything that shapes a matching. `Default` gives the documented defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchConfig {
    /// Component weights.
    pub weights: Weights,
    /// Component parameters (reference date, meeting length, cadence, ...).
    pub scoring: ScoreConfig,
    /// Pairs scoring below this are not allowed (default 0).
    pub min_score: f64,
    /// Forbid pairs within the same department (default false).
    pub exclude_same_department: bool,
    /// `(mentee id, mentor id)` pairs that must not be matched.
    pub forbid: Vec<(String, String)>,
    /// `(mentee id, mentor id)` pairs that must be matched; each must satisfy every hard
    /// constraint.
    pub pin: Vec<(String, String)>,
    /// What to maximise.
    pub objective: Objective,
    /// Refuse problems whose dense matrices need more bytes than this (default 8 GiB).
    pub memory_limit_bytes: u64,
    // -- fairness (issue 4) --
    /// Fairness-aware solving instead of the plain solve (default none); see [`crate::fairness`].
    pub fairness: Option<crate::fairness::Fairness>,
    /// Programme-defined criteria (soft components) and rules (`rule = "must"`) on any column.
    pub criteria: Vec<crate::criteria::Criterion>,
    /// How mentees' `preferred_mentors` are used: a bonus (default) or a hard restriction.
    pub preferences: crate::wishes::PreferenceMode,
}

impl Default for MatchConfig {
    fn default() -> Self {
        MatchConfig {
            weights: Weights::default(),
            scoring: ScoreConfig::default(),
            min_score: 0.0,
            exclude_same_department: false,
            forbid: Vec::new(),
            pin: Vec::new(),
            objective: Objective::Coverage,
            memory_limit_bytes: DEFAULT_MEMORY_LIMIT,
            fairness: None,
            criteria: Vec::new(),
            preferences: crate::wishes::PreferenceMode::Bonus,
        }
    }
}

/// Why matching could not run. Input errors are caught earlier, by [`crate::io`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MatchError {
    /// A configuration value is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A `forbid` or `pin` pair names an unknown id.
    #[error(transparent)]
    UnknownPair(#[from] UnknownPair),
    /// A pinned pair breaks a hard constraint.
    #[error("pinned pair ({mentee_id:?}, {mentor_id:?}) breaks a hard constraint: {problem}; remove the pin or the conflicting constraint")]
    PinViolates {
        /// Mentee id.
        mentee_id: String,
        /// Mentor id.
        mentor_id: String,
        /// Which constraint.
        problem: String,
    },
    /// The dense problem would not fit in the memory budget.
    #[error("problem too large: {rows} mentees x {cols} mentors needs about {needed_mib} MiB for {matrices} dense score matrices, over the limit of {limit_mib} MiB; split the cohort (e.g. by region) or raise memory_limit_bytes")]
    TooLarge {
        /// Mentees.
        rows: usize,
        /// Mentors.
        cols: usize,
        /// Estimated bytes, in MiB.
        needed_mib: u64,
        /// The limit, in MiB.
        limit_mib: u64,
        /// Dense matrices counted.
        matrices: u64,
    },
    /// A table has the wrong role (mentors given as mentees).
    #[error("the {0} table is tagged with the wrong role; pass mentees first, then mentors")]
    WrongRole(&'static str),
    /// The solver failed (should not happen on a masked score matrix).
    #[error("assignment solver failed: {0}")]
    Solver(#[from] LsapError),
    /// The fairness configuration cannot be applied (e.g. an unknown protected column).
    #[error("fairness: {0}")]
    Fairness(#[from] crate::fairness::FairnessError),
    /// A wish column (`preferred_mentors`, `avoid_mentors`, `declined_mentees`,
    /// `target_skills`) names something that cannot be honoured.
    #[error(transparent)]
    Wish(Box<crate::wishes::WishError>),
    /// A programme criterion cannot be applied.
    #[error(transparent)]
    Criterion(Box<crate::criteria::CriterionError>),
}

impl From<Box<crate::wishes::WishError>> for MatchError {
    fn from(e: Box<crate::wishes::WishError>) -> Self {
        MatchError::Wish(e)
    }
}

impl From<crate::criteria::CriterionError> for MatchError {
    fn from(e: crate::criteria::CriterionError) -> Self {
        MatchError::Criterion(Box::new(e))
    }
}

impl From<crate::score::affinity::AffinityError> for MatchError {
    fn from(e: crate::score::affinity::AffinityError) -> Self {
        MatchError::Fairness(e.into())
    }
}

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
    pub mentee_extra: BTreeMap<String, String>,
    /// The mentor's extra columns.
    pub mentor_extra: BTreeMap<String, String>,
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
    /// Explanations, reasons and the audit.
    pub report_ms: f64,
    /// Everything.
    pub total_ms: f64,
}

/// The outcome of [`match_cohort`].
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

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn validate(cohort: &Cohort, cfg: &MatchConfig) -> Result<(), MatchError> {
    cfg.weights.validate().map_err(MatchError::Config)?;
    cfg.scoring.validate().map_err(MatchError::Config)?;
    if !cfg.min_score.is_finite() {
        return Err(MatchError::Config(format!(
            "min_score is {}; use a finite number such as 0 or 0.3",
            cfg.min_score
        )));
    }
    if cohort.mentees.role != crate::cohort::Role::Mentee {
        return Err(MatchError::WrongRole("mentees"));
    }
    if cohort.mentors.role != crate::cohort::Role::Mentor {
        return Err(MatchError::WrongRole("mentors"));
    }
    let (rows, cols) = (cohort.mentees.people.len(), cohort.mentors.people.len());
    let needed = score::dense_bytes(rows, cols) * DENSE_MATRICES as u128;
    if needed > cfg.memory_limit_bytes as u128 {
        return Err(MatchError::TooLarge {
            rows,
            cols,
            needed_mib: (needed >> 20).min(u64::MAX as u128) as u64,
            limit_mib: cfg.memory_limit_bytes >> 20,
            matrices: DENSE_MATRICES,
        });
    }
    Ok(())
}

/// Everything that scores and constrains pairs, before any matrix is filled.
struct Context {
    features: Features,
    /// The components beyond the built-in ones: affinity, preference, programme criteria.
    extras: Vec<score::Weighted>,
    mask: Mask,
}

impl Context {
    fn model<'a>(&'a self, cfg: &'a MatchConfig) -> score::ScoreModel<'a> {
        score::ScoreModel::new(&self.features, &cfg.weights, &cfg.scoring, &self.extras)
    }
}

/// Everything up to the masked matrix, shared by [`score_matrix`] and [`match_cohort`].
struct Prepared {
    ctx: Context,
    scores: Array2<f64>,
    timings: Timings,
}

/// Read the wishes and criteria, build the features, the extra components and the mask.
fn context(
    cohort: &Cohort,
    cfg: &MatchConfig,
    timings: &mut Timings,
) -> Result<Context, MatchError> {
    let forbid = constraints::resolve_pairs(cohort, "forbid", &cfg.forbid)?;
    let wishes = crate::wishes::Wishes::read(cohort)?;
    let criteria = crate::criteria::prepare(cohort, &cfg.criteria, score::builtin_name)?;
    let t = Instant::now();
    let mut features = Features::build(
        &cohort.mentees.people,
        &cohort.mentors.people,
        cfg.scoring.date(),
    );
    score::prepare_features(&mut features, &cfg.scoring, &wishes.target_skills);
    timings.features_ms = ms(t);
    let t = Instant::now();
    let affinity = crate::score::affinity::SharedBackground::new(&cohort.mentees, &cohort.mentors)?;
    let mut extras: Vec<score::Weighted> = Vec::new();
    let mut push = |part: Box<dyn score::PairComponent>, weight: f64| {
        if weight > 0.0 {
            extras.push(score::Weighted { part, weight });
        }
    };
    if affinity.any() {
        push(Box::new(affinity), cfg.weights.affinity);
    }
    if wishes.preferred.iter().any(|p| !p.is_empty()) {
        push(
            Box::new(score::preference::Preferences {
                ranked: wishes.preferred.clone(),
            }),
            cfg.weights.preference,
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
    let mut mask = Mask::build(cohort, cfg.exclude_same_department, &forbid);
    let avoided = wishes
        .avoid
        .iter()
        .enumerate()
        .flat_map(|(i, js)| js.iter().map(move |&j| (i, j, Exclusion::MenteeDeclined)));
    let declined = wishes
        .declined
        .iter()
        .enumerate()
        .flat_map(|(j, is)| is.iter().map(move |&i| (i, j, Exclusion::MentorDeclined)));
    mask.add_exclusions(avoided.chain(declined));
    if cfg.preferences == crate::wishes::PreferenceMode::Must {
        mask.restrict_to(&wishes.preferred);
    }
    mask.add_rules(criteria);
    timings.mask_ms = ms(t);
    Ok(Context {
        features,
        extras,
        mask,
    })
}

fn prepare(cohort: &Cohort, cfg: &MatchConfig) -> Result<Prepared, MatchError> {
    validate(cohort, cfg)?;
    let mut timings = Timings::default();
    let ctx = context(cohort, cfg, &mut timings)?;
    let t = Instant::now();
    let mut scores = ctx.model(cfg).fill();
    timings.score_ms = ms(t);
    let t = Instant::now();
    ctx.mask.apply(&mut scores, cfg.min_score);
    timings.mask_ms += ms(t);
    Ok(Prepared {
        ctx,
        scores,
        timings,
    })
}

fn ids(t: &Table) -> Vec<String> {
    t.people.iter().map(|p| p.id.clone()).collect()
}

/// Score every pair; pairs excluded by a hard constraint or below `min_score` are NaN.
pub fn score_matrix(cohort: &Cohort, cfg: &MatchConfig) -> Result<ScoreMatrix, MatchError> {
    let p = prepare(cohort, cfg)?;
    Ok(ScoreMatrix {
        scores: p.scores,
        mentee_ids: ids(&cohort.mentees),
        mentor_ids: ids(&cohort.mentors),
    })
}

/// An explanation of any pair, matched or not, with the hard constraint that excludes it if any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairReport {
    /// The score taken apart.
    pub explanation: Explanation,
    /// The hard constraint that forbids the pair, or `below min_score`.
    pub excluded: Option<String>,
}

/// Explain one pair by ids.
pub fn explain_pair(
    cohort: &Cohort,
    cfg: &MatchConfig,
    mentee_id: &str,
    mentor_id: &str,
) -> Result<PairReport, MatchError> {
    cfg.weights.validate().map_err(MatchError::Config)?;
    cfg.scoring.validate().map_err(MatchError::Config)?;
    let pair = [(mentee_id.to_string(), mentor_id.to_string())];
    let (i, j) = constraints::resolve_pairs(cohort, "explain", &pair)?[0];
    let ctx = context(cohort, cfg, &mut Timings::default())?;
    let mask = &ctx.mask;
    let explanation = ctx
        .model(cfg)
        .explain(i, j, mentee_id, mentor_id)
        .ok_or_else(|| MatchError::Config("pair index out of range".into()))?;
    let excluded = match mask.excluded(i, j) {
        Some(e) => Some(e.describe().to_string()),
        None if explanation.score < cfg.min_score => Some(format!(
            "score {} below min_score {}",
            explanation.score, cfg.min_score
        )),
        None => None,
    };
    Ok(PairReport {
        explanation,
        excluded,
    })
}

/// Fix the pins: check each against every hard constraint, reserve capacities and take the
/// pinned pairs out of the matrix. Returns the pinned `(row, col, score)`.
fn apply_pins(
    cohort: &Cohort,
    cfg: &MatchConfig,
    prep: &mut Prepared,
    row_cap: &mut [u32],
    col_cap: &mut [u32],
) -> Result<Vec<(usize, usize, f64)>, MatchError> {
    let pins = constraints::resolve_pairs(cohort, "pin", &cfg.pin)?;
    let mut out = Vec::with_capacity(pins.len());
    for (k, &(i, j)) in pins.iter().enumerate() {
        let fail = |problem: String| MatchError::PinViolates {
            mentee_id: cfg.pin[k].0.clone(),
            mentor_id: cfg.pin[k].1.clone(),
            problem,
        };
        if pins[..k].contains(&(i, j)) {
            return Err(fail("pinned twice (never the same mentor twice)".into()));
        }
        if let Some(e) = prep.ctx.mask.excluded(i, j) {
            return Err(fail(e.describe().to_string()));
        }
        let s = prep.ctx.model(cfg).score(i, j);
        if s < cfg.min_score {
            return Err(fail(format!(
                "score {s} is below min_score {}",
                cfg.min_score
            )));
        }
        if col_cap[j] == 0 {
            return Err(fail("more pins than the mentor's capacity".into()));
        }
        if row_cap[i] == 0 {
            return Err(fail("more pins than the mentee's mentors_wanted".into()));
        }
        col_cap[j] -= 1;
        row_cap[i] -= 1;
        prep.scores[[i, j]] = f64::NAN;
        out.push((i, j, s));
    }
    Ok(out)
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
pub fn match_cohort(cohort: &Cohort, cfg: &MatchConfig) -> Result<MatchResult, MatchError> {
    let start = Instant::now();
    let mut prep = prepare(cohort, cfg)?;
    let (mentees, mentors) = (&cohort.mentees.people, &cohort.mentors.people);
    let mut row_cap: Vec<u32> = mentees.iter().map(|p| p.capacity).collect();
    let mut col_cap: Vec<u32> = mentors.iter().map(|p| p.capacity).collect();
    let pinned = apply_pins(cohort, cfg, &mut prep, &mut row_cap, &mut col_cap)?;

    let t = Instant::now();
    let opts = CapacitatedOptions {
        maximize: true,
        objective: match cfg.objective {
            Objective::Coverage => lsap::Objective::Coverage,
            Objective::Score => lsap::Objective::Score,
        },
    };
    let (solved, fairness) = if mentees.is_empty() || mentors.is_empty() {
        (Vec::new(), None)
    } else if let Some(f) = &cfg.fairness {
        let report = crate::fairness::solve_fair(
            prep.scores.view(),
            &cohort.mentees.protected,
            &row_cap,
            &col_cap,
            opts.objective,
            f,
        )?;
        (report.pairs().to_vec(), Some(report))
    } else {
        let plain = lsap::solve_capacitated(prep.scores.view(), &row_cap, &col_cap, &opts)?;
        (plain.pairs, None)
    };
    prep.timings.solve_ms = ms(t);

    let t = Instant::now();
    let mut all: Vec<(usize, usize, f64, bool)> =
        pinned.iter().map(|&(i, j, s)| (i, j, s, true)).collect();
    all.extend(solved.iter().map(|&(i, j)| {
        (
            i,
            j,
            prep.scores.get((i, j)).copied().unwrap_or(f64::NAN),
            false,
        )
    }));
    all.sort_unstable_by_key(|&(i, j, _, _)| (i, j));
    let model = prep.ctx.model(cfg);
    let pairs: Vec<MatchedPair> = all
        .iter()
        .filter_map(|&(i, j, score, is_pin)| {
            let (a, b) = (mentees.get(i)?, mentors.get(j)?);
            let explanation = model.explain(i, j, &a.id, &b.id)?;
            Some(MatchedPair {
                mentee_id: a.id.clone(),
                mentor_id: b.id.clone(),
                score,
                components: explanation
                    .components
                    .iter()
                    .map(|c| (c.component.clone(), c.value))
                    .collect(),
                pinned: is_pin,
                match_percent: score::match_percent(score),
                explanation,
                mentee_extra: a.extra.clone(),
                mentor_extra: b.extra.clone(),
            })
        })
        .collect();

    // Reasons for mentees short of mentors.
    let mut got = vec![0u32; mentees.len()];
    let mut load = vec![0u32; mentors.len()];
    let mut partner = vec![Vec::new(); mentees.len()];
    for &(i, j, _, _) in &all {
        got[i] += 1;
        load[j] += 1;
        partner[i].push(j);
    }
    let mut unmatched = Vec::new();
    for (i, p) in mentees.iter().enumerate() {
        if got[i] >= p.capacity {
            continue;
        }
        let (reason, detail) = unmatched_reason(cohort, &prep, cfg, i, &partner[i], &load);
        unmatched.push(Unmatched {
            mentee_id: p.id.clone(),
            wanted: p.capacity,
            matched: got[i],
            reason,
            detail,
        });
    }

    let audit_pairs: Vec<(String, String, f64)> = pairs
        .iter()
        .map(|p| (p.mentee_id.clone(), p.mentor_id.clone(), p.score))
        .collect();
    let mut violations = constraints::audit(
        cohort,
        AuditRules {
            exclude_same_department: cfg.exclude_same_department,
            forbid: &cfg.forbid,
            pin: &cfg.pin,
            min_score: cfg.min_score,
        },
        &audit_pairs,
    );
    violations.extend(constraints::audit_wishes(
        cohort,
        constraints::WishRules {
            criteria: &cfg.criteria,
            preferred_only: cfg.preferences == crate::wishes::PreferenceMode::Must,
        },
        &audit_pairs,
    ));
    let total_score: f64 = pairs.iter().fold(0.0, |s, p| s + p.score);
    let mut unmatched_by_reason = BTreeMap::new();
    for u in &unmatched {
        *unmatched_by_reason.entry(u.reason).or_insert(0) += 1;
    }
    let summary = Summary {
        mentees: mentees.len(),
        mentors: mentors.len(),
        pairs: pairs.len(),
        matched_mentees: got.iter().filter(|&&g| g > 0).count(),
        demand: mentees.iter().map(|p| p.capacity as u64).sum(),
        capacity: mentors.iter().map(|p| p.capacity as u64).sum(),
        total_score,
        mean_score: if pairs.is_empty() {
            0.0
        } else {
            total_score / pairs.len() as f64
        },
        min_pair_score: pairs.iter().map(|p| p.score).reduce(f64::min),
        excluded_pairs: prep.scores.iter().filter(|x| x.is_nan()).count() as u64
            - pinned.len() as u64,
        unmatched_by_reason,
        reference_date: prep.ctx.features.reference_date,
    };
    prep.timings.report_ms = ms(t);
    prep.timings.total_ms = ms(start);
    Ok(MatchResult {
        pairs,
        unmatched,
        violations,
        summary,
        timings: prep.timings,
        config: cfg.clone(),
        fairness,
    })
}

fn unmatched_reason(
    cohort: &Cohort,
    prep: &Prepared,
    cfg: &MatchConfig,
    i: usize,
    partners: &[usize],
    load: &[u32],
) -> (UnmatchedReason, String) {
    let mentors = &cohort.mentors.people;
    if mentors.is_empty() {
        return (
            UnmatchedReason::NoMentors,
            "the mentor table is empty".into(),
        );
    }
    let mut excluded: BTreeMap<Exclusion, usize> = BTreeMap::new();
    let (mut below, mut full, mut open) = (0usize, 0usize, 0usize);
    for (j, m) in mentors.iter().enumerate() {
        if partners.contains(&j) {
            continue;
        }
        if let Some(e) = prep.ctx.mask.excluded(i, j) {
            *excluded.entry(e).or_insert(0) += 1;
        } else if prep.scores.get((i, j)).map_or(true, |s| s.is_nan()) {
            // Masked but not excluded by a constraint: below the minimum score.
            below += 1;
        } else if load[j] >= m.capacity {
            full += 1;
        } else {
            open += 1;
        }
    }
    let excl: Vec<String> = excluded
        .iter()
        .map(|(e, n)| format!("{} x{n}", e.describe()))
        .collect();
    let excl = if excl.is_empty() {
        "none excluded".to_string()
    } else {
        format!("excluded: {}", excl.join(", "))
    };
    if open > 0 {
        (
            UnmatchedReason::NotSelected,
            format!("{open} allowed mentors had room, but the score objective gains nothing from these pairs ({excl})"),
        )
    } else if full > 0 {
        (
            UnmatchedReason::CapacityTaken,
            format!("all {full} allowed mentors are at capacity with other pairs the objective preferred ({excl})"),
        )
    } else if below > 0 {
        (
            UnmatchedReason::BelowMinScore,
            format!(
                "{below} mentors pass the constraints but score below min_score {} ({excl})",
                cfg.min_score
            ),
        )
    } else {
        (
            UnmatchedReason::AllExcluded,
            format!("every remaining mentor is excluded by a hard constraint ({excl})"),
        )
    }
}
