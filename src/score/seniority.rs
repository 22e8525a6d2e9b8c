//! Seniority: full credit when the mentor is at least `seniority_gap` levels above the mentee,
//! partial credit for a smaller lead, none when the mentor is not above.

use super::ScoreConfig;
use crate::features::PersonFeatures;
use serde::{Deserialize, Serialize};

/// Evidence behind the seniority component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeniorityEvidence {
    /// Mentee's level.
    pub mentee_level: Option<i32>,
    /// Mentor's level.
    pub mentor_level: Option<i32>,
    /// Mentor minus mentee, when both are known.
    pub gap: Option<i64>,
    /// Gap that earns full credit.
    pub required_gap: u32,
}

/// `clamp(gap / required, 0, 1)`, or `None` when a level is missing.
pub fn value(mentee: &PersonFeatures, mentor: &PersonFeatures, cfg: &ScoreConfig) -> Option<f64> {
    let gap = mentor.level? as i64 - mentee.level? as i64;
    Some((gap as f64 / cfg.seniority_gap.max(1) as f64).clamp(0.0, 1.0))
}

/// Both levels and the gap.
pub fn evidence(
    mentee: &PersonFeatures,
    mentor: &PersonFeatures,
    cfg: &ScoreConfig,
) -> SeniorityEvidence {
    SeniorityEvidence {
        mentee_level: mentee.level,
        mentor_level: mentor.level,
        gap: mentee
            .level
            .zip(mentor.level)
            .map(|(a, b)| b as i64 - a as i64),
        required_gap: cfg.seniority_gap,
    }
}
