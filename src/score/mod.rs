//! Compatibility scoring: one file per component, each in [0, 1]; the score is the weighted sum
//! `Σ weight × value`, in component order, so the contributions add up to it exactly.
//!
//! Scoring reads only [`PersonFeatures`], built from [`crate::cohort::Person`], which has no
//! protected attribute. Missing information gives a component the neutral value
//! ([`ScoreConfig::neutral`], default 0.5) and the explanation says what was missing.

pub mod affinity;
pub mod availability;
pub mod criteria;
pub mod goals;
pub mod language;
mod line;
pub mod preference;
pub mod priority;
pub mod seniority;
pub mod skills;

pub mod beyond;
pub mod embedding;
pub mod network;
pub mod taxonomy;
pub mod text;

use crate::features::{AvailabilityGap, Features, PersonFeatures};
use chrono::NaiveDate;
use ndarray::{Array2, Axis};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::options::ConfigError;

/// Number of built-in scoring components (the fused fast path of [`fill_matrix`]).
pub const N_COMPONENTS: usize = 5;

/// A scoring component: the five built-in ones, the opt-in ones a mentee asks for (affinity,
/// preference), and any other component by name (programme-defined criteria and further
/// [`PairComponent`]s). Serialised as its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Component {
    /// Share of the mentee's goals the mentor helps with, first goals weighing most.
    Goals,
    /// Mentor ahead of the mentee on the skills behind the goals.
    Skills,
    /// How robust the shared weekly schedule is.
    Availability,
    /// A shared language.
    Language,
    /// The mentor in the seniority sweet spot.
    Seniority,
    /// The mentor shares every protected attribute the mentee asked to share
    /// (`shared_background`); computed by [`affinity::SharedBackground`], only for mentees who
    /// asked.
    Affinity,
    /// The mentor is on the mentee's `preferred_mentors` list (higher for a higher rank); only
    /// for mentees with a list.
    Preference,
    /// Any other component, by name (a programme-defined criterion, for example).
    Custom(String),
}

/// Is `name` one of the built-in or opt-in component names?
pub fn builtin_name(name: &str) -> bool {
    Component::ALL
        .iter()
        .chain(&[Component::Affinity, Component::Preference])
        .any(|c| c.name() == name)
        || beyond::NAMES.contains(&name)
}

impl Component {
    /// The built-in components, in scoring (summation) order.
    pub const ALL: [Component; N_COMPONENTS] = [
        Component::Goals,
        Component::Skills,
        Component::Availability,
        Component::Language,
        Component::Seniority,
    ];

    /// Lower-case name, as used for weights and result columns.
    pub fn name(&self) -> &str {
        match self {
            Component::Goals => "goals",
            Component::Skills => "skills",
            Component::Availability => "availability",
            Component::Language => "language",
            Component::Seniority => "seniority",
            Component::Affinity => affinity::AFFINITY,
            Component::Preference => preference::PREFERENCE,
            Component::Custom(name) => name,
        }
    }

    /// The component called `name`.
    pub fn from_name(name: &str) -> Component {
        Component::ALL
            .into_iter()
            .chain([Component::Affinity, Component::Preference])
            .find(|c| c.name() == name)
            .unwrap_or_else(|| Component::Custom(name.to_string()))
    }
}

/// The largest component weight accepted: weights are relative, so this bounds sums of weighted
/// components far from overflow.
pub const MAX_WEIGHT: f64 = 1000.0;

impl Serialize for Component {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Component {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<str>::deserialize(d)?;
        Ok(Component::from_name(&name))
    }
}

/// Weight of each component. The total is always divided by the sum of the weights that apply
/// to the mentee, so scores lie in [0, 1]: goals 0.35, skills 0.20, availability 0.20,
/// language 0.15, seniority 0.10; affinity 0.10 and preference 0.15 for the mentees who ask.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Weight of [`Component::Goals`].
    pub goals: f64,
    /// Weight of [`Component::Skills`].
    pub skills: f64,
    /// Weight of [`Component::Availability`].
    pub availability: f64,
    /// Weight of [`Component::Language`].
    pub language: f64,
    /// Weight of [`Component::Seniority`].
    pub seniority: f64,
    /// Weight of [`Component::Affinity`] (default 0.10), for mentees who ask for a shared
    /// background.
    pub affinity: f64,
    /// Weight of [`Component::Preference`] (default 0.15), for mentees who list preferred
    /// mentors.
    pub preference: f64,
    /// Weight of the free-text goals component `goals_text` (default 0.25), used only when some
    /// person of the cohort has a `goals_text`; see [`beyond`].
    pub goals_text: f64,
    /// Weight of the `embedding` component (default 0.25), used only when embeddings are given.
    pub embedding: f64,
    /// Weight of the `open_doors` component (default 0.10), used only when some mentor has a
    /// `network` and some mentee `target_areas`.
    pub open_doors: f64,
    /// Weight of the `two_way` learning component (default 0: on only when a programme asks).
    pub two_way: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            goals: 0.35,
            skills: 0.20,
            availability: 0.20,
            language: 0.15,
            seniority: 0.10,
            affinity: 0.10,
            preference: 0.15,
            goals_text: beyond::DEFAULT_TEXT_WEIGHT,
            embedding: beyond::DEFAULT_EMBEDDING_WEIGHT,
            open_doors: network::DEFAULT_OPEN_DOORS_WEIGHT,
            two_way: network::DEFAULT_TWO_WAY_WEIGHT,
        }
    }
}

impl Weights {
    /// The weight of a built-in or opt-in component (0 for [`Component::Custom`]).
    pub fn get(&self, c: &Component) -> f64 {
        match c {
            Component::Goals => self.goals,
            Component::Skills => self.skills,
            Component::Availability => self.availability,
            Component::Language => self.language,
            Component::Seniority => self.seniority,
            Component::Affinity => self.affinity,
            Component::Preference => self.preference,
            Component::Custom(name) => self.beyond(name).unwrap_or(0.0),
        }
    }

    /// The weight of a component of [`beyond`] by name (`None` for any other name).
    pub fn beyond(&self, name: &str) -> Option<f64> {
        match name {
            beyond::TEXT => Some(self.goals_text),
            beyond::EMBEDDING => Some(self.embedding),
            beyond::OPEN_DOORS => Some(self.open_doors),
            beyond::TWO_WAY => Some(self.two_way),
            _ => None,
        }
    }

    /// Built-in weights in [`Component::ALL`] order.
    pub fn as_array(&self) -> [f64; N_COMPONENTS] {
        Component::ALL.each_ref().map(|c| self.get(c))
    }

    /// Every weight in `[0, MAX_WEIGHT]`, and at least one built-in weight positive.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let beyond_parts = beyond::NAMES.map(|n| Component::Custom(n.to_string()));
        for c in Component::ALL
            .iter()
            .chain(&[Component::Affinity, Component::Preference])
            .chain(&beyond_parts)
        {
            let w = self.get(c);
            if !(0.0..=MAX_WEIGHT).contains(&w) {
                return Err(ConfigError::new(
                    "weights",
                    format!("{{\"{}\": {w:?}}}", c.name()),
                    format!(
                        "weights.{} (like every weight) a number from 0 to {MAX_WEIGHT}",
                        c.name()
                    ),
                ));
            }
        }
        if self.as_array().iter().all(|w| *w == 0.0) {
            return Err(ConfigError::new(
                "weights",
                "all 0",
                "weights from 0 with at least one component positive",
            ));
        }
        Ok(())
    }
}

/// Parameters of the components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreConfig {
    /// The date whose week fixes the UTC offsets (daylight saving); `None` = today (UTC).
    pub reference_date: Option<NaiveDate>,
    /// Length of one meeting, minutes (default 60).
    pub meeting_minutes: u32,
    /// One meeting every this many weeks (default 2); shown in the availability evidence.
    pub cadence_weeks: u32,
    /// Common blocks shorter than this (or than the meeting) do not count (default 30).
    pub min_block_minutes: u32,
    /// Start of the seniority sweet spot: levels ahead that start to earn full credit (default 1).
    pub seniority_gap: u32,
    /// End of the seniority sweet spot: more levels ahead than this earn less (default 2).
    pub seniority_sweet_spot_max: u32,
    /// Reverse mentoring: the mentor is expected to be *junior* to the mentee, by the same
    /// sweet spot (default false).
    pub reverse_mentoring: bool,
    /// The step a mentee aims for on a skill without a target level, in levels (default 2).
    pub full_credit_skill_lead: u8,
    /// Distinct meeting start times (on a 30-minute grid) for full slot credit (default 8).
    pub slots_for_full_credit: u32,
    /// Distinct UTC days with a fitting slot for full spread credit (default 3).
    pub days_for_full_credit: u32,
    /// Priority of the goals by position: the goal listed at position `r` (0 = first) counts
    /// `1 / (1 + goal_rank_decay × r)` times its weight (default 0.5; 0 = order does not matter).
    pub goal_rank_decay: f64,
    /// Value of a component whose information is missing on either side (default 0.5).
    pub neutral: f64,
}

impl Default for ScoreConfig {
    fn default() -> Self {
        ScoreConfig {
            reference_date: None,
            meeting_minutes: 60,
            cadence_weeks: 2,
            min_block_minutes: 30,
            seniority_gap: 1,
            seniority_sweet_spot_max: 2,
            reverse_mentoring: false,
            full_credit_skill_lead: 2,
            slots_for_full_credit: 8,
            days_for_full_credit: 3,
            goal_rank_decay: 0.5,
            neutral: 0.5,
        }
    }
}

impl ScoreConfig {
    /// Check ranges; the error names the option, its value and the allowed range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |option: &str, value: &dyn std::fmt::Display, allowed: &str| {
            Err(ConfigError::new(option, value, allowed))
        };
        if self.meeting_minutes == 0 || self.meeting_minutes > 24 * 60 {
            return bad(
                "meeting_minutes",
                &self.meeting_minutes,
                "a length from 1 to 1440 minutes, e.g. 60",
            );
        }
        if self.cadence_weeks == 0 {
            return bad("cadence_weeks", &0, "1 (weekly) or more, e.g. 2");
        }
        if self.seniority_gap == 0 {
            return bad("seniority_gap", &0, "1 or more levels, e.g. 1");
        }
        if self.seniority_sweet_spot_max < self.seniority_gap {
            return bad(
                "seniority_sweet_spot_max",
                &self.seniority_sweet_spot_max,
                &format!(
                    "at least seniority_gap ({}): the sweet spot ends at or after it starts, e.g. 1 and 2",
                    self.seniority_gap
                ),
            );
        }
        if self.full_credit_skill_lead == 0 || self.full_credit_skill_lead > 4 {
            return bad(
                "full_credit_skill_lead",
                &self.full_credit_skill_lead,
                "1 to 4 levels, e.g. 2",
            );
        }
        if let Some(d) = self.reference_date {
            use chrono::Datelike;
            if !(1970..=9999).contains(&d.year()) {
                return bad(
                    "reference_date",
                    &d,
                    "a date as YYYY-MM-DD with a four-digit year from 1970, e.g. 2026-03-02 (a two-digit year such as 26-03-02 reads as year 0026)",
                );
            }
        }
        if self.slots_for_full_credit == 0 {
            return bad("slots_for_full_credit", &0, "1 or more, e.g. 8");
        }
        if self.days_for_full_credit == 0 || self.days_for_full_credit > 7 {
            return bad(
                "days_for_full_credit",
                &self.days_for_full_credit,
                "1 to 7, e.g. 3",
            );
        }
        if !(self.goal_rank_decay.is_finite() && self.goal_rank_decay >= 0.0) {
            return bad(
                "goal_rank_decay",
                &self.goal_rank_decay,
                "a finite number of 0 or more, e.g. 0.5",
            );
        }
        if !(0.0..=1.0).contains(&self.neutral) {
            return bad("neutral", &self.neutral, "a value in [0, 1], e.g. 0.5");
        }
        Ok(())
    }

    /// The reference date, today (UTC) when not set.
    pub fn date(&self) -> NaiveDate {
        self.reference_date
            .unwrap_or_else(crate::features::today_utc)
    }
}

/// Apply what the configuration and the mentees' wishes add to the features: goal weights by
/// priority (first goal listed counts most) and per-skill target levels (`target_skills`; a
/// skill named there and not among the goals becomes a skill target of weight 1).
pub fn prepare_features(
    features: &mut Features,
    cfg: &ScoreConfig,
    target_skills: &[Vec<(String, u8)>],
) {
    let decay = cfg.goal_rank_decay;
    for (i, f) in features.mentees.iter_mut().enumerate() {
        let targets: Vec<(u32, u8)> = target_skills
            .get(i)
            .map(|t| {
                t.iter()
                    .map(|(n, l)| (features.tags.intern(n), *l))
                    .collect()
            })
            .unwrap_or_default();
        skills::set_aims(f, &targets, decay);
        skills::prepare_credit(f, cfg);
    }
    for f in features.mentors.iter_mut() {
        skills::set_aims(f, &[], decay);
        skills::prepare_credit(f, cfg);
    }
}

/// Raw built-in component values; `None` = information missing on either side.
pub fn raw_components(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
) -> [Option<f64>; N_COMPONENTS] {
    [
        goals::value(mentee, mentor),
        skills::value(mentee, mentor, cfg),
        availability::value(mentee, mentor, cfg),
        language::value(mentee, mentor),
        seniority::value(mentee, mentor, cfg),
    ]
}

/// Built-in component values with missing ones replaced by the neutral value.
pub fn components(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
) -> [f64; N_COMPONENTS] {
    raw_components(mentee, mentor, cfg).map(|v| v.unwrap_or(cfg.neutral))
}

/// `Σ weight × value` over the built-in components, in component order (not normalised).
pub fn total(values: &[f64; N_COMPONENTS], weights: &[f64; N_COMPONENTS]) -> f64 {
    let mut s = 0.0;
    for k in 0..N_COMPONENTS {
        s += values[k] * weights[k];
    }
    s
}

/// The normalised score of one pair on the built-in components only:
/// `Σ weight × value / Σ weight`.
pub fn pair_score(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    weights: &Weights,
    cfg: &ScoreConfig,
) -> f64 {
    let w = weights.as_array();
    total(&components(mentee, mentor, cfg), &w) / w.iter().sum::<f64>()
}

/// Bytes of one dense `rows × cols` f64 matrix.
pub fn dense_bytes(rows: usize, cols: usize) -> u128 {
    rows as u128 * cols as u128 * 8
}

/// One more scoring component: anything that gives a (mentee row, mentor column) pair a value
/// in [0, 1] with evidence. Programme criteria, the preference bonus and affinity are
/// implemented this way; so is any component added later. See docs/matching.md.
pub trait PairComponent: Send + Sync {
    /// Its name in weights, results and explanations.
    fn component(&self) -> Component;
    /// Whether the component applies to this mentee at all (opt-in components such as the
    /// preference bonus apply only to mentees who asked). A component that does not apply
    /// neither adds to the score nor to its normaliser.
    fn applies(&self, _mentee: usize) -> bool {
        true
    }
    /// The value in [0, 1]; `None` = information missing (the neutral value is used).
    fn value(&self, mentee: usize, mentor: usize) -> Option<f64>;
    /// What the value is based on.
    fn evidence(&self, mentee: usize, mentor: usize) -> Evidence;
    /// An upper bound on the value of a pair, `neutral` standing for a missing value: the
    /// certificate of the sparse solve rules pairs out with it instead of scoring them. It must
    /// be at least `value(mentee, mentor).unwrap_or(neutral)`, and cheaper than the value (or the
    /// value itself, when that is cheap). The default is the top of the range.
    fn upper_bound(&self, _mentee: usize, _mentor: usize, neutral: f64) -> f64 {
        1.0f64.max(neutral)
    }
    /// What was missing when [`PairComponent::value`] is `None`.
    fn missing(&self, _mentee: usize, _mentor: usize) -> String {
        "a value is missing".into()
    }
    /// Mentee rows per [`PairComponent::add_block`] call this component works best with (a
    /// matrix product amortises its set-up over many rows). The scoring uses the largest wish of
    /// its components, at least 32; values do not depend on it.
    fn block_rows(&self) -> usize {
        32
    }
    /// Add `weight × value` (`neutral` where the value is missing) to every cell of `block`,
    /// whose rows are the mentees from `first_row` on and whose columns are all the mentors;
    /// rows of mentees the component does not apply to are left alone. The default calls
    /// [`PairComponent::value`] per cell; a component with a faster whole-block form (a matrix
    /// product, an inverted index) overrides it with the same values.
    fn add_block(
        &self,
        first_row: usize,
        mut block: ndarray::ArrayViewMut2<'_, f64>,
        weight: f64,
        neutral: f64,
    ) {
        for (r, mut row) in block.axis_iter_mut(Axis(0)).enumerate() {
            let i = first_row + r;
            if !self.applies(i) {
                continue;
            }
            for (j, cell) in row.iter_mut().enumerate() {
                *cell += weight * self.value(i, j).unwrap_or(neutral);
            }
        }
    }
}

/// A [`PairComponent`] with its weight.
pub struct Weighted {
    /// The component.
    pub part: Box<dyn PairComponent>,
    /// Its weight (finite, non-negative).
    pub weight: f64,
}

impl std::fmt::Debug for Weighted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Weighted")
            .field("component", &self.part.component())
            .field("weight", &self.weight)
            .finish()
    }
}

/// Everything that scores a pair: the built-in components (fused for speed) plus any number of
/// further weighted components. The score of a pair is
/// `Σ weight × value / Σ weight over the components that apply to the mentee`, in [0, 1].
pub struct ScoreModel<'a> {
    /// Per-person features.
    pub features: &'a Features,
    /// Built-in weights.
    pub weights: Weights,
    /// Component parameters.
    pub cfg: &'a ScoreConfig,
    /// Further components, in summation order after the built-in ones.
    pub extras: &'a [Weighted],
}

impl<'a> ScoreModel<'a> {
    /// A model of the built-in components plus `extras`.
    pub fn new(
        features: &'a Features,
        weights: &Weights,
        cfg: &'a ScoreConfig,
        extras: &'a [Weighted],
    ) -> Self {
        ScoreModel {
            features,
            weights: *weights,
            cfg,
            extras,
        }
    }

    /// The sum of the weights that apply to mentee `i` (the normaliser of its row).
    pub fn row_weight(&self, i: usize) -> f64 {
        let mut w: f64 = self.weights.as_array().iter().sum();
        for e in self.extras {
            if e.part.applies(i) {
                w += e.weight;
            }
        }
        w
    }

    fn extra_sum(&self, i: usize, j: usize) -> f64 {
        let mut s = 0.0;
        for e in self.extras {
            if e.part.applies(i) {
                s += e.weight * e.part.value(i, j).unwrap_or(self.cfg.neutral);
            }
        }
        s
    }

    /// The score of mentee row `i` with mentor column `j` (0 when out of range).
    pub fn score(&self, i: usize, j: usize) -> f64 {
        let (Some(a), Some(b)) = (self.features.mentees.get(i), self.features.mentors.get(j))
        else {
            return 0.0;
        };
        let raw = total(&components(a, b, self.cfg), &self.weights.as_array());
        (raw + self.extra_sum(i, j)) / self.row_weight(i)
    }

    /// Scores of every mentee (row) × mentor (column) pair, filled in parallel over blocks of
    /// rows. Within a block, mentors are visited in tiles so their features stay in cache while
    /// every row of the block uses them. The caller checks the memory budget first.
    pub fn fill(&self) -> Array2<f64> {
        const COLS: usize = 256;
        let rows_per_block = self
            .extras
            .iter()
            .map(|e| e.part.block_rows())
            .fold(32, usize::max);
        let w = self.weights.as_array();
        let (mentees, mentors) = (&self.features.mentees, &self.features.mentors);
        let mut m = Array2::<f64>::zeros((mentees.len(), mentors.len()));
        m.axis_chunks_iter_mut(Axis(0), rows_per_block)
            .into_par_iter()
            .zip(mentees.par_chunks(rows_per_block))
            .enumerate()
            .for_each(|(blk, (mut block, rows))| {
                for (c0, tile) in mentors.chunks(COLS).enumerate() {
                    for (r, a) in rows.iter().enumerate() {
                        for (k, b) in tile.iter().enumerate() {
                            if let Some(cell) = block.get_mut((r, c0 * COLS + k)) {
                                *cell = total(&components(a, b, self.cfg), &w);
                            }
                        }
                    }
                }
                for e in self.extras {
                    e.part.add_block(
                        blk * rows_per_block,
                        block.view_mut(),
                        e.weight,
                        self.cfg.neutral,
                    );
                }
                for (r, mut row) in block.axis_iter_mut(Axis(0)).enumerate() {
                    let i = blk * rows_per_block + r;
                    let inv = 1.0 / self.row_weight(i);
                    row.mapv_inplace(|x| x * inv);
                }
            });
        m
    }

    /// Explain the score of mentee row `i` with mentor column `j` (`None` when out of range).
    pub fn explain(
        &self,
        i: usize,
        j: usize,
        mentee_id: &str,
        mentor_id: &str,
    ) -> Option<Explanation> {
        let mut e = explain(
            self.features,
            i,
            j,
            mentee_id,
            mentor_id,
            &self.weights,
            self.cfg,
        )?;
        let norm = self.row_weight(i);
        for x in self.extras {
            if !x.part.applies(i) {
                continue;
            }
            let raw = x.part.value(i, j);
            let value = raw.unwrap_or(self.cfg.neutral);
            e.components.push(ComponentScore {
                component: x.part.component(),
                value,
                weight: x.weight,
                contribution: value * x.weight,
                missing: raw.is_none().then(|| {
                    format!(
                        "{}; neutral value {} used",
                        x.part.missing(i, j),
                        self.cfg.neutral
                    )
                }),
                evidence: x.part.evidence(i, j),
            });
        }
        let mut sum = 0.0;
        for c in &mut e.components {
            c.contribution = c.value * c.weight / norm;
            sum += c.contribution;
        }
        e.score = sum;
        e.total_weight = norm;
        e.match_percent = match_percent(sum);
        Some(e)
    }
}

/// The score as a whole percentage, as users of matching tools expect ("87 % match").
pub fn match_percent(score: f64) -> u32 {
    if score.is_finite() {
        (score.clamp(0.0, 1.0) * 100.0).round() as u32
    } else {
        0
    }
}

/// Built-in component scores of every pair, normalised by the built-in weights; see
/// [`ScoreModel::fill`] for the general case.
pub fn fill_matrix(features: &Features, weights: &Weights, cfg: &ScoreConfig) -> Array2<f64> {
    ScoreModel::new(features, weights, cfg, &[]).fill()
}

/// The evidence behind one component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Evidence {
    /// See [`goals::GoalsEvidence`].
    Goals(goals::GoalsEvidence),
    /// See [`skills::SkillsEvidence`].
    Skills(skills::SkillsEvidence),
    /// See [`availability::AvailabilityEvidence`].
    Availability(availability::AvailabilityEvidence),
    /// Shared languages.
    Language {
        /// Languages both speak.
        shared: Vec<String>,
    },
    /// See [`seniority::SeniorityEvidence`].
    Seniority(seniority::SeniorityEvidence),
    /// What the mentee asked to share and what the mentor shares.
    Affinity(affinity::AffinityEvidence),
    /// See [`preference::PreferenceEvidence`].
    Preference(preference::PreferenceEvidence),
    /// See [`criteria::CriterionEvidence`].
    Criterion(criteria::CriterionEvidence),
    /// Free-text goals: the shared terms.
    #[serde(rename = "goals_text")]
    Text(text::TextEvidence),
    /// See [`beyond::EmbeddingEvidence`].
    Embedding(beyond::EmbeddingEvidence),
    /// Open doors: whom the mentor can introduce the mentee to.
    #[serde(rename = "open_doors")]
    OpenDoors(network::OpenDoorsEvidence),
    /// Two-way learning: what the mentor can learn from the mentee.
    #[serde(rename = "two_way")]
    TwoWay(network::TwoWayEvidence),
    /// Free-form evidence of a further component.
    Other {
        /// Whatever the component reports.
        detail: serde_json::Value,
    },
}

/// One component of an explained score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComponentScore {
    /// Which component.
    pub component: Component,
    /// Value in [0, 1] (the neutral value when information was missing).
    pub value: f64,
    /// Its weight.
    pub weight: f64,
    /// `value × weight / total weight`; the contributions add up to the score.
    pub contribution: f64,
    /// What was missing when the neutral value was used.
    pub missing: Option<String>,
    /// What the value is based on.
    pub evidence: Evidence,
}

/// A score taken apart: components, weights, contributions and evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Mentee id.
    pub mentee_id: String,
    /// Mentor id.
    pub mentor_id: String,
    /// The total score in [0, 1] (equal to the matrix entry and to the sum of contributions).
    pub score: f64,
    /// The score as a whole percentage ("87 % match").
    pub match_percent: u32,
    /// The sum of the weights that apply to this mentee; each contribution is
    /// `value × weight / total_weight`.
    pub total_weight: f64,
    /// One entry per component, in summation order.
    pub components: Vec<ComponentScore>,
}

fn missing_note(c: &Component, a: &PersonFeatures, b: &PersonFeatures) -> String {
    let side = |x: bool, y: bool| match (x, y) {
        (true, true) => "mentee and mentor",
        (true, false) => "mentee",
        _ => "mentor",
    };
    match c {
        Component::Goals => format!(
            "{} listed no goals",
            side(a.goals.is_empty(), b.goals.is_empty())
        ),
        Component::Skills => {
            let ma = a.goals.is_empty() && a.skills.is_empty();
            let mb = b.skills.is_empty();
            if ma && !mb {
                "mentee listed neither goals nor skills".to_string()
            } else {
                format!("{} listed no skills", side(ma, mb))
            }
        }
        Component::Availability => {
            let why = |x: &Result<Vec<(u16, u16)>, AvailabilityGap>| match x {
                Err(AvailabilityGap::NoSlots) => Some("no availability slots"),
                Err(AvailabilityGap::NoTimezone) => Some("no time zone"),
                Ok(_) => None,
            };
            let parts: Vec<String> = [
                ("mentee", why(&a.availability)),
                ("mentor", why(&b.availability)),
            ]
            .into_iter()
            .filter_map(|(who, w)| w.map(|w| format!("{who} has {w}")))
            .collect();
            parts.join("; ")
        }
        Component::Language => format!(
            "{} listed no languages",
            side(a.languages.is_empty(), b.languages.is_empty())
        ),
        Component::Seniority => format!(
            "{} has no level",
            side(a.level.is_none(), b.level.is_none())
        ),
        _ => "no information".to_string(),
    }
}

/// Explain the built-in components of mentee row `i` with mentor column `j`, normalised by the
/// built-in weights (`None` when out of range); see [`ScoreModel::explain`] for the general case.
pub fn explain(
    features: &Features,
    i: usize,
    j: usize,
    mentee_id: &str,
    mentor_id: &str,
    weights: &Weights,
    cfg: &ScoreConfig,
) -> Option<Explanation> {
    let (a, b) = (features.mentees.get(i)?, features.mentors.get(j)?);
    let raw = raw_components(a, b, cfg);
    let values = raw.map(|v| v.unwrap_or(cfg.neutral));
    let w = weights.as_array();
    let norm: f64 = w.iter().sum();
    let components = Component::ALL
        .iter()
        .enumerate()
        .map(|(k, c)| ComponentScore {
            component: c.clone(),
            value: values[k],
            weight: w[k],
            contribution: values[k] * w[k] / norm,
            missing: raw[k].is_none().then(|| {
                format!(
                    "{}; neutral value {} used",
                    missing_note(c, a, b),
                    cfg.neutral
                )
            }),
            evidence: match c {
                Component::Goals => Evidence::Goals(goals::evidence(a, b, features)),
                Component::Skills => Evidence::Skills(skills::evidence(a, b, cfg, features)),
                Component::Availability => {
                    Evidence::Availability(availability::evidence(a, b, cfg))
                }
                Component::Language => Evidence::Language {
                    shared: language::evidence(a, b, features),
                },
                Component::Seniority => Evidence::Seniority(seniority::evidence(a, b, cfg)),
                _ => Evidence::Other {
                    detail: serde_json::Value::Null,
                },
            },
        })
        .collect();
    let score = total(&values, &w) / norm;
    Some(Explanation {
        mentee_id: mentee_id.to_string(),
        mentor_id: mentor_id.to_string(),
        score,
        match_percent: match_percent(score),
        total_weight: norm,
        components,
    })
}
