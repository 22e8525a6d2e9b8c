//! Compatibility scoring: one file per component, each in [0, 1]; the score is the weighted sum
//! `Σ weight × value`, in component order, so the contributions add up to it exactly.
//!
//! Scoring reads only [`PersonFeatures`], built from [`crate::cohort::Person`], which has no
//! protected attribute. Missing information gives a component the neutral value
//! ([`ScoreConfig::neutral`], default 0.5) and the explanation says what was missing.

pub mod affinity;
pub mod availability;
pub mod goals;
pub mod language;
pub mod seniority;
pub mod skills;

pub mod embedding;
pub mod network;
pub mod taxonomy;
pub mod text;

use crate::features::{AvailabilityGap, Features, PersonFeatures};
use chrono::NaiveDate;
use ndarray::{Array2, Axis};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Number of scoring components.
pub const N_COMPONENTS: usize = 5;

/// A scoring component. A mentee-requested affinity component (issue 4) will be added here
/// with its own weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Component {
    /// Share of the mentee's goals the mentor helps with.
    Goals,
    /// Mentor ahead of the mentee on the skills behind the goals.
    Skills,
    /// Weekly UTC overlap against the meeting need.
    Availability,
    /// A shared language.
    Language,
    /// Mentor enough levels above.
    Seniority,
    // -- affinity (issue 4) --
    /// The mentor shares every protected attribute the mentee asked to share
    /// (`shared_background`); computed by [`affinity::SharedBackground`], added after the
    /// components of [`Component::ALL`] and only when some mentee asked.
    Affinity,
}

impl Component {
    /// All components, in scoring (summation) order.
    pub const ALL: [Component; N_COMPONENTS] = [
        Component::Goals,
        Component::Skills,
        Component::Availability,
        Component::Language,
        Component::Seniority,
    ];

    /// Lower-case name, as used for weights and result columns.
    pub fn name(self) -> &'static str {
        match self {
            Component::Goals => "goals",
            Component::Skills => "skills",
            Component::Availability => "availability",
            Component::Language => "language",
            Component::Seniority => "seniority",
            Component::Affinity => affinity::AFFINITY,
        }
    }
}

/// The largest component weight accepted: weights are relative, so this bounds sums of weighted
/// components far from overflow.
pub const MAX_WEIGHT: f64 = 1000.0;

/// Weight of each component. Defaults sum to 1, so scores lie in [0, 1]:
/// goals 0.35, skills 0.20, availability 0.20, language 0.15, seniority 0.10.
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
    /// Weight of [`Component::Affinity`] (default 0.10), added on top for mentees who ask for a
    /// shared background, so their scores lie in [0, 1 + affinity].
    pub affinity: f64,
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
        }
    }
}

impl Weights {
    /// The weight of one component.
    pub fn get(&self, c: Component) -> f64 {
        match c {
            Component::Goals => self.goals,
            Component::Skills => self.skills,
            Component::Availability => self.availability,
            Component::Language => self.language,
            Component::Seniority => self.seniority,
            Component::Affinity => self.affinity,
        }
    }

    /// Weights in [`Component::ALL`] order.
    pub fn as_array(&self) -> [f64; N_COMPONENTS] {
        Component::ALL.map(|c| self.get(c))
    }

    /// Every weight in `[0, MAX_WEIGHT]`, and at least one positive.
    pub fn validate(&self) -> Result<(), String> {
        for c in Component::ALL.into_iter().chain([Component::Affinity]) {
            let w = self.get(c);
            if !(0.0..=MAX_WEIGHT).contains(&w) {
                return Err(format!(
                    "weight of `{}` is {w:?}; weights.{} must be a number from 0 to {MAX_WEIGHT}",
                    c.name(),
                    c.name()
                ));
            }
        }
        if self.as_array().iter().all(|w| *w == 0.0) {
            return Err("all weights are 0; give at least one component a positive weight".into());
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
    /// One meeting every this many weeks (default 2).
    pub cadence_weeks: u32,
    /// Common blocks shorter than this (or than the meeting) do not count (default 30).
    pub min_block_minutes: u32,
    /// Levels the mentor should be above the mentee for full seniority credit (default 1).
    pub seniority_gap: u32,
    /// Skill levels the mentor should be ahead for full skill credit (default 2).
    pub full_credit_skill_lead: u8,
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
            full_credit_skill_lead: 2,
            neutral: 0.5,
        }
    }
}

impl ScoreConfig {
    /// Check ranges; the message names the field and a valid value.
    pub fn validate(&self) -> Result<(), String> {
        if self.meeting_minutes == 0 || self.meeting_minutes > 24 * 60 {
            return Err(format!(
                "meeting_minutes is {}; use a length from 1 to 1440, e.g. 60",
                self.meeting_minutes
            ));
        }
        if self.cadence_weeks == 0 {
            return Err("cadence_weeks is 0; use 1 (weekly) or more, e.g. 2".into());
        }
        if self.seniority_gap == 0 {
            return Err("seniority_gap is 0; use 1 or more".into());
        }
        if self.full_credit_skill_lead == 0 || self.full_credit_skill_lead > 4 {
            return Err("full_credit_skill_lead must be from 1 to 4, e.g. 2".into());
        }
        if let Some(d) = self.reference_date {
            use chrono::Datelike;
            if !(1970..=9999).contains(&d.year()) {
                return Err(format!(
                    "reference_date is {d}; write the date as YYYY-MM-DD with a four-digit year from 1970, e.g. 2026-03-02 (a two-digit year such as 26-03-02 reads as year 0026)"
                ));
            }
        }
        if !(0.0..=1.0).contains(&self.neutral) {
            return Err(format!(
                "neutral is {}; use a value in [0, 1], e.g. 0.5",
                self.neutral
            ));
        }
        Ok(())
    }

    /// The reference date, today (UTC) when not set.
    pub fn date(&self) -> NaiveDate {
        self.reference_date
            .unwrap_or_else(crate::features::today_utc)
    }
}

/// Raw component values; `None` = information missing on either side.
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

/// Component values with missing ones replaced by the neutral value.
pub fn components(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
) -> [f64; N_COMPONENTS] {
    raw_components(mentee, mentor, cfg).map(|v| v.unwrap_or(cfg.neutral))
}

/// `Σ weight × value` in component order (the one definition of the total).
pub fn total(values: &[f64; N_COMPONENTS], weights: &[f64; N_COMPONENTS]) -> f64 {
    let mut s = 0.0;
    for k in 0..N_COMPONENTS {
        s += values[k] * weights[k];
    }
    s
}

/// The score of one pair.
pub fn pair_score(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    weights: &Weights,
    cfg: &ScoreConfig,
) -> f64 {
    total(&components(mentee, mentor, cfg), &weights.as_array())
}

/// Bytes of one dense `rows × cols` f64 matrix.
pub fn dense_bytes(rows: usize, cols: usize) -> u128 {
    rows as u128 * cols as u128 * 8
}

/// Scores of every mentee (row) × mentor (column) pair, filled in parallel over blocks of rows.
/// Within a block, mentors are visited in tiles so their features stay in cache while every row
/// of the block uses them. The caller checks the memory budget first.
pub fn fill_matrix(features: &Features, weights: &Weights, cfg: &ScoreConfig) -> Array2<f64> {
    const ROWS: usize = 32;
    const COLS: usize = 256;
    let w = weights.as_array();
    let (mentees, mentors) = (&features.mentees, &features.mentors);
    let mut m = Array2::<f64>::zeros((mentees.len(), mentors.len()));
    m.axis_chunks_iter_mut(Axis(0), ROWS)
        .into_par_iter()
        .zip(mentees.par_chunks(ROWS))
        .for_each(|(mut block, rows)| {
            for (c0, tile) in mentors.chunks(COLS).enumerate() {
                for (r, a) in rows.iter().enumerate() {
                    for (k, b) in tile.iter().enumerate() {
                        if let Some(cell) = block.get_mut((r, c0 * COLS + k)) {
                            *cell = total(&components(a, b, cfg), &w);
                        }
                    }
                }
            }
        });
    m
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
    /// `value × weight`; the contributions add up to the score.
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
    /// The total score (equal to the matrix entry and to the sum of contributions).
    pub score: f64,
    /// One entry per component, in summation order.
    pub components: Vec<ComponentScore>,
}

fn missing_note(c: Component, a: &PersonFeatures, b: &PersonFeatures) -> String {
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
        Component::Affinity => "mentee asked for no shared background".to_string(),
    }
}

/// Explain the score of mentee row `i` with mentor column `j` (`None` when out of range).
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
    let components = Component::ALL
        .iter()
        .enumerate()
        .map(|(k, &c)| ComponentScore {
            component: c,
            value: values[k],
            weight: w[k],
            contribution: values[k] * w[k],
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
                Component::Affinity => Evidence::Affinity(Default::default()),
            },
        })
        .collect();
    Some(Explanation {
        mentee_id: mentee_id.to_string(),
        mentor_id: mentor_id.to_string(),
        score: total(&values, &w),
        components,
    })
}
