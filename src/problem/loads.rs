//! Mentor load terms of a prepared problem: minimum loads (a `min_load` column or the
//! `min_load` option) and the spreading penalty, solved by
//! [`crate::lsap::solve_capacitated_loads`]; the shortfall when minimum loads cannot be met.

use serde::{Deserialize, Serialize};

use super::{MatchConfig, MatchError, Problem};
use crate::lsap::ColumnLoads;

/// What a solve does when the minimum loads cannot all be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ShortfallPolicy {
    /// Fail with [`MatchError::LoadShortfall`], naming every short mentor (default): a programme
    /// that set minimum loads learns that they cannot hold before anyone is told their match.
    #[default]
    Error,
    /// Return the best matching (as many minimum-load slots filled as possible) and report the
    /// shortfall in the solution.
    Report,
}

/// One mentor below their minimum load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentorShortfall {
    /// Mentor column.
    pub mentor: usize,
    /// Mentor id.
    pub mentor_id: String,
    /// The minimum load asked for.
    pub min_load: u32,
    /// The mentees the mentor got.
    pub load: u32,
    /// `min_load − load`.
    pub shortfall: u32,
}

/// Minimum loads that no matching can meet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("minimum loads cannot all be met: {} short by {total} mentee(s) in total ({}); no matching under the hard constraints does better. Lower those mentors' min_load, allow them more mentees, or pass min_load_shortfall = \"report\" to get the best matching with the shortfall", plural(.short.len()), list(.short))]
pub struct LoadShortfallError {
    /// The short mentors of the best matching (which mentors carry an unavoidable shortfall is
    /// not unique; the total is).
    pub short: Vec<MentorShortfall>,
    /// Total shortfall.
    pub total: u64,
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 mentor is".to_string()
    } else {
        format!("{n} mentors are")
    }
}

fn list(short: &[MentorShortfall]) -> String {
    const SHOWN: usize = 10;
    let mut parts: Vec<String> = short
        .iter()
        .take(SHOWN)
        .map(|s| {
            format!(
                "{:?}: {} of min_load {} (short by {})",
                s.mentor_id, s.load, s.min_load, s.shortfall
            )
        })
        .collect();
    if short.len() > SHOWN {
        parts.push(format!("and {} more", short.len() - SHOWN));
    }
    parts.join("; ")
}

pub(super) fn validate(cfg: &MatchConfig) -> Result<(), MatchError> {
    if !(cfg.spread.is_finite() && cfg.spread >= 0.0) {
        return Err(MatchError::Config(crate::options::ConfigError::new(
            "spread",
            cfg.spread,
            "a finite number >= 0 such as 0.01 (0 turns spreading off)",
        )));
    }
    if cfg.min_load > crate::io::MAX_CAPACITY {
        return Err(MatchError::Config(crate::options::ConfigError::new(
            "min_load",
            cfg.min_load,
            format!("a whole number from 0 to {}", crate::io::MAX_CAPACITY),
        )));
    }
    Ok(())
}

impl Problem {
    /// Every mentor's minimum load: the `min_load` column, else the configured default.
    pub fn mentor_min_load(&self) -> Vec<u32> {
        min_loads(&self.cohort, &self.config)
    }

    /// The load terms of the solve over the capacities left after the pins, or `None` when there
    /// are none (no minimum loads, no spreading).
    /// Whether the configuration asks for minimum loads or spreading (which only the plain solve
    /// honours; rematch and the fairness modes refuse them).
    pub fn has_load_terms(&self) -> bool {
        self.residual_loads().is_some()
    }

    pub(super) fn residual_loads(&self) -> Option<ColumnLoads> {
        let mut min = self.mentor_min_load();
        if min.iter().all(|&m| m == 0) && self.config.spread == 0.0 {
            return None;
        }
        for p in &self.pins {
            min[p.mentor] = min[p.mentor].saturating_sub(1);
        }
        Some(ColumnLoads {
            min_load: min,
            spread: self.config.spread,
        })
    }

    /// The mentors below their minimum load in `pairs` (pins included), sorted by column.
    pub(super) fn shortfall(&self, pairs: &[(usize, usize)]) -> Vec<MentorShortfall> {
        let min = self.mentor_min_load();
        let mut load = vec![0u32; min.len()];
        for &(_, j) in pairs {
            load[j] += 1;
        }
        min.iter()
            .zip(&load)
            .enumerate()
            .filter(|(_, (&m, &l))| l < m)
            .map(|(j, (&m, &l))| MentorShortfall {
                mentor: j,
                mentor_id: self.cohort.mentors.people[j].id.clone(),
                min_load: m,
                load: l,
                shortfall: m - l,
            })
            .collect()
    }
}

/// Every mentor's minimum load in `cohort` under `config`: the `min_load` column, else
/// `config.min_load`. The one rule, used by the solve and the audit.
pub fn min_loads(cohort: &crate::cohort::Cohort, config: &MatchConfig) -> Vec<u32> {
    cohort
        .mentors
        .people
        .iter()
        .map(|p| p.min_load.unwrap_or(config.min_load))
        .collect()
}
