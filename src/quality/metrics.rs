//! Quality metrics of one matching: score distribution, coverage, stability (blocking pairs),
//! gaps between protected groups and mentor utilisation.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::cohort::Protected;
use crate::lsap::Instance;

/// What a matching does to the people in it. Shares are in `[0, 1]`; score statistics are over
/// the matched pairs and are NaN (`null` in JSON) when nothing is matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Number of matched pairs.
    pub pairs: usize,
    /// Sum of the scores of the matched pairs.
    pub total_score: f64,
    /// Mean matched score.
    pub mean_score: f64,
    /// Median matched score (linear interpolation, as numpy's default).
    pub median_score: f64,
    /// 10th percentile of the matched scores (linear interpolation, as numpy's default).
    pub p10_score: f64,
    /// Lowest matched score.
    pub min_score: f64,
    /// Share of wanted slots filled: pairs / Σ mentees' `mentors_wanted` (0 when nobody wants one).
    pub matched_share: f64,
    /// Share of mentees with at least one mentor.
    pub mentees_matched_share: f64,
    /// Mentee–mentor pairs, acceptable and not matched together, that both strictly prefer each
    /// other to what they have (see [`blocking_pairs`]).
    pub blocking_pairs: usize,
    /// Largest gap in match rate (filled share of wanted slots) between two groups of the same
    /// protected mentee attribute, over all attributes; 0 with fewer than two groups.
    pub group_gap_match_rate: f64,
    /// Largest gap in mean matched score between two groups of the same protected mentee
    /// attribute (groups with a match only), over all attributes.
    pub group_gap_mean_score: f64,
    /// Assigned pairs / total mentor capacity (0 when there is no capacity).
    pub mentor_utilisation: f64,
    /// Broken hard constraints (must be 0): capacity, repeated or forbidden pairs found by
    /// [`check_pairs`], plus what the cohort-level audit reports.
    pub violations: usize,
    /// Wall time of the strategy, in seconds.
    pub seconds: f64,
}

/// Percentile `q` in `[0, 1]` of ascending `sorted` values with linear interpolation between
/// closest ranks (numpy's default); NaN for no values.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let lo = pos.floor() as usize;
            let hi = pos.ceil() as usize;
            sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
        }
    }
}

/// Count the ways `pairs` breaks the problem's own rules: an index out of range, a non-finite
/// (forbidden) score, a pair used twice, a mentee above `wanted` or a mentor above `capacity`
/// (each excess slot counts once).
pub fn check_pairs(problem: &Instance<'_>, pairs: &[(usize, usize)]) -> usize {
    let (n, m) = problem.scores.dim();
    let mut bad = 0usize;
    let mut per_mentee = vec![0u32; n];
    let mut per_mentor = vec![0u32; m];
    let mut seen = std::collections::HashSet::with_capacity(pairs.len());
    for &(i, j) in pairs {
        if i >= n || j >= m {
            bad += 1;
            continue;
        }
        if !problem.scores[[i, j]].is_finite() {
            bad += 1;
        }
        if !seen.insert((i, j)) {
            bad += 1;
        }
        per_mentee[i] += 1;
        per_mentor[j] += 1;
    }
    let over = |got: &[u32], limit: &[u32]| -> usize {
        got.iter()
            .zip(limit)
            .map(|(&g, &l)| g.saturating_sub(l) as usize)
            .sum()
    };
    bad + over(&per_mentee, &problem.row_capacity) + over(&per_mentor, &problem.col_capacity)
}

/// Blocking pairs of a matching: acceptable pairs `(i, j)` not matched together where mentee `i`
/// strictly prefers `j` (it has a free wanted slot, or `j` scores higher than its worst current
/// mentor) and mentor `j` strictly prefers `i` (it has spare capacity, or `i` scores higher than
/// its worst current mentee). Preferences are the pair scores on both sides. `pairs` must be
/// valid ([`check_pairs`] = 0); invalid entries are ignored.
pub fn blocking_pairs(problem: &Instance<'_>, pairs: &[(usize, usize)]) -> usize {
    let s = problem.scores();
    let (n, m) = s.dim();
    let mut matched = std::collections::HashSet::with_capacity(pairs.len());
    let mut count_e = vec![0u32; n];
    let mut count_r = vec![0u32; m];
    let mut worst_e = vec![f64::INFINITY; n];
    let mut worst_r = vec![f64::INFINITY; m];
    for &(i, j) in pairs {
        if i < n && j < m && s[[i, j]].is_finite() && matched.insert((i, j)) {
            count_e[i] += 1;
            count_r[j] += 1;
            worst_e[i] = worst_e[i].min(s[[i, j]]);
            worst_r[j] = worst_r[j].min(s[[i, j]]);
        }
    }
    let mut blocking = 0;
    for i in 0..n {
        let e_free = count_e[i] < problem.row_capacity[i];
        if problem.row_capacity[i] == 0 {
            continue;
        }
        for j in 0..m {
            let v = s[[i, j]];
            if !v.is_finite() || problem.col_capacity[j] == 0 || matched.contains(&(i, j)) {
                continue;
            }
            let mentee_wants = e_free || v > worst_e[i];
            let mentor_wants = count_r[j] < problem.col_capacity[j] || v > worst_r[j];
            if mentee_wants && mentor_wants {
                blocking += 1;
            }
        }
    }
    blocking
}

/// All metrics of `pairs` on `problem`. `groups` holds the mentees' protected attributes (row
/// `i` = mentee `i`; missing values belong to no group). `audit_violations` is what the
/// cohort-level audit found; it is added to [`check_pairs`].
pub fn evaluate(
    problem: &Instance<'_>,
    pairs: &[(usize, usize)],
    groups: &Protected,
    audit_violations: usize,
    seconds: f64,
) -> Metrics {
    let s = problem.scores();
    let (n, m) = s.dim();
    let valid: Vec<(usize, usize)> = pairs
        .iter()
        .copied()
        .filter(|&(i, j)| i < n && j < m && s[[i, j]].is_finite())
        .collect();
    let mut scores: Vec<f64> = valid.iter().map(|&(i, j)| s[[i, j]]).collect();
    scores.sort_by(f64::total_cmp);
    let total: f64 = scores.iter().sum();
    let wanted: u64 = problem.row_capacity.iter().map(|&w| u64::from(w)).sum();
    let capacity: u64 = problem.col_capacity.iter().map(|&c| u64::from(c)).sum();
    let share = |num: usize, den: u64| {
        if den == 0 {
            0.0
        } else {
            num as f64 / den as f64
        }
    };
    let mut has_mentor = vec![false; n];
    for &(i, _) in &valid {
        has_mentor[i] = true;
    }
    let (gap_rate, gap_score) = group_gaps(problem, &valid, groups);
    Metrics {
        pairs: valid.len(),
        total_score: total,
        mean_score: if scores.is_empty() {
            f64::NAN
        } else {
            total / scores.len() as f64
        },
        median_score: percentile(&scores, 0.5),
        p10_score: percentile(&scores, 0.1),
        min_score: scores.first().copied().unwrap_or(f64::NAN),
        matched_share: share(valid.len(), wanted),
        mentees_matched_share: share(has_mentor.iter().filter(|&&h| h).count(), n as u64),
        blocking_pairs: blocking_pairs(problem, &valid),
        group_gap_match_rate: gap_rate,
        group_gap_mean_score: gap_score,
        mentor_utilisation: share(valid.len(), capacity),
        violations: check_pairs(problem, pairs) + audit_violations,
        seconds,
    }
}

/// Per protected column: match rate and mean score per group; the largest max−min over columns.
fn group_gaps(problem: &Instance<'_>, pairs: &[(usize, usize)], groups: &Protected) -> (f64, f64) {
    let n = problem.scores.nrows();
    let mut per_mentee_pairs = vec![0u32; n];
    let mut per_mentee_sum = vec![0.0f64; n];
    for &(i, j) in pairs {
        per_mentee_pairs[i] += 1;
        per_mentee_sum[i] += problem.scores[[i, j]];
    }
    let (mut gap_rate, mut gap_score) = (0.0f64, 0.0f64);
    for c in 0..groups.columns.len() {
        // group -> (wanted slots, pairs, score sum)
        let mut acc: BTreeMap<&str, (u64, u64, f64)> = BTreeMap::new();
        for i in 0..n {
            let value = groups
                .values
                .get(i)
                .and_then(|row| row.get(c))
                .and_then(|v| v.as_deref());
            if let Some(g) = value {
                let e = acc.entry(g).or_default();
                e.0 += u64::from(problem.row_capacity[i]);
                e.1 += u64::from(per_mentee_pairs[i]);
                e.2 += per_mentee_sum[i];
            }
        }
        let rates: Vec<f64> = acc
            .values()
            .filter(|a| a.0 > 0)
            .map(|a| a.1 as f64 / a.0 as f64)
            .collect();
        let means: Vec<f64> = acc
            .values()
            .filter(|a| a.1 > 0)
            .map(|a| a.2 / a.1 as f64)
            .collect();
        gap_rate = gap_rate.max(spread(&rates));
        gap_score = gap_score.max(spread(&means));
    }
    (gap_rate, gap_score)
}

fn spread(xs: &[f64]) -> f64 {
    if xs.len() < 2 {
        return 0.0;
    }
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = xs.iter().copied().fold(f64::INFINITY, f64::min);
    max - min
}
