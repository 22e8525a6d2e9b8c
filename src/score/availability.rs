//! Availability: weekly overlap in UTC (for the reference week, so daylight saving is right)
//! against the meeting time needed per week (`meeting_minutes / cadence_weeks`).

use super::ScoreConfig;
use crate::features::{overlap, PersonFeatures};
use serde::{Deserialize, Serialize};

/// Evidence behind the availability component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AvailabilityEvidence {
    /// Minutes per week both are free, counting blocks of at least `min_block_minutes`.
    pub overlap_minutes_per_week: u32,
    /// Longest common block, in minutes.
    pub longest_block_minutes: u32,
    /// Meeting minutes needed per week on average.
    pub needed_minutes_per_week: f64,
    /// Shortest block that counts.
    pub min_block_minutes: u32,
}

fn min_block(cfg: &ScoreConfig) -> u32 {
    cfg.min_block_minutes.min(cfg.meeting_minutes)
}

fn needed(cfg: &ScoreConfig) -> f64 {
    cfg.meeting_minutes.max(1) as f64 / cfg.cadence_weeks.max(1) as f64
}

/// `min(1, overlap / needed)`, or `None` when either side has no slots or no time zone.
pub fn value(mentee: &PersonFeatures, mentor: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    let (Ok(a), Ok(b)) = (&mentee.availability, &mentor.availability) else {
        return None;
    };
    let (total, _) = overlap(a, b, min_block(cfg));
    Some((total as f64 / needed(cfg)).min(1.0))
}

/// Overlap minutes, longest block and what was needed.
pub fn evidence(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
) -> AvailabilityEvidence {
    let (total, longest) = match (&mentee.availability, &mentor.availability) {
        (Ok(a), Ok(b)) => overlap(a, b, min_block(cfg)),
        _ => (0, 0),
    };
    AvailabilityEvidence {
        overlap_minutes_per_week: total,
        longest_block_minutes: longest,
        needed_minutes_per_week: needed(cfg),
        min_block_minutes: min_block(cfg),
    }
}
