//! The fairness audit: per protected group, who was matched and how well (mentees), and who
//! carries the mentoring load (mentors), with the disparate-impact ratio and the score gap.

use super::FairnessError;
use crate::cohort::Protected;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Groups with fewer members than this are marked `too_small` (kept in the report, left out of
/// the ratios) unless [`AuditOptions::min_group_size`] says otherwise.
pub const DEFAULT_MIN_GROUP_SIZE: usize = 5;

/// The label shown for a missing protected value.
pub const MISSING_LABEL: &str = "(missing)";

/// Options of the audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditOptions {
    /// Groups with fewer members are marked `too_small` and excluded from `disparate_impact`,
    /// `four_fifths_ok` and `max_score_gap`. Default [`DEFAULT_MIN_GROUP_SIZE`].
    pub min_group_size: usize,
}

impl Default for AuditOptions {
    fn default() -> Self {
        AuditOptions {
            min_group_size: DEFAULT_MIN_GROUP_SIZE,
        }
    }
}

/// The combined protected key of every row of one table, for the columns audited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupLabels {
    /// The protected columns combined into the key, in the order given.
    pub columns: Vec<String>,
    /// `keys[row]` holds one value per column (`None` when missing).
    pub keys: Vec<Vec<Option<String>>>,
}

impl GroupLabels {
    /// Take the key columns `by` of a table's protected attributes.
    ///
    /// `table` (`mentees` / `mentors`) names the table in errors. Rows shorter than the column list
    /// count as missing values.
    pub fn from_protected(
        protected: &Protected,
        by: &[String],
        table: &str,
    ) -> Result<Self, FairnessError> {
        if by.is_empty() {
            return Err(FairnessError::NoColumns);
        }
        let mut idx = Vec::with_capacity(by.len());
        for col in by {
            match protected.columns.iter().position(|c| c == col) {
                Some(i) => idx.push(i),
                None => {
                    return Err(FairnessError::UnknownColumn {
                        table: table.to_string(),
                        column: col.clone(),
                        available: protected.columns.join(", "),
                    })
                }
            }
        }
        let keys = protected
            .values
            .iter()
            .map(|row| idx.iter().map(|&i| row.get(i).cloned().flatten()).collect())
            .collect();
        Ok(GroupLabels {
            columns: by.to_vec(),
            keys,
        })
    }

    /// `true` when every column of `by` is a protected column of the table.
    pub fn available(protected: &Protected, by: &[String]) -> bool {
        !by.is_empty() && by.iter().all(|b| protected.columns.contains(b))
    }

    /// Number of rows labelled.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// `true` when no row is labelled.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Distinct keys in sorted order (missing values first) and each row's index into them.
    pub fn group_ids(&self) -> (Vec<Vec<Option<String>>>, Vec<usize>) {
        let mut distinct: BTreeMap<&Vec<Option<String>>, usize> = BTreeMap::new();
        for k in &self.keys {
            distinct.insert(k, 0);
        }
        let keys: Vec<Vec<Option<String>>> = distinct.keys().map(|k| (*k).clone()).collect();
        for (i, v) in distinct.values_mut().enumerate() {
            *v = i;
        }
        let ids = self.keys.iter().map(|k| distinct[k]).collect();
        (keys, ids)
    }
}

/// The display name of a group key: values joined by ` / `, missing values as `(missing)`.
pub fn group_name(key: &[Option<String>]) -> String {
    key.iter()
        .map(|v| v.as_deref().unwrap_or(MISSING_LABEL))
        .collect::<Vec<_>>()
        .join(" / ")
}

/// One matched pair as the audit sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedPair {
    /// Mentee row.
    pub mentee: usize,
    /// Mentor row.
    pub mentor: usize,
    /// The pair's total score.
    pub score: f64,
    /// Weighted component values, aligned with the report's `components`.
    pub components: Vec<f64>,
}

/// Audit figures of one mentee group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenteeGroupStats {
    /// Display name of the group (see [`group_name`]).
    pub group: String,
    /// The key values, one per audited column.
    pub key: Vec<Option<String>>,
    /// Mentees in the group.
    pub mentees: usize,
    /// Mentees of the group with at least one mentor.
    pub matched: usize,
    /// `matched / mentees`.
    pub match_rate: f64,
    /// Number of matched pairs of the group's mentees (more than `matched` when mentees want
    /// several mentors).
    pub pairs: usize,
    /// Mean score over the group's pairs; `None` without pairs.
    pub mean_score: Option<f64>,
    /// Median score over the group's pairs (mean of the two middle values for an even count).
    pub median_score: Option<f64>,
    /// Lowest score of the group's pairs.
    pub min_score: Option<f64>,
    /// Mean of each component over the group's pairs, aligned with the report's `components`.
    pub component_means: Vec<Option<f64>>,
    /// Fewer mentees than the minimum group size: shown, but left out of the ratios.
    pub too_small: bool,
}

/// The mentee side of the audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MenteeAudit {
    /// One row per group, sorted by key (missing values first).
    pub groups: Vec<MenteeGroupStats>,
    /// Lowest match rate over highest among the groups that are not too small. `1.0` when the
    /// highest rate is 0 (nobody in those groups matched: no group is favoured); `None` with fewer
    /// than two such groups.
    pub disparate_impact: Option<f64>,
    /// `disparate_impact >= 0.8` (the four-fifths rule); `None` when the ratio is.
    pub four_fifths_ok: Option<bool>,
    /// Largest difference in mean score between two groups that are not too small and have
    /// pairs; `None` with fewer than two such groups.
    pub max_score_gap: Option<f64>,
}

/// Audit figures of one mentor group: their share of the mentoring load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentorGroupStats {
    /// Display name of the group.
    pub group: String,
    /// The key values, one per audited column.
    pub key: Vec<Option<String>>,
    /// Mentors in the group.
    pub mentors: usize,
    /// Mentors of the group with at least one mentee.
    pub active: usize,
    /// Sum of the group's capacities.
    pub capacity: u64,
    /// Mentees assigned to the group's mentors (pairs).
    pub load: usize,
    /// `load / capacity` (0 when capacity is 0): the rate compared across groups.
    pub utilisation: f64,
    /// The group's share of all pairs.
    pub load_share: f64,
    /// The group's share of all mentors.
    pub mentor_share: f64,
    /// Mean score of the group's pairs.
    pub mean_score: Option<f64>,
    /// Median score of the group's pairs.
    pub median_score: Option<f64>,
    /// Lowest score of the group's pairs.
    pub min_score: Option<f64>,
    /// Fewer mentors than the minimum group size.
    pub too_small: bool,
}

/// The mentor side of the audit (present when mentors carry the audited attributes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentorAudit {
    /// One row per group, sorted by key.
    pub groups: Vec<MentorGroupStats>,
    /// Lowest utilisation over highest among groups that are not too small (same conventions
    /// as [`MenteeAudit::disparate_impact`]).
    pub disparate_impact: Option<f64>,
    /// `disparate_impact >= 0.8`.
    pub four_fifths_ok: Option<bool>,
    /// Largest difference in mean pair score between mentor groups.
    pub max_score_gap: Option<f64>,
}

/// The fairness audit of one matching (serde-serialisable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditReport {
    /// The protected columns audited (combined into one key).
    pub by: Vec<String>,
    /// Groups smaller than this are marked `too_small`.
    pub min_group_size: usize,
    /// Component names, aligned with `component_means`.
    pub components: Vec<String>,
    /// Mentee groups.
    pub mentees: MenteeAudit,
    /// Mentor groups; `None` when mentors do not carry the audited attributes.
    pub mentors: Option<MentorAudit>,
    /// Every mentor's load against capacity and minimum load; `None` when the audit was run on
    /// group labels alone ([`audit`]), filled by the audit of a match result.
    #[serde(default)]
    pub mentor_loads: Option<MentorLoads>,
}

/// One mentor's load in the audit's mentor-load table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorLoadRow {
    /// Mentor id.
    pub mentor_id: String,
    /// Mentees assigned.
    pub load: u32,
    /// Most mentees the mentor takes.
    pub capacity: u32,
    /// Fewest mentees the mentor should get (0 = none).
    pub min_load: u32,
    /// `min_load − load` when positive, else 0.
    pub shortfall: u32,
}

/// The audit's mentor-load table: one row per mentor (table order) and summary counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentorLoads {
    /// One row per mentor.
    pub rows: Vec<MentorLoadRow>,
    /// Mentors with at least one mentee.
    pub active: usize,
    /// Mentors at capacity (capacity > 0).
    pub full: usize,
    /// Mentors with a minimum load (> 0).
    pub with_min_load: usize,
    /// Mentors below their minimum load.
    pub below_min_load: usize,
    /// Sum of the shortfalls.
    pub total_shortfall: u64,
    /// Largest load of any mentor.
    pub max_load: u32,
    /// Mean load over all mentors.
    pub mean_load: f64,
}

/// The mentor-load table of `pairs` (mentor rows) for mentors with these ids, capacities and
/// minimum loads (aligned slices).
///
/// ```
/// use mentorpair::fairness::{mentor_loads, MatchedPair};
/// let pair = |mentor| MatchedPair { mentee: 0, mentor, score: 0.5, components: vec![] };
/// let t = mentor_loads(&["a".into(), "b".into()], &[2, 1], &[0, 1], &[pair(0), pair(0)]);
/// assert_eq!((t.rows[1].shortfall, t.full, t.below_min_load), (1, 1, 1));
/// ```
pub fn mentor_loads(
    mentor_ids: &[String],
    capacity: &[u32],
    min_load: &[u32],
    pairs: &[MatchedPair],
) -> MentorLoads {
    let n = mentor_ids.len();
    let mut load = vec![0u32; n];
    for p in pairs {
        if let Some(l) = load.get_mut(p.mentor) {
            *l += 1;
        }
    }
    let rows: Vec<MentorLoadRow> = (0..n)
        .map(|j| {
            let cap = capacity.get(j).copied().unwrap_or(0);
            let min = min_load.get(j).copied().unwrap_or(0);
            MentorLoadRow {
                mentor_id: mentor_ids[j].clone(),
                load: load[j],
                capacity: cap,
                min_load: min,
                shortfall: min.saturating_sub(load[j]),
            }
        })
        .collect();
    MentorLoads {
        active: rows.iter().filter(|r| r.load > 0).count(),
        full: rows
            .iter()
            .filter(|r| r.capacity > 0 && r.load >= r.capacity)
            .count(),
        with_min_load: rows.iter().filter(|r| r.min_load > 0).count(),
        below_min_load: rows.iter().filter(|r| r.shortfall > 0).count(),
        total_shortfall: rows.iter().map(|r| u64::from(r.shortfall)).sum(),
        max_load: load.iter().copied().max().unwrap_or(0),
        mean_load: if n == 0 {
            0.0
        } else {
            load.iter().map(|&l| f64::from(l)).sum::<f64>() / n as f64
        },
        rows,
    }
}

/// The four-fifths threshold on the disparate-impact ratio.
pub const FOUR_FIFTHS: f64 = 0.8;

struct ScoreSummary {
    mean: Option<f64>,
    median: Option<f64>,
    min: Option<f64>,
}

fn summarise(scores: &mut [f64]) -> ScoreSummary {
    if scores.is_empty() {
        return ScoreSummary {
            mean: None,
            median: None,
            min: None,
        };
    }
    scores.sort_by(f64::total_cmp);
    let n = scores.len();
    let mean = scores.iter().sum::<f64>() / n as f64;
    let median = if n % 2 == 1 {
        scores[n / 2]
    } else {
        (scores[n / 2 - 1] + scores[n / 2]) / 2.0
    };
    ScoreSummary {
        mean: Some(mean),
        median: Some(median),
        min: Some(scores[0]),
    }
}

/// Lowest over highest of `rates`; `1.0` when the highest is 0; `None` for fewer than two rates.
pub fn rate_ratio(rates: &[f64]) -> Option<f64> {
    if rates.len() < 2 {
        return None;
    }
    let hi = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = rates.iter().copied().fold(f64::INFINITY, f64::min);
    Some(if hi <= 0.0 { 1.0 } else { lo / hi })
}

fn gap(means: &[f64]) -> Option<f64> {
    if means.len() < 2 {
        return None;
    }
    let hi = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = means.iter().copied().fold(f64::INFINITY, f64::min);
    Some(hi - lo)
}

/// Disparate impact, four-fifths verdict and score gap over the groups that are not too small,
/// from `(too_small, rate, mean_score)` per group.
fn ratios(
    groups: impl Iterator<Item = (bool, f64, Option<f64>)>,
) -> (Option<f64>, Option<bool>, Option<f64>) {
    let (mut rates, mut means) = (Vec::new(), Vec::new());
    for (too_small, rate, mean) in groups {
        if !too_small {
            rates.push(rate);
            means.extend(mean);
        }
    }
    let di = rate_ratio(&rates);
    (di, di.map(|d| d >= FOUR_FIFTHS), gap(&means))
}

/// Audit a matching.
///
/// * `mentees`: the mentee group labels (one per mentee row);
/// * `mentors`: the mentor labels, when mentors carry the audited attributes;
/// * `mentor_capacity`: one per mentor row (used only with `mentors`);
/// * `pairs`: the matched pairs with their scores and component values;
/// * `components`: the component names, aligned with each pair's `components`.
///
/// ```
/// use mentorpair::fairness::{audit, AuditOptions, GroupLabels, MatchedPair};
/// let labels = GroupLabels {
///     columns: vec!["gender".into()],
///     keys: vec![vec![Some("f".into())], vec![Some("m".into())], vec![Some("m".into())]],
/// };
/// let pairs = vec![MatchedPair { mentee: 0, mentor: 0, score: 0.5, components: vec![] }];
/// let opts = AuditOptions { min_group_size: 1 };
/// let r = audit(&labels, None, &[1], &pairs, &[], &opts).unwrap();
/// assert_eq!(r.mentees.disparate_impact, Some(0.0)); // f: 1/1 matched, m: 0/2
/// ```
pub fn audit(
    mentees: &GroupLabels,
    mentors: Option<&GroupLabels>,
    mentor_capacity: &[u32],
    pairs: &[MatchedPair],
    components: &[String],
    opts: &AuditOptions,
) -> Result<AuditReport, FairnessError> {
    let n_mentees = mentees.len();
    let n_mentors = mentor_capacity.len();
    if let Some(m) = mentors {
        if m.len() != n_mentors {
            return Err(FairnessError::Shape(format!(
                "{} mentor labels for {} mentor capacities",
                m.len(),
                n_mentors
            )));
        }
    }
    for (index, p) in pairs.iter().enumerate() {
        if p.mentee >= n_mentees {
            return Err(FairnessError::PairOutOfRange {
                index,
                what: "mentee",
                value: p.mentee,
                len: n_mentees,
            });
        }
        if mentors.is_some() && p.mentor >= n_mentors {
            return Err(FairnessError::PairOutOfRange {
                index,
                what: "mentor",
                value: p.mentor,
                len: n_mentors,
            });
        }
        if p.components.len() != components.len() {
            return Err(FairnessError::Shape(format!(
                "matched pair {index} has {} component values for {} components",
                p.components.len(),
                components.len()
            )));
        }
    }
    let mentee_audit = audit_mentees(mentees, pairs, components.len(), opts);
    let mentor_audit = mentors.map(|m| audit_mentors(m, mentor_capacity, pairs, opts));
    Ok(AuditReport {
        by: mentees.columns.clone(),
        min_group_size: opts.min_group_size,
        components: components.to_vec(),
        mentees: mentee_audit,
        mentors: mentor_audit,
        mentor_loads: None,
    })
}

fn audit_mentees(
    labels: &GroupLabels,
    pairs: &[MatchedPair],
    n_components: usize,
    opts: &AuditOptions,
) -> MenteeAudit {
    let (keys, ids) = labels.group_ids();
    let g = keys.len();
    let mut members = vec![0usize; g];
    for &id in &ids {
        members[id] += 1;
    }
    let mut pair_count = vec![0usize; labels.len()];
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); g];
    let mut comp_sums = vec![vec![0.0; n_components]; g];
    for p in pairs {
        let gid = ids[p.mentee];
        pair_count[p.mentee] += 1;
        scores[gid].push(p.score);
        for (s, v) in comp_sums[gid].iter_mut().zip(&p.components) {
            *s += v;
        }
    }
    let mut matched = vec![0usize; g];
    for (row, &c) in pair_count.iter().enumerate() {
        if c > 0 {
            matched[ids[row]] += 1;
        }
    }
    let groups: Vec<MenteeGroupStats> = keys
        .into_iter()
        .enumerate()
        .map(|(gid, key)| {
            let n_pairs = scores[gid].len();
            let s = summarise(&mut scores[gid]);
            let component_means = comp_sums[gid]
                .iter()
                .map(|&sum| (n_pairs > 0).then(|| sum / n_pairs as f64))
                .collect();
            MenteeGroupStats {
                group: group_name(&key),
                key,
                mentees: members[gid],
                matched: matched[gid],
                match_rate: matched[gid] as f64 / members[gid].max(1) as f64,
                pairs: n_pairs,
                mean_score: s.mean,
                median_score: s.median,
                min_score: s.min,
                component_means,
                too_small: members[gid] < opts.min_group_size,
            }
        })
        .collect();
    let (disparate_impact, four_fifths_ok, max_score_gap) = ratios(
        groups
            .iter()
            .map(|s| (s.too_small, s.match_rate, s.mean_score)),
    );
    MenteeAudit {
        groups,
        disparate_impact,
        four_fifths_ok,
        max_score_gap,
    }
}

fn audit_mentors(
    labels: &GroupLabels,
    capacity: &[u32],
    pairs: &[MatchedPair],
    opts: &AuditOptions,
) -> MentorAudit {
    let (keys, ids) = labels.group_ids();
    let g = keys.len();
    let mut members = vec![0usize; g];
    let mut cap = vec![0u64; g];
    for (row, &id) in ids.iter().enumerate() {
        members[id] += 1;
        cap[id] += u64::from(capacity[row]);
    }
    let mut load_per_mentor = vec![0usize; labels.len()];
    let mut scores: Vec<Vec<f64>> = vec![Vec::new(); g];
    for p in pairs {
        load_per_mentor[p.mentor] += 1;
        scores[ids[p.mentor]].push(p.score);
    }
    let mut active = vec![0usize; g];
    for (row, &l) in load_per_mentor.iter().enumerate() {
        if l > 0 {
            active[ids[row]] += 1;
        }
    }
    let total_pairs = pairs.len();
    let total_mentors = labels.len();
    let groups: Vec<MentorGroupStats> = keys
        .into_iter()
        .enumerate()
        .map(|(gid, key)| {
            let load = scores[gid].len();
            let s = summarise(&mut scores[gid]);
            MentorGroupStats {
                group: group_name(&key),
                key,
                mentors: members[gid],
                active: active[gid],
                capacity: cap[gid],
                load,
                utilisation: if cap[gid] == 0 {
                    0.0
                } else {
                    load as f64 / cap[gid] as f64
                },
                load_share: load as f64 / total_pairs.max(1) as f64,
                mentor_share: members[gid] as f64 / total_mentors.max(1) as f64,
                mean_score: s.mean,
                median_score: s.median,
                min_score: s.min,
                too_small: members[gid] < opts.min_group_size,
            }
        })
        .collect();
    let (disparate_impact, four_fifths_ok, max_score_gap) = ratios(
        groups
            .iter()
            .map(|s| (s.too_small, s.utilisation, s.mean_score)),
    );
    MentorAudit {
        groups,
        disparate_impact,
        four_fifths_ok,
        max_score_gap,
    }
}
